// irforge — `irforge::caffe::load(caffemodel, prototxt)`: a Caffe net to an irforge::graph.
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/mappings.hpp"
#include "irforge/frontends/caffe/net.hpp"
#include "irforge/passes/dead_code_elimination.hpp"

namespace irforge::caffe {

/// Layer types that produce the data of training nets (their top 0 is the
/// image blob, top 1 the label).
inline constexpr std::string_view data_layers[] = {"Data",      "ImageData",  "HDF5Data",     "MemoryData",
                                                   "WindowData", "DummyData", "AnnotatedData"};

/// The names an input shape (--input_shape) may refer to, in model input
/// order: the net-level inputs and the Input layers' tops; for a train_test
/// net without either, the image blob (top 0) of each data layer. A caller
/// with one unnamed shape gives it to the only name here.
inline std::vector<std::string> input_names(const net& n) {
  std::vector<std::string> out;
  for (const auto& in : n.inputs) out.push_back(in.name);
  for (const auto& l : n.layers)
    if (l.type == "Input") out.insert(out.end(), l.tops.begin(), l.tops.end());
  if (!out.empty()) return out;
  for (const auto& l : n.layers)
    if (!l.tops.empty() && std::find(std::begin(data_layers), std::end(data_layers), l.type) != std::end(data_layers))
      out.push_back(l.tops[0]);
  return out;
}

/// Converts a net; layers no output needs are dropped.
inline graph convert(const net& n, const load_options& options = {}) {
  graph g = convert(n, options.mappings ? *options.mappings : standard_mappings(), options);
  passes::eliminate_dead_code(g);
  return g;
}

/// Reads and converts a Caffe net. `prototxt_path` empty: the caffemodel's
/// path with the extension ".prototxt" (as Model Optimizer does).
/// `caffemodel_path` empty: the prototxt alone, for topology checks (weights
/// are made up; a note says so). Weights stay views into the mapped
/// caffemodel for as long as the graph lives.
inline graph load(const std::string& caffemodel_path, const std::string& prototxt_path = {},
                  const load_options& options = {}) {
  if (caffemodel_path.empty() && prototxt_path.empty()) throw error("give a .caffemodel, a .prototxt, or both");
  const std::string proto = prototxt_path.empty() ? default_prototxt_path(caffemodel_path) : prototxt_path;
  const net n = load_net(caffemodel_path, proto);
  return convert(n, options);
}

} // namespace irforge::caffe
