// irforge — the protobuf text format (.prototxt) parsed into a generic message
// tree, without a schema.
//
// A Caffe .prototxt is a NetParameter in protobuf's text format. The parser
// knows no field numbers or types: it keeps every field by name, in file
// order, with its line and column, and converts a value only when a mapping
// asks for it (`integer`, `number`, `boolean`, `string`, `enumeration`), so a
// layer type from a Caffe fork (PriorBox, Interp, ...) needs no schema either.
// Syntax: `name: value`, `name { ... }` / `name: { ... }` / `name < ... >`,
// `name: [v, v]` lists, strings in '...' or "..." with C escapes (adjacent
// strings concatenate), numbers (decimal, hex, octal, floats with exponents
// and an `f` suffix, inf, nan, a leading '-'), enum identifiers, `#` comments,
// optional ',' or ';' after a field, `[extension.name]` field names. Every
// error names the file, line and column.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/io/mapped_file.hpp"

namespace irforge::caffe {

/// What a field holds.
enum class text_kind : std::uint8_t { number, identifier, string, message };

/// One field occurrence. A message is a field of kind `message` (the root is
/// an unnamed one); repeated fields are simply several occurrences.
struct text_field {
  std::string name;
  text_kind kind = text_kind::message;
  /// number/identifier: the token as written (with its leading '-', if any);
  /// string: the decoded bytes.
  std::string value;
  std::vector<text_field> fields; ///< kind == message: the fields, in file order
  std::uint32_t line = 0;         ///< 1-based position of the field's name
  std::uint32_t column = 0;
};

/// A parsed text file: the root message and the file name used in messages.
struct text_document {
  std::string file;
  text_field root;
};

namespace detail {

[[noreturn]] inline void fail_at(const std::string& file, std::uint32_t line, std::uint32_t column,
                                 const std::string& message) {
  throw error("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message, in_file(file));
}

inline bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// How a number token is spelled.
enum class number_syntax { integer, floating, invalid };

/// Classifies an unsigned number token (no sign): decimal/hex/octal integers,
/// or floats with '.', an exponent and/or an 'f' suffix.
inline number_syntax classify_number(std::string_view t) {
  if (t.empty()) return number_syntax::invalid;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    for (std::size_t i = 2; i < t.size(); ++i)
      if (hex_value(t[i]) < 0) return number_syntax::invalid;
    return number_syntax::integer;
  }
  std::size_t i = 0, digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  bool floating = false;
  if (i < t.size() && t[i] == '.') {
    floating = true;
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  }
  if (digits == 0) return number_syntax::invalid;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    floating = true;
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return number_syntax::invalid;
  }
  if (i < t.size() && (t[i] == 'f' || t[i] == 'F')) {
    floating = true;
    ++i;
  }
  if (i != t.size()) return number_syntax::invalid;
  if (!floating && t.size() > 1 && t[0] == '0') // octal
    for (char c : t)
      if (c > '7') return number_syntax::invalid;
  return floating ? number_syntax::floating : number_syntax::integer;
}

/// Magnitude of an integer token (decimal, 0x hex, 0 octal); nullopt-free: false on overflow.
inline bool parse_unsigned(std::string_view t, std::uint64_t& out) {
  unsigned base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  } else if (t.size() > 1 && t[0] == '0') {
    base = 8;
    t.remove_prefix(1);
  }
  std::uint64_t v = 0;
  for (char c : t) {
    const auto d = static_cast<std::uint64_t>(hex_value(c));
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

/// Appends code point `cp` as UTF-8.
inline void append_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class text_parser {
public:
  static constexpr int max_depth = 100;

  text_parser(std::string_view text, const std::string& file) : s_(text), file_(file) {}

  text_field parse() {
    text_field root;
    root.line = 1;
    root.column = 1;
    parse_fields(root, '\0', 0);
    return root;
  }

private:
  enum class tok { end, identifier, number, string, symbol };
  struct token {
    tok kind = tok::end;
    std::string_view text;
    std::uint32_t line = 0, column = 0;
  };

  [[noreturn]] void fail(const token& t, const std::string& message) const {
    fail_at(file_, t.line, t.column, message);
  }
  [[noreturn]] void fail_here(const std::string& message) const { fail_at(file_, line_, column(), message); }
  std::uint32_t column() const { return static_cast<std::uint32_t>(pos_ - line_start_ + 1); }

  static std::string describe(const token& t) {
    switch (t.kind) {
    case tok::end: return "the end of the file";
    case tok::string: return "a string";
    default: return "'" + std::string(t.text) + "'";
    }
  }

  void advance_char() {
    if (s_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }

  void skip_space() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance_char();
      } else {
        return;
      }
    }
  }

