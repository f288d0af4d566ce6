// irforge — what the passes did: per pass, how often each rule fired, how
// many nodes were removed, and how long it took.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace irforge::passes {

struct pass_report {
  std::string name;
  bool skipped = false;            ///< switched off by name
  double milliseconds = 0;
  std::size_t nodes_before = 0, nodes_after = 0;
  std::size_t changes = 0;         ///< rewrites that fired (or changes a function pass reports)
  std::vector<std::pair<std::string, std::size_t>> rules; ///< rule -> times it fired
};

struct pipeline_report {
  std::vector<pass_report> passes;
  [[nodiscard]] std::size_t fired(std::string_view rule) const {
    std::size_t n = 0;
    for (const auto& p : passes)
      for (const auto& [name, count] : p.rules)
        if (name == rule) n += count;
    return n;
  }
  [[nodiscard]] const pass_report* find(std::string_view pass) const {
    for (const auto& p : passes)
      if (p.name == pass) return &p;
    return nullptr;
  }
};

} // namespace irforge::passes
