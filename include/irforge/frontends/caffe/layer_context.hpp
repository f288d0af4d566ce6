// irforge — what a Caffe layer mapping sees: one layer, its bottoms in the
// graph being built, its parameter messages, its weight blobs (checked
// against the shapes the parameters imply), and helpers that add IR nodes
// named and traced after the layer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "irforge/frontends/unique_names.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/caffe/net.hpp"
#include "irforge/ops/constant.hpp"

namespace irforge::caffe {

class layer_context {
public:
  /// Made-up blobs (prototxt-only conversions) larger than this are refused:
  /// a typo in a prototxt must not allocate gigabytes.
  static constexpr std::uint64_t max_made_up_values = std::uint64_t{1} << 28;

  layer_context(graph& g, const net& n, const layer& l, std::vector<output_ref> inputs,
                std::unordered_set<std::string>& used_names, std::size_t& synthesized_blobs)
      : g_(g), net_(n), layer_(l), inputs_(std::move(inputs)), used_names_(used_names),
        synthesized_(synthesized_blobs) {}

  // ---- the Caffe layer -------------------------------------------------------------
  [[nodiscard]] const layer& caffe_layer() const { return layer_; }
  [[nodiscard]] const caffe::net& caffe_net() const { return net_; }
  [[nodiscard]] const std::string& name() const { return layer_.name; }
  [[nodiscard]] const std::string& type() const { return layer_.type; }
  /// The sub-message `name` of the layer ("pooling_param"); empty when absent.
  [[nodiscard]] message_view param(std::string_view name) const { return layer_.param(name); }
  /// Number of tops (the outputs a mapping must return).
  [[nodiscard]] std::size_t output_count() const { return layer_.tops.size(); }

  // ---- bottoms -----------------------------------------------------------------------
  [[nodiscard]] std::size_t input_count() const { return inputs_.size(); }
  [[nodiscard]] output_ref input(std::size_t i) const {
    if (i >= inputs_.size())
      fail("needs bottom " + std::to_string(i) + ", the layer has " + std::to_string(inputs_.size()));
    return inputs_[i];
  }
  [[nodiscard]] const irforge::value_info& input_info(std::size_t i) const { return g_.info(input(i)); }
  [[nodiscard]] element_type input_type(std::size_t i) const { return input_info(i).type; }
  [[nodiscard]] const partial_shape& input_shape(std::size_t i) const { return input_info(i).shape; }
  /// Static rank of bottom i, or an error naming what needs it.
  [[nodiscard]] std::int64_t input_rank(std::size_t i, std::string_view why) const {
    const auto& s = input_shape(i);
    if (!s.rank_is_static()) fail(std::string(why) + " needs the rank of bottom " + std::to_string(i) + ", which is unknown");
    return static_cast<std::int64_t>(s.rank());
  }
  /// Static shape of bottom i, or an error naming what needs it.
  [[nodiscard]] shape static_input_shape(std::size_t i, std::string_view why) const {
    const auto& s = input_shape(i);
    if (!s.is_static())
      fail(std::string(why) + " needs a static shape of bottom " + std::to_string(i) + ", got " + s.to_string());
    return s.to_shape();
  }
  /// Dimension `axis` of bottom i, which must be static.
  [[nodiscard]] std::int64_t static_dim(std::size_t i, std::int64_t axis, std::string_view why) const {
    const auto& s = input_shape(i);
    if (!s.rank_is_static() || axis < 0 || static_cast<std::size_t>(axis) >= s.rank() ||
        !s[static_cast<std::size_t>(axis)].is_static())
      fail(std::string(why) + " needs a static dimension " + std::to_string(axis) + " of bottom " + std::to_string(i) +
           ", got shape " + s.to_string());
    return s[static_cast<std::size_t>(axis)].min();
  }

  // ---- weight blobs --------------------------------------------------------------------
  /// True when the net has weights at all (false: prototxt-only conversion).
  [[nodiscard]] bool has_weights() const { return net_.has_weights(); }
  /// Blobs the caffemodel stores for this layer (0 in prototxt-only mode).
  [[nodiscard]] std::size_t blob_count() const { return layer_.weights ? layer_.weights->blobs.size() : 0; }

