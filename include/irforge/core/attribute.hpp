// irforge — attribute values: their IR text form, both ways.
//
// Op attributes are plain struct members (reflected with Boost.Hana); this
// header says how each member type is written into an IR `<data>` element and
// read back. Everything version-specific about spelling lives here:
//   int lists and Const shapes: "1, 2, 3" (the C++ serializer's ", ")
//   scalar floats: %.17g of the double (as OpenVINO writes them)
//   float lists: the shortest text that reads back to the same float (OpenVINO
//     prints 6 significant digits and so loses precision; we keep it exact)
//   bool: "true"/"false" (reads "True"/"False"/"1"/"0" from older files too)
//   enums: the spelling given by their enum_strings specialisation
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"

namespace irforge {

/// Specialise for an enum used as an op attribute:
///   template <> struct enum_strings<pad_type> {
///     static constexpr std::array<std::pair<pad_type, std::string_view>, 2> values{{...}}; };
template <class E> struct enum_strings;

template <class E>
concept described_enum = std::is_enum_v<E> && requires { enum_strings<E>::values; };

namespace attr {

namespace detail {
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// Splits "a, b,c" on commas (an empty or blank string gives no items).
inline std::vector<std::string_view> split_list(std::string_view s) {
  std::vector<std::string_view> out;
  s = trim(s);
  if (s.empty()) return out;
  while (true) {
    const auto comma = s.find(',');
    out.push_back(trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

[[noreturn]] inline void bad_value(std::string_view text, std::string_view what) {
  throw error("cannot read '" + std::string(text) + "' as " + std::string(what));
}

inline std::int64_t parse_int(std::string_view s) {
  s = trim(s);
  std::int64_t v = 0;
  const char* first = s.data();
  if (!s.empty() && s.front() == '+') ++first;
  auto [p, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) bad_value(s, "an integer");
  return v;
}

inline double parse_double(std::string_view s) {
  s = trim(s);
  double v = 0;
  const char* first = s.data();
  if (!s.empty() && s.front() == '+') ++first;
  auto [p, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) return v; // denormal or huge: from_chars already rounded
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) bad_value(s, "a number");
  return v;
}

template <class F> std::string shortest(F v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}
} // namespace detail

// ---- format: value -> IR text --------------------------------------------------

inline std::string format(bool v) { return v ? "true" : "false"; }
inline std::string format(std::int64_t v) { return std::to_string(v); }
inline std::string format(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
inline std::string format(float v) { return format(static_cast<double>(v)); }
inline std::string format(const std::string& v) { return v; }
inline std::string format(element_type v) { return std::string(to_string(v)); }
inline std::string format(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) { if (i) s += ", "; s += std::to_string(v[i]); }
  return s;
}
inline std::string format(const std::vector<float>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) { if (i) s += ", "; s += detail::shortest(v[i]); }
  return s;
}
inline std::string format(const std::vector<double>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) { if (i) s += ", "; s += detail::shortest(v[i]); }
  return s;
}
inline std::string format(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) { if (i) s += ", "; s += v[i]; }
  return s;
}
/// Parameter shape spelling: "1,3,?,224", ranges "1..10", scalar "", dynamic rank "...".
inline std::string format(const partial_shape& v) {
  if (!v.rank_is_static()) return "...";
  std::string s;
  for (std::size_t i = 0; i < v.dims().size(); ++i) { if (i) s += ","; s += v.dims()[i].to_string(); }
  return s;
}
template <described_enum E> std::string format(E v) {
  for (const auto& [value, name] : enum_strings<E>::values)
    if (value == v) return std::string(name);
  throw error("enum value without a spelling");
}

// ---- parse: IR text -> value -----------------------------------------------------

inline void parse(std::string_view s, bool& v) {
  s = detail::trim(s);
  if (::irforge::detail::iequals(s, "true") || s == "1") v = true;
  else if (::irforge::detail::iequals(s, "false") || s == "0") v = false;
  else detail::bad_value(s, "a boolean");
}
inline void parse(std::string_view s, std::int64_t& v) { v = detail::parse_int(s); }
inline void parse(std::string_view s, double& v) { v = detail::parse_double(s); }
inline void parse(std::string_view s, float& v) { v = static_cast<float>(detail::parse_double(s)); }
inline void parse(std::string_view s, std::string& v) { v = std::string(s); }
inline void parse(std::string_view s, element_type& v) {
  auto t = parse_element_type(detail::trim(s));
  if (!t) detail::bad_value(s, "an element type");
  v = *t;
}
inline void parse(std::string_view s, std::vector<std::int64_t>& v) {
  v.clear();
  for (auto item : detail::split_list(s)) v.push_back(detail::parse_int(item));
}
inline void parse(std::string_view s, std::vector<float>& v) {
  v.clear();
  for (auto item : detail::split_list(s)) v.push_back(static_cast<float>(detail::parse_double(item)));
}
inline void parse(std::string_view s, std::vector<double>& v) {
  v.clear();
  for (auto item : detail::split_list(s)) v.push_back(detail::parse_double(item));
}
inline void parse(std::string_view s, std::vector<std::string>& v) {
  v.clear();
  for (auto item : detail::split_list(s)) v.emplace_back(item);
}
inline void parse(std::string_view s, partial_shape& v) {
  s = detail::trim(s);
  if (s == "..." || s == "[...]") {
    v = partial_shape::dynamic_rank();
    return;
  }
  if (s.size() >= 2 && (s.front() == '[' || s.front() == '(')) s = s.substr(1, s.size() - 2);
  std::vector<dimension> dims;
  for (auto item : detail::split_list(s)) {
    if (item == "?" || item == "-1") {
      dims.emplace_back();
    } else if (auto dots = item.find(".."); dots != std::string_view::npos) {
      const auto lo = detail::trim(item.substr(0, dots)), hi = detail::trim(item.substr(dots + 2));
      dims.emplace_back(lo.empty() ? 0 : detail::parse_int(lo), hi.empty() ? dimension::unbounded : detail::parse_int(hi));
    } else {
      const auto d = detail::parse_int(item);
      if (d < -1) detail::bad_value(item, "a dimension");
      dims.emplace_back(d);
    }
  }
  v = partial_shape(std::move(dims));
}
template <described_enum E> void parse(std::string_view s, E& v) {
  s = detail::trim(s);
  for (const auto& [value, name] : enum_strings<E>::values)
    if (::irforge::detail::iequals(name, s)) {
      v = value;
      return;
    }
  std::string expected;
  for (const auto& [value, name] : enum_strings<E>::values) {
    if (!expected.empty()) expected += ", ";
    expected += name;
  }
  throw error("'" + std::string(s) + "' is not one of: " + expected);
}

/// True when the member type T has an IR text form.
template <class T>
concept formattable = requires(const T& v, T& w, std::string_view s) {
  { format(v) } -> std::convertible_to<std::string>;
  parse(s, w);
};

} // namespace attr
} // namespace irforge
