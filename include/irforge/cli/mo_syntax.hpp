// irforge — Model Optimizer's value grammars for --input, --output,
// --input_shape, --mean_values / --scale_values and --layout:
//
//   --input         ITEM(,ITEM)*   ITEM := [PORT:]NAME[:PORT][SHAPE]['{'TYPE'}']['->'VALUE]
//   --output        NAME | NAME:PORT | PORT:NAME, comma-separated
//   --input_shape   [1,3,224,224],(1,?,-1,1..10)     dims: int, -1, ?, a..b, ..b, a..
//   --mean_values   data[123,117,104],other(1,2,3) or [123,117,104],[1,2,3] (unnamed: --input order)
//   --layout        nchw | [n,c,h,w] | data(nchw),seg(nc) | data[n,h,w,c]->[n,c,h,w] | data(nhwc->nchw)
//
// Commas split items only outside brackets, so `data[1,3,224,224]` is one
// item (OpenVINO 2023 behaviour); shapes and values accept spaces or commas.
// Names are kept as written: whether "conv:0" is a tensor called "conv:0" or
// output 0 of node "conv" is decided against the graph (passes/cut_model.hpp).
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"

namespace irforge::cli {

/// One --input item.
struct input_item {
  std::string name;                   ///< as written, ports included ("0:conv", "conv:1", "data")
  std::optional<partial_shape> shape; ///< [..] or (..)
  std::optional<element_type> type;   ///< {f32}
  std::optional<std::vector<double>> value; ///< ->[1 2 3] or ->5 (frozen into a constant)
};

/// A name with per-input numbers: mean/scale values.
struct named_values {
  std::string name; ///< empty when unnamed (then: the inputs in order)
  std::vector<double> values;
};

/// A layout for one input (or the only one), optionally "source->target".
struct named_layout {
  std::string name;
  std::string source; ///< e.g. "NCHW", "N...C", "NC?" (upper case)
  std::string target; ///< empty unless "a->b"
};

namespace detail {

inline std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

/// Splits on `sep` outside (), [] and {}; an unbalanced bracket is an error.
inline std::vector<std::string> split_outside_brackets(std::string_view text, char sep, std::string_view flag) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '[' || c == '(' || c == '{') ++depth;
    if (c == ']' || c == ')' || c == '}') {
      if (--depth < 0) throw error("argument --" + std::string(flag) + ": unbalanced '" + std::string(1, c) + "' in '" + std::string(text) + "'");
    }
    if (c == sep && depth == 0) {
      parts.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (depth != 0) throw error("argument --" + std::string(flag) + ": unclosed bracket in '" + std::string(text) + "'");
  parts.push_back(trim(current));
  return parts;
}

/// The tokens of "1 2 3", "1,2,3" or "1, 2, 3".
inline std::vector<std::string> list_tokens(std::string_view body) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : body) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

inline std::int64_t parse_int(const std::string& s, std::string_view flag, std::string_view whole) {
  std::int64_t v = 0;
  try {
    attr::parse(s, v);
  } catch (const error&) {
    throw error("argument --" + std::string(flag) + ": '" + s + "' is not an integer (in '" + std::string(whole) + "')");
  }
  return v;
}

inline double parse_number(const std::string& s, std::string_view flag, std::string_view whole) {
  if (s == "True" || s == "true") return 1;
  if (s == "False" || s == "false") return 0;
  double v = 0;
  try {
    attr::parse(s, v);
  } catch (const error&) {
    throw error("argument --" + std::string(flag) + ": '" + s + "' is not a number (in '" + std::string(whole) + "')");
  }
  return v;
}

/// If `text` ends with a bracketed group opened by `open`/`close`, removes and returns its body.
inline std::optional<std::string> take_trailing_group(std::string& text, char open, char close) {
  if (text.empty() || text.back() != close) return std::nullopt;
  int depth = 0;
  for (std::size_t i = text.size(); i-- > 0;) {
    if (text[i] == close) ++depth;
    if (text[i] == open && --depth == 0) {
      std::string body = text.substr(i + 1, text.size() - i - 2);
      text.erase(i);
      return body;
    }
  }
  return std::nullopt;
}

} // namespace detail

/// A dimension: 5, -1, ?, 1..10, ..10, 1..
inline dimension parse_dimension(const std::string& token, std::string_view flag = "input_shape",
                                 std::string_view whole = {}) {
  if (token == "?" || token == "-1") return dimension::dynamic();
  if (const auto dots = token.find(".."); dots != std::string::npos) {
    const std::string lo = token.substr(0, dots), hi = token.substr(dots + 2);
    const std::int64_t min = lo.empty() ? 0 : detail::parse_int(lo, flag, whole);
    const std::int64_t max = hi.empty() ? -1 : detail::parse_int(hi, flag, whole);
    if (min < 0 || (max != -1 && max < min))
      throw error("argument --" + std::string(flag) + ": bad dimension range '" + token + "'");
    return {min, max};
  }
  const std::int64_t v = detail::parse_int(token, flag, whole);
  if (v < 0) throw error("argument --" + std::string(flag) + ": negative dimension " + token + " (use -1 or ? for dynamic)");
  return dimension(v);
}

/// The body of a shape group: "1,3,224,224" or "1 3 224 224"; "" is a scalar.
inline partial_shape parse_shape_body(std::string_view body, std::string_view flag = "input_shape") {
  std::vector<dimension> dims;
  for (const auto& t : detail::list_tokens(body)) dims.push_back(parse_dimension(t, flag, body));
  return partial_shape(std::move(dims));
}

