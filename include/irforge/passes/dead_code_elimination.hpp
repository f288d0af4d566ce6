// irforge — dead-code elimination: removes every node that no Result needs.
//
// Parameters always stay (they are the model's inputs even when unused), as
// does everything a Result depends on. Runs in O(nodes + edges).
#pragma once

#include <cstddef>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/passes/pipeline.hpp"

namespace irforge::passes {

/// Removes unreachable nodes; returns how many were removed.
inline std::size_t eliminate_dead_code(graph& g) {
  std::vector<char> needed(g.id_bound(), 0);
  std::vector<node_id> stack(g.results().begin(), g.results().end());
  for (node_id p : g.parameters()) needed[p] = 1;
  while (!stack.empty()) {
    const node_id id = stack.back();
    stack.pop_back();
    if (needed[id] == 2) continue;
    needed[id] = 2;
    for (const auto& in : g.node(id).inputs)
      if (needed[in.node] != 2) stack.push_back(in.node);
  }
  // Remove consumers before producers: walk the topological order backwards.
  const auto order = g.topological_order();
  std::size_t removed = 0;
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (needed[*it] == 0) {
      g.remove(*it);
      ++removed;
    }
  return removed;
}

/// Dead-code elimination as a pass.
inline constexpr auto dead_code_elimination =
    make_pass<"DeadCodeElimination">([](graph& g) -> std::size_t { return eliminate_dead_code(g); });

} // namespace irforge::passes