  // Reads the next token (strings are returned raw, quotes included; decoded later).
  token next() {
    skip_space();
    token t;
    t.line = line_;
    t.column = column();
    if (pos_ >= s_.size()) return t;
    const std::size_t start = pos_;
    const char c = s_[pos_];
    if (is_ident_start(c)) {
      while (pos_ < s_.size() && is_ident_char(s_[pos_])) ++pos_;
      t.kind = tok::identifier;
    } else if (is_digit(c) || (c == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]))) {
      const bool hex = c == '0' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == 'x' || s_[pos_ + 1] == 'X');
      while (pos_ < s_.size()) {
        const char d = s_[pos_];
        if (is_ident_char(d) || d == '.') {
          ++pos_;
        } else if ((d == '+' || d == '-') && !hex && (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E')) {
          ++pos_;
        } else {
          break;
        }
      }
      t.kind = tok::number;
      t.text = s_.substr(start, pos_ - start);
      if (classify_number(t.text) == number_syntax::invalid) fail(t, "invalid number '" + std::string(t.text) + "'");
      return t;
    } else if (c == '"' || c == '\'') {
      ++pos_;
      while (true) {
        if (pos_ >= s_.size() || s_[pos_] == '\n') fail(t, "unterminated string");
        if (s_[pos_] == '\\') {
          ++pos_;
          if (pos_ >= s_.size() || s_[pos_] == '\n') fail(t, "unterminated string");
          ++pos_;
          continue;
        }
        if (s_[pos_] == c) {
          ++pos_;
          break;
        }
        ++pos_;
      }
      t.kind = tok::string;
    } else {
      ++pos_;
      t.kind = tok::symbol;
    }
    t.text = s_.substr(start, pos_ - start);
    return t;
  }

  token peek() {
    const auto saved_pos = pos_;
    const auto saved_line = line_;
    const auto saved_start = line_start_;
    token t = next();
    pos_ = saved_pos;
    line_ = saved_line;
    line_start_ = saved_start;
    return t;
  }

  bool try_symbol(char c) {
    const token t = peek();
    if (t.kind == tok::symbol && t.text[0] == c) {
      (void)next();
      return true;
    }
    return false;
  }

  // Decodes a quoted string token (escapes as in C and protobuf).
  std::string decode(const token& t) const {
    std::string out;
    const std::string_view body = t.text.substr(1, t.text.size() - 2);
    for (std::size_t i = 0; i < body.size(); ++i) {
      const char c = body[i];
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = body[++i]; // the tokenizer guarantees a character after '\'
      const auto col = static_cast<std::uint32_t>(t.column + i); // of the backslash
      switch (e) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case '?': out += '?'; break;
      case 'x':
      case 'X': {
        unsigned v = 0, n = 0;
        while (n < 2 && i + 1 < body.size() && hex_value(body[i + 1]) >= 0) v = v * 16 + static_cast<unsigned>(hex_value(body[++i])), ++n;
        if (n == 0) fail_at(file_, t.line, col, "\\x escape without hex digits");
        out += static_cast<char>(v);
        break;
      }
      case 'u':
      case 'U': {
        const unsigned want = e == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        for (unsigned n = 0; n < want; ++n) {
          if (i + 1 >= body.size() || hex_value(body[i + 1]) < 0)
            fail_at(file_, t.line, col, "\\" + std::string(1, e) + " escape needs " + std::to_string(want) + " hex digits");
          cp = cp * 16 + static_cast<std::uint32_t>(hex_value(body[++i]));
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail_at(file_, t.line, col, "invalid Unicode code point in escape");
        append_utf8(out, cp);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          unsigned v = static_cast<unsigned>(e - '0'), n = 1;
          while (n < 3 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7')
            v = v * 8 + static_cast<unsigned>(body[++i] - '0'), ++n;
          if (v > 255) fail_at(file_, t.line, col, "octal escape out of range");
          out += static_cast<char>(v);
          break;
        }
        fail_at(file_, t.line, col, "invalid escape '\\" + std::string(1, e) + "' in string");
      }
    }
    return out;
  }

  // Fields until `close` ('}' or '>'), or the end of the file for the root.
  void parse_fields(text_field& msg, char close, int depth) {
    if (depth > max_depth) fail_here("messages nested more than " + std::to_string(max_depth) + " deep");
    while (true) {
      const token t = next();
      if (t.kind == tok::end) {
        if (close != '\0') fail(t, "expected '" + std::string(1, close) + "' before the end of the file");
        return;
      }
      if (t.kind == tok::symbol && close != '\0' && t.text[0] == close) return;
      text_field f;
      f.line = t.line;
      f.column = t.column;
      if (t.kind == tok::identifier) {
        f.name = std::string(t.text);
      } else if (t.kind == tok::symbol && t.text[0] == '[') {
        // An extension or Any type name: [pkg.name] or [type.googleapis.com/pkg.Name].
        std::string name = "[";
        while (true) {
          const token p = next();
          if (p.kind == tok::end) fail(p, "unterminated extension name");
          if (p.kind == tok::symbol && p.text[0] == ']') break;
          if (p.kind == tok::string) fail(p, "unexpected string in an extension name");
          name += p.text;
        }
        f.name = name + "]";
      } else {
        fail(t, "expected a field name, found " + describe(t));
      }
      parse_value(std::move(f), msg.fields, depth);
      // A field may be followed by one separator.
      if (!try_symbol(';')) (void)try_symbol(',');
    }
  }

  // The value of field `f`; pushes the field onto `out` (a list pushes one
  // field per item: `name: [a, b]` is `name: a name: b`).
  void parse_value(text_field f, std::vector<text_field>& out, int depth) {
    const bool colon = try_symbol(':');
    const token t = peek();
    if (t.kind == tok::symbol && (t.text[0] == '{' || t.text[0] == '<')) {
      (void)next();
      f.kind = text_kind::message;
      parse_fields(f, t.text[0] == '{' ? '}' : '>', depth + 1);
      out.push_back(std::move(f));
      return;
    }
    if (!colon) fail(t, "expected ':' or '{' after field name '" + f.name + "', found " + describe(t));
    if (t.kind == tok::symbol && t.text[0] == '[') {
      (void)next();
      if (try_symbol(']')) return; // an empty list sets nothing
      while (true) {
        text_field item;
        item.name = f.name;
        const token at = peek();
        item.line = at.line;
        item.column = at.column;
        if (at.kind == tok::symbol && (at.text[0] == '{' || at.text[0] == '<')) {
          (void)next();
          item.kind = text_kind::message;
          parse_fields(item, at.text[0] == '{' ? '}' : '>', depth + 1);
        } else {
          parse_scalar(item);
        }
        out.push_back(std::move(item));
        if (try_symbol(']')) return;
        const token sep = next();
        if (!(sep.kind == tok::symbol && sep.text[0] == ','))
          fail(sep, "expected ',' or ']' in the list of '" + f.name + "', found " + describe(sep));
      }
    }
    parse_scalar(f);
    out.push_back(std::move(f));
  }

  void parse_scalar(text_field& f) {
    token t = next();
    std::string sign;
    if (t.kind == tok::symbol && t.text[0] == '-') {
      sign = "-";
      t = next();
      if (t.kind != tok::number && t.kind != tok::identifier)
        fail(t, "expected a number after '-', found " + describe(t));
    }
    switch (t.kind) {
    case tok::number:
      f.kind = text_kind::number;
      f.value = sign + std::string(t.text);
      return;
    case tok::identifier:
      f.kind = text_kind::identifier;
      f.value = sign + std::string(t.text);
      if (!sign.empty() && !is_special_float(t.text))
        fail(t, "'-" + std::string(t.text) + "' is not a number (only inf and nan may follow '-')");
      return;
    case tok::string: {
      f.kind = text_kind::string;
      f.value = decode(t);
      // Adjacent strings concatenate.
      while (peek().kind == tok::string) f.value += decode(next());
      return;
    }
    default: fail(t, "expected a value for field '" + f.name + "', found " + describe(t));
    }
  }

public:
  static bool is_special_float(std::string_view s) {
    return irforge::detail::iequals(s, "inf") || irforge::detail::iequals(s, "infinity") ||
           irforge::detail::iequals(s, "nan");
  }

private:
  std::string_view s_;
  const std::string& file_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
};

} // namespace detail

