// irforge — what an ONNX op mapping sees: one ONNX node, its inputs in the
// graph being built, its attributes, and helpers that add IR nodes named and
// traced after it.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "irforge/frontends/unique_names.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/onnx/model.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/ops/constant.hpp"

namespace irforge::onnx {

class node_context {
public:
  node_context(graph& g, const model& m, const node& n, std::vector<std::optional<output_ref>> inputs,
               std::int64_t opset, std::string node_name, std::unordered_set<std::string>& used_names)
      : g_(g), model_(m), node_(n), inputs_(std::move(inputs)), opset_(opset), name_(std::move(node_name)),
        used_names_(used_names) {}

  // ---- the ONNX node ---------------------------------------------------------------
  [[nodiscard]] const node& proto() const { return node_; }
  [[nodiscard]] std::string_view op_type() const { return node_.op_type; }
  /// The node's name (its first output's name when the node has none).
  [[nodiscard]] const std::string& name() const { return name_; }
  /// The opset version of the node's domain that the model imports.
  [[nodiscard]] std::int64_t opset() const { return opset_; }
  [[nodiscard]] std::size_t output_count() const { return node_.outputs.size(); }
  /// True when output k exists and something uses it.
  [[nodiscard]] bool output_requested(std::size_t k) const { return k < node_.outputs.size() && !node_.outputs[k].empty(); }

  // ---- inputs ------------------------------------------------------------------------
  /// Number of inputs, counting empty (omitted optional) ones in the middle.
  [[nodiscard]] std::size_t input_count() const { return inputs_.size(); }
  [[nodiscard]] bool has_input(std::size_t i) const { return i < inputs_.size() && inputs_[i].has_value(); }
  [[nodiscard]] output_ref input(std::size_t i) const {
    if (!has_input(i)) fail("input " + std::to_string(i) + " is required");
    return *inputs_[i];
  }
  [[nodiscard]] const irforge::value_info& input_info(std::size_t i) const { return g_.info(input(i)); }
  [[nodiscard]] element_type input_type(std::size_t i) const { return input_info(i).type; }
  [[nodiscard]] const partial_shape& input_shape(std::size_t i) const { return input_info(i).shape; }
  /// The input's value when known at conversion time (initializers, Constant
  /// nodes, folded shape computations), else nullptr.
  [[nodiscard]] const tensor* input_value(std::size_t i) const {
    return has_input(i) ? input_info(i).value.get() : nullptr;
  }
  /// An input that must be known at conversion time, as int64 values.
  [[nodiscard]] std::vector<std::int64_t> constant_ints(std::size_t i, std::string_view what) const {
    const tensor* t = input_value(i);
    if (t == nullptr) fail(std::string(what) + " (input " + std::to_string(i) + ") must be a constant");
    return t->as_i64();
  }
  /// Static rank of input i, or an error naming what needs it.
  [[nodiscard]] std::int64_t input_rank(std::size_t i, std::string_view why) const {
    const auto& s = input_shape(i);
    if (!s.rank_is_static()) fail(std::string(why) + " needs the rank of input " + std::to_string(i) + ", which is unknown");
    return static_cast<std::int64_t>(s.rank());
  }

  // ---- attributes --------------------------------------------------------------------
  [[nodiscard]] bool has_attribute(std::string_view n) const { return node_.find(n) != nullptr; }
  [[nodiscard]] std::int64_t attr_int(std::string_view n, std::int64_t fallback) const {
    const attribute* a = node_.find(n);
    if (!a) return fallback;
    check_type(*a, attribute_type::int_);
    return a->i;
  }
  [[nodiscard]] std::int64_t attr_int(std::string_view n) const {
    const attribute* a = require_attr(n);
    check_type(*a, attribute_type::int_);
    return a->i;
  }
  [[nodiscard]] float attr_float(std::string_view n, float fallback) const {
    const attribute* a = node_.find(n);
    if (!a) return fallback;
    if (a->type == attribute_type::int_) return static_cast<float>(a->i); // some exporters write ints
    check_type(*a, attribute_type::float_);
    return a->f;
  }
  [[nodiscard]] std::string attr_string(std::string_view n, std::string_view fallback) const {
    const attribute* a = node_.find(n);
    if (!a) return std::string(fallback);
    check_type(*a, attribute_type::string);
    return std::string(a->s);
  }
  [[nodiscard]] std::vector<std::int64_t> attr_ints(std::string_view n, std::vector<std::int64_t> fallback = {}) const {
    const attribute* a = node_.find(n);
    if (!a) return fallback;
    if (a->type == attribute_type::int_) return {a->i};
    check_type(*a, attribute_type::ints);
    return a->ints;
  }
  [[nodiscard]] std::vector<float> attr_floats(std::string_view n, std::vector<float> fallback = {}) const {
    const attribute* a = node_.find(n);
    if (!a) return fallback;
    if (a->type == attribute_type::float_) return {a->f};
    check_type(*a, attribute_type::floats);
    return a->floats;
  }
  [[nodiscard]] std::optional<tensor> attr_tensor(std::string_view n) const {
    const attribute* a = node_.find(n);
    if (!a) return std::nullopt;
    check_type(*a, attribute_type::tensor);
    try {
      return to_tensor(*a->t);
    } catch (error& e) {
      e.with_node(name_, std::string(node_.op_type));
      throw;
    }
  }

