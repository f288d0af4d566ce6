// irforge — normalizations that exporters write out with reductions,
// recognised and replaced by the one OpenVINO op (as OpenVINO's MOC fusions do):
//
//   NormalizeL2  x / sqrt(max(ReduceSum(x², axes), eps))    -> NormalizeL2(axes, eps, max)
//                x / sqrt(ReduceSum(x², axes) + eps)         -> NormalizeL2(axes, eps, add)
//                x² as Power(x, 2) or x*x; sqrt as Power(., 0.5); the division as
//                x * Power(., -0.5) or x * (1 / sqrt(.))
//                x / Broadcast?(max(ReduceL2(x, axes), eps)) (PyTorch's F.normalize)
//                                                            -> NormalizeL2(axes, eps², max)
//   MVN          (x - mean(x)) / sqrt(var + eps)             -> MVN-6(axes, eps, inside_sqrt)
//                (x - mean(x)) / (sqrt(var) + eps)           -> MVN-6(axes, eps, outside_sqrt)
//                with mean = ReduceMean(x, axes, keep_dims), var = ReduceMean((x - mean)², axes)
//                or mean(x²) - mean(x)² (ONNX's MeanVarianceNormalization and
//                LayerNormalization bodies); the square as Power(., 2), d*d or
//                SquaredDifference; sqrt as Power(., 0.5); the division as
//                * Power(var + eps, -0.5) or * (1 / std)
//
// PyTorch's exported LayerNorm is this MVN followed by Multiply(gamma) and
// Add(beta); those two stay. Every reduction must keep its dims and reduce the
// same axes; the x - mean of the numerator may be the very node squared for
// the variance (then it has several consumers, all inside the pattern).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "irforge/ops/activations.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/broadcast.hpp"
#include "irforge/ops/normalization.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/unary_elementwise.hpp"
#include "irforge/passes/fusion_helpers.hpp"
#include "irforge/passes/rule.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::passes {

