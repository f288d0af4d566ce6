// irforge — element types of tensors, with their OpenVINO spellings.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "irforge/core/error.hpp"

namespace irforge {

enum class element_type : std::uint8_t {
  dynamic, ///< not known yet (IR "dynamic", precision "UNSPECIFIED")
  boolean,
  bf16,
  f16,
  f32,
  f64,
  i4,
  i8,
  i16,
  i32,
  i64,
  u1,
  u4,
  u8,
  u16,
  u32,
  u64,
};

namespace detail {
struct element_type_info {
  element_type type;
  std::string_view name;      ///< IR `element_type` spelling: "f32"
  std::string_view precision; ///< IR port `precision` spelling: "FP32"
  std::uint8_t bits;
  bool is_float;
  bool is_signed;
};

inline constexpr std::array<element_type_info, 17> element_types{{
    {element_type::dynamic, "dynamic", "UNSPECIFIED", 0, false, false},
    {element_type::boolean, "boolean", "BOOL", 8, false, false},
    {element_type::bf16, "bf16", "BF16", 16, true, true},
    {element_type::f16, "f16", "FP16", 16, true, true},
    {element_type::f32, "f32", "FP32", 32, true, true},
    {element_type::f64, "f64", "FP64", 64, true, true},
    {element_type::i4, "i4", "I4", 4, false, true},
    {element_type::i8, "i8", "I8", 8, false, true},
    {element_type::i16, "i16", "I16", 16, false, true},
    {element_type::i32, "i32", "I32", 32, false, true},
    {element_type::i64, "i64", "I64", 64, false, true},
    {element_type::u1, "u1", "BIN", 1, false, false},
    {element_type::u4, "u4", "U4", 4, false, false},
    {element_type::u8, "u8", "U8", 8, false, false},
    {element_type::u16, "u16", "U16", 16, false, false},
    {element_type::u32, "u32", "U32", 32, false, false},
    {element_type::u64, "u64", "U64", 64, false, false},
}};

constexpr const element_type_info& info(element_type t) {
  return element_types[static_cast<std::size_t>(t)];
}

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}
} // namespace detail

/// "f32", "i64", "boolean" ... as written in IR `element_type` attributes.
constexpr std::string_view to_string(element_type t) { return detail::info(t).name; }
/// "FP32", "I64", "BOOL" ... as written in IR port `precision` attributes.
constexpr std::string_view precision_name(element_type t) { return detail::info(t).precision; }
constexpr unsigned bit_width(element_type t) { return detail::info(t).bits; }
constexpr bool is_float(element_type t) { return detail::info(t).is_float; }
constexpr bool is_integral(element_type t) {
  return !is_float(t) && t != element_type::dynamic && t != element_type::boolean;
}
constexpr bool is_signed(element_type t) { return detail::info(t).is_signed; }

/// Bytes needed for `count` elements (sub-byte types are packed, rounded up).
constexpr std::uint64_t byte_size(element_type t, std::uint64_t count) {
  return (count * bit_width(t) + 7) / 8;
}

/// Parses either spelling ("f32" or "FP32", any case) and the aliases older
/// IR files and MO flags use ("float", "half", "bool", "U1").
inline std::optional<element_type> parse_element_type(std::string_view s) {
  for (const auto& e : detail::element_types)
    if (detail::iequals(s, e.name) || detail::iequals(s, e.precision)) return e.type;
  struct alias {
    std::string_view name;
    element_type type;
  };
  static constexpr alias aliases[] = {
      {"float", element_type::f32}, {"half", element_type::f16},   {"double", element_type::f64},
      {"bool", element_type::boolean}, {"undefined", element_type::dynamic}
  };
  for (const auto& a : aliases)
    if (detail::iequals(s, a.name)) return a.type;
  return std::nullopt;
}

/// Like parse_element_type, but an unknown spelling is an error.
inline element_type element_type_from_string(std::string_view s) {
  if (auto t = parse_element_type(s)) return *t;
  throw error("unknown element type '" + std::string(s) + "'");
}

/// The C++ type that stores one element of T (for the byte-addressable types).
template <element_type T> struct cpp_type_of;
template <> struct cpp_type_of<element_type::f32> { using type = float; };
template <> struct cpp_type_of<element_type::f64> { using type = double; };
template <> struct cpp_type_of<element_type::i8> { using type = std::int8_t; };
template <> struct cpp_type_of<element_type::i16> { using type = std::int16_t; };
template <> struct cpp_type_of<element_type::i32> { using type = std::int32_t; };
template <> struct cpp_type_of<element_type::i64> { using type = std::int64_t; };
template <> struct cpp_type_of<element_type::u8> { using type = std::uint8_t; };
template <> struct cpp_type_of<element_type::u16> { using type = std::uint16_t; };
template <> struct cpp_type_of<element_type::u32> { using type = std::uint32_t; };
template <> struct cpp_type_of<element_type::u64> { using type = std::uint64_t; };
template <> struct cpp_type_of<element_type::boolean> { using type = std::uint8_t; };
template <> struct cpp_type_of<element_type::f16> { using type = std::uint16_t; };  // raw bits
template <> struct cpp_type_of<element_type::bf16> { using type = std::uint16_t; }; // raw bits

/// The element type whose storage is the C++ type T.
template <class T> constexpr element_type element_type_of() {
  if constexpr (std::is_same_v<T, float>) return element_type::f32;
  else if constexpr (std::is_same_v<T, double>) return element_type::f64;
  else if constexpr (std::is_same_v<T, std::int8_t>) return element_type::i8;
  else if constexpr (std::is_same_v<T, std::int16_t>) return element_type::i16;
  else if constexpr (std::is_same_v<T, std::int32_t>) return element_type::i32;
  else if constexpr (std::is_same_v<T, std::int64_t>) return element_type::i64;
  else if constexpr (std::is_same_v<T, std::uint8_t>) return element_type::u8;
  else if constexpr (std::is_same_v<T, std::uint16_t>) return element_type::u16;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return element_type::u32;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return element_type::u64;
  else if constexpr (std::is_same_v<T, bool>) return element_type::boolean;
  else static_assert(sizeof(T) == 0, "irforge::element_type_of: no element type stores this C++ type");
}

} // namespace irforge
