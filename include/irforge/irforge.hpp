// irforge — the whole library in one include (and the root of the
// single-header amalgamation in single_include/).
//
//   irforge::graph g = irforge::onnx::load("model.onnx");
//   irforge::graph c = irforge::caffe::load("net.caffemodel");   // net.prototxt beside it
//   irforge::ir::save(g, "out/model");   // out/model.xml + out/model.bin
#pragma once

#include "irforge/version.hpp"

#include "irforge/core/attribute.hpp"
#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/core/half.hpp"
#include "irforge/core/op.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/core/tensor.hpp"

#include "irforge/ops/generic.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/ops/standard.hpp"

#include "irforge/passes/dead_code_elimination.hpp"

#include "irforge/frontends/caffe.hpp"
#include "irforge/frontends/onnx/load.hpp"
#include "irforge/frontends/onnx/writer.hpp"
#include "irforge/frontends/unsupported_ops.hpp"

#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"

#include "irforge/cli/main.hpp"