/// A double as float: values beyond float's range become infinities (as
/// protobuf's own parser does) instead of an undefined conversion.
inline float to_f32(double v) {
  if (std::isfinite(v) && std::fabs(v) > static_cast<double>(std::numeric_limits<float>::max()))
    return v > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
  return static_cast<float>(v);
}

/// Parses protobuf text. `file` names the source in error messages.
inline text_document parse_text(std::string_view text, std::string file = "<text>") {
  text_document d;
  d.file = std::move(file);
  d.root = detail::text_parser(text, d.file).parse();
  return d;
}

/// Reads and parses a text file.
inline text_document load_text(const std::string& path) {
  const auto f = io::mapped_file::open(path);
  const auto b = f->bytes();
  return parse_text(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), path);
}

/// A read-only view of a message of a text_document, with typed accessors.
/// An absent message is an empty view: every lookup gives the fallback.
/// Repeated occurrences of a singular field: the last one wins (as protobuf merges).
class message_view {
public:
  message_view() = default;
  message_view(const text_field* f, const std::string* file) : f_(f), file_(file) {}

  [[nodiscard]] bool empty() const { return f_ == nullptr; }
  [[nodiscard]] const text_field* field() const { return f_; }
  [[nodiscard]] const std::string& file() const {
    static const std::string none;
    return file_ ? *file_ : none;
  }
  [[nodiscard]] std::uint32_t line() const { return f_ ? f_->line : 0; }
  [[nodiscard]] std::uint32_t column() const { return f_ ? f_->column : 0; }
  [[nodiscard]] std::span<const text_field> fields() const {
    return f_ ? std::span<const text_field>(f_->fields) : std::span<const text_field>();
  }

