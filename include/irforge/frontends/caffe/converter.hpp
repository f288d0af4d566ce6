// irforge — a Caffe net to irforge::graph: walks the layers in file order
// (Caffe's own execution order) and hands each to its mapping.
//
// Before anything is built, every layer type is looked up and all unknown
// ones are reported together with their layer names. Blobs are tracked by
// name, so in-place layers (top == bottom) chain naturally: a bottom always
// means the latest value of that blob, and the blob's name moves to the new
// value (every tensor name stays unique). Net-level inputs and Input layers
// become Parameters; training-only layers (data, loss, accuracy) are dropped
// with a note, and a data layer's top becomes a model input when an input
// shape is given for it. The outputs are the blob values nothing consumes.
// Every IR node records the Caffe layer it came from (rt_info fused_names).
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/caffe/layer_context.hpp"
#include "irforge/frontends/caffe/net.hpp"
#include "irforge/frontends/unsupported_ops.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"

namespace irforge::caffe {

/// How the converter treats a layer type.
enum class layer_role : std::uint8_t {
  mapped,     ///< converted by its mapping
  input,      ///< an Input layer: its tops become model inputs
  train_only, ///< dropped with a note (data, loss, accuracy layers)
};

/// Caffe layer type -> mapping. Users add or replace entries with `add`.
class mapping_table {
public:
  struct entry {
    layer_role role = layer_role::mapped;
    mapping_fn fn;
  };

  mapping_table& add(std::string type, mapping_fn fn) {
    table_[std::move(type)] = entry{layer_role::mapped, std::move(fn)};
    return *this;
  }
  mapping_table& add_input(std::string type) {
    table_[std::move(type)] = entry{layer_role::input, {}};
    return *this;
  }
  mapping_table& add_train_only(std::string type) {
    table_[std::move(type)] = entry{layer_role::train_only, {}};
    return *this;
  }
  [[nodiscard]] const entry* find(std::string_view type) const {
    const auto it = table_.find(std::string(type));
    return it == table_.end() ? nullptr : &it->second;
  }
  /// Every known type, sorted.
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : table_) out.push_back(k);
    return out;
  }

private:
  std::map<std::string, entry, std::less<>> table_;
};

/// Options of a conversion.
struct load_options {
  /// The layer mappings to use (default: standard_mappings()).
  const mapping_table* mappings = nullptr;
  /// Input shapes by input name (an `input:` name, an Input layer's top or
  /// name, or the top of a data layer), overriding the prototxt's (MO's
  /// --input_shape).
  std::map<std::string, partial_shape> input_shapes;
  /// Receives notes a user should see (dropped layers, missing weights).
  std::function<void(const std::string&)> on_note;
};

namespace detail {

class net_converter {
public:
  net_converter(const net& n, const mapping_table& mappings, const load_options& options)
      : net_(n), mappings_(mappings), options_(options) {}

  graph run() {
    check_supported();
    graph g(net_.name.empty() ? std::string("model") : net_.name);

    for (const auto& in : net_.inputs) {
      const auto shape = input_shape_of(in.name, {}, in.shape, "input '" + in.name + "'");
      add_parameter(g, in.name, in.name, shape);
    }
    for (const auto& l : net_.layers) convert_layer(g, l);

    std::size_t outputs = 0;
    for (const auto& p : produced_) {
      if (p.consumed || p.is_input) continue;
      const node_id r = g.add(ops::Result{}, {p.ref}, unique(p.name + "/sink_port_0"));
      g.node(r).source_names.push_back(p.name);
      ++outputs;
    }
    check_unused_shapes();
    if (outputs == 0)
      throw error("the net has no outputs (every blob is consumed by some layer)", in_file(net_.prototxt_path));
    emit_notes();
    return g;
  }

private:
  struct produced_blob {
    std::string name;
    output_ref ref;
    bool consumed = false;
    bool is_input = false;
  };

