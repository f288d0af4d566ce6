// irforge — constant folding: an op whose inputs are all known becomes a Const.
//
// The values come from the reference kernels (or from shape inference, which
// already knows small results). A size cap keeps folding from blowing a model
// up: a result larger than its inputs together (a Broadcast or Tile of a
// constant, say) is folded only below `cap_bytes`. Weight decompression
// (a Convert marked `decompression`, written by FP16 compression) is kept.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/reference/evaluator.hpp"

namespace irforge::passes {

struct constant_folding_options {
  /// A folded result may always be as large as its inputs together; beyond
  /// that only up to this many bytes.
  std::uint64_t cap_bytes = 1u << 20;
};

namespace detail {
inline bool is_decompression(const node_data& n) {
  for (const auto& [key, value] : n.rt_info)
    if (key == "decompression") return true;
  return false;
}
} // namespace detail

/// `op` applied to known tensors by its reference kernel, without a node in
/// any graph: what a rewrite needs to compute new weights. nullopt when the op
/// has no kernel or its result's shape is not static.
inline std::optional<tensor> compute(const any_op& op, std::vector<tensor> inputs, std::string_view name,
                                     const reference::kernel_registry& kernels = reference::kernels()) {
  const auto run = kernels.find(op.type_key());
  if (run == nullptr) return std::nullopt;
  std::vector<value_info> in;
  in.reserve(inputs.size());
  for (const auto& t : inputs) in.push_back({t.type(), partial_shape(t.dims()), nullptr});
  std::vector<const value_info*> in_ptrs;
  for (const auto& i : in) in_ptrs.push_back(&i);
  infer_context inference(in_ptrs, name, op.type_name());
  op.infer(inference);
  auto outs = std::move(inference.outputs());
  if (outs.size() != 1 || !outs[0].shape.is_static() || outs[0].type == element_type::dynamic) return std::nullopt;
  outs[0].value = nullptr;
  reference::kernel_context ctx(inputs, std::move(outs), name, op.type_name());
  run(op, ctx);
  return std::move(ctx.take_outputs().at(0));
}

/// Evaluates one node whose inputs are all known and puts a Const in its
/// place; returns the Const's output (the node's output `r` if it cannot fold).
/// Rewrites use it to compute new weights with the reference kernels.
inline output_ref fold_output(graph& g, output_ref r, const reference::kernel_registry& kernels = reference::kernels()) {
  const node_data& n = g.node(r.node);
  if (n.op.is<ops::Constant>()) return r;
  std::vector<tensor> inputs;
  for (const auto& in : n.inputs) {
    if (!g.info(in).value) return r;
    inputs.push_back(*g.info(in).value);
  }
  const auto run = kernels.find(n.op.type_key());
  if (run == nullptr) return r;
  std::vector<value_info> outs;
  for (const auto& p : n.outputs) outs.push_back({p.info.type, p.info.shape, nullptr});
  reference::kernel_context ctx(inputs, std::move(outs), n.name, n.op.type_name());
  run(n.op, ctx);
  auto results = ctx.take_outputs();
  std::vector<std::string> sources = n.source_names; // `n` dangles once g.add reallocates the nodes
  const node_id c = g.add(ops::Constant(std::move(results.at(r.index))), {}, std::string(n.name));
  g.node(c).source_names = std::move(sources);
  g.replace_uses(r, {c, 0});
  remove_if_unused(g, r.node);
  return {c, 0};
}

/// Folds every foldable node; returns how many nodes became constants.
inline std::size_t fold_constants(graph& g, const constant_folding_options& options = {},
                                  const reference::kernel_registry& kernels = reference::kernels()) {
  std::size_t folded = 0;
  for (node_id id : g.topological_order()) {
    if (!g.alive(id)) continue;
    const node_data& n = g.node(id);
    if (n.op.is<ops::Constant>() || n.op.is<ops::Parameter>() || n.op.is<ops::Result>() || n.op.is<ops::generic_op>() ||
        n.inputs.empty() || detail::is_decompression(n) || g.consumer_count(id) == 0)
      continue;
    std::uint64_t input_bytes = 0;
    bool all_known = true;
    for (const auto& in : n.inputs) {
      const auto& v = g.info(in).value;
      if (!v) {
        all_known = false;
        break;
      }
      input_bytes += v->bytes().size();
    }
    if (!all_known) continue;
    const auto run = kernels.find(n.op.type_key());
    if (run == nullptr) continue;

    // Results: from shape inference when it computed them, else from the kernel.
    std::vector<tensor> results;
    bool known = true;
    for (const auto& p : n.outputs) known = known && p.info.value != nullptr;
    if (known) {
      for (const auto& p : n.outputs) results.push_back(*p.info.value);
    } else {
      std::vector<tensor> inputs;
      std::vector<value_info> outs;
      std::uint64_t output_bytes = 0;
      for (const auto& in : n.inputs) inputs.push_back(*g.info(in).value);
      for (const auto& p : n.outputs) {
        if (!p.info.shape.is_static() || p.info.type == element_type::dynamic) {
          known = false;
          break;
        }
        output_bytes += byte_size(p.info.type, element_count(p.info.shape.to_shape()));
        outs.push_back({p.info.type, p.info.shape, nullptr});
      }
      if (outs.size() != n.outputs.size() || output_bytes > std::max<std::uint64_t>(input_bytes, options.cap_bytes)) continue;
      reference::kernel_context ctx(inputs, std::move(outs), n.name, n.op.type_name());
      try {
        run(n.op, ctx);
      } catch (const error&) {
        continue; // e.g. an index out of range: leave it for the runtime to report
      }
      results = ctx.take_outputs();
    }

    // One Const per used output; names and traceability move to it. (`n`
    // dangles after the first g.add: the node storage may reallocate.)
    const std::string base_name = n.name;
    const bool single_output = n.outputs.size() == 1;
    for (std::uint32_t k = 0; k < results.size(); ++k) {
      if (g.consumer_count(output_ref{id, k}) == 0) continue;
      const std::string name = single_output ? base_name : base_name + "/out" + std::to_string(k);
      const node_id c = g.add(ops::Constant(results[k]), {}, name);
      g.node(c).source_names = g.node(id).source_names;
      g.port({c, 0}).rt_info = g.port({id, k}).rt_info;
      g.replace_uses({id, k}, {c, 0});
    }
    remove_if_unused(g, id);
    ++folded;
  }
  return folded;
}

/// The constant-folding pass (default options).
inline constexpr auto constant_folding =
    make_pass<"ConstantFolding">([](graph& g) -> std::size_t { return fold_constants(g); });

} // namespace irforge::passes
