// irforge — a minimal, bounds-checked, zero-copy protobuf wire-format reader.
//
// No libprotobuf: the frontends read ONNX, Caffe and TensorFlow files with this
// reader over a memory-mapped file. Strings, bytes and sub-messages are views
// into the input (nothing is copied). A reader knows the absolute offset of its
// first byte in the file and the file's name, so every error says exactly
// where the file is broken. Every length is checked against the bytes left
// before it is used, so no input can make the reader touch memory outside its
// span; malformed input is an irforge::error, never a crash.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "irforge/core/error.hpp"

namespace irforge::io {

static_assert(std::endian::native == std::endian::little,
              "fixed32/fixed64 values are read and written as little-endian memory");

/// The wire types of the protobuf encoding (3 and 4, groups, are obsolete and rejected).
enum class wire_type : std::uint8_t {
  varint = 0,
  fixed64 = 1,
  length_delimited = 2,
  start_group = 3,
  end_group = 4,
  fixed32 = 5,
};

constexpr std::string_view to_string(wire_type t) {
  switch (t) {
  case wire_type::varint: return "varint";
  case wire_type::fixed64: return "fixed64";
  case wire_type::length_delimited: return "length-delimited";
  case wire_type::start_group: return "start-group";
  case wire_type::end_group: return "end-group";
  case wire_type::fixed32: return "fixed32";
  }
  return "invalid";
}

/// One field header: number, wire type and the absolute offset of its tag.
struct protobuf_field {
  std::uint32_t number = 0;
  wire_type type = wire_type::varint;
  std::uint64_t offset = 0;
};

class protobuf_reader {
public:
  static constexpr std::uint32_t max_field_number = (1u << 29) - 1;
  static constexpr std::size_t max_varint_bytes = 10;

  protobuf_reader() = default;
  /// `file` is only used in messages and must outlive the reader (and its
  /// sub-readers); `base_offset` is the absolute offset of `bytes[0]` in it;
  /// `message` names the message being read ("NodeProto"), for messages.
  explicit protobuf_reader(std::span<const std::byte> bytes, std::string_view file = {},
                           std::uint64_t base_offset = 0, std::string_view message = {})
      : data_(reinterpret_cast<const unsigned char*>(bytes.data())), size_(bytes.size()), file_(file),
        base_(base_offset), message_(message) {}

