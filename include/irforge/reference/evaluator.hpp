// irforge — the reference evaluator: runs an irforge::graph on the CPU.
//
// It proves conversions: the graph as imported, after every pass, and as read
// back from IR must give the same outputs, and those must match the reference
// outputs that came with a model. Each node's output shapes come from the
// op's own `infer` run on the actual input shapes and values, then its kernel
// fills them. Intermediate tensors are freed as soon as their last consumer
// has run.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/ops/standard.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/all.hpp"

namespace irforge::reference {

/// Kernels by op type, derived from an op set.
class kernel_registry {
public:
  using run_fn = void (*)(const any_op&, kernel_context&);

  void add(const void* key, run_fn fn) { table_[key] = fn; }
  void add_missing(std::string name) { missing_.push_back(std::move(name)); }
  [[nodiscard]] run_fn find(const void* key) const {
    const auto it = table_.find(key);
    return it == table_.end() ? nullptr : it->second;
  }
  /// "Type/opsetN" of every op in the set without a kernel.
  [[nodiscard]] const std::vector<std::string>& missing() const { return missing_; }

private:
  std::unordered_map<const void*, run_fn> table_;
  std::vector<std::string> missing_;
};

namespace detail {
template <class T> void run_kernel(const any_op& op, kernel_context& ctx) { kernel<T>::run(op.get<T>(), ctx); }

template <class T> void register_kernel(kernel_registry& r) {
  if constexpr (has_kernel<T>) r.add(irforge::detail::type_key<T>(), &run_kernel<T>);
  else if constexpr (!std::is_same_v<T, ops::Parameter> && !std::is_same_v<T, ops::Result> && !std::is_same_v<T, ops::Constant>)
    r.add_missing(std::string(T::type_name) + "/" + std::string(T::version));
}

template <class Set> struct kernels_of;
template <class... Ts> struct kernels_of<op_set<Ts...>> {
  static const kernel_registry& get() {
    static const kernel_registry registry = [] {
      kernel_registry r;
      (register_kernel<Ts>(r), ...);
      return r;
    }();
    return registry;
  }
};
} // namespace detail

/// The kernels of every op in `Set` that has one.
template <class Set = ops::standard> const kernel_registry& kernels() { return detail::kernels_of<Set>::get(); }
#ifdef IRFORGE_SEPARATE_COMPILATION
extern template const kernel_registry& kernels<ops::standard>(); // compiled once: src/kernels.cpp
#endif

/// Runs `g` on `inputs` (one per Parameter, in model input order) and returns
/// one tensor per Result, in model output order.
inline std::vector<tensor> evaluate(const graph& g, const std::vector<tensor>& inputs,
                                    const kernel_registry& registry = kernels()) {
  if (inputs.size() != g.parameters().size())
    throw error("the model has " + std::to_string(g.parameters().size()) + " inputs, " + std::to_string(inputs.size()) +
                " were given");
  const auto order = g.topological_order();
  // Remaining uses of each node's outputs, to free tensors early.
  std::vector<std::size_t> uses(g.id_bound(), 0);
  for (node_id id : order) uses[id] = g.consumer_count(id);
  std::vector<std::vector<tensor>> values(g.id_bound());
  std::map<node_id, std::size_t> param_index;
  for (std::size_t i = 0; i < g.parameters().size(); ++i) param_index[g.parameters()[i]] = i;
  std::map<node_id, tensor> results;

  for (node_id id : order) {
    const auto& n = g.node(id);
    std::vector<tensor> in;
    in.reserve(n.inputs.size());
    for (const auto& r : n.inputs) in.push_back(values[r.node].at(r.index));

    if (const auto* p = n.op.get_if<ops::Parameter>()) {
      const tensor& t = inputs[param_index.at(id)];
      if (t.type() != p->element_type)
        throw error("input '" + n.name + "' is " + std::string(to_string(p->element_type)) + p->shape.to_string() +
                        ", the data given is " + std::string(to_string(t.type())) + partial_shape(t.dims()).to_string(),
                    at_node(n.name, "Parameter"));
      if (!p->shape.compatible(partial_shape(t.dims())))
        throw error("input '" + n.name + "' has shape " + p->shape.to_string() + ", the data given has shape " +
                        partial_shape(t.dims()).to_string(),
                    at_node(n.name, "Parameter"));
      values[id] = {t};
    } else if (const auto* c = n.op.get_if<ops::Constant>()) {
      values[id] = {c->value};
    } else if (n.op.is<ops::Result>()) {
      results[id] = in.at(0);
    } else {
      const auto run = registry.find(n.op.type_key());
      if (run == nullptr)
        throw error("no reference kernel for " + std::string(n.op.type_name()) + " " + std::string(n.op.version()),
                    at_node(n.name, std::string(n.op.type_name())));
      // Output types and shapes for these very inputs, from the op's own rules.
      std::vector<value_info> actual(in.size());
      std::vector<const value_info*> ptrs;
      for (std::size_t k = 0; k < in.size(); ++k) {
        actual[k] = {in[k].type(), partial_shape(in[k].dims()), std::make_shared<const tensor>(in[k])};
        ptrs.push_back(&actual[k]);
      }
      infer_context ictx(ptrs, n.name, n.op.type_name());
      try {
        n.op.infer(ictx);
      } catch (error& e) {
        e.with_node(n.name, std::string(n.op.type_name()));
        throw;
      }
      kernel_context kctx(in, std::move(ictx.outputs()), n.name, n.op.type_name());
      try {
        run(n.op, kctx);
      } catch (error& e) {
        e.with_node(n.name, std::string(n.op.type_name()));
        throw;
      }
      values[id] = kctx.take_outputs();
    }
    for (const auto& r : n.inputs)
      if (--uses[r.node] == 0) values[r.node].clear();
  }
  std::vector<tensor> out;
  out.reserve(g.results().size());
  for (node_id r : g.results()) out.push_back(results.at(r));
  return out;
}

/// As evaluate(), with inputs given by Parameter name.
inline std::vector<tensor> evaluate(const graph& g, const std::map<std::string, tensor>& inputs,
                                    const kernel_registry& registry = kernels()) {
  std::vector<tensor> ordered;
  for (node_id p : g.parameters()) {
    const auto& name = g.node(p).name;
    auto it = inputs.find(name);
    if (it == inputs.end()) {
      // a tensor name of the Parameter's output also identifies it
      for (const auto& tn : g.port({p, 0}).names)
        if ((it = inputs.find(tn)) != inputs.end()) break;
    }
    if (it == inputs.end()) throw error("no data given for model input '" + name + "'", at_node(name, "Parameter"));
    ordered.push_back(it->second);
  }
  return evaluate(g, ordered, registry);
}

} // namespace irforge::reference
