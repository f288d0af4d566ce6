// irforge — a minimal protobuf wire-format writer (the counterpart of protobuf_reader).
//
// Used to write ONNX models and tensor files (and Caffe/TensorFlow test files).
// A nested message must be preceded by its length, so messages are built
// inside out: a sub-message is written into its own writer and then added with
// message_field. To keep large payloads (weights) from being copied once per
// nesting level, a writer is a rope: small data is copied into its buffer,
// large payloads added with bytes_field_view are only referenced, and the
// bytes are gathered once, at the end, by bytes() or write_to().
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/io/protobuf_reader.hpp"

namespace irforge::io {

class protobuf_writer {
public:
  /// Payloads smaller than this are copied even by bytes_field_view (a
  /// reference costs more than copying a few hundred bytes).
  static constexpr std::size_t min_view_bytes = 4096;

  // ---- raw encoding -----------------------------------------------------------

  void write_varint(std::uint64_t v) {
    std::byte tmp[10];
    std::size_t n = 0;
    while (v >= 0x80u) {
      tmp[n++] = static_cast<std::byte>((v & 0x7fu) | 0x80u);
      v >>= 7;
    }
    tmp[n++] = static_cast<std::byte>(v);
    buf_.insert(buf_.end(), tmp, tmp + n);
  }
  void write_tag(std::uint32_t field, wire_type t) {
    if (field == 0 || field > protobuf_reader::max_field_number)
      throw error("protobuf field number " + std::to_string(field) + " is out of range");
    write_varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint64_t>(t));
  }
  void write_fixed32(std::uint32_t v) { append_le(v); }
  void write_fixed64(std::uint64_t v) { append_le(v); }
  /// Appends bytes verbatim (e.g. a hand-made encoding in a test).
  void write_raw(std::span<const std::byte> bytes) { buf_.insert(buf_.end(), bytes.begin(), bytes.end()); }

  // ---- fields -------------------------------------------------------------------

