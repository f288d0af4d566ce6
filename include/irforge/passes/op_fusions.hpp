// irforge — the OpFusion pass: decomposed activations and normalizations
// (Gelu, Swish, HSwish, HSigmoid, Mish, SoftPlus, NormalizeL2, MVN) replaced by
// the single OpenVINO op, as OpenVINO's MOC transformations do. The rules are
// in activation_fusions.hpp and normalization_fusions.hpp.
//
//   irforge::passes::op_fusion.run(g);
//   irforge::passes::op_fusion.run(g, {.disabled = {"MishFusion"}});   // one rule off
//
// Nodes are tried producers first, so inner forms fuse before outer ones:
// log(exp(x) + 1) becomes SoftPlus before x * tanh(.) becomes Mish, and
// Relu6(x + 3) / 6 becomes HSigmoid before x * HSigmoid(x) becomes HSwish.
#pragma once

#include "irforge/passes/activation_fusions.hpp"
#include "irforge/passes/normalization_fusions.hpp"
#include "irforge/passes/pipeline.hpp"

namespace irforge::passes {

/// Every op fusion, as one pass.
inline constexpr auto op_fusion = rewrite<"OpFusion">(
    gelu_erf_fusion_half_x, gelu_erf_fusion_half_rest, gelu_erf_fusion_half_last, gelu_erf_fusion_half_sum,
    gelu_tanh_fusion_half_x, gelu_tanh_fusion_half_rest, gelu_tanh_fusion_half_last, swish_fusion_with_beta,
    swish_fusion, hsigmoid_fusion_divide, hsigmoid_fusion_multiply, hsigmoid_from_hard_sigmoid, hswish_fusion_divide,
    hswish_fusion_multiply, hswish_fusion_hsigmoid, softplus_fusion, mish_fusion, normalize_l2_fusion_divide,
    normalize_l2_fusion_multiply, normalize_l2_fusion_reduce_l2, mvn_fusion_divide, mvn_fusion_multiply);

} // namespace irforge::passes
