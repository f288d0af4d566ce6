// irforge — tensor: an element type, a static shape and the bytes.
//
// The bytes are either owned (a shared buffer) or a view into memory someone
// else owns (typically a memory-mapped model file); in both cases the tensor
// holds a shared_ptr that keeps the memory alive, so copies are cheap and a
// weight is never duplicated on its way from the model file to the .bin.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/half.hpp"
#include "irforge/core/shape.hpp"

namespace irforge {

static_assert(std::endian::native == std::endian::little,
              "irforge reads and writes little-endian tensor data and supports little-endian hosts only");

class tensor {
public:
  tensor() = default;

  /// A zero-filled tensor that owns its bytes.
  static tensor allocate(element_type type, shape dims) {
    const std::uint64_t size = checked_byte_size(type, dims);
    auto buffer = std::make_shared<std::vector<std::byte>>(static_cast<std::size_t>(size));
    return tensor(type, std::move(dims), std::span<const std::byte>(buffer->data(), buffer->size()), buffer, true);
  }

  /// Takes ownership of `bytes`; their count must match type and shape.
  static tensor from_bytes(element_type type, shape dims, std::vector<std::byte> bytes) {
    const std::uint64_t size = checked_byte_size(type, dims);
    if (bytes.size() != size)
      throw error("tensor of " + std::string(to_string(type)) + partial_shape(dims).to_string() + " needs " +
                  std::to_string(size) + " bytes, got " + std::to_string(bytes.size()));
    auto buffer = std::make_shared<std::vector<std::byte>>(std::move(bytes));
    return tensor(type, std::move(dims), std::span<const std::byte>(buffer->data(), buffer->size()), buffer, true);
  }

  /// A view of memory kept alive by `owner` (no copy); sizes must match.
  static tensor view(element_type type, shape dims, std::span<const std::byte> bytes, std::shared_ptr<const void> owner) {
    const std::uint64_t size = checked_byte_size(type, dims);
    if (bytes.size() != size)
      throw error("tensor of " + std::string(to_string(type)) + partial_shape(dims).to_string() + " needs " +
                  std::to_string(size) + " bytes, got " + std::to_string(bytes.size()));
    return tensor(type, std::move(dims), bytes, std::move(owner), false);
  }

  /// An owning tensor from typed values (T is the storage type of the element type).
  template <class T> static tensor from_values(shape dims, const std::vector<T>& values) {
    constexpr element_type type = element_type_of<T>();
    tensor t = allocate(type, std::move(dims));
    if (values.size() != t.element_count())
      throw error("tensor of shape " + partial_shape(t.dims_).to_string() + " needs " +
                  std::to_string(t.element_count()) + " values, got " + std::to_string(values.size()));
    if constexpr (std::is_same_v<T, bool>) {
      for (std::size_t i = 0; i < values.size(); ++i) t.mutable_bytes()[i] = static_cast<std::byte>(values[i] ? 1 : 0);
    } else if (!values.empty()) {
      std::memcpy(t.mutable_bytes().data(), values.data(), values.size() * sizeof(T));
    }
    return t;
  }
  template <class T> static tensor scalar(T value) { return from_values<T>({}, std::vector<T>{value}); }

  [[nodiscard]] element_type type() const { return type_; }
  [[nodiscard]] const shape& dims() const { return dims_; }
  [[nodiscard]] std::uint64_t element_count() const { return irforge::element_count(dims_); }
  [[nodiscard]] std::span<const std::byte> bytes() const { return bytes_; }
  [[nodiscard]] bool empty() const { return type_ == element_type::dynamic; }
  /// The object that keeps the bytes alive (for views: the mapped file).
  [[nodiscard]] const std::shared_ptr<const void>& owner() const { return owner_; }

  /// Writable bytes of a tensor made by allocate/from_bytes/from_values
  /// (copies of a tensor share its bytes). Views of files are read-only.
  [[nodiscard]] std::span<std::byte> mutable_bytes() {
    if (!owns_buffer_) throw error("tensor is a read-only view; copy it before writing");
    return {const_cast<std::byte*>(bytes_.data()), bytes_.size()};
  }

