// irforge — small operations rewrites share: bypassing a node, adding a
// constant, keeping the source-layer names of everything fused.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"

namespace irforge::passes {

/// Records that `into` now also stands for the source layers of `from`
/// (IR rt_info fused_names): names survive fusion and removal.
inline void absorb_names(graph& g, node_id from, node_id into) {
  if (from == into) return;
  auto& dst = g.node(into).source_names;
  for (const auto& s : g.node(from).source_names)
    if (std::find(dst.begin(), dst.end(), s) == dst.end()) dst.push_back(s);
  if (g.node(from).source_names.empty() && std::find(dst.begin(), dst.end(), g.node(from).name) == dst.end())
    dst.push_back(g.node(from).name);
}

/// A node a rewrite creates in place of `from` stands for exactly the source
/// layers `from` stands for (by absorb_names' rule: its name when it has no
/// source names), never for the new node's made-up name.
inline void inherit_source_names(graph& g, node_id from, node_id into) {
  g.node(into).source_names.clear();
  absorb_names(g, from, into);
}

/// Makes `replacement` stand for output `old` of a node that disappears:
/// consumers move over, the tensor's names move over, and the producer of the
/// replacement absorbs the source names of the old node.
inline void bypass(graph& g, output_ref old, output_ref replacement) {
  absorb_names(g, old.node, replacement.node);
  g.replace_uses(old, replacement);
}

/// Adds a Const for `value`, named after `owner` with a suffix, standing for
/// the same source layers as `owner`.
inline output_ref add_constant(graph& g, tensor value, node_id owner, const std::string& suffix) {
  const node_id c = g.add(ops::Constant(std::move(value)), {}, g.node(owner).name + "/" + suffix);
  g.node(c).source_names = g.node(owner).source_names;
  return {c, 0};
}

/// True when every element of a known tensor equals `v`.
inline bool all_equal(const tensor& t, double v) {
  const auto values = t.as_f64();
  return std::all_of(values.begin(), values.end(), [&](double x) { return x == v; });
}

} // namespace irforge::passes
