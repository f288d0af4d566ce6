// irforge — activations that exporters write out elementwise, recognised and
// replaced by the one OpenVINO op (as OpenVINO's MOC fusions do):
//
//   Gelu (erf)   (x*0.5)*(1+erf(x/√2)), x*((1+erf(x/√2))*0.5), 0.5*(x*(1+erf(x/√2))),
//                x*(0.5+0.5*erf(x/√2)); x/√2 may be x*(1/√2)
//   Gelu (tanh)  the same three products around 1+tanh(√(2/π)*(x+0.044715*x³)),
//                x³ as Power(x, 3) or x*x*x
//   Swish        x*Sigmoid(x) -> Swish(x); x*Sigmoid(x*β), β a scalar -> Swish(x, β)
//   HSigmoid     Relu6(x+3)/6 or Relu6(x+3)*(1/6); HardSigmoid(x, α=1/6, β=0.5)
//   HSwish       (x*Relu6(x+3))/6, (x*Relu6(x+3))*(1/6), x*HSigmoid(x)
//                (x*(Relu6(x+3)/6) becomes x*HSigmoid(x) first)
//   SoftPlus     log(exp(x)+1)
//   Mish         x*tanh(SoftPlus(x)), x*tanh(log(exp(x)+1))
//
// Relu6(y) is Clamp(y, 0, 6), Minimum(Relu(y), 6), Minimum(Maximum(y, 0), 6)
// or Maximum(Minimum(y, 6), 0). Constants are compared by value within the
// tolerance of their type (fusion::close_to) and must be scalars or hold one value
// repeated. A rule declines, leaving the graph as it was, when a constant is
// off, when the x of two places differ, or when an intermediate is used
// outside the pattern. The fused op takes the name of the pattern's last node
// and the source names of all its nodes.
#pragma once

#include <cmath>
#include <numbers>

#include "irforge/ops/activations.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/unary_elementwise.hpp"
#include "irforge/passes/fusion_helpers.hpp"
#include "irforge/passes/rule.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::passes {