  [[nodiscard]] bool at_end() const { return pos_ == size_; }
  [[nodiscard]] std::size_t remaining() const { return size_ - pos_; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  /// Absolute offset (in the file) of the next byte to read.
  [[nodiscard]] std::uint64_t offset() const { return base_ + pos_; }
  [[nodiscard]] std::uint64_t base_offset() const { return base_; }
  [[nodiscard]] std::string_view file() const { return file_; }
  [[nodiscard]] std::string_view message() const { return message_; }
  [[nodiscard]] std::span<const std::byte> bytes() const {
    return {reinterpret_cast<const std::byte*>(data_), size_};
  }

  /// Throws an irforge::error at `offset` (absolute; default: the current position).
  [[noreturn]] void fail(const std::string& what, std::uint64_t at) const {
    throw error(message_.empty() ? what : std::string(message_) + ": " + what, in_file(std::string(file_), at));
  }
  [[noreturn]] void fail(const std::string& what) const { fail(what, offset()); }

  /// Reads the next field header; false at the end of the message.
  bool next(protobuf_field& f) {
    if (pos_ == size_) return false;
    const std::uint64_t at = offset();
    const std::uint64_t tag = read_varint();
    const std::uint64_t number = tag >> 3;
    const auto type = static_cast<std::uint8_t>(tag & 7u);
    if (number == 0 || number > max_field_number)
      fail("invalid field number " + std::to_string(number) + " (corrupt or not a protobuf file)", at);
    if (type == 3 || type == 4) fail("field " + std::to_string(number) + " uses groups (wire type " +
                                     std::to_string(type) + "), which are not supported", at);
    if (type > 5) fail("field " + std::to_string(number) + " has the invalid wire type " + std::to_string(type), at);
    f.number = static_cast<std::uint32_t>(number);
    f.type = static_cast<wire_type>(type);
    f.offset = at;
    return true;
  }

  /// Throws unless `f` has wire type `t` (a field of the right number but the wrong encoding).
  void expect(const protobuf_field& f, wire_type t) const {
    if (f.type != t)
      fail("field " + std::to_string(f.number) + " has wire type " + std::string(to_string(f.type)) + ", expected " +
               std::string(to_string(t)),
           f.offset);
  }

  // ---- scalars ----------------------------------------------------------------

  std::uint64_t read_varint() {
    // Fast path: enough bytes left for any varint, no per-byte bounds check.
    if (size_ - pos_ >= max_varint_bytes) {
      const unsigned char* p = data_ + pos_;
      std::uint64_t v = 0;
      for (std::size_t i = 0; i < max_varint_bytes; ++i) {
        const std::uint64_t b = p[i];
        if (i == max_varint_bytes - 1 && b > 1) varint_too_long();
        v |= (b & 0x7fu) << (7 * i);
        if ((b & 0x80u) == 0) {
          pos_ += i + 1;
          return v;
        }
      }
      varint_too_long(); // unreachable: the 10th byte check above throws first
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0;; ++i) {
      if (pos_ + i >= size_) fail("truncated varint (the data ends inside it)");
      const std::uint64_t b = data_[pos_ + i];
      if (i == max_varint_bytes - 1 && b > 1) varint_too_long();
      v |= (b & 0x7fu) << (7 * i);
      if ((b & 0x80u) == 0) {
        pos_ += i + 1;
        return v;
      }
    }
  }
  /// int64/uint64/enum (two's complement in 64 bits).
  std::int64_t read_int64() { return static_cast<std::int64_t>(read_varint()); }
  /// int32: negative values are sign-extended to 64 bits on the wire; like
  /// protobuf, the value is truncated to 32 bits.
  std::int32_t read_int32() { return static_cast<std::int32_t>(static_cast<std::uint32_t>(read_varint())); }
  std::uint32_t read_uint32() { return static_cast<std::uint32_t>(read_varint()); }
  bool read_bool() { return read_varint() != 0; }
  std::int64_t read_sint64() {
    const std::uint64_t v = read_varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1u);
  }
  std::int32_t read_sint32() { return static_cast<std::int32_t>(read_sint64()); }

