// irforge — ONNX to irforge::graph: walks the model's nodes in dependency
// order and hands each to its mapping (see mappings.hpp).
//
// Before anything is built, every node's op is looked up, and all unsupported
// ones are reported together with their node names. Graph inputs become
// Parameters, initializers become Consts (views into the mapped file, created
// on first use), graph outputs become Results. Every IR node records the ONNX
// node it came from (rt_info fused_names); every tensor keeps its ONNX name.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/onnx/model.hpp"
#include "irforge/frontends/onnx/node_context.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/frontends/unsupported_ops.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"

namespace irforge::onnx {

/// What to do with an op the mapping table does not know.
struct custom_op_policy {
  /// false: the conversion fails with the list of unsupported ops (the default).
  /// true: the op passes through as a custom IR layer (a generic_op) with its
  /// ONNX attributes, its domain as the IR version, and outputs from `infer`.
  bool passthrough = false;
  /// Output types and shapes of a passed-through op; by default every output
  /// has the type and shape of input 0.
  std::function<std::vector<irforge::value_info>(const node&, const std::vector<irforge::value_info>& inputs)> infer;
};

/// ONNX op type (per domain) -> mapping. Users add their own with `add`.
class mapping_table {
public:
  /// Registers (or replaces) the mapping of `op_type` in `domain` ("" = ai.onnx).
  mapping_table& add(std::string op_type, mapping_fn fn, std::string domain = "") {
    if (domain == "ai.onnx") domain.clear();
    table_[{std::move(domain), std::move(op_type)}] = std::move(fn);
    return *this;
  }
  [[nodiscard]] const mapping_fn* find(std::string_view domain, std::string_view op_type) const {
    const std::string d = is_default_domain(domain) ? std::string() : std::string(domain);
    const auto it = table_.find({d, std::string(op_type)});
    return it == table_.end() ? nullptr : &it->second;
  }
  /// "Conv", "com.microsoft.Gelu" ... in sorted order.
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [key, fn] : table_) out.push_back(key.first.empty() ? key.second : key.first + "." + key.second);
    return out;
  }

private:
  std::map<std::pair<std::string, std::string>, mapping_fn> table_;
};

namespace detail {

inline std::string display_op(const node& n) {
  return is_default_domain(n.domain) ? std::string(n.op_type) : std::string(n.domain) + "." + std::string(n.op_type);
}

inline std::string node_display_name(const node& n, std::size_t index) {
  if (!n.name.empty()) return std::string(n.name);
  for (auto o : n.outputs)
    if (!o.empty()) return std::string(o);
  return std::string(n.op_type) + "_" + std::to_string(index);
}

class graph_converter {
public:
  graph_converter(const model& m, const mapping_table& mappings, const custom_op_policy& custom)
      : m_(m), mappings_(mappings), custom_(custom) {}

  graph run() {
    const graph_proto& gp = m_.graph;
    check_supported(gp);
    graph g(gp.name.empty() ? std::string("model") : std::string(gp.name));

    initializers_.reserve(gp.initializers.size());
    values_.reserve(gp.inputs.size() + 2 * gp.nodes.size());
    used_names_.reserve(gp.initializers.size() + 2 * gp.nodes.size());
    for (const auto& init : gp.initializers) initializers_.emplace(init.name, &init);

    // Graph inputs that have no initializer are the model's inputs.
    for (const auto& in : gp.inputs) {
      if (initializers_.count(in.name)) continue;
      if (in.kind != type_kind::tensor)
        throw error("graph input '" + std::string(in.name) + "' is not a tensor (sequences, maps and optionals are not supported)",
                    in_file(m_.path, in.offset));
      const element_type et = element_type_from(in.elem_type, "graph input '" + std::string(in.name) + "'", in_file(m_.path, in.offset));
      const node_id p = g.add(ops::Parameter{in.to_partial_shape(), et}, {},
                              frontends::claim_unique_name(std::string(in.name), used_names_));
      g.port({p, 0}).names.emplace_back(in.name);
      g.node(p).source_names.emplace_back(in.name);
      values_[in.name] = output_ref{p, 0};
    }

    for (std::size_t i : dependency_order(gp)) convert_node(g, gp.nodes[i], i);

    for (const auto& out : gp.outputs) {
      const output_ref v = value_of(g, out.name, "graph output", std::string(out.name));
      const node_id r = g.add(ops::Result{}, {v}, frontends::claim_unique_name(std::string(out.name) + "/sink_port_0", used_names_));
      g.node(r).source_names.emplace_back(out.name);
    }
    if (gp.outputs.empty()) throw error("the graph has no outputs", in_file(m_.path));
    return g;
  }

private:
  void check_supported(const graph_proto& gp) const {
    if (custom_.passthrough) return;
    unsupported_collector missing;
    for (std::size_t i = 0; i < gp.nodes.size(); ++i) {
      const node& n = gp.nodes[i];
      if (!mappings_.find(n.domain, n.op_type)) missing.add(display_op(n), node_display_name(n, i));
      else if (!m_.opset(n.domain) && !is_default_domain(n.domain))
        missing.add(display_op(n) + " (domain not imported)", node_display_name(n, i));
    }
    if (!missing.empty()) missing.raise("ONNX", m_.path);
  }

