// irforge — NumPy .npy files: read (zero-copy view of the mapped file) and write.
//
// Format: "\x93NUMPY", version (1.0, 2.0 or 3.0), a little-endian header
// length (2 or 4 bytes), then a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }
// padded with spaces and a newline, then the raw C-order data.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/io/mapped_file.hpp"

namespace irforge::io {

namespace detail {
struct npy_type {
  std::string_view descr;
  element_type type;
};
inline constexpr npy_type npy_types[] = {
    {"f4", element_type::f32}, {"f8", element_type::f64}, {"f2", element_type::f16}, {"i1", element_type::i8},
    {"i2", element_type::i16}, {"i4", element_type::i32}, {"i8", element_type::i64}, {"u1", element_type::u8},
    {"u2", element_type::u16}, {"u4", element_type::u32}, {"u8", element_type::u64}, {"b1", element_type::boolean},
};

inline std::string_view npy_value(std::string_view header, std::string_view key, const std::string& file) {
  const std::string quoted = "'" + std::string(key) + "'";
  auto at = header.find(quoted);
  if (at == std::string_view::npos) throw error("the .npy header has no " + quoted, in_file(file));
  at = header.find(':', at + quoted.size());
  if (at == std::string_view::npos) throw error("malformed .npy header", in_file(file));
  return header.substr(at + 1);
}
} // namespace detail

/// Parses a .npy image; the tensor views `bytes` and keeps `owner` alive.
inline tensor parse_npy(std::span<const std::byte> bytes, std::shared_ptr<const void> owner, const std::string& file) {
  auto fail = [&](const std::string& m) -> tensor { throw error(m, in_file(file)); };
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) return fail("not a .npy file (bad magic)");
  const auto major = static_cast<unsigned>(bytes[6]);
  std::size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<std::size_t>(bytes[8]) | (static_cast<std::size_t>(bytes[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return fail("truncated .npy header");
    for (int i = 3; i >= 0; --i) header_len = (header_len << 8) | static_cast<std::size_t>(bytes[8 + i]);
    header_start = 12;
  } else {
    return fail(".npy version " + std::to_string(major) + " is not supported");
  }
  if (header_len > bytes.size() - header_start) return fail("the .npy header runs past the end of the file");
  const std::string_view header(reinterpret_cast<const char*>(bytes.data()) + header_start, header_len);

  // descr: '<f4', '|u1', '<i8' ...
  auto descr = detail::npy_value(header, "descr", file);
  const auto q1 = descr.find('\'');
  const auto q2 = descr.find('\'', q1 + 1);
  if (q1 == std::string_view::npos || q2 == std::string_view::npos) return fail("malformed .npy descr");
  descr = descr.substr(q1 + 1, q2 - q1 - 1);
  if (descr.size() < 3) return fail("unsupported .npy dtype '" + std::string(descr) + "'");
  if (descr[0] == '>') return fail("big-endian .npy data (" + std::string(descr) + ") is not supported");
  element_type type = element_type::dynamic;
  for (const auto& t : detail::npy_types)
    if (descr.substr(1) == t.descr) type = t.type;
  if (type == element_type::dynamic) return fail("unsupported .npy dtype '" + std::string(descr) + "'");

  const auto fortran = detail::npy_value(header, "fortran_order", file);
  if (fortran.find("True") < fortran.find(',')) return fail("Fortran-ordered .npy arrays are not supported");

  auto shape_text = detail::npy_value(header, "shape", file);
  const auto open = shape_text.find('('), close = shape_text.find(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return fail("malformed .npy shape");
  shape dims;
  std::string_view inner = shape_text.substr(open + 1, close - open - 1);
  while (!inner.empty()) {
    const auto comma = inner.find(',');
    std::string_view item = inner.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      std::int64_t d = 0;
      for (char c : item) {
        if (c < '0' || c > '9' || d > (std::int64_t{1} << 50)) return fail("malformed .npy shape");
        d = d * 10 + (c - '0');
      }
      dims.push_back(d);
    }
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  const std::size_t data_start = header_start + header_len;
  const std::uint64_t need = byte_size(type, element_count(dims));
  if (bytes.size() - data_start != need)
    return fail("the .npy data has " + std::to_string(bytes.size() - data_start) + " bytes, " + std::string(to_string(type)) +
                partial_shape(dims).to_string() + " needs " + std::to_string(need));
  return tensor::view(type, dims, bytes.subspan(data_start), std::move(owner));
}

/// Reads a .npy file (a view of the mapped file).
inline tensor read_npy(const std::string& path) {
  const auto file = mapped_file::open(path);
  return parse_npy(file->bytes(), file, path);
}

/// The .npy image of a tensor (version 1.0, header padded to 64 bytes).
inline std::vector<std::byte> serialize_npy(const tensor& t) {
  std::string_view descr;
  for (const auto& e : detail::npy_types)
    if (e.type == t.type()) descr = e.descr;
  if (descr.empty()) throw error("element type " + std::string(to_string(t.type())) + " has no .npy dtype");
  std::string shape = "(";
  for (std::size_t i = 0; i < t.dims().size(); ++i) {
    shape += std::to_string(t.dims()[i]);
    shape += (t.dims().size() == 1 || i + 1 < t.dims().size()) ? "," : "";
    if (i + 1 < t.dims().size()) shape += " ";
  }
  shape += ")";
  const char order = (descr == "u1" || descr == "i1" || descr == "b1") ? '|' : '<';
  std::string header = "{'descr': '";
  header += order;
  header += descr;
  header += "', 'fortran_order': False, 'shape': " + shape + ", }";
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<std::byte> out(10 + header.size() + t.bytes().size());
  std::memcpy(out.data(), "\x93NUMPY\x01\x00", 8);
  out[8] = static_cast<std::byte>(header.size() & 0xff);
  out[9] = static_cast<std::byte>(header.size() >> 8);
  std::memcpy(out.data() + 10, header.data(), header.size());
  if (!t.bytes().empty()) std::memcpy(out.data() + 10 + header.size(), t.bytes().data(), t.bytes().size());
  return out;
}

inline void write_npy(const std::string& path, const tensor& t) {
  const auto bytes = serialize_npy(t);
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw error(std::string("cannot create file: ") + std::strerror(errno), in_file(path));
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw error("cannot write file", in_file(path));
  }
}

} // namespace irforge::io