  void check_supported() const {
    unsupported_collector missing;
    for (const auto& l : net_.layers)
      if (!mappings_.find(l.type)) missing.add(l.type, l.name);
    if (!missing.empty()) missing.raise("Caffe", net_.prototxt_path);
  }

  std::string unique(std::string wanted) { return frontends::claim_unique_name(std::move(wanted), used_names_); }

  [[noreturn]] void fail(const layer& l, const std::string& message) const {
    error_location where = in_file(net_.prototxt_path);
    where.node = l.name;
    where.op = l.type;
    throw error("line " + std::to_string(l.line()) + ": " + message, where);
  }

  /// The shape of a model input: the user's override (by `key`, or `alt_key`), else the prototxt's.
  partial_shape input_shape_of(const std::string& key, const std::string& alt_key,
                               const std::optional<partial_shape>& declared, const std::string& what) {
    if (auto it = options_.input_shapes.find(key); it != options_.input_shapes.end()) {
      used_shapes_.insert(key);
      return it->second;
    }
    if (!alt_key.empty())
      if (auto it = options_.input_shapes.find(alt_key); it != options_.input_shapes.end()) {
        used_shapes_.insert(alt_key);
        return it->second;
      }
    if (!declared)
      throw error(what + " has no shape in the prototxt; give one (an input shape for '" + key + "')",
                  in_file(net_.prototxt_path));
    return *declared;
  }

  void add_parameter(graph& g, const std::string& node_name, const std::string& blob, const partial_shape& shape) {
    const node_id p = g.add(ops::Parameter{shape, element_type::f32}, {}, unique(node_name));
    g.node(p).source_names.push_back(node_name);
    produce(g, blob, {p, 0}, true);
  }