/// --input_shape: "[1,3,224,224]" or "(1,3,224,224),[2,5]".
inline std::vector<partial_shape> parse_input_shapes(std::string_view text) {
  std::vector<partial_shape> shapes;
  for (auto part : detail::split_outside_brackets(text, ',', "input_shape")) {
    if (part.size() < 2 || !((part.front() == '[' && part.back() == ']') || (part.front() == '(' && part.back() == ')')))
      throw error("argument --input_shape: '" + part + "' is not a shape like [1,3,224,224] or (1,3,224,224)");
    shapes.push_back(parse_shape_body(std::string_view(part).substr(1, part.size() - 2)));
  }
  return shapes;
}

/// --input: every item with its shape, type and frozen value.
inline std::vector<input_item> parse_input_items(std::string_view text) {
  std::vector<input_item> items;
  for (auto part : detail::split_outside_brackets(text, ',', "input")) {
    if (part.empty()) throw error("argument --input: empty item in '" + std::string(text) + "'");
    input_item item;
    if (const auto arrow = part.find("->"); arrow != std::string::npos) {
      std::string value = detail::trim(std::string_view(part).substr(arrow + 2));
      part = detail::trim(std::string_view(part).substr(0, arrow));
      if (value.size() >= 2 && value.front() == '[' && value.back() == ']') value = value.substr(1, value.size() - 2);
      std::vector<double> values;
      for (const auto& t : detail::list_tokens(value)) values.push_back(detail::parse_number(t, "input", text));
      if (values.empty()) throw error("argument --input: no value after '->' in '" + part + "'");
      item.value = std::move(values);
    }
    if (auto type = detail::take_trailing_group(part, '{', '}')) {
      const auto t = parse_element_type(detail::trim(*type));
      if (!t) throw error("argument --input: unknown element type '" + *type + "' (f32, f16, i64, i32, u8, boolean, ...)");
      item.type = *t;
    }
    if (auto body = detail::take_trailing_group(part, '[', ']')) item.shape = parse_shape_body(*body, "input");
    else if (auto round = detail::take_trailing_group(part, '(', ')')) item.shape = parse_shape_body(*round, "input");
    item.name = detail::trim(part);
    if (item.name.empty()) throw error("argument --input: an item has no name in '" + std::string(text) + "'");
    items.push_back(std::move(item));
  }
  return items;
}

/// --output: the names as written.
inline std::vector<std::string> parse_output_names(std::string_view text) {
  auto names = detail::split_outside_brackets(text, ',', "output");
  for (const auto& n : names)
    if (n.empty()) throw error("argument --output: empty item in '" + std::string(text) + "'");
  return names;
}

/// --mean_values / --scale_values: "data[1,2,3],x(4,5,6)" or "[1,2,3],[4,5,6]"; naming all or none.
inline std::vector<named_values> parse_named_values(std::string_view text, std::string_view flag) {
  std::vector<named_values> out;
  for (auto part : detail::split_outside_brackets(text, ',', flag)) {
    std::optional<std::string> body = detail::take_trailing_group(part, '[', ']');
    if (!body) body = detail::take_trailing_group(part, '(', ')');
    if (!body) throw error("argument --" + std::string(flag) + ": '" + part + "' is not like data[123,117,104] or [123,117,104]");
    named_values v{detail::trim(part), {}};
    for (const auto& t : detail::list_tokens(*body)) v.values.push_back(detail::parse_number(t, flag, text));
    if (v.values.empty()) throw error("argument --" + std::string(flag) + ": no values in '" + std::string(text) + "'");
    out.push_back(std::move(v));
  }
  bool named = false, unnamed = false;
  for (const auto& v : out) (v.name.empty() ? unnamed : named) = true;
  if (named && unnamed)
    throw error("argument --" + std::string(flag) + ": name every input or none (got '" + std::string(text) + "')");
  return out;
}

namespace detail {
/// "nchw" / "[n,c,h,w]" / "n...c" -> "NCHW" / "NCHW" / "N...C".
inline std::string layout_letters(std::string text, std::string_view flag) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    std::string s;
    for (const auto& t : list_tokens(text.substr(1, text.size() - 2))) s += t;
    text = s;
  }
  std::string s;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else if (c == '?' || c == '.') s += c;
    else throw error("argument --" + std::string(flag) + ": bad layout '" + text + "' (like nchw or [n,c,h,w])");
  }
  if (s.empty()) throw error("argument --" + std::string(flag) + ": empty layout");
  return s;
}
} // namespace detail

/// --layout / --source_layout / --target_layout.
inline std::vector<named_layout> parse_layouts(std::string_view text, std::string_view flag) {
  std::vector<named_layout> out;
  for (auto part : detail::split_outside_brackets(text, ',', flag)) {
    named_layout l;
    std::string body;
    // name(nchw) or name[n,c,h,w] or name(nhwc->nchw) or name[n,h,w,c]->[n,c,h,w]; bare for one input.
    std::string target_text;
    if (const auto arrow = part.find("->"); arrow != std::string::npos && part.back() == ']' && part[arrow - 1] == ']') {
      target_text = part.substr(arrow + 2);
      part = part.substr(0, arrow);
    }
    if (auto g = detail::take_trailing_group(part, '(', ')')) {
      l.name = detail::trim(part);
      body = *g;
    } else if (part.find('[') != std::string::npos && part.front() != '[') {
      auto sq = detail::take_trailing_group(part, '[', ']');
      l.name = detail::trim(part);
      body = "[" + sq.value_or("") + "]";
    } else {
      body = part;
    }
    if (const auto arrow = body.find("->"); arrow != std::string::npos) {
      target_text = body.substr(arrow + 2);
      body = body.substr(0, arrow);
    }
    l.source = detail::layout_letters(body, flag);
    if (!target_text.empty()) l.target = detail::layout_letters(target_text, flag);
    out.push_back(std::move(l));
  }
  return out;
}

} // namespace irforge::cli