  /// Blob i as f32 values of shape `dims`. Its element count must equal the
  /// count `dims` implies (the stored shape may differ: legacy 4-D shapes
  /// hold vectors and matrices). Without weights the blob is made up: filled
  /// with `fill` (what the layer's default filler would give), so a prototxt
  /// alone converts for topology checks.
  [[nodiscard]] tensor blob_values(std::size_t i, const shape& dims, std::string_view role, float fill = 0.0f) const {
    const std::uint64_t need = element_count(dims);
    if (!net_.has_weights()) {
      if (need > max_made_up_values)
        fail("blob " + std::to_string(i) + " (" + std::string(role) + ") would need " + std::to_string(need) +
             " made-up values; that is too many for a conversion without weights");
      ++synthesized_;
      std::vector<float> v(static_cast<std::size_t>(need), fill);
      return tensor::from_values<float>(dims, v);
    }
    if (!layer_.weights)
      fail("the caffemodel '" + net_.caffemodel_path + "' has no layer of this name, so no weights for it");
    if (i >= layer_.weights->blobs.size())
      fail("the caffemodel stores " + std::to_string(layer_.weights->blobs.size()) + " blob(s) for this layer; blob " +
           std::to_string(i) + " (" + std::string(role) + ") is missing");
    const caffe::blob& b = layer_.weights->blobs[i];
    const std::uint64_t have = b.values.element_count();
    if (have != need)
      fail("blob " + std::to_string(i) + " (" + std::string(role) + ") in the caffemodel holds " + std::to_string(have) +
           " values (shape " + partial_shape(b.dims).to_string() + "), but the prototxt's parameters need " +
           std::to_string(need) + " (shape " + partial_shape(dims).to_string() + ")");
    if (b.values.type() == element_type::f32) return b.values.reshaped(dims);
    // double_data: converted to f32 like every other weight (as Model Optimizer does).
    const auto d = b.values.as_f64();
    std::vector<float> v(d.begin(), d.end());
    return tensor::from_values<float>(dims, v);
  }

  /// The stored shape of blob i (its count when the net has no weights).
  [[nodiscard]] std::optional<shape> blob_dims(std::size_t i) const {
    if (!layer_.weights || i >= layer_.weights->blobs.size()) return std::nullopt;
    return layer_.weights->blobs[i].dims;
  }

  /// Blob i as a Const node named "<layer>/<role>".
  output_ref blob(std::size_t i, const shape& dims, std::string_view role, float fill = 0.0f) {
    return constant(blob_values(i, dims, role, fill), role);
  }

  // ---- building --------------------------------------------------------------------------
  /// Adds an IR node standing for (part of) this layer. A mapping's last node is
  /// named after the layer; helpers get "<layer>/<suffix>".
  template <Layer T> output_ref add(T op, std::vector<output_ref> inputs, std::string_view suffix = {}) {
    return {add_node(any_op(std::move(op)), std::move(inputs), suffix), 0};
  }
  node_id add_node(any_op op, std::vector<output_ref> inputs, std::string_view suffix = {}) {
    std::string nm = frontends::claim_unique_name(suffix.empty() ? layer_.name : layer_.name + "/" + std::string(suffix), used_names_);
    node_id id = 0;
    try {
      id = g_.add(std::move(op), std::move(inputs), nm);
    } catch (error& e) {
      e.with_node(layer_.name, layer_.type);
      throw;
    }
    g_.node(id).source_names.push_back(layer_.name);
    return id;
  }
  output_ref constant(tensor value, std::string_view suffix) { return add(ops::Constant(std::move(value)), {}, suffix); }
  output_ref constant_i64(std::vector<std::int64_t> values, std::string_view suffix) {
    const auto n = static_cast<std::int64_t>(values.size());
    return constant(tensor::from_values<std::int64_t>({n}, values), suffix);
  }
  output_ref scalar_i64(std::int64_t value, std::string_view suffix) {
    return constant(tensor::scalar<std::int64_t>(value), suffix);
  }
  output_ref scalar_f32(double value, std::string_view suffix) {
    return constant(tensor::scalar<float>(to_f32(value)), suffix);
  }
  output_ref constant_f32(std::vector<float> values, shape dims, std::string_view suffix) {
    return constant(tensor::from_values<float>(std::move(dims), values), suffix);
  }

  [[nodiscard]] graph& g() { return g_; }

  [[noreturn]] void fail(const std::string& message) const { throw error(message, at_node(layer_.name, layer_.type)); }
  void require(bool condition, const std::string& message) const {
    if (!condition) fail(message);
  }

  /// `wanted`, or `wanted_1`, `wanted_2` ... if taken: IR layer names are unique.
private:
  graph& g_;
  const caffe::net& net_;
  const layer& layer_;
  std::vector<output_ref> inputs_;
  std::unordered_set<std::string>& used_names_;
  std::size_t& synthesized_;
};

/// A mapping: converts one Caffe layer into IR nodes and returns one output per top.
using mapping_result = std::vector<output_ref>;
using mapping_fn = std::function<mapping_result(layer_context&)>;

} // namespace irforge::caffe
