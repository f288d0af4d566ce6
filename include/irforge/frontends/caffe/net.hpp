// irforge — a Caffe net as the converter sees it: the .prototxt's layers
// (V2 `layer` or V1 `layers`, V1 enum types renamed to their V2 names), with
// the weight blobs of the .caffemodel layer of the same name attached.
//
// The prototxt decides topology and parameters, the caffemodel only supplies
// blobs (as in Caffe and Model Optimizer). Layers the TEST phase excludes
// (include/exclude NetStateRules) are removed, so a train_val prototxt reads
// like a deploy one apart from its data and loss layers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/frontends/caffe/caffemodel.hpp"
#include "irforge/frontends/caffe/prototxt.hpp"

namespace irforge::caffe {

/// A net-level input (`input:` with `input_shape` or `input_dim`).
struct net_input {
  std::string name;
  std::optional<partial_shape> shape; ///< nullopt: the prototxt gives none
  std::uint32_t line = 0;
};

/// One layer of the net.
struct layer {
  std::string name;
  std::string type; ///< V2 spelling
  std::vector<std::string> bottoms, tops;
  message_view message;                  ///< the layer message of the prototxt
  const model_layer* weights = nullptr;  ///< the caffemodel layer of the same name, if any
  bool v1 = false;                       ///< written as V1 `layers { type: ENUM }`

  /// The sub-message `name` ("convolution_param"); an empty view when absent.
  [[nodiscard]] message_view param(std::string_view name) const { return message.message(name); }
  [[nodiscard]] std::uint32_t line() const { return message.line(); }
};

/// The whole net.
struct net {
  std::string name;
  std::string prototxt_path;
  std::string caffemodel_path; ///< "" in prototxt-only mode
  std::shared_ptr<const text_document> prototxt;
  std::shared_ptr<const caffemodel> model; ///< null in prototxt-only mode
  std::vector<net_input> inputs;
  std::vector<layer> layers;               ///< those the TEST phase includes, in file order
  std::vector<std::string> excluded;       ///< "name (type)" of layers the TEST phase excludes

  [[nodiscard]] bool has_weights() const { return model != nullptr; }
};

namespace detail {

inline constexpr std::string_view phase_names[] = {"TRAIN", "TEST"};

/// Whether one NetStateRule holds for the deployment state (phase TEST, level 0, no stages).
inline bool rule_holds(const message_view& rule) {
  if (rule.has("phase") && rule.enumeration("phase", "TEST", phase_names) != "TEST") return false;
  if (rule.has("min_level") && rule.integer("min_level", 0) > 0) return false;
  if (rule.has("max_level") && rule.integer("max_level", 0) < 0) return false;
  if (rule.has("stage")) return false; // the state has no stages
  return true;
}

/// Caffe's StateMeetsRule logic: any include rule, or no exclude rule.
inline bool included_in_test(const message_view& l) {
  const auto include = l.messages("include");
  if (!include.empty()) {
    for (const auto& r : include)
      if (rule_holds(r)) return true;
    return false;
  }
  for (const auto& r : l.messages("exclude"))
    if (rule_holds(r)) return false;
  return true;
}

inline partial_shape shape_of_blob_shape(const message_view& s) {
  const auto dims = s.integers("dim");
  std::vector<dimension> out;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < -1) s.fail("dimension " + std::to_string(dims[i]) + " is negative");
    out.emplace_back(dims[i]); // -1: unknown
  }
  return partial_shape(std::move(out));
}

inline std::string layer_type(const message_view& l, bool v1) {
  const text_field* t = l.last("type");
  if (!t) l.fail("layer has no type");
  if (t->kind == text_kind::string) return t->value;
  // V1 enum: an identifier or its number.
  std::string_view v2;
  if (t->kind == text_kind::identifier) v2 = v1_type_name(t->value);
  else if (t->kind == text_kind::number) v2 = v1_type_name(l.to_integer(*t));
  if (v2.empty()) l.fail_at(*t, "unknown V1 layer type '" + t->value + "'");
  (void)v1; // a V1 enum inside a V2 `layer` is tolerated
  return std::string(v2);
}

} // namespace detail

