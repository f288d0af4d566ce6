// irforge — the error for a model with operations the frontend cannot map.
//
// It lists every unsupported operation type with the nodes that use it, all
// at once, so a user sees the whole job instead of one op per attempt.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/error.hpp"

namespace irforge {

class unsupported_ops_error : public error {
public:
  /// op type -> names of the nodes of that type, in model order.
  using op_list = std::vector<std::pair<std::string, std::vector<std::string>>>;

  unsupported_ops_error(const std::string& framework, op_list ops, const std::string& file)
      : error(describe(framework, ops), in_file(file)), ops_(std::move(ops)) {}

  [[nodiscard]] const op_list& ops() const { return ops_; }

private:
  static std::string describe(const std::string& framework, const op_list& ops) {
    std::size_t nodes = 0;
    for (const auto& [type, names] : ops) nodes += names.size();
    std::string s = std::to_string(nodes) + (nodes == 1 ? " node uses" : " nodes use") + " unsupported " + framework +
                    " operations: ";
    bool first = true;
    for (const auto& [type, names] : ops) {
      { if (!(first)) s += "; "; s += type + " ("; }
      first = false;
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (i == 5) {
          s += ", and " + std::to_string(names.size() - 5) + " more";
          break;
        }
        { if (i) s += ", "; s += names[i]; }
      }
      s += ")";
    }
    return s;
  }

  op_list ops_;
};

/// Collects unsupported nodes in model order, grouped by op type.
class unsupported_collector {
public:
  void add(const std::string& type, const std::string& node) {
    for (auto& [t, names] : ops_)
      if (t == type) {
        names.push_back(node);
        return;
      }
    ops_.push_back({type, {node}});
  }
  [[nodiscard]] bool empty() const { return ops_.empty(); }
  [[noreturn]] void raise(const std::string& framework, const std::string& file) {
    throw unsupported_ops_error(framework, std::move(ops_), file);
  }

private:
  unsupported_ops_error::op_list ops_;
};

} // namespace irforge