  [[nodiscard]] bool has(std::string_view name) const { return last(name) != nullptr; }
  [[nodiscard]] std::size_t count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& x : fields()) n += x.name == name;
    return n;
  }
  [[nodiscard]] const text_field* last(std::string_view name) const {
    const text_field* found = nullptr;
    for (const auto& x : fields())
      if (x.name == name) found = &x;
    return found;
  }
  [[nodiscard]] std::vector<const text_field*> all(std::string_view name) const {
    std::vector<const text_field*> out;
    for (const auto& x : fields())
      if (x.name == name) out.push_back(&x);
    return out;
  }

  /// The sub-message `name` (empty view if absent); an error if it is a scalar.
  [[nodiscard]] message_view message(std::string_view name) const {
    const text_field* x = last(name);
    if (!x) return {};
    require(*x, text_kind::message, "a message");
    return {x, file_};
  }
  [[nodiscard]] std::vector<message_view> messages(std::string_view name) const {
    std::vector<message_view> out;
    for (const text_field* x : all(name)) {
      require(*x, text_kind::message, "a message");
      out.emplace_back(x, file_);
    }
    return out;
  }

  [[nodiscard]] std::int64_t integer(std::string_view name, std::int64_t fallback) const {
    const text_field* x = last(name);
    return x ? to_integer(*x) : fallback;
  }
  [[nodiscard]] double number(std::string_view name, double fallback) const {
    const text_field* x = last(name);
    return x ? to_number(*x) : fallback;
  }
  /// A float field (float-typed in caffe.proto): the number rounded to float.
  [[nodiscard]] float number_f32(std::string_view name, float fallback) const {
    const text_field* x = last(name);
    return x ? to_f32(to_number(*x)) : fallback;
  }
  [[nodiscard]] bool boolean(std::string_view name, bool fallback) const {
    const text_field* x = last(name);
    return x ? to_boolean(*x) : fallback;
  }
  [[nodiscard]] std::string string(std::string_view name, std::string fallback = {}) const {
    const text_field* x = last(name);
    if (!x) return fallback;
    require(*x, text_kind::string, "a string");
    return x->value;
  }
  /// An enum value as its identifier. A number is translated through
  /// `by_number` (index = enum number; "" = no such value), so both
  /// `pool: AVE` and `pool: 1` give "AVE".
  [[nodiscard]] std::string enumeration(std::string_view name, std::string fallback,
                                        std::span<const std::string_view> by_number = {}) const {
    const text_field* x = last(name);
    return x ? to_enum(*x, by_number) : fallback;
  }

  [[nodiscard]] std::vector<std::int64_t> integers(std::string_view name) const {
    std::vector<std::int64_t> out;
    for (const text_field* x : all(name)) out.push_back(to_integer(*x));
    return out;
  }
  [[nodiscard]] std::vector<double> numbers(std::string_view name) const {
    std::vector<double> out;
    for (const text_field* x : all(name)) out.push_back(to_number(*x));
    return out;
  }
  [[nodiscard]] std::vector<float> floats(std::string_view name) const {
    std::vector<float> out;
    for (const text_field* x : all(name)) out.push_back(to_f32(to_number(*x)));
    return out;
  }
  [[nodiscard]] std::vector<std::string> strings(std::string_view name) const {
    std::vector<std::string> out;
    for (const text_field* x : all(name)) {
      require(*x, text_kind::string, "a string");
      out.push_back(x->value);
    }
    return out;
  }

  // ---- conversions of one field -----------------------------------------------------

  [[noreturn]] void fail_at(const text_field& x, const std::string& message) const {
    detail::fail_at(file(), x.line, x.column, message);
  }
  /// An error at this message's position.
  [[noreturn]] void fail(const std::string& message) const {
    detail::fail_at(file(), line(), column(), message);
  }

  [[nodiscard]] std::int64_t to_integer(const text_field& x) const {
    if (x.kind != text_kind::number) fail_at(x, "field '" + x.name + "' must be an integer, got " + shown(x));
    std::string_view t = x.value;
    const bool negative = !t.empty() && t[0] == '-';
    if (negative) t.remove_prefix(1);
    if (detail::classify_number(t) != detail::number_syntax::integer)
      fail_at(x, "field '" + x.name + "' must be an integer, got " + shown(x));
    std::uint64_t v = 0;
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    if (!detail::parse_unsigned(t, v) || v > limit) fail_at(x, "integer " + x.value + " of field '" + x.name + "' is out of range");
    return negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  }

  [[nodiscard]] double to_number(const text_field& x) const {
    std::string_view t = x.value;
    const bool negative = !t.empty() && t[0] == '-';
    if (negative) t.remove_prefix(1);
    double v = 0;
    if (x.kind == text_kind::identifier && detail::text_parser::is_special_float(t)) {
      v = irforge::detail::iequals(t, "nan") ? std::numeric_limits<double>::quiet_NaN()
                                              : std::numeric_limits<double>::infinity();
    } else if (x.kind == text_kind::number) {
      const auto syntax = detail::classify_number(t);
      if (syntax == detail::number_syntax::integer) {
        std::uint64_t u = 0;
        if (!detail::parse_unsigned(t, u)) fail_at(x, "number " + x.value + " of field '" + x.name + "' is out of range");
        v = static_cast<double>(u);
      } else {
        if (!t.empty() && (t.back() == 'f' || t.back() == 'F')) t.remove_suffix(1);
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc::result_out_of_range) {
          const std::string s(t); // beyond double (1e999, 1e-999): strtod gives inf or 0, as protobuf does
          v = std::strtod(s.c_str(), nullptr);
        } else if (ec != std::errc() || p != t.data() + t.size()) {
          fail_at(x, "field '" + x.name + "' must be a number, got " + shown(x));
        }
      }
    } else {
      fail_at(x, "field '" + x.name + "' must be a number, got " + shown(x));
    }
    return negative ? -v : v;
  }

  [[nodiscard]] bool to_boolean(const text_field& x) const {
    if (x.kind == text_kind::identifier) {
      if (x.value == "true" || x.value == "True" || x.value == "t") return true;
      if (x.value == "false" || x.value == "False" || x.value == "f") return false;
    } else if (x.kind == text_kind::number) {
      if (x.value == "1") return true;
      if (x.value == "0") return false;
    }
    fail_at(x, "field '" + x.name + "' must be true or false, got " + shown(x));
  }

  [[nodiscard]] std::string to_enum(const text_field& x, std::span<const std::string_view> by_number = {}) const {
    if (x.kind == text_kind::identifier && !x.value.empty() && x.value[0] != '-') return x.value;
    if (x.kind == text_kind::number) {
      const std::int64_t n = to_integer(x);
      if (n >= 0 && static_cast<std::uint64_t>(n) < by_number.size() && !by_number[static_cast<std::size_t>(n)].empty())
        return std::string(by_number[static_cast<std::size_t>(n)]);
      if (by_number.empty()) return x.value;
      fail_at(x, "field '" + x.name + "': " + x.value + " is not a known enum value");
    }
    fail_at(x, "field '" + x.name + "' must be an enum identifier, got " + shown(x));
  }

private:
  static std::string shown(const text_field& x) {
    switch (x.kind) {
    case text_kind::message: return "a message";
    case text_kind::string: return "the string \"" + x.value + "\"";
    default: return "'" + x.value + "'";
    }
  }
  void require(const text_field& x, text_kind kind, const char* what) const {
    if (x.kind != kind) fail_at(x, "field '" + x.name + "' must be " + std::string(what) + ", got " + shown(x));
  }

  const text_field* f_ = nullptr;
  const std::string* file_ = nullptr;
};

/// The root message of a document.
inline message_view root_of(const text_document& d) { return {&d.root, &d.file}; }

} // namespace irforge::caffe