  std::uint32_t read_fixed32() {
    need(4, "fixed32 value");
    std::uint32_t v;
    std::memcpy(&v, data_ + pos_, 4);
    pos_ += 4;
    return v;
  }
  std::uint64_t read_fixed64() {
    need(8, "fixed64 value");
    std::uint64_t v;
    std::memcpy(&v, data_ + pos_, 8);
    pos_ += 8;
    return v;
  }
  float read_float() {
    const std::uint32_t bits = read_fixed32();
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  double read_double() {
    const std::uint64_t bits = read_fixed64();
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }

  // ---- length-delimited -------------------------------------------------------

  /// The payload of a length-delimited field (a view, no copy).
  std::span<const std::byte> read_bytes() {
    const std::uint64_t at = offset();
    const std::uint64_t length = read_varint();
    if (length > remaining())
      fail("length " + std::to_string(length) + " exceeds the " + std::to_string(remaining()) +
               " bytes left in the enclosing message",
           at);
    const auto n = static_cast<std::size_t>(length);
    std::span<const std::byte> out(reinterpret_cast<const std::byte*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }
  std::string_view read_string() {
    const auto b = read_bytes();
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  /// A reader over an embedded message, with its own absolute offset.
  protobuf_reader read_message(std::string_view message = {}) {
    const std::uint64_t length_at = offset();
    const std::uint64_t length = read_varint();
    if (length > remaining())
      fail("length " + std::to_string(length) + " exceeds the " + std::to_string(remaining()) +
               " bytes left in the enclosing message",
           length_at);
    const auto n = static_cast<std::size_t>(length);
    protobuf_reader sub;
    sub.data_ = data_ + pos_;
    sub.size_ = n;
    sub.file_ = file_;
    sub.base_ = base_ + pos_;
    sub.message_ = message.empty() ? message_ : message;
    pos_ += n;
    return sub;
  }

  /// Skips the value of a field of wire type `t` (unknown fields).
  void skip(wire_type t) {
    switch (t) {
    case wire_type::varint: (void)read_varint(); return;
    case wire_type::fixed64: need(8, "fixed64 value"); pos_ += 8; return;
    case wire_type::fixed32: need(4, "fixed32 value"); pos_ += 4; return;
    case wire_type::length_delimited: (void)read_bytes(); return;
    default: fail("cannot skip a field of wire type " + std::string(to_string(t)));
    }
  }
  void skip(const protobuf_field& f) { skip(f.type); }

  // ---- repeated fields: packed (one length-delimited run) or not (one value per field) ----

  /// Appends the value(s) of a repeated int64/uint64/int32/enum field.
  template <class T> void read_repeated_varint(const protobuf_field& f, std::vector<T>& out) {
    static_assert(std::is_integral_v<T>);
    if (f.type == wire_type::varint) { // unpacked: one field per value (ONNX dims, ints)
      if (out.capacity() == 0) out.reserve(8);
      out.push_back(static_cast<T>(read_varint()));
      return;
    }
    expect(f, wire_type::length_delimited);
    protobuf_reader packed = read_message();
    // A varint ends at each byte without the continuation bit: count, then decode.
    std::size_t count = 0;
    for (std::size_t i = 0; i < packed.size_; ++i) count += (packed.data_[i] & 0x80u) == 0;
    out.reserve(out.size() + count);
    while (!packed.at_end()) out.push_back(static_cast<T>(packed.read_varint()));
  }

  /// Appends the value(s) of a repeated float (fixed32) field.
  void read_repeated_float(const protobuf_field& f, std::vector<float>& out) { read_repeated_fixed(f, out); }
  /// Appends the value(s) of a repeated double (fixed64) field.
  void read_repeated_double(const protobuf_field& f, std::vector<double>& out) { read_repeated_fixed(f, out); }
  /// Appends the value(s) of a repeated fixed32/fixed64/sfixed* field (T of size 4 or 8).
  template <class T> void read_repeated_fixed(const protobuf_field& f, std::vector<T>& out) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8);
    constexpr wire_type single = sizeof(T) == 4 ? wire_type::fixed32 : wire_type::fixed64;
    if (f.type == single) {
      need(sizeof(T), "fixed-size value");
      T v;
      std::memcpy(&v, data_ + pos_, sizeof(T));
      pos_ += sizeof(T);
      out.push_back(v);
      return;
    }
    expect(f, wire_type::length_delimited);
    const std::uint64_t at = offset();
    const auto payload = read_bytes();
    if (payload.size() % sizeof(T) != 0)
      fail("packed field " + std::to_string(f.number) + " has " + std::to_string(payload.size()) +
               " bytes, not a multiple of " + std::to_string(sizeof(T)),
           at);
    const std::size_t old = out.size();
    out.resize(old + payload.size() / sizeof(T));
    if (!payload.empty()) std::memcpy(out.data() + old, payload.data(), payload.size());
  }

private:
  void need(std::size_t n, const char* what) const {
    if (n > size_ - pos_)
      fail(std::string("truncated ") + what + ": needs " + std::to_string(n) + " bytes, " +
           std::to_string(size_ - pos_) + " left");
  }
  [[noreturn]] void varint_too_long() const {
    fail("varint longer than 10 bytes or beyond 64 bits (corrupt data)");
  }

  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t pos_ = 0;
  std::string_view file_;
  std::uint64_t base_ = 0;
  std::string_view message_;
};

} // namespace irforge::io