  // Nodes ordered so every input is produced first; ties keep file order.
  std::vector<std::size_t> dependency_order(const graph_proto& gp) const {
    std::unordered_map<std::string_view, std::size_t> producer;
    producer.reserve(gp.nodes.size());
    for (std::size_t i = 0; i < gp.nodes.size(); ++i)
      for (auto o : gp.nodes[i].outputs)
        if (!o.empty()) {
          if (producer.count(o) || initializers_.count(o) || values_.count(o))
            throw error("tensor '" + std::string(o) + "' is produced twice",
                        located(gp.nodes[i], i));
          producer.emplace(o, i);
        }
    // Each node's users, as one array sliced by user_begin (no vector per node).
    std::vector<std::size_t> pending(gp.nodes.size(), 0), user_begin(gp.nodes.size() + 1, 0);
    std::vector<std::pair<std::size_t, std::size_t>> links; // (producer, user)
    for (std::size_t i = 0; i < gp.nodes.size(); ++i) {
      for (auto in : gp.nodes[i].inputs) {
        if (in.empty()) continue;
        if (auto p = producer.find(in); p != producer.end()) {
          links.emplace_back(p->second, i);
          ++user_begin[p->second + 1];
          ++pending[i];
        } else if (!initializers_.count(in) && !values_.count(in)) {
          throw error("input '" + std::string(in) + "' names no tensor (no graph input, initializer or node output has that name)",
                      located(gp.nodes[i], i));
        }
      }
    }
    for (std::size_t i = 0; i < gp.nodes.size(); ++i) user_begin[i + 1] += user_begin[i];
    std::vector<std::size_t> users(links.size());
    {
      std::vector<std::size_t> fill(user_begin.begin(), user_begin.end() - 1);
      for (const auto& [from, to] : links) users[fill[from]++] = to;
    }
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
    for (std::size_t i = 0; i < gp.nodes.size(); ++i)
      if (pending[i] == 0) ready.push(i);
    std::vector<std::size_t> order;
    order.reserve(gp.nodes.size());
    while (!ready.empty()) {
      const std::size_t i = ready.top();
      ready.pop();
      order.push_back(i);
      for (std::size_t k = user_begin[i]; k < user_begin[i + 1]; ++k)
        if (--pending[users[k]] == 0) ready.push(users[k]);
    }
    if (order.size() != gp.nodes.size()) {
      for (std::size_t i = 0; i < gp.nodes.size(); ++i)
        if (pending[i] != 0) throw error("the nodes form a cycle through this node", located(gp.nodes[i], i));
    }
    return order;
  }

  error_location located(const node& n, std::size_t index) const {
    error_location l = in_file(m_.path, n.offset);
    l.node = node_display_name(n, index);
    l.op = std::string(n.op_type);
    return l;
  }

  // The graph value of a tensor name; initializers become Consts on first use.
  output_ref value_of(graph& g, std::string_view name, const char* role, const std::string& user) {
    if (auto it = values_.find(name); it != values_.end()) {
      if (!it->second)
        throw error("tensor '" + std::string(name) + "' is an output its producer does not compute", at_node(user));
      return *it->second;
    }
    if (auto it = initializers_.find(name); it != initializers_.end()) {
      tensor value;
      try {
        value = to_tensor(*it->second);
      } catch (error& e) {
        e.with_file(m_.path);
        throw;
      }
      const node_id c = g.add(ops::Constant(std::move(value)), {}, frontends::claim_unique_name(std::string(name), used_names_));
      g.port({c, 0}).names.emplace_back(name);
      g.node(c).source_names.emplace_back(name);
      values_[name] = output_ref{c, 0};
      return {c, 0};
    }
    throw error(std::string(role) + " '" + std::string(name) + "' names no tensor", at_node(user));
  }