  /// Records a new value of blob `name`. The tensor name moves from the
  /// blob's older value (names stay unique), except from a model input:
  /// inputs keep the names they are fed by.
  void produce(graph& g, const std::string& name, output_ref ref, bool is_input = false) {
    bool keep_on_input = false;
    if (auto it = current_.find(name); it != current_.end()) {
      const auto& old = produced_[it->second];
      if (old.ref != ref) {
        if (old.is_input) keep_on_input = true;
        else std::erase(g.port(old.ref).names, name);
      }
    }
    auto& names = g.port(ref).names;
    if (!keep_on_input && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    current_[name] = produced_.size();
    produced_.push_back({name, ref, false, is_input});
    unavailable_.erase(name);
  }

  output_ref consume(const layer& l, const std::string& bottom) {
    if (auto it = unavailable_.find(bottom); it != unavailable_.end())
      fail(l, "bottom '" + bottom + "' comes from the training-only layer " + it->second +
                  ", which is dropped; give an input shape for '" + bottom + "' to make it a model input");
    const auto it = current_.find(bottom);
    if (it == current_.end()) fail(l, "bottom '" + bottom + "' is not produced by any earlier layer or input");
    produced_[it->second].consumed = true;
    return produced_[it->second].ref;
  }

  void convert_layer(graph& g, const layer& l) {
    const mapping_table::entry* e = mappings_.find(l.type);
    switch (e->role) {
    case layer_role::train_only:
      dropped_.push_back(l.name + " (" + l.type + ")");
      for (const auto& top : l.tops) {
        if (options_.input_shapes.count(top)) {
          used_shapes_.insert(top);
          add_parameter(g, top, top, options_.input_shapes.at(top));
        } else {
          unavailable_[top] = "'" + l.name + "' (" + l.type + ")";
        }
      }
      return;
    case layer_role::input: {
      const auto shapes = l.param("input_param").messages("shape");
      if (!shapes.empty() && shapes.size() != 1 && shapes.size() != l.tops.size())
        fail(l, std::to_string(l.tops.size()) + " tops but " + std::to_string(shapes.size()) +
                    " input_param shapes (give one for all, or one per top)");
      for (std::size_t k = 0; k < l.tops.size(); ++k) {
        std::optional<partial_shape> declared;
        if (!shapes.empty()) declared = shape_of_blob_shape(shapes[shapes.size() == 1 ? 0 : k]);
        const std::string& top = l.tops[k];
        const auto s = input_shape_of(top, l.tops.size() == 1 ? l.name : std::string(), declared,
                                      "input '" + top + "' (layer '" + l.name + "')");
        add_parameter(g, l.tops.size() == 1 ? l.name : top, top, s);
      }
      return;
    }
    case layer_role::mapped: break;
    }

    std::vector<output_ref> inputs;
    inputs.reserve(l.bottoms.size());
    for (const auto& b : l.bottoms) inputs.push_back(consume(l, b));
    layer_context ctx(g, net_, l, std::move(inputs), used_names_, synthesized_);
    mapping_result outputs;
    try {
      outputs = e->fn(ctx);
    } catch (const error& err) {
      // Point at the layer in the prototxt (an op's own error keeps its IR node name).
      error_location where = err.where();
      if (where.file.empty()) where.file = net_.prototxt_path;
      if (where.node.empty()) {
        where.node = l.name;
        where.op = l.type;
      }
      throw error("line " + std::to_string(l.line()) + ": " + err.message(), where);
    }
    if (outputs.size() != l.tops.size())
      fail(l, "the mapping produced " + std::to_string(outputs.size()) + " outputs for " +
                  std::to_string(l.tops.size()) + " tops");
    for (std::size_t k = 0; k < l.tops.size(); ++k) produce(g, l.tops[k], outputs[k]);
  }

  void check_unused_shapes() const {
    std::string unused;
    for (const auto& [name, s] : options_.input_shapes)
      if (!used_shapes_.count(name)) unused += (unused.empty() ? "'" : ", '") + name + "'";
    if (unused.empty()) return;
    std::string inputs;
    for (const auto& p : produced_)
      if (p.is_input) inputs += (inputs.empty() ? "'" : ", '") + p.name + "'";
    throw error("input shapes given for " + unused + ", which name no input of the net (its inputs: " +
                    (inputs.empty() ? std::string("none") : inputs) + ")",
                in_file(net_.prototxt_path));
  }

  static std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i == 8) {
        s += ", and " + std::to_string(v.size() - 8) + " more";
        break;
      }
      s += (i ? ", " : "") + v[i];
    }
    return s;
  }

  void emit_notes() const {
    if (!options_.on_note) return;
    if (!net_.excluded.empty())
      options_.on_note("skipped " + std::to_string(net_.excluded.size()) +
                       " layer(s) that the TEST phase excludes: " + joined(net_.excluded));
    if (!dropped_.empty())
      options_.on_note("dropped " + std::to_string(dropped_.size()) + " training-only layer(s): " + joined(dropped_));
    if (!net_.has_weights() && synthesized_ > 0)
      options_.on_note("no .caffemodel: converted from '" + net_.prototxt_path + "' alone, for topology checks; " +
                       std::to_string(synthesized_) +
                       " weight blob(s) are made up (filler constants, else zeros), so the outputs are meaningless");
    else if (!net_.has_weights())
      options_.on_note("no .caffemodel: converted from '" + net_.prototxt_path +
                       "' alone; its layers have no weights, so nothing is missing");
  }

  const net& net_;
  const mapping_table& mappings_;
  const load_options& options_;
  std::vector<produced_blob> produced_;
  std::unordered_map<std::string, std::size_t> current_;
  std::unordered_map<std::string, std::string> unavailable_;
  std::set<std::string> used_shapes_;
  std::vector<std::string> dropped_;
  std::unordered_set<std::string> used_names_;
  std::size_t synthesized_ = 0;
};

} // namespace detail

/// Converts a net with the given mappings (no dead-code elimination).
inline graph convert(const net& n, const mapping_table& mappings, const load_options& options = {}) {
  return detail::net_converter(n, mappings, options).run();
}

} // namespace irforge::caffe