namespace fusion {
using namespace irforge::pattern;

inline constexpr double inv_sqrt2 = std::numbers::sqrt2 / 2;
inline constexpr double sqrt_2_over_pi = std::numbers::sqrt2 * std::numbers::inv_sqrtpi;

// ---- Gelu ------------------------------------------------------------------------------

/// erf(x / √2) or erf(x * (1/√2)).
inline constexpr auto gelu_erf =
    op<ops::Erf, "erf">(alt(op<ops::Divide, "erf_scale">(any<"x_erf">, constant<"sqrt2">),
                            op<ops::Multiply, "erf_scale">(any<"x_erf">, constant<"inv_sqrt2">).commutative())
                            .where(single_use))
        .where(single_use);
/// 1 + erf(x / √2).
inline constexpr auto gelu_one_plus_erf =
    op<ops::Add, "one_plus">(gelu_erf, constant<"one">).commutative().where(single_use);

/// x³ as Power(x, 3), (x*x)*x or x*(x*x).
inline constexpr auto gelu_cube =
    alt(op<ops::Power, "cube">(any<"x_cube">, constant<"three">),
        op<ops::Multiply, "cube">(op<ops::Multiply, "square">(any<"x_cube">, any<"x_cube2">).where(single_use),
                                  any<"x_cube3">)
            .commutative())
        .where(single_use);
/// 1 + tanh(√(2/π) * (x + 0.044715 * x³)).
inline constexpr auto gelu_one_plus_tanh =
    op<ops::Add, "one_plus">(
        op<ops::Tanh, "tanh">(
            op<ops::Multiply, "tanh_scale">(
                op<ops::Add, "inner">(
                    any<"x_inner">,
                    op<ops::Multiply, "cubic">(gelu_cube, constant<"kappa">).commutative().where(single_use))
                    .commutative()
                    .where(single_use),
                constant<"beta">)
                .commutative()
                .where(single_use))
            .where(single_use),
        constant<"one">)
        .commutative()
        .where(single_use);

/// The products around 1 + f(x): (x*0.5)*(1+f), x*((1+f)*0.5), 0.5*(x*(1+f)).
template <class OnePlus> constexpr auto gelu_half_x(OnePlus p) {
  return op<ops::Multiply>(op<ops::Multiply, "half_x">(any<"x">, constant<"half">).commutative().where(single_use), p)
      .commutative();
}
template <class OnePlus> constexpr auto gelu_half_rest(OnePlus p) {
  return op<ops::Multiply>(any<"x">,
                           op<ops::Multiply, "half_rest">(p, constant<"half">).commutative().where(single_use))
      .commutative();
}
template <class OnePlus> constexpr auto gelu_half_last(OnePlus p) {
  return op<ops::Multiply>(op<ops::Multiply, "x_rest">(any<"x">, p).commutative().where(single_use), constant<"half">)
      .commutative();
}

/// The rewrite of every erf form: constants and "one x" checked, then Gelu(erf).
struct fuse_gelu_erf {
  bool operator()(const auto& m, graph& g) const {
    const output_ref x = out<"x">(m);
    if (!same_tensor({x, out<"x_erf">(m)}) || !can_fuse(m, g, x)) return false;
    // (x * (0.5 + 0.5 * erf) has a second 0.5 where the others have a 1.)
    if (!constant_is(g, maybe_out<"sqrt2">(m), std::numbers::sqrt2) ||
        !constant_is(g, maybe_out<"inv_sqrt2">(m), inv_sqrt2) || !constant_is(g, out<"half">(m), 0.5) ||
        !constant_is(g, maybe_out<"one">(m), 1.0) || !constant_is(g, maybe_out<"half2">(m), 0.5))
      return false;
    replace_match(m, g, ops::Gelu(ops::gelu_approximation_mode::erf), {x});
    return true;
  }
};

/// The rewrite of every tanh form.
struct fuse_gelu_tanh {
  bool operator()(const auto& m, graph& g) const {
    const output_ref x = out<"x">(m);
    for (const auto r :
         {maybe_out<"x_inner">(m), maybe_out<"x_cube">(m), maybe_out<"x_cube2">(m), maybe_out<"x_cube3">(m)})
      if (r && *r != x) return false;
    if (!constant_is(g, maybe_out<"three">(m), 3.0)) return false;
    if (!constant_is(g, out<"half">(m), 0.5) || !constant_is(g, out<"one">(m), 1.0) ||
        !constant_is(g, out<"kappa">(m), 0.044715) || !constant_is(g, out<"beta">(m), sqrt_2_over_pi))
      return false;
    if (!can_fuse(m, g, x)) return false;
    replace_match(m, g, ops::Gelu(ops::gelu_approximation_mode::tanh), {x});
    return true;
  }
};

// ---- Relu6(x + 3) ---------------------------------------------------------------------

inline constexpr auto x_plus_3 = op<ops::Add, "add3">(any<"x_r">, constant<"three">).commutative().where(single_use);
/// Relu6(x + 3) in the forms exporters write.
inline constexpr auto relu6_x_plus_3 =
    alt(op<ops::Clamp, "relu6">(x_plus_3),
        op<ops::Minimum, "relu6">(op<ops::Relu, "lower">(x_plus_3).where(single_use), constant<"six">).commutative(),
        op<ops::Minimum, "relu6">(op<ops::Maximum, "lower">(x_plus_3, constant<"zero">).commutative().where(single_use),
                                  constant<"six">)
            .commutative(),
        op<ops::Maximum, "relu6">(op<ops::Minimum, "lower">(x_plus_3, constant<"six">).commutative().where(single_use),
                                  constant<"zero">)
            .commutative())
        .where(single_use);

/// The constants of Relu6(x + 3): 3, and bounds 0 and 6.
inline bool relu6_constants_ok(const auto& m, const graph& g) {
  if (!constant_is(g, out<"three">(m), 3.0)) return false;
  if (const auto* clamp = g.node(node<"relu6">(m)).op.template get_if<ops::Clamp>())
    return close_to(clamp->min, 0.0, g.info(out<"x_r">(m)).type) &&
           close_to(clamp->max, 6.0, g.info(out<"x_r">(m)).type);
  return constant_is(g, out<"six">(m), 6.0) && (!has<"zero">(m) || constant_is(g, out<"zero">(m), 0.0));
}

/// Division by 6 (Divide) or multiplication by 1/6 (Multiply).
inline bool sixth_ok(const auto& m, const graph& g) {
  return g.node(m.root()).op.template is<ops::Divide>() ? constant_is(g, out<"by6">(m), 6.0)
                                                        : constant_is(g, out<"by6">(m), 1.0 / 6.0);
}

/// A unary fused op of x when everything checks.
template <class Op> bool replace_unary(const auto& m, graph& g, output_ref x) {
  if (!can_fuse(m, g, x)) return false;
  replace_match(m, g, Op{}, {x});
  return true;
}

} // namespace fusion