  void convert_node(graph& g, const node& n, std::size_t index) {
    const std::string name = node_display_name(n, index);
    std::vector<std::optional<output_ref>> inputs;
    inputs.reserve(n.inputs.size());
    for (auto in : n.inputs) inputs.push_back(in.empty() ? std::nullopt : std::optional(value_of(g, in, "input", name)));
    // Trailing omitted optional inputs are the same as absent ones.
    while (!inputs.empty() && !inputs.back()) inputs.pop_back();

    const std::int64_t opset = m_.opset(n.domain).value_or(1);
    node_context ctx(g, m_, n, std::move(inputs), opset, name, used_names_);
    std::vector<std::optional<output_ref>> outputs;
    try {
      const mapping_fn* mapping = mappings_.find(n.domain, n.op_type);
      outputs = mapping ? (*mapping)(ctx) : passthrough(ctx);
    } catch (error& e) {
      e.with_node(name, std::string(n.op_type)).with_file(m_.path);
      throw;
    }
    // A mapping may produce outputs the node does not declare (MaxPool-8's
    // indices for a one-output MaxPool); they are simply not named.
    for (std::size_t k = 0; k < n.outputs.size(); ++k) {
      const auto out_name = n.outputs[k];
      if (out_name.empty()) continue;
      if (k < outputs.size() && outputs[k]) {
        auto& names = g.port(*outputs[k]).names;
        if (std::find(names.begin(), names.end(), out_name) == names.end()) names.emplace_back(out_name);
        values_[out_name] = outputs[k];
      } else {
        values_[out_name] = std::nullopt; // using it later is an error naming it
      }
    }
  }

  /// An op without a mapping as a generic IR layer carrying its attributes.
  mapping_result passthrough(node_context& ctx) const {
    const node& n = ctx.proto();
    ops::generic_op op;
    op.type = std::string(n.op_type);
    op.opset = n.domain.empty() ? std::string("extension") : std::string(n.domain);
    for (const auto& a : n.attributes) {
      std::string text;
      switch (a.type) {
      case attribute_type::int_: text = attr::format(a.i); break;
      case attribute_type::float_: text = attr::format(a.f); break;
      case attribute_type::string: text = std::string(a.s); break;
      case attribute_type::ints: text = attr::format(a.ints); break;
      case attribute_type::floats: text = attr::format(a.floats); break;
      case attribute_type::strings: {
        std::vector<std::string> v(a.strings.begin(), a.strings.end());
        text = attr::format(v);
        break;
      }
      default: ctx.fail("attribute '" + std::string(a.name) + "' of type " + to_string(a.type) +
                        " cannot be passed through to a custom layer");
      }
      op.attributes.emplace_back(std::string(a.name), std::move(text));
    }
    std::vector<irforge::value_info> in;
    std::vector<output_ref> refs;
    for (std::size_t i = 0; i < ctx.input_count(); ++i) {
      if (!ctx.has_input(i)) ctx.fail("a custom layer cannot have omitted inputs");
      in.push_back(ctx.input_info(i));
      refs.push_back(ctx.input(i));
    }
    if (custom_.infer) {
      op.outputs = custom_.infer(n, in);
    } else {
      if (in.empty()) ctx.fail("a custom layer without inputs needs output shapes (custom_op_policy::infer)");
      op.outputs.assign(n.outputs.size(), irforge::value_info{in[0].type, in[0].shape, nullptr});
    }
    const node_id id = ctx.add_node(std::move(op), refs);
    mapping_result out;
    for (std::uint32_t k = 0; k < ctx.g().node(id).outputs.size(); ++k) out.push_back(output_ref{id, k});
    return out;
  }

  const model& m_;
  const mapping_table& mappings_;
  const custom_op_policy& custom_;
  std::unordered_map<std::string_view, const tensor_proto*> initializers_;
  std::unordered_map<std::string_view, std::optional<output_ref>> values_;
  std::unordered_set<std::string> used_names_;
};

} // namespace detail

/// Converts a parsed ONNX model with the given mappings.
inline graph convert(const model& m, const mapping_table& mappings, const custom_op_policy& custom = {}) {
  return detail::graph_converter(m, mappings, custom).run();
}

} // namespace irforge::onnx