  /// Element i as its storage type T (memcpy: views may be unaligned).
  template <class T> [[nodiscard]] T at(std::uint64_t i) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bit_width(type_) != sizeof(T) * 8) throw error("tensor element access with a type of the wrong size");
    if (i >= element_count()) throw error("tensor element index out of range");
    T v;
    std::memcpy(&v, bytes_.data() + i * sizeof(T), sizeof(T));
    return v;
  }

  /// All elements as T; T must be the storage type of the element type.
  template <class T> [[nodiscard]] std::vector<T> values() const {
    // Booleans read as u8 bytes, f16/bf16 as their u16 bit patterns.
    const bool raw_bits = (std::is_same_v<T, std::uint8_t> && type_ == element_type::boolean) ||
                          (std::is_same_v<T, std::uint16_t> && (type_ == element_type::f16 || type_ == element_type::bf16));
    if (element_type_of<T>() != type_ && !raw_bits)
      throw error("tensor holds " + std::string(to_string(type_)) + ", not " +
                  std::string(to_string(element_type_of<T>())));
    std::vector<T> v(static_cast<std::size_t>(element_count()));
    if (!v.empty()) std::memcpy(v.data(), bytes_.data(), v.size() * sizeof(T));
    return v;
  }

  /// All elements converted to int64 (any integer or boolean type; floats are truncated).
  [[nodiscard]] std::vector<std::int64_t> as_i64() const {
    std::vector<std::int64_t> out(static_cast<std::size_t>(element_count()));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::int64_t>(element_as_f64_or_i64<std::int64_t>(i));
    return out;
  }
  /// All elements converted to double (any numeric type).
  [[nodiscard]] std::vector<double> as_f64() const {
    std::vector<double> out(static_cast<std::size_t>(element_count()));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = element_as_f64_or_i64<double>(i);
    return out;
  }

  /// Same type, shape and bytes.
  [[nodiscard]] bool same_content(const tensor& o) const {
    return type_ == o.type_ && dims_ == o.dims_ && bytes_.size() == o.bytes_.size() &&
           (bytes_.empty() || std::memcmp(bytes_.data(), o.bytes_.data(), bytes_.size()) == 0);
  }

  /// A 64-bit hash of the bytes (equal content gives equal hashes; confirm with same_content).
  [[nodiscard]] std::uint64_t content_hash() const { return hash_bytes(bytes_); }

  static std::uint64_t hash_bytes(std::span<const std::byte> b) {
    auto mix = [](std::uint64_t x) {
      x ^= x >> 33;
      x *= 0xff51afd7ed558ccdull;
      x ^= x >> 33;
      x *= 0xc4ceb9fe1a85ec53ull;
      x ^= x >> 33;
      return x;
    };
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ b.size();
    const std::byte* p = b.data();
    std::size_t n = b.size();
    while (n >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      h = (h ^ mix(w)) * 0x100000001b3ull;
      p += 8;
      n -= 8;
    }
    std::uint64_t tail = 0;
    if (n) std::memcpy(&tail, p, n);
    return mix(h ^ mix(tail + n));
  }

  /// A tensor with the same bytes and another shape of equal element count.
  [[nodiscard]] tensor reshaped(shape dims) const {
    if (irforge::element_count(dims) != element_count()) throw error("reshape of a tensor to a different element count");
    tensor t = *this;
    t.dims_ = std::move(dims);
    return t;
  }

  /// The same bytes seen as another element type of equal width (u16 bits <-> f16).
  [[nodiscard]] tensor reinterpreted(element_type type) const {
    if (bit_width(type) != bit_width(type_)) throw error("reinterpretation of a tensor to a type of another width");
    tensor t = *this;
    t.type_ = type;
    return t;
  }

  /// An owning copy (e.g. to modify a view).
  [[nodiscard]] tensor copy() const {
    std::vector<std::byte> b(bytes_.begin(), bytes_.end());
    return from_bytes(type_, dims_, std::move(b));
  }

private:
  tensor(element_type type, shape dims, std::span<const std::byte> bytes, std::shared_ptr<const void> owner,
         bool owns_buffer)
      : type_(type), dims_(std::move(dims)), bytes_(bytes), owner_(std::move(owner)), owns_buffer_(owns_buffer) {}

  static std::uint64_t checked_byte_size(element_type type, const shape& dims) {
    if (type == element_type::dynamic) throw error("a tensor needs a known element type");
    const std::uint64_t n = irforge::element_count(dims);
    if (n > (std::uint64_t{1} << 56)) throw error("tensor of " + std::to_string(n) + " elements is too large");
    return byte_size(type, n);
  }

  template <class R> R element_as_f64_or_i64(std::size_t i) const {
    const std::byte* p = bytes_.data();
    auto load = [&](auto tag) {
      using T = decltype(tag);
      T v;
      std::memcpy(&v, p + i * sizeof(T), sizeof(T));
      return v;
    };
    switch (type_) {
    case element_type::f32: return static_cast<R>(load(float{}));
    case element_type::f64: return static_cast<R>(load(double{}));
    case element_type::f16: return static_cast<R>(f16_bits_to_f32(load(std::uint16_t{})));
    case element_type::bf16: return static_cast<R>(bf16_bits_to_f32(load(std::uint16_t{})));
    case element_type::i8: return static_cast<R>(load(std::int8_t{}));
    case element_type::i16: return static_cast<R>(load(std::int16_t{}));
    case element_type::i32: return static_cast<R>(load(std::int32_t{}));
    case element_type::i64: return static_cast<R>(load(std::int64_t{}));
    case element_type::u8: return static_cast<R>(load(std::uint8_t{}));
    case element_type::boolean: return static_cast<R>(load(std::uint8_t{}) != 0 ? 1 : 0);
    case element_type::u16: return static_cast<R>(load(std::uint16_t{}));
    case element_type::u32: return static_cast<R>(load(std::uint32_t{}));
    case element_type::u64: return static_cast<R>(load(std::uint64_t{}));
    default: throw error("cannot convert elements of type " + std::string(to_string(type_)));
    }
  }

  element_type type_ = element_type::dynamic;
  shape dims_;
  std::span<const std::byte> bytes_;
  std::shared_ptr<const void> owner_;
  bool owns_buffer_ = false;
};

} // namespace irforge
