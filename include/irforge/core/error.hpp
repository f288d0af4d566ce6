// irforge — error: the one exception type of the library.
//
// Every failure caused by input (a model file, an IR file, a command-line flag)
// or by misuse of the API is an irforge::error. It carries where the problem is
// (file, byte offset, node name, op type) so a message can always point at it.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace irforge {

/// Where a problem was found. Every field is optional; empty means unknown.
struct error_location {
  std::string file;                    ///< model or IR file
  std::optional<std::uint64_t> offset; ///< byte offset inside `file`
  std::string node;                    ///< node (layer) name
  std::string op;                      ///< op type, e.g. "Conv" or "Convolution"
};

/// Location helpers (designated initializers of error_location trip
/// -Wmissing-field-initializers on g++ 12, so the library builds these instead).
inline error_location at_node(std::string node, std::string op = {}) {
  error_location l;
  l.node = std::move(node);
  l.op = std::move(op);
  return l;
}
inline error_location in_file(std::string file, std::optional<std::uint64_t> offset = std::nullopt) {
  error_location l;
  l.file = std::move(file);
  l.offset = offset;
  return l;
}

class error : public std::runtime_error {
public:
  explicit error(std::string message, error_location where = {})
      : std::runtime_error(message), message_(std::move(message)), where_(std::move(where)) {
    rebuild();
  }

  [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const error_location& where() const noexcept { return where_; }

  /// Adds context while an error travels outwards; fields already set are kept
  /// (the innermost, most precise information wins).
  error& with_file(std::string file) {
    if (where_.file.empty()) where_.file = std::move(file);
    rebuild();
    return *this;
  }
  error& with_offset(std::uint64_t offset) {
    if (!where_.offset) where_.offset = offset;
    rebuild();
    return *this;
  }
  error& with_node(std::string node, std::string op = {}) {
    if (where_.node.empty()) where_.node = std::move(node);
    if (where_.op.empty()) where_.op = std::move(op);
    rebuild();
    return *this;
  }

private:
  void rebuild() {
    std::string s;
    if (!where_.file.empty()) s += where_.file;
    if (where_.offset) {
      s += s.empty() ? "byte " : " at byte ";
      s += std::to_string(*where_.offset);
    }
    if (!where_.node.empty() || !where_.op.empty()) {
      if (!s.empty()) s += ", ";
      s += "node '" + where_.node + "'";
      if (!where_.op.empty()) s += " (" + where_.op + ")";
    }
    if (!s.empty()) s += ": ";
    what_ = s + message_;
  }

  std::string message_;
  error_location where_;
  std::string what_;
};

} // namespace irforge