using namespace irforge::pattern;

inline constexpr auto gelu_erf_fusion_half_x =
    rule<"GeluErfFusionHalfX">(fusion::gelu_half_x(fusion::gelu_one_plus_erf), fusion::fuse_gelu_erf{});
inline constexpr auto gelu_erf_fusion_half_rest =
    rule<"GeluErfFusionHalfRest">(fusion::gelu_half_rest(fusion::gelu_one_plus_erf), fusion::fuse_gelu_erf{});
inline constexpr auto gelu_erf_fusion_half_last =
    rule<"GeluErfFusionHalfLast">(fusion::gelu_half_last(fusion::gelu_one_plus_erf), fusion::fuse_gelu_erf{});
inline constexpr auto gelu_erf_fusion_half_sum = rule<"GeluErfFusionHalfSum">(
    op<ops::Multiply>(
        any<"x">,
        op<ops::Add, "half_sum">(
            constant<"half">,
            op<ops::Multiply, "half_erf">(fusion::gelu_erf, constant<"half2">).commutative().where(single_use))
            .commutative()
            .where(single_use))
        .commutative(),
    fusion::fuse_gelu_erf{});

inline constexpr auto gelu_tanh_fusion_half_x =
    rule<"GeluTanhFusionHalfX">(fusion::gelu_half_x(fusion::gelu_one_plus_tanh), fusion::fuse_gelu_tanh{});
inline constexpr auto gelu_tanh_fusion_half_rest =
    rule<"GeluTanhFusionHalfRest">(fusion::gelu_half_rest(fusion::gelu_one_plus_tanh), fusion::fuse_gelu_tanh{});
inline constexpr auto gelu_tanh_fusion_half_last =
    rule<"GeluTanhFusionHalfLast">(fusion::gelu_half_last(fusion::gelu_one_plus_tanh), fusion::fuse_gelu_tanh{});

/// x * Sigmoid(x * β) -> Swish(x, β) with β one value.
inline constexpr auto swish_fusion_with_beta = rule<"SwishFusionWithBeta">(
    op<ops::Multiply>(any<"x">,
                      op<ops::Sigmoid, "sigmoid">(
                          op<ops::Multiply, "scale">(any<"x_s">, constant<"beta">).commutative().where(single_use))
                          .where(single_use))
        .commutative(),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      if (!fusion::same_tensor({x, out<"x_s">(m)}) || !fusion::scalar_value(g, out<"beta">(m)) ||
          !fusion::can_fuse(m, g, x))
        return false;
      const output_ref beta = add_constant(g, fusion::first_as_scalar(value<"beta">(m)), m.root(), "beta");
      fusion::replace_match(m, g, ops::Swish{}, {x, beta});
      return true;
    });

/// x * Sigmoid(x) -> Swish(x).
inline constexpr auto swish_fusion = rule<"SwishFusion">(
    op<ops::Multiply>(any<"x">, op<ops::Sigmoid, "sigmoid">(any<"x_s">).where(single_use)).commutative(),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      return fusion::same_tensor({x, out<"x_s">(m)}) && fusion::replace_unary<ops::Swish>(m, g, x);
    });

/// Relu6(x + 3) / 6 or * (1/6) -> HSigmoid(x).
inline constexpr auto hsigmoid_fusion_divide =
    rule<"HSigmoidFusionDivide">(op<ops::Divide>(fusion::relu6_x_plus_3, constant<"by6">), [](const auto& m, graph& g) {
      return fusion::relu6_constants_ok(m, g) && fusion::sixth_ok(m, g) &&
             fusion::replace_unary<ops::HSigmoid>(m, g, out<"x_r">(m));
    });