  void varint_field(std::uint32_t field, std::uint64_t v) {
    write_tag(field, wire_type::varint);
    write_varint(v);
  }
  /// int64, uint64 and enums: two's complement in 64 bits.
  void int64_field(std::uint32_t field, std::int64_t v) { varint_field(field, static_cast<std::uint64_t>(v)); }
  /// int32: negative values are sign-extended to 64 bits (10 bytes), as protobuf does.
  void int32_field(std::uint32_t field, std::int32_t v) {
    varint_field(field, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
  }
  void bool_field(std::uint32_t field, bool v) { varint_field(field, v ? 1u : 0u); }
  void sint64_field(std::uint32_t field, std::int64_t v) {
    varint_field(field, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void fixed32_field(std::uint32_t field, std::uint32_t v) {
    write_tag(field, wire_type::fixed32);
    write_fixed32(v);
  }
  void fixed64_field(std::uint32_t field, std::uint64_t v) {
    write_tag(field, wire_type::fixed64);
    write_fixed64(v);
  }
  void float_field(std::uint32_t field, float v) {
    write_tag(field, wire_type::fixed32);
    append_le(v);
  }
  void double_field(std::uint32_t field, double v) {
    write_tag(field, wire_type::fixed64);
    append_le(v);
  }

  /// A length-delimited field; the bytes are copied.
  void bytes_field(std::uint32_t field, std::span<const std::byte> bytes) {
    write_tag(field, wire_type::length_delimited);
    write_varint(bytes.size());
    write_raw(bytes);
  }
  /// A length-delimited field whose bytes are referenced, not copied: they must
  /// stay alive and unchanged until this writer (and every writer it was added
  /// to) has been gathered with bytes() or write_to().
  void bytes_field_view(std::uint32_t field, std::span<const std::byte> bytes) {
    if (bytes.size() < min_view_bytes) return bytes_field(field, bytes);
    write_tag(field, wire_type::length_delimited);
    write_varint(bytes.size());
    views_.push_back({buf_.size(), bytes});
    view_bytes_ += bytes.size();
  }
  void string_field(std::uint32_t field, std::string_view s) {
    bytes_field(field, std::as_bytes(std::span<const char>(s.data(), s.size())));
  }
  /// An embedded message; `sub`'s small bytes are copied, its views stay views.
  void message_field(std::uint32_t field, const protobuf_writer& sub) {
    write_tag(field, wire_type::length_delimited);
    write_varint(sub.size());
    const std::size_t shift = buf_.size();
    for (const auto& v : sub.views_) views_.push_back({v.at + shift, v.bytes});
    view_bytes_ += sub.view_bytes_;
    buf_.insert(buf_.end(), sub.buf_.begin(), sub.buf_.end());
  }

  /// A packed repeated integer field (int32 values are sign-extended like int32_field).
  template <class T> void packed_varint_field(std::uint32_t field, std::span<const T> values) {
    static_assert(std::is_integral_v<T>);
    if (values.empty()) return; // an empty packed field is written as nothing
    protobuf_writer payload;
    for (T v : values) {
      if constexpr (std::is_signed_v<T>) payload.write_varint(static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
      else payload.write_varint(static_cast<std::uint64_t>(v));
    }
    write_tag(field, wire_type::length_delimited);
    write_varint(payload.buf_.size());
    write_raw(payload.buf_);
  }
  template <class T> void packed_varint_field(std::uint32_t field, const std::vector<T>& values) {
    packed_varint_field(field, std::span<const T>(values));
  }
  /// A packed repeated fixed-size field (float, double, fixed32, fixed64; little-endian).
  template <class T> void packed_fixed_field(std::uint32_t field, std::span<const T> values) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8);
    if (values.empty()) return;
    write_tag(field, wire_type::length_delimited);
    write_varint(values.size() * sizeof(T));
    write_raw(std::as_bytes(values));
  }
  template <class T> void packed_fixed_field(std::uint32_t field, const std::vector<T>& values) {
    packed_fixed_field(field, std::span<const T>(values));
  }

  // ---- result -------------------------------------------------------------------

  [[nodiscard]] std::uint64_t size() const { return buf_.size() + view_bytes_; }
  [[nodiscard]] bool empty() const { return size() == 0; }

  /// Calls f(std::span<const std::byte>) for each piece of the encoding, in order.
  template <class F> void for_each_chunk(F&& f) const {
    std::size_t done = 0;
    for (const auto& v : views_) {
      if (v.at > done) f(std::span<const std::byte>(buf_.data() + done, v.at - done));
      f(v.bytes);
      done = v.at;
    }
    if (buf_.size() > done) f(std::span<const std::byte>(buf_.data() + done, buf_.size() - done));
  }
  /// The whole encoding as one buffer.
  [[nodiscard]] std::vector<std::byte> bytes() const {
    std::vector<std::byte> out;
    out.reserve(static_cast<std::size_t>(size()));
    for_each_chunk([&](std::span<const std::byte> c) { out.insert(out.end(), c.begin(), c.end()); });
    return out;
  }
  /// Streams the encoding without gathering it in memory first.
  void write_to(std::ostream& os) const {
    for_each_chunk([&](std::span<const std::byte> c) {
      os.write(reinterpret_cast<const char*>(c.data()), static_cast<std::streamsize>(c.size()));
    });
  }
  void clear() {
    buf_.clear();
    views_.clear();
    view_bytes_ = 0;
  }

private:
  template <class T> void append_le(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::size_t old = buf_.size();
    buf_.resize(old + sizeof(T));
    std::memcpy(buf_.data() + old, &v, sizeof(T)); // hosts are little-endian (checked in protobuf_reader.hpp)
  }

  struct view {
    std::size_t at; ///< position in buf_ before which the view's bytes go
    std::span<const std::byte> bytes;
  };
  std::vector<std::byte> buf_;
  std::vector<view> views_;
  std::uint64_t view_bytes_ = 0;
};

} // namespace irforge::io