/// Builds the net from a parsed prototxt and (optionally) a parsed caffemodel.
inline net make_net(std::shared_ptr<const text_document> prototxt, std::shared_ptr<const caffemodel> model = nullptr) {
  net n;
  n.prototxt = std::move(prototxt);
  n.model = std::move(model);
  n.prototxt_path = n.prototxt->file;
  if (n.model) n.caffemodel_path = n.model->path;
  const message_view root = root_of(*n.prototxt);
  n.name = root.string("name", "");

  // Inputs declared at the net level.
  const auto names = root.all("input");
  const auto shapes = root.messages("input_shape");
  const auto dims = root.integers("input_dim");
  if (!shapes.empty() && !dims.empty()) root.fail_at(*root.last("input_dim"), "the prototxt gives both input_shape and input_dim");
  if (!shapes.empty() && shapes.size() != names.size())
    root.fail_at(*root.last("input_shape"), std::to_string(names.size()) + " inputs but " +
                                                std::to_string(shapes.size()) + " input_shape messages");
  if (!dims.empty() && dims.size() != 4 * names.size())
    root.fail_at(*root.last("input_dim"), std::to_string(names.size()) + " inputs need " +
                                              std::to_string(4 * names.size()) + " input_dim values (4 each), got " +
                                              std::to_string(dims.size()));
  for (std::size_t i = 0; i < names.size(); ++i) {
    net_input in;
    if (names[i]->kind != text_kind::string) root.fail_at(*names[i], "field 'input' must be a string");
    in.name = names[i]->value;
    in.line = names[i]->line;
    if (!shapes.empty()) in.shape = detail::shape_of_blob_shape(shapes[i]);
    if (!dims.empty()) {
      std::vector<dimension> d;
      for (std::size_t k = 0; k < 4; ++k) {
        const auto v = dims[4 * i + k];
        if (v < -1) root.fail_at(*root.all("input_dim")[4 * i + k], "input_dim " + std::to_string(v) + " is negative");
        d.emplace_back(v);
      }
      in.shape = partial_shape(std::move(d));
    }
    n.inputs.push_back(std::move(in));
  }

  const auto v2 = root.messages("layer");
  const auto v1 = root.messages("layers");
  if (!v2.empty() && !v1.empty())
    v1.front().fail("the prototxt mixes V2 'layer' and V1 'layers' messages; a net uses one form");
  const bool legacy = v2.empty();
  std::size_t index = 0;
  for (const auto& l : legacy ? v1 : v2) {
    if (legacy && l.has("layer"))
      l.fail("V0 layers ('layers { layer { ... } }') are not supported; upgrade the net with Caffe's "
             "upgrade_net_proto_text first");
    layer x;
    x.v1 = legacy;
    x.message = l;
    x.type = detail::layer_type(l, legacy);
    x.name = l.string("name", "");
    if (x.name.empty()) x.name = x.type + "_" + std::to_string(index);
    x.bottoms = l.strings("bottom");
    x.tops = l.strings("top");
    ++index;
    if (!detail::included_in_test(l)) {
      n.excluded.push_back(x.name + " (" + x.type + ")");
      continue;
    }
    if (n.model) x.weights = n.model->find(x.name);
    n.layers.push_back(std::move(x));
  }
  if (v1.empty() && v2.empty() && n.inputs.empty())
    throw error("the prototxt has no layers (neither 'layer' nor 'layers' messages)", in_file(n.prototxt_path));
  return n;
}

/// The prototxt Model Optimizer looks for when only the model is given: the
/// model's path with its extension replaced by ".prototxt".
inline std::string default_prototxt_path(const std::string& caffemodel_path) {
  const auto slash = caffemodel_path.find_last_of('/');
  const auto dot = caffemodel_path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return caffemodel_path + ".prototxt";
  return caffemodel_path.substr(0, dot) + ".prototxt";
}

/// Reads a net: the prototxt, and the caffemodel unless its path is empty.
inline net load_net(const std::string& caffemodel_path, const std::string& prototxt_path) {
  auto text = std::make_shared<const text_document>(load_text(prototxt_path));
  std::shared_ptr<const caffemodel> model;
  if (!caffemodel_path.empty()) model = std::make_shared<const caffemodel>(load_caffemodel(caffemodel_path));
  return make_net(std::move(text), std::move(model));
}

} // namespace irforge::caffe
