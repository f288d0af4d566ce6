// irforge — the command line's frontend seam: --input_model (with
// --framework, --input_proto) to an irforge::graph, whatever the framework.
// A new frontend is one more branch here; nothing after it changes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "irforge/cli/extensions.hpp"
#include "irforge/cli/log.hpp"
#include "irforge/cli/mo_syntax.hpp"
#include "irforge/cli/options.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/caffe/load.hpp"
#include "irforge/frontends/onnx/load.hpp"

namespace irforge::cli {

/// A source model as imported, with what the report says of it.
struct loaded_model {
  graph g;
  std::string framework;
  std::uint64_t source_bytes = 0;
  std::vector<std::string> source_layers; ///< the source model's layer names
  std::vector<std::string> notes;         ///< what the frontend wants the user to know
};

namespace detail {

inline std::string framework_of(const options& o) {
  if (!o.framework.empty()) return o.framework;
  const std::string ext = std::filesystem::path(o.input_model).extension().string();
  if (ext == ".onnx") return "onnx";
  if (ext == ".caffemodel" || ext == ".prototxt") return "caffe";
  if (ext == ".pb" || ext == ".pbtxt") return "tf";
  if (ext == ".params" || ext == ".json") return "mxnet";
  if (ext == ".nnet" || ext == ".mdl" || ext == ".raw") return "kaldi";
  throw error("cannot tell the framework from the extension '" + ext + "': give --framework", in_file(o.input_model));
}

inline std::uint64_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(n);
}

/// The shapes --input / --input_shape give to a Caffe net's own inputs. Caffe
/// takes them before conversion (its Reshape, Crop and PriorBox parameters
/// are resolved against the input shape); items that name other points are
/// cuts, applied after import like for every framework.
inline std::map<std::string, partial_shape> caffe_input_shapes(const options& o, const std::vector<std::string>& inputs) {
  std::map<std::string, partial_shape> out;
  std::vector<input_item> items;
  if (!o.cut_inputs.empty()) items = parse_input_items(o.cut_inputs);
  const std::vector<partial_shape> shapes = o.input_shape.empty() ? std::vector<partial_shape>{}
                                                                   : parse_input_shapes(o.input_shape);
  if (items.empty()) {
    if (shapes.size() == 1 && inputs.size() == 1) out.emplace(inputs[0], shapes[0]);
    return out; // other counts: apply_input_options names the mismatch
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::optional<partial_shape> shape = items[i].shape;
    if (!shape && shapes.size() == items.size()) shape = shapes[i];
    if (shape && std::find(inputs.begin(), inputs.end(), items[i].name) != inputs.end())
      out.emplace(items[i].name, *shape);
  }
  return out;
}

inline loaded_model load_onnx(const options& o, const extensions& ext) {
  loaded_model r;
  const onnx::model m = onnx::load_model(o.input_model);
  r.source_bytes = m.file ? m.file->size() : 0;
  for (std::size_t i = 0; i < m.graph.nodes.size(); ++i)
    r.source_layers.push_back(onnx::detail::node_display_name(m.graph.nodes[i], i));
  onnx::load_options load;
  load.mappings = ext.onnx_mappings;
  load.custom_ops = ext.custom_ops;
  load.custom_ops.passthrough = load.custom_ops.passthrough || o.passthrough_unknown_ops;
  r.g = onnx::convert(m, load);
  return r;
}

/// MO's Caffe inputs: --input_model net.caffemodel [--input_proto deploy.prototxt]
/// (default: the model's path with .prototxt), or a .prototxt alone (no weights).
inline loaded_model load_caffe(const options& o, const extensions& ext, const logger& log) {
  loaded_model r;
  const bool prototxt_only = std::filesystem::path(o.input_model).extension() == ".prototxt" && o.input_proto.empty();
  const std::string caffemodel = prototxt_only ? std::string() : o.input_model;
  const std::string prototxt = prototxt_only ? o.input_model
                               : o.input_proto.empty() ? caffe::default_prototxt_path(o.input_model)
                                                       : o.input_proto;
  const caffe::net n = caffe::load_net(caffemodel, prototxt);
  r.source_bytes = file_size_or_zero(prototxt) + (caffemodel.empty() ? 0 : file_size_or_zero(caffemodel));
  for (const auto& l : n.layers) r.source_layers.push_back(l.name);
  caffe::load_options load;
  load.mappings = ext.caffe_mappings;
  load.input_shapes = caffe_input_shapes(o, caffe::input_names(n));
  load.on_note = [&](const std::string& note) {
    log.warning(note);
    r.notes.push_back(note);
  };
  r.g = caffe::convert(n, load);
  return r;
}

} // namespace detail

/// Imports the model the options name.
inline loaded_model load_model(const options& o, const extensions& ext = {}, const logger& log = {}) {
  const std::string framework = detail::framework_of(o);
  loaded_model r;
  if (framework == "onnx") r = detail::load_onnx(o, ext);
  else if (framework == "caffe") r = detail::load_caffe(o, ext, log);
  else
    throw error("the " + framework + " frontend is not available yet (ONNX and Caffe models convert today)",
                in_file(o.input_model));
  r.framework = framework;
  log.info("Imported " + std::filesystem::path(o.input_model).filename().string() + " (" + framework + "): " +
           std::to_string(r.source_layers.size()) + " layers, " + std::to_string(r.g.size()) + " nodes");
  return r;
}

} // namespace irforge::cli
