// irforge — model cutting, Model Optimizer's --input and --output:
//
//   passes::cut_inputs(g, {{.name = "conv1"}, {.name = "data", .shape = partial_shape{1, 3, 224, 224}}});
//   passes::cut_outputs(g, {"relu5", "fc:0"});
//
// New inputs: a tensor (or "node:N") becomes a Parameter named after the
// tensor (MO: "node/placeholder_out_port_N"), "N:node" puts a Parameter on
// one input port ("node/placeholder_port_N"), a bare node name on each of
// its non-constant input ports. A shape, element type or frozen value (MO's
// `name->[1 2 3]`) may come with each. Existing Parameters named this way are
// changed in place. New outputs replace the model's outputs, in the order
// given. Afterwards everything no output needs is removed, Parameters
// included, and the model's inputs follow the order of `inputs`.
//
// Tensor names survive: a cut tensor's names move to the new Parameter, and
// its producer's source layers are remembered nowhere because they are gone.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/passes/constant_folding.hpp"
#include "irforge/passes/dead_code_elimination.hpp"
#include "irforge/passes/model_points.hpp"

namespace irforge::passes {

/// One model input to create or change.
struct input_cut {
  std::string name;                    ///< tensor, node, "N:node" or "node:N"
  std::optional<partial_shape> shape;  ///< the input's shape (default: what the cut tensor had)
  std::optional<element_type> type;    ///< its element type (default: the tensor's)
  std::optional<std::vector<double>> value; ///< freeze: the input becomes this constant
};

struct cut_summary {
  std::vector<std::string> new_inputs;    ///< names of the Parameters created or changed, in order
  std::vector<std::string> frozen;        ///< inputs replaced by constants
  std::vector<std::string> new_outputs;   ///< names of the Results created
  std::size_t removed = 0;                ///< nodes removed because no output needs them
};

namespace detail {

/// The constant `values` as `type` with the shape the input would have had.
inline output_ref frozen_constant(graph& g, const std::string& where, const std::vector<double>& values,
                                  element_type type, const partial_shape& declared, const std::string& name) {
  shape dims;
  if (declared.is_static() && element_count(declared.to_shape()) == values.size()) {
    dims = declared.to_shape();
  } else if (declared.is_static() || (declared.rank_is_static() && values.size() != 1)) {
    throw error("--input " + where + ": " + std::to_string(values.size()) + " values do not fill the shape " +
                declared.to_string());
  } else if (values.size() != 1) {
    dims = {static_cast<std::int64_t>(values.size())};
  }
  const node_id raw = g.add(ops::Constant(tensor::from_values<double>(dims, values)), {}, name + "/value");
  if (type == element_type::f64) return {raw, 0};
  const node_id conv = g.add(ops::Convert(type), {{raw, 0}}, name);
  return fold_output(g, {conv, 0});
}

/// A Parameter (or frozen Const) replacing the uses of `r`; returns its node.
inline node_id parameter_for(graph& g, output_ref r, const input_cut& cut, const std::string& name,
                             const std::vector<input_ref>& only_ports, cut_summary& summary) {
  const auto& info = g.info(r);
  const element_type type = cut.type.value_or(info.type == element_type::dynamic ? element_type::f32 : info.type);
  const partial_shape shp = cut.shape.value_or(info.shape);
  output_ref replacement;
  if (cut.value) {
    replacement = frozen_constant(g, cut.name, *cut.value, type, shp, unused_node_name(g, name + "/frozen"));
    summary.frozen.push_back(g.node(replacement.node).name);
  } else {
    replacement = {g.add(ops::Parameter{shp, type}, {}, unused_node_name(g, name)), 0};
    summary.new_inputs.push_back(g.node(replacement.node).name);
  }
  if (only_ports.empty()) {
    g.replace_uses(r, replacement); // the tensor's names move to the new input
  } else {
    for (const auto& p : only_ports) g.set_input(p.node, p.index, replacement);
    g.port(replacement).names.push_back(g.node(replacement.node).name);
  }
  return replacement.node;
}

} // namespace detail

/// Creates or changes model inputs; re-infers shapes; removes what is no longer needed.
inline cut_summary cut_inputs(graph& g, const std::vector<input_cut>& inputs) {
  cut_summary summary;
  std::vector<node_id> order;
  for (const auto& cut : inputs) {
    const model_point at = find_model_point(g, cut.name, "--input");
    auto existing_parameter = [&](node_id id) {
      auto& n = g.node(id);
      auto p = n.op.get<ops::Parameter>();
      if (cut.value) {
        detail::parameter_for(g, {id, 0}, cut, n.name, {}, summary);
        return;
      }
      if (cut.shape) p.shape = *cut.shape;
      if (cut.type) p.element_type = *cut.type;
      n.op = any_op(p);
      order.push_back(id);
      summary.new_inputs.push_back(n.name);
    };
    switch (at.what) {
    case model_point::kind::tensor: {
      if (g.node(at.output.node).op.is<ops::Parameter>()) {
        existing_parameter(at.output.node);
        break;
      }
      const auto& producer = g.node(at.output.node);
      const bool by_port = at.text != "" && std::find(g.port(at.output).names.begin(), g.port(at.output).names.end(),
                                                      at.text) == g.port(at.output).names.end();
      const std::string name =
          by_port ? producer.name + "/placeholder_out_port_" + std::to_string(at.output.index) : at.text;
      const node_id p = detail::parameter_for(g, at.output, cut, name, {}, summary);
      if (!cut.value) order.push_back(p);
      break;
    }
    case model_point::kind::input_port: {
      const output_ref src = g.node(at.input.node).inputs[at.input.index];
      const std::string name = g.node(at.input.node).name + "/placeholder_port_" + std::to_string(at.input.index);
      const node_id p = detail::parameter_for(g, src, cut, name, {at.input}, summary);
      if (!cut.value) order.push_back(p);
      break;
    }
    case model_point::kind::node: {
      if (g.node(at.node).op.is<ops::Parameter>()) {
        existing_parameter(at.node);
        break;
      }
      const std::string node_name = g.node(at.node).name; // a copy: adding nodes may move the node storage
      std::size_t made = 0;
      const std::size_t port_count = g.node(at.node).inputs.size();
      for (std::uint32_t k = 0; k < port_count; ++k) {
        const output_ref src = g.node(at.node).inputs[k];
        if (g.info(src).value) continue; // weights and other constants stay
        const std::string name = g.node(at.node).name + "/placeholder_port_" + std::to_string(k);
        const node_id p = detail::parameter_for(g, src, cut, name, {input_ref{at.node, k}}, summary);
        if (!cut.value) order.push_back(p);
        ++made;
      }
      if (made == 0) throw error("--input " + cut.name + ": node '" + node_name + "' has no non-constant input to cut at");
      break;
    }
    }
  }
  g.infer_all();
  summary.removed = eliminate_dead_code(g);
  // Parameters no output needs go too (they were the inputs of what was cut away).
  for (node_id p : std::vector<node_id>(g.parameters()))
    if (g.consumer_count(p) == 0 && std::find(order.begin(), order.end(), p) == order.end()) {
      g.remove(p);
      ++summary.removed;
    }
  // The inputs named on the command line come first, in the order given.
  std::vector<node_id> new_order;
  for (node_id p : order)
    if (g.alive(p) && std::find(new_order.begin(), new_order.end(), p) == new_order.end()) new_order.push_back(p);
  for (node_id p : g.parameters())
    if (std::find(new_order.begin(), new_order.end(), p) == new_order.end()) new_order.push_back(p);
  g.set_parameter_order(new_order);
  // A new input named after a tensor whose producer was in the way takes the name now that it is free.
  for (node_id p : new_order) {
    auto& n = g.node(p);
    if (n.outputs[0].names.empty() || n.name == n.outputs[0].names.front()) continue;
    const std::string wanted = n.outputs[0].names.front();
    if (unused_node_name(g, wanted) != wanted || n.name.rfind(wanted + "_", 0) != 0) continue;
    std::replace(summary.new_inputs.begin(), summary.new_inputs.end(), n.name, wanted);
    n.name = wanted;
  }
  return summary;
}

/// Makes the named tensors the model's outputs (in this order) and removes what they do not need.
inline cut_summary cut_outputs(graph& g, const std::vector<std::string>& outputs) {
  cut_summary summary;
  std::vector<std::pair<output_ref, std::string>> wanted;
  for (const auto& name : outputs) {
    const model_point at = find_model_point(g, name, "--output");
    switch (at.what) {
    case model_point::kind::tensor: wanted.emplace_back(at.output, name); break;
    case model_point::kind::input_port: // "N:node": the node goes, its producer becomes the output
      wanted.emplace_back(g.node(at.input.node).inputs[at.input.index], name);
      break;
    case model_point::kind::node: {
      const auto& n = g.node(at.node);
      if (n.op.is<ops::Result>()) {
        wanted.emplace_back(n.inputs[0], name);
        break;
      }
      for (std::uint32_t k = 0; k < n.outputs.size(); ++k) wanted.emplace_back(output_ref{at.node, k}, name);
      break;
    }
    }
  }
  for (node_id r : std::vector<node_id>(g.results())) g.remove(r);
  for (const auto& [out, name] : wanted) {
    const auto& port = g.port(out);
    const std::string base = port.names.empty() ? g.node(out.node).name + ":" + std::to_string(out.index) : port.names.front();
    const node_id r = g.add(ops::Result{}, {out}, unused_node_name(g, base + "/sink_port_0"));
    summary.new_outputs.push_back(g.node(r).name);
  }
  summary.removed = eliminate_dead_code(g);
  for (node_id p : std::vector<node_id>(g.parameters()))
    if (g.consumer_count(p) == 0) {
      g.remove(p);
      ++summary.removed;
    }
  return summary;
}

} // namespace irforge::passes
