// irforge — what a user's own converter binary adds to the built-in one:
// framework mappings, an optimisation pipeline, the op set and kernels.
#pragma once

#include <functional>

#include "irforge/core/graph.hpp"
#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/onnx/converter.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/passes/report.hpp"

namespace irforge::reference {
class kernel_registry; // reference/evaluator.hpp
}

namespace irforge::cli {

struct extensions {
  /// ONNX op mappings to use instead of onnx::standard_mappings().
  const onnx::mapping_table* onnx_mappings = nullptr;
  /// Caffe layer mappings to use instead of caffe::standard_mappings().
  const caffe::mapping_table* caffe_mappings = nullptr;
  /// The optimisation pipeline (default: passes::standard()).
  std::function<passes::pipeline_report(graph&, const passes::run_options&)> optimize;
  /// The op set for reading IR (run) and the kernels for evaluating (run, verify).
  const op_registry* registry = nullptr;
  const reference::kernel_registry* kernels = nullptr;
  /// ONNX ops without a mapping: an error (default) or custom layers (--passthrough_unknown_ops).
  onnx::custom_op_policy custom_ops = {};
};

} // namespace irforge::cli