namespace fusion {
using namespace irforge::pattern;

// ---- NormalizeL2 ---------------------------------------------------------------------

inline constexpr auto l2_square =
    alt(op<ops::Power, "square">(any<"x_sq">, constant<"two">), op<ops::Multiply, "square">(any<"x_sq">, any<"x_sq2">))
        .where(single_use);
inline constexpr auto l2_sum = op<ops::ReduceSum, "sum">(l2_square, constant<"axes">).where(single_use);
inline constexpr auto l2_with_eps = alt(op<ops::Maximum, "with_eps">(l2_sum, constant<"eps_max">).commutative(),
                                        op<ops::Add, "with_eps">(l2_sum, constant<"eps_add">).commutative())
                                        .where(single_use);
inline constexpr auto l2_norm =
    alt(op<ops::Sqrt, "norm">(l2_with_eps), op<ops::Power, "norm">(l2_with_eps, constant<"half">)).where(single_use);
inline constexpr auto l2_inverse_norm = alt(op<ops::Power, "inv_norm">(l2_with_eps, constant<"minus_half">),
                                            op<ops::Divide, "inv_norm">(constant<"one">, l2_norm))
                                            .where(single_use);

/// The axes a known axes input names, normalised for x's rank; nullopt when
/// they are out of range or empty (NormalizeL2 and MVN treat no axes differently).
inline std::optional<std::vector<std::int64_t>> reduced_axes(const graph& g, output_ref axes, output_ref x) {
  const auto& s = g.info(x).shape;
  if (!s.rank_is_static()) return std::nullopt;
  auto a = normalized_axes(*g.info(axes).value, s.rank());
  if (!a || a->empty()) return std::nullopt;
  return a;
}

/// The rewrite of the ReduceSum forms.
struct fuse_normalize_l2 {
  bool operator()(const auto& m, graph& g) const {
    const output_ref x = out<"x">(m);
    for (const auto r : {maybe_out<"x_sq">(m), maybe_out<"x_sq2">(m)})
      if (r && *r != x) return false;
    if (!constant_is(g, maybe_out<"two">(m), 2.0) || !constant_is(g, maybe_out<"half">(m), 0.5) ||
        !constant_is(g, maybe_out<"minus_half">(m), -0.5) || !constant_is(g, maybe_out<"one">(m), 1.0))
      return false;
    if (!get<"sum">(m).keep_dims) return false;
    const bool max_mode = has<"eps_max">(m);
    const auto eps = scalar_value(g, max_mode ? out<"eps_max">(m) : out<"eps_add">(m));
    const auto axes = reduced_axes(g, out<"axes">(m), x);
    if (!eps || *eps < 0 || !axes || !can_fuse(m, g, x)) return false;
    const output_ref axes_c = axes_constant(g, *axes, m.root());
    replace_match(m, g, ops::NormalizeL2(static_cast<float>(*eps), max_mode ? ops::eps_mode::max : ops::eps_mode::add),
                  {x, axes_c});
    return true;
  }
};

// ---- MVN -----------------------------------------------------------------------------

/// x - ReduceMean(x, axes), with capture names chosen by the caller.
template <fixed_string Sub, fixed_string X, fixed_string Mean, fixed_string XM, fixed_string Axes>
inline constexpr auto centered = op<ops::Subtract, Sub>(any<X>, op<ops::ReduceMean, Mean>(any<XM>, constant<Axes>));

/// (x - mean)² as Power(d, 2), d * d or SquaredDifference(x, mean).
inline constexpr auto mvn_square =
    alt(op<ops::Power, "square">(centered<"sub2", "x2", "mean2", "x_m2", "axes2">, constant<"two">),
        op<ops::Multiply, "square">(centered<"sub2", "x2", "mean2", "x_m2", "axes2">,
                                    centered<"sub3", "x3", "mean3", "x_m3", "axes3">),
        op<ops::SquaredDifference, "square">(any<"x2">, op<ops::ReduceMean, "mean2">(any<"x_m2">, constant<"axes2">))
            .commutative());
/// The variance: mean((x - mean)²), or mean(x²) - mean(x)².
inline constexpr auto mvn_variance = alt(
    op<ops::ReduceMean, "var">(mvn_square, constant<"axes_var">),
    op<ops::Subtract, "var">(
        op<ops::ReduceMean, "mean_of_sq">(
            alt(op<ops::Power, "x_sq">(any<"x4">, constant<"two_b">), op<ops::Multiply, "x_sq">(any<"x4">, any<"x5">)),
            constant<"axes4">),
        alt(op<ops::Power, "sq_of_mean">(op<ops::ReduceMean, "mean2">(any<"x_m2">, constant<"axes2">), constant<"two">),
            op<ops::Multiply, "sq_of_mean">(op<ops::ReduceMean, "mean2">(any<"x_m2">, constant<"axes2">),
                                            op<ops::ReduceMean, "mean3">(any<"x_m3">, constant<"axes3">)))));
/// var + eps (eps inside the square root).
inline constexpr auto mvn_variance_eps = op<ops::Add, "var_eps">(mvn_variance, constant<"eps_in">).commutative();
/// The standard deviation with eps: sqrt(var + eps) or sqrt(var) + eps, sqrt as Power(., 0.5) too.
inline constexpr auto mvn_std =
    alt(op<ops::Sqrt, "std">(mvn_variance_eps), op<ops::Power, "std">(mvn_variance_eps, constant<"half">),
        op<ops::Add, "std_eps">(
            alt(op<ops::Sqrt, "std">(mvn_variance), op<ops::Power, "std">(mvn_variance, constant<"half">)),
            constant<"eps_out">)
            .commutative());
/// 1 / std as Power(var + eps, -0.5) or 1 / std.
inline constexpr auto mvn_inverse_std = alt(op<ops::Power, "inv_std">(mvn_variance_eps, constant<"minus_half">),
                                            op<ops::Divide, "inv_std">(constant<"one">, mvn_std));

/// True when the node is a ReduceMean that keeps dims and reduces `axes` of x.
inline bool mean_over(const graph& g, node_id n, output_ref axes_input, const std::vector<std::int64_t>& axes,
                      output_ref x) {
  const auto* rm = g.node(n).op.get_if<ops::ReduceMean>();
  if (rm == nullptr || !rm->keep_dims) return false;
  const auto a = reduced_axes(g, axes_input, x);
  return a && *a == axes;
}

/// The rewrite of every MVN form.
struct fuse_mvn {
  bool operator()(const auto& m, graph& g) const {
    const output_ref x = out<"x">(m);
    // One x everywhere.
    for (const auto r : {maybe_out<"x_m">(m), maybe_out<"x2">(m), maybe_out<"x_m2">(m), maybe_out<"x3">(m),
                         maybe_out<"x_m3">(m), maybe_out<"x4">(m), maybe_out<"x5">(m)})
      if (r && *r != x) return false;
    // Every reduction a ReduceMean over the same axes, keeping dims.
    const auto axes = reduced_axes(g, out<"axes">(m), x);
    if (!axes) return false;
    const std::pair<std::optional<output_ref>, std::optional<output_ref>> reductions[] = {
        {maybe_out<"mean">(m), maybe_out<"axes">(m)},
        {maybe_out<"mean2">(m), maybe_out<"axes2">(m)},
        {maybe_out<"mean3">(m), maybe_out<"axes3">(m)},
        {maybe_out<"mean_of_sq">(m), maybe_out<"axes4">(m)},
        {maybe_out<"axes_var">(m) ? maybe_out<"var">(m) : std::nullopt, maybe_out<"axes_var">(m)}};
    for (const auto& [mean, mean_axes] : reductions)
      if (mean && (!mean_axes || !mean_over(g, mean->node, *mean_axes, *axes, x))) return false;
    // The constants.
    if (!constant_is(g, maybe_out<"two">(m), 2.0) || !constant_is(g, maybe_out<"two_b">(m), 2.0) ||
        !constant_is(g, maybe_out<"half">(m), 0.5) || !constant_is(g, maybe_out<"minus_half">(m), -0.5) ||
        !constant_is(g, maybe_out<"one">(m), 1.0))
      return false;
    const bool inside = has<"eps_in">(m);
    const auto eps = scalar_value(g, inside ? out<"eps_in">(m) : out<"eps_out">(m));
    if (!eps || *eps < 0 || !can_fuse(m, g, x)) return false;
    const output_ref axes_c = axes_constant(g, *axes, m.root());
    replace_match(m, g,
                  ops::MVN(true, static_cast<float>(*eps),
                           inside ? ops::mvn_eps_mode::inside_sqrt : ops::mvn_eps_mode::outside_sqrt),
                  {x, axes_c});
    return true;
  }
};

} // namespace fusion

