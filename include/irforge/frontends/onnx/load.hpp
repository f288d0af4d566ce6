// irforge — `irforge::onnx::load(path)`: an ONNX file to an irforge::graph.
#pragma once

#include <string>

#include "irforge/core/graph.hpp"
#include "irforge/frontends/onnx/converter.hpp"
#include "irforge/frontends/onnx/mappings.hpp"
#include "irforge/frontends/onnx/model.hpp"
#include "irforge/passes/dead_code_elimination.hpp"

namespace irforge::onnx {

struct load_options {
  /// The op mappings to use (default: standard_mappings()).
  const mapping_table* mappings = nullptr;
  /// Ops without a mapping: an error listing them (default) or custom layers.
  custom_op_policy custom_ops = {};
};

/// Converts a parsed model; nodes no output needs are dropped.
inline graph convert(const model& m, const load_options& options = {}) {
  graph g = convert(m, options.mappings ? *options.mappings : standard_mappings(), options.custom_ops);
  passes::eliminate_dead_code(g);
  return g;
}

/// Reads and converts an ONNX file. Weights stay views into the mapped file
/// (and its external data files) for as long as the graph lives.
inline graph load(const std::string& path, const load_options& options = {}) {
  const model m = load_model(path);
  return convert(m, options);
}

} // namespace irforge::onnx