inline constexpr auto hsigmoid_fusion_multiply = rule<"HSigmoidFusionMultiply">(
    op<ops::Multiply>(fusion::relu6_x_plus_3, constant<"by6">).commutative(), [](const auto& m, graph& g) {
      return fusion::relu6_constants_ok(m, g) && fusion::sixth_ok(m, g) &&
             fusion::replace_unary<ops::HSigmoid>(m, g, out<"x_r">(m));
    });
/// HardSigmoid(x, 1/6, 0.5) (PyTorch's hardsigmoid, ONNX's HardSwish body) -> HSigmoid(x).
inline constexpr auto hsigmoid_from_hard_sigmoid = rule<"HSigmoidFromHardSigmoid">(
    op<ops::HardSigmoid>(any<"x">, constant<"alpha">, constant<"beta">), [](const auto& m, graph& g) {
      return fusion::constant_is(g, out<"alpha">(m), 1.0 / 6.0) && fusion::constant_is(g, out<"beta">(m), 0.5) &&
             fusion::replace_unary<ops::HSigmoid>(m, g, out<"x">(m));
    });

/// (x * Relu6(x + 3)) / 6 or * (1/6) -> HSwish(x).
inline constexpr auto hswish_fusion_divide = rule<"HSwishFusionDivide">(
    op<ops::Divide>(op<ops::Multiply, "x_relu6">(any<"x">, fusion::relu6_x_plus_3).commutative().where(single_use),
                    constant<"by6">),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      return fusion::same_tensor({x, out<"x_r">(m)}) && fusion::relu6_constants_ok(m, g) && fusion::sixth_ok(m, g) &&
             fusion::replace_unary<ops::HSwish>(m, g, x);
    });
inline constexpr auto hswish_fusion_multiply = rule<"HSwishFusionMultiply">(
    op<ops::Multiply>(op<ops::Multiply, "x_relu6">(any<"x">, fusion::relu6_x_plus_3).commutative().where(single_use),
                      constant<"by6">)
        .commutative(),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      return fusion::same_tensor({x, out<"x_r">(m)}) && fusion::relu6_constants_ok(m, g) && fusion::sixth_ok(m, g) &&
             fusion::replace_unary<ops::HSwish>(m, g, x);
    });
/// x * HSigmoid(x) -> HSwish(x).
inline constexpr auto hswish_fusion_hsigmoid = rule<"HSwishFusionWithHSigmoid">(
    op<ops::Multiply>(any<"x">, op<ops::HSigmoid, "hsigmoid">(any<"x_h">).where(single_use)).commutative(),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      return fusion::same_tensor({x, out<"x_h">(m)}) && fusion::replace_unary<ops::HSwish>(m, g, x);
    });

/// log(exp(x) + 1) -> SoftPlus(x).
inline constexpr auto softplus_fusion = rule<"SoftPlusFusion">(
    op<ops::Log>(op<ops::Add, "plus_one">(op<ops::Exp, "exp">(any<"x">).where(single_use), constant<"one">)
                     .commutative()
                     .where(single_use)),
    [](const auto& m, graph& g) {
      return fusion::constant_is(g, out<"one">(m), 1.0) && fusion::replace_unary<ops::SoftPlus>(m, g, out<"x">(m));
    });

/// x * tanh(SoftPlus(x)) or x * tanh(log(exp(x) + 1)) -> Mish(x).
inline constexpr auto mish_fusion = rule<"MishFusion">(
    op<ops::Multiply>(
        any<"x">, op<ops::Tanh, "tanh">(alt(op<ops::SoftPlus, "softplus">(any<"x_t">),
                                            op<ops::Log, "softplus">(
                                                op<ops::Add, "plus_one">(
                                                    op<ops::Exp, "exp">(any<"x_t">).where(single_use), constant<"one">)
                                                    .commutative()
                                                    .where(single_use)))
                                            .where(single_use))
                      .where(single_use))
        .commutative(),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      if (!fusion::same_tensor({x, out<"x_t">(m)})) return false;
      if (has<"one">(m) && !fusion::constant_is(g, out<"one">(m), 1.0)) return false;
      return fusion::replace_unary<ops::Mish>(m, g, x);
    });

} // namespace irforge::passes