using namespace irforge::pattern;

/// x / sqrt(eps-combined ReduceSum(x², axes)) -> NormalizeL2.
inline constexpr auto normalize_l2_fusion_divide =
    rule<"NormalizeL2FusionDivide">(op<ops::Divide>(any<"x">, fusion::l2_norm), fusion::fuse_normalize_l2{});
/// x * (the same)^-1 -> NormalizeL2.
inline constexpr auto normalize_l2_fusion_multiply = rule<"NormalizeL2FusionMultiply">(
    op<ops::Multiply>(any<"x">, fusion::l2_inverse_norm).commutative(), fusion::fuse_normalize_l2{});

/// x / Broadcast?(max(ReduceL2(x, axes), eps)), the max a Clamp with no upper
/// bound or a Maximum -> NormalizeL2(eps², max): max(sqrt(s), eps) = sqrt(max(s, eps²)).
inline constexpr auto normalize_l2_fusion_reduce_l2 = rule<"NormalizeL2FusionReduceL2">(
    op<ops::Divide>(
        any<"x">,
        maybe<ops::Broadcast, "expand">(
            alt(op<ops::Clamp, "clip">(op<ops::ReduceL2, "l2">(any<"x_l2">, constant<"axes">).where(single_use)),
                op<ops::Maximum, "clip">(op<ops::ReduceL2, "l2">(any<"x_l2">, constant<"axes">).where(single_use),
                                         constant<"eps_max">)
                    .commutative())
                .where(single_use),
            any<"target">)
            .where(single_use)),
    [](const auto& m, graph& g) {
      const output_ref x = out<"x">(m);
      if (!fusion::same_tensor({x, out<"x_l2">(m)}) || !get<"l2">(m).keep_dims) return false;
      if (has<"expand">(m)) { // an ONNX Expand to x's shape: only repeats values
        const auto mode = get<"expand">(m).mode;
        if ((mode != ops::broadcast_mode::numpy && mode != ops::broadcast_mode::bidirectional) ||
            g.info(out<"expand">(m)).shape != g.info(x).shape)
          return false;
      }
      std::optional<double> eps;
      if (const auto* clamp = g.node(node<"clip">(m)).op.template get_if<ops::Clamp>()) {
        if (clamp->max < static_cast<double>(std::numeric_limits<float>::max())) return false;
        eps = clamp->min;
      } else {
        eps = fusion::scalar_value(g, out<"eps_max">(m));
      }
      const auto axes = fusion::reduced_axes(g, out<"axes">(m), x);
      if (!eps || *eps < 0 || !axes || !fusion::can_fuse(m, g, x)) return false;
      const output_ref axes_c = fusion::axes_constant(g, *axes, m.root());
      fusion::replace_match(m, g, ops::NormalizeL2(static_cast<float>(*eps * *eps), ops::eps_mode::max), {x, axes_c});
      return true;
    });

/// (x - mean) / std -> MVN-6.
inline constexpr auto mvn_fusion_divide = rule<"MVNFusionDivide">(
    op<ops::Divide>(fusion::centered<"sub", "x", "mean", "x_m", "axes">, fusion::mvn_std), fusion::fuse_mvn{});
/// (x - mean) * (1 / std) -> MVN-6.
inline constexpr auto mvn_fusion_multiply = rule<"MVNFusionMultiply">(
    op<ops::Multiply>(fusion::centered<"sub", "x", "mean", "x_m", "axes">, fusion::mvn_inverse_std).commutative(),
    fusion::fuse_mvn{});

} // namespace irforge::passes
