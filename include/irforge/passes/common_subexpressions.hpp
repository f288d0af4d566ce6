// irforge — common-subexpression elimination: identical ops on identical
// inputs are computed once, and identical constants are stored once.
// Linear in the graph size: a hash table keyed by op type and inputs; ops that
// share a key are compared attribute by attribute.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/passes/rewrite_helpers.hpp"

namespace irforge::passes {

namespace detail {
inline std::uint64_t hash_combine(std::uint64_t seed, std::uint64_t v) {
  return seed ^ (v + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

// A node's candidate key: op type and inputs (or a Const's contents).
// Attributes are left to same_as on the few nodes that share a key, so no
// attribute is formatted as text.
inline std::uint64_t subexpression_key(const node_data& n) {
  std::uint64_t h = std::hash<const void*>{}(n.op.type_key()); // the C++ type; same_as compares the rest
  if (const auto* c = n.op.get_if<ops::Constant>()) {
    h = hash_combine(h, c->value.content_hash());
    return hash_combine(h, c->value.bytes().size());
  }
  for (const auto& in : n.inputs) h = hash_combine(h, (std::uint64_t{in.node} << 32) | in.index);
  return h;
}
} // namespace detail

/// Merges duplicates; returns how many nodes were merged away.
inline std::size_t eliminate_common_subexpressions(graph& g) {
  // The nodes seen so far, by key, in an open-addressing table (linear
  // probing, several nodes per key): one allocation for the pass, not one per node.
  constexpr node_id empty = ~node_id{0};
  std::size_t capacity = 16;
  while (capacity < 2 * g.size()) capacity *= 2;
  const std::size_t mask = capacity - 1;
  std::vector<std::pair<std::uint64_t, node_id>> seen(capacity, {0, empty});
  std::size_t merged = 0;
  for (node_id id : g.topological_order()) {
    if (!g.alive(id)) continue;
    const auto& n = g.node(id);
    if (n.op.is<ops::Parameter>() || n.op.is<ops::Result>() || n.op.is<ops::generic_op>()) continue;
    const std::uint64_t key = detail::subexpression_key(n);
    node_id original = id;
    // The key's low bits alone would cluster (inputs sit in its high bits): mix them all in.
    std::uint64_t spread = key ^ (key >> 33);
    spread *= 0xff51afd7ed558ccdull;
    spread ^= spread >> 33;
    std::size_t slot = static_cast<std::size_t>(spread) & mask;
    for (; seen[slot].second != empty; slot = (slot + 1) & mask) {
      if (seen[slot].first != key) continue;
      const auto& c = g.node(seen[slot].second);
      if (c.op.same_as(n.op) && c.inputs == n.inputs && c.rt_info == n.rt_info) {
        original = seen[slot].second;
        break;
      }
    }
    if (original == id) {
      seen[slot] = {key, id}; // the empty slot the probe stopped at
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