  // ---- building ----------------------------------------------------------------------
  /// Adds an IR node standing for (part of) this ONNX node. The last node a
  /// mapping adds is named after the ONNX node; helpers get "<name>/<suffix>".
  template <Layer T> output_ref add(T op, std::vector<output_ref> inputs, std::string_view suffix = {}) {
    return {add_node(any_op(std::move(op)), std::move(inputs), suffix), 0};
  }
  /// As add, returning the node id (for ops with several outputs).
  node_id add_node(any_op op, std::vector<output_ref> inputs, std::string_view suffix = {}) {
    std::string nm = frontends::claim_unique_name(suffix.empty() ? name_ : name_ + "/" + std::string(suffix), used_names_);
    node_id id = 0;
    try {
      id = g_.add(std::move(op), std::move(inputs), nm);
    } catch (error& e) {
      e.with_node(name_, std::string(node_.op_type));
      throw;
    }
    g_.node(id).source_names.push_back(name_);
    return id;
  }
  /// A Const node holding `value`.
  output_ref constant(tensor value, std::string_view suffix) { return add(ops::Constant(std::move(value)), {}, suffix); }
  template <class T> output_ref constant(std::vector<T> values, shape dims, std::string_view suffix) {
    return constant(tensor::from_values<T>(std::move(dims), values), suffix);
  }
  output_ref constant_i64(std::vector<std::int64_t> values, std::string_view suffix) {
    const auto n = static_cast<std::int64_t>(values.size());
    return constant<std::int64_t>(std::move(values), {n}, suffix);
  }
  output_ref scalar_i64(std::int64_t value, std::string_view suffix) { return constant<std::int64_t>({value}, {}, suffix); }
  /// A scalar constant of element type `type` (float types and integers).
  output_ref scalar_of(element_type type, double value, std::string_view suffix) {
    return constant(scalar_tensor(type, value), suffix);
  }
  static tensor scalar_tensor(element_type type, double value) {
    switch (type) {
    case element_type::f32: return tensor::scalar<float>(static_cast<float>(value));
    case element_type::f64: return tensor::scalar<double>(value);
    case element_type::f16: return tensor::from_values<std::uint16_t>({}, {f32_to_f16_bits(static_cast<float>(value))}).reinterpreted(element_type::f16);
    case element_type::bf16: return tensor::from_values<std::uint16_t>({}, {f32_to_bf16_bits(static_cast<float>(value))}).reinterpreted(element_type::bf16);
    case element_type::i8: return tensor::scalar<std::int8_t>(static_cast<std::int8_t>(value));
    case element_type::i16: return tensor::scalar<std::int16_t>(static_cast<std::int16_t>(value));
    case element_type::i32: return tensor::scalar<std::int32_t>(static_cast<std::int32_t>(value));
    case element_type::i64: return tensor::scalar<std::int64_t>(static_cast<std::int64_t>(value));
    case element_type::u8: return tensor::scalar<std::uint8_t>(static_cast<std::uint8_t>(value));
    case element_type::u16: return tensor::scalar<std::uint16_t>(static_cast<std::uint16_t>(value));
    case element_type::u32: return tensor::scalar<std::uint32_t>(static_cast<std::uint32_t>(value));
    case element_type::u64: return tensor::scalar<std::uint64_t>(static_cast<std::uint64_t>(value));
    default: throw error("cannot make a scalar of type " + std::string(to_string(type)));
    }
  }

  [[nodiscard]] graph& g() { return g_; }
  [[nodiscard]] const model& onnx_model() const { return model_; }

  [[noreturn]] void fail(const std::string& message) const {
    throw error(message, at_node(name_, std::string(node_.op_type)));
  }

  /// `wanted`, or `wanted_1`, `wanted_2` ... if taken: IR layer names are unique.
private:
  const attribute* require_attr(std::string_view n) const {
    const attribute* a = node_.find(n);
    if (!a) fail("attribute '" + std::string(n) + "' is required");
    return a;
  }
  void check_type(const attribute& a, attribute_type want) const {
    if (a.type != want)
      fail("attribute '" + std::string(a.name) + "' has type " + to_string(a.type) + ", expected " + to_string(want));
  }

  graph& g_;
  const model& model_;
  const node& node_;
  std::vector<std::optional<output_ref>> inputs_;
  std::int64_t opset_;
  std::string name_;
  std::unordered_set<std::string>& used_names_;
};

/// A mapping: converts one ONNX node into IR nodes and returns one output per
/// ONNX output (std::nullopt for an optional output it does not produce;
/// outputs beyond the node's own are ignored).
using mapping_result = std::vector<std::optional<output_ref>>;
using mapping_fn = std::function<mapping_result(node_context&)>;

} // namespace irforge::onnx
