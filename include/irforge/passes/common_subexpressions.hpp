// irforge — common-subexpression elimination: identical ops on identical
// inputs are computed once, and identical constants are stored once.
// Linear in the graph size (a hash map keyed by op, attributes and inputs).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/passes/rewrite_helpers.hpp"

namespace irforge::passes {

/// Merges duplicates; returns how many nodes were merged away.
inline std::size_t eliminate_common_subexpressions(graph& g) {
  std::unordered_map<std::string, std::vector<node_id>> seen;
  std::size_t merged = 0;
  for (node_id id : g.topological_order()) {
    if (!g.alive(id)) continue;
    const auto& n = g.node(id);
    if (n.op.is<ops::Parameter>() || n.op.is<ops::Result>() || n.op.is<ops::generic_op>()) continue;
    std::string key(n.op.type_name());
    key += '/';
    key += n.op.version();
    if (const auto* c = n.op.get_if<ops::Constant>()) {
      key += ':' + std::to_string(c->value.content_hash()) + ':' + std::to_string(c->value.bytes().size());
    } else {
      for (const auto& in : n.inputs) key += ':' + std::to_string(in.node) + '.' + std::to_string(in.index);
      for (const auto& [name, value] : n.op.attributes()) key += '|' + name + '=' + value;
    }
    auto& candidates = seen[key];
    node_id original = id;
    for (node_id c : candidates)
      if (g.node(c).op.same_as(n.op) && g.node(c).inputs == n.inputs && g.node(c).rt_info == n.rt_info) {
        original = c;
        break;
      }
    if (original == id) {
      candidates.push_back(id);
      continue;
    }
    for (std::uint32_t k = 0; k < g.node(id).outputs.size(); ++k) bypass(g, {id, k}, {original, k});
    remove_if_unused(g, id);
    ++merged;
  }
  return merged;
}

inline constexpr auto common_subexpression_elimination =
    make_pass<"CommonSubexpressionElimination">([](graph& g) -> std::size_t { return eliminate_common_subexpressions(g); });

} // namespace irforge::passes
