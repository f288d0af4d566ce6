// irforge — the standard op set: every op the library knows, as one
// compile-time list. The IR reader's registry and the frontends use it; a
// user extends it with `ops::standard::with<MyLayer>`.
#pragma once

#include "irforge/ops/activations.hpp"
#include "irforge/ops/batch_norm.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/broadcast.hpp"
#include "irforge/ops/concat.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/convolution.hpp"
#include "irforge/ops/cumsum.hpp"
#include "irforge/ops/depth_to_space.hpp"
#include "irforge/ops/detection_output.hpp"
#include "irforge/ops/gather.hpp"
#include "irforge/ops/interpolate.hpp"
#include "irforge/ops/matmul.hpp"
#include "irforge/ops/non_zero.hpp"
#include "irforge/ops/normalization.hpp"
#include "irforge/ops/one_hot.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/ops/pad.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/pooling.hpp"
#include "irforge/ops/prior_box.hpp"
#include "irforge/ops/range.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/reshape.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/ops/roi_pooling.hpp"
#include "irforge/ops/scatter.hpp"
#include "irforge/ops/select.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/slice.hpp"
#include "irforge/ops/softmax.hpp"
#include "irforge/ops/split.hpp"
#include "irforge/ops/squeeze.hpp"
#include "irforge/ops/topk.hpp"
#include "irforge/ops/transpose.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

using standard = op_set<
    // model inputs, outputs, constants
    Parameter, Result, Constant,
    // unary elementwise
    Relu, Sigmoid, Tanh, Exp, Log, Abs, Negative, Floor, Ceiling, Sqrt, Erf, Sin, Cos, Tan, Asin, Acos, Atan, Sinh,
    Cosh, Asinh, Acosh, Atanh, Sign, SoftPlus, HSwish, HSigmoid, Mish, SoftSign, LogicalNot,
    // activations with attributes or parameters
    Elu, Clamp, Selu, HardSigmoid, PRelu, Gelu, Swish, Round,
    // binary elementwise
    Add, Subtract, Multiply, Divide, Power, Maximum, Minimum, SquaredDifference, FloorMod, Mod, Equal, NotEqual,
    Greater, GreaterEqual, Less, LessEqual, LogicalAnd, LogicalOr, LogicalXor, Select,
    // type conversion
    Convert, ConvertLike,
    // convolution, pooling, linear algebra
    Convolution, GroupConvolution, ConvolutionBackpropData, GroupConvolutionBackpropData, v1::MaxPool, v8::MaxPool,
    MaxPool, v1::AvgPool, AvgPool, MatMul,
    // normalisation
    BatchNormInference, v1::BatchNormInference, LRN, MVN, NormalizeL2, Softmax, v1::Softmax, LogSoftmax,
    // reductions
    ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogicalAnd, ReduceLogicalOr,
    // shapes and data movement
    ShapeOf, v1::ShapeOf, Reshape, Transpose, Squeeze, Unsqueeze, Concat, Split, VariadicSplit, StridedSlice, Slice,
    Gather, v7::Gather, v1::Gather, GatherElements, GatherND, Broadcast, v1::Broadcast, Tile, Pad, v1::Pad,
    Interpolate, v4::Interpolate, DepthToSpace, SpaceToDepth, ScatterUpdate, ScatterElementsUpdate, ScatterNDUpdate,
    // indices and sequences
    TopK, v3::TopK, v1::TopK, Range, CumSum, OneHot, NonZero,
    // object detection (Caffe's SSD and Fast R-CNN layers)
    PriorBox, DetectionOutput, ROIPooling>;

} // namespace irforge::ops

namespace irforge {
#ifdef IRFORGE_SEPARATE_COMPILATION
extern template const op_registry& registry<ops::standard>(); // compiled once: src/frontends.cpp
#endif
} // namespace irforge

namespace irforge::ops {

} // namespace irforge::ops
