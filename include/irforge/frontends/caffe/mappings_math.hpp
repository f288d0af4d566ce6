// irforge — Caffe mappings of the elementwise layers: ReLU (negative_slope),
// ReLU6, PReLU-free activations (ELU, Sigmoid, TanH, AbsVal, BNLL, Clip,
// Swish), Power/Exp/Log (with scale, shift and base), Eltwise (SUM with
// coefficients, PROD, MAX), Axpy, Threshold and ArgMax.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/mapping_helpers.hpp"
#include "irforge/ops/activations.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/concat.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/squeeze.hpp"
#include "irforge/ops/topk.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::caffe::detail {

template <class Op> outputs map_unary(layer_context& ctx) { return one(ctx.add(Op{}, {ctx.input(0)})); }

inline outputs map_relu(layer_context& ctx) {
  const double slope = ctx.param("relu_param").number("negative_slope", 0.0);
  if (slope == 0.0) return one(ctx.add(ops::Relu{}, {ctx.input(0)}));
  // Leaky ReLU: a PReLU with one shared slope.
  return one(ctx.add(ops::PRelu{}, {ctx.input(0), ctx.constant_f32({to_f32(slope)}, {1}, "slope")}));
}

inline outputs map_relu6(layer_context& ctx) { return one(ctx.add(ops::Clamp(0.0, 6.0), {ctx.input(0)})); }

inline outputs map_elu(layer_context& ctx) {
  return one(ctx.add(ops::Elu(ctx.param("elu_param").number("alpha", 1.0)), {ctx.input(0)}));
}

inline outputs map_clip(layer_context& ctx) {
  const message_view p = ctx.param("clip_param");
  if (!p.has("min") || !p.has("max")) ctx.fail("clip_param needs min and max");
  return one(ctx.add(ops::Clamp(p.number("min", 0.0), p.number("max", 0.0)), {ctx.input(0)}));
}

inline outputs map_swish(layer_context& ctx) {
  const double beta = ctx.param("swish_param").number("beta", 1.0);
  if (beta == 1.0) return one(ctx.add(ops::Swish{}, {ctx.input(0)}));
  return one(ctx.add(ops::Swish{}, {ctx.input(0), ctx.scalar_f32(beta, "beta")}));
}

/// shift + scale * x, skipping the identity parts; `last` names the final node when it is the layer's result.
inline output_ref affine(layer_context& ctx, output_ref x, double scale, double shift, bool last) {
  if (scale != 1.0) x = ctx.add(ops::Multiply{}, {x, ctx.scalar_f32(scale, "scale")}, last && shift == 0.0 ? "" : "scale_mul");
  if (shift != 0.0) x = ctx.add(ops::Add{}, {x, ctx.scalar_f32(shift, "shift")}, last ? "" : "shift_add");
  return x;
}

inline outputs map_power(layer_context& ctx) {
  // y = (shift + scale * x) ^ power
  const message_view p = ctx.param("power_param");
  const double power = p.number("power", 1.0), scale = p.number("scale", 1.0), shift = p.number("shift", 0.0);
  output_ref y = affine(ctx, ctx.input(0), scale, shift, power == 1.0);
  if (power != 1.0) y = ctx.add(ops::Power{}, {y, ctx.scalar_f32(power, "power")});
  return one(y);
}

/// ln(base) for Exp/Log's base (-1 means e).
inline double log_of_base(const layer_context& ctx, double base) {
  if (base == -1.0) return 1.0;
  if (!(base > 0.0) || base == 1.0 || !std::isfinite(base))
    ctx.fail("base must be positive and not 1 (or -1 for e), got " + std::to_string(base));
  return std::log(base);
}

inline outputs map_exp(layer_context& ctx) {
  // y = base ^ (shift + scale * x) = exp(ln(base) * shift + ln(base) * scale * x)
  const message_view p = ctx.param("exp_param");
  const double ln_base = log_of_base(ctx, p.number("base", -1.0));
  const output_ref z = affine(ctx, ctx.input(0), ln_base * p.number("scale", 1.0), ln_base * p.number("shift", 0.0), false);
  return one(ctx.add(ops::Exp{}, {z}));
}

inline outputs map_log(layer_context& ctx) {
  // y = log_base(shift + scale * x) = ln(shift + scale * x) / ln(base)
  const message_view p = ctx.param("log_param");
  const double ln_base = log_of_base(ctx, p.number("base", -1.0));
  const output_ref z = affine(ctx, ctx.input(0), p.number("scale", 1.0), p.number("shift", 0.0), false);
  if (ln_base == 1.0) return one(ctx.add(ops::Log{}, {z}));
  const output_ref l = ctx.add(ops::Log{}, {z}, "ln");
  return one(ctx.add(ops::Multiply{}, {l, ctx.scalar_f32(1.0 / ln_base, "inv_ln_base")}));
}

inline constexpr std::string_view eltwise_ops[] = {"PROD", "SUM", "MAX"};

inline outputs map_eltwise(layer_context& ctx) {
  const message_view p = ctx.param("eltwise_param");
  const std::string op = p.enumeration("operation", "SUM", eltwise_ops);
  const auto coeff = p.numbers("coeff");
  const std::size_t n = ctx.input_count();
  if (n == 0) ctx.fail("Eltwise needs at least one bottom");
  if (!coeff.empty() && op != "SUM") ctx.fail("coeff is only allowed with operation SUM");
  if (!coeff.empty() && coeff.size() != n)
    ctx.fail("coeff has " + std::to_string(coeff.size()) + " values for " + std::to_string(n) + " bottoms");
  std::vector<output_ref> terms;
  for (std::size_t i = 0; i < n; ++i) {
    output_ref x = ctx.input(i);
    if (!coeff.empty() && coeff[i] != 1.0) {
      const bool last = n == 1;
      x = ctx.add(ops::Multiply{}, {x, ctx.scalar_f32(coeff[i], "coeff_" + std::to_string(i))},
                  last ? "" : "mul_" + std::to_string(i));
    }
    terms.push_back(x);
  }
  output_ref y = terms[0];
  for (std::size_t i = 1; i < n; ++i) {
    const std::string suffix = i + 1 == n ? "" : "step_" + std::to_string(i);
    if (op == "SUM") y = ctx.add(ops::Add{}, {y, terms[i]}, suffix);
    else if (op == "PROD") y = ctx.add(ops::Multiply{}, {y, terms[i]}, suffix);
    else y = ctx.add(ops::Maximum{}, {y, terms[i]}, suffix);
  }
  return one(y);
}

inline outputs map_axpy(layer_context& ctx) {
  // Axpy(a, x, y) = a * x + y, a of shape [N, C] or [N, C, 1, 1] scaling x per channel.
  if (ctx.input_count() != 3) ctx.fail("Axpy takes three bottoms (a, x, y)");
  const auto ra = ctx.input_rank(0, "Axpy"), rx = ctx.input_rank(1, "Axpy");
  output_ref a = ctx.input(0);
  if (ra < rx) {
    std::vector<std::int64_t> axes;
    for (std::int64_t k = ra; k < rx; ++k) axes.push_back(k);
    a = ctx.add(ops::Unsqueeze{}, {a, ctx.constant_i64(axes, "axes")}, "unsqueeze");
  }
  const output_ref ax = ctx.add(ops::Multiply{}, {ctx.input(1), a}, "mul");
  return one(ctx.add(ops::Add{}, {ax, ctx.input(2)}));
}

inline outputs map_threshold(layer_context& ctx) {
  // 1 where x > threshold, else 0.
  const double t = ctx.param("threshold_param").number("threshold", 0.0);
  const output_ref above = ctx.add(ops::Greater{}, {ctx.input(0), ctx.scalar_f32(t, "threshold")}, "greater");
  return one(ctx.add(ops::Convert(element_type::f32), {above}));
}

inline outputs map_arg_max(layer_context& ctx) {
  // The top_k largest along `axis` as float indices (or their values with
  // out_max_val); without an axis over each item flattened, giving [N, 1, k]
  // (indices) or [N, 2, k] (indices, then values).
  const message_view p = ctx.param("argmax_param");
  const auto k = p.integer("top_k", 1);
  if (k < 1) ctx.fail("top_k must be positive");
  const bool values = p.boolean("out_max_val", false);
  const auto rank = ctx.input_rank(0, "ArgMax");
  output_ref x = ctx.input(0);
  std::int64_t axis = 1;
  if (p.has("axis")) {
    axis = caffe_axis(ctx, p.integer("axis", 0), rank);
  } else {
    if (rank < 2) ctx.fail("ArgMax without an axis needs a bottom of rank 2 or more");
    x = reshape_zero(ctx, x, {0, -1}, "flatten");
  }
  const bool per_axis = p.has("axis");
  const ops::TopK op(axis, ops::topk_mode::max, ops::topk_sort_type::value, element_type::i64, true);
  const node_id top = ctx.add_node(op, {x, ctx.scalar_i64(k, "k")}, per_axis && values ? "" : "topk");
  const output_ref found{top, 0};
  if (per_axis && values) return one(found);
  const output_ref index = ctx.add(ops::Convert(element_type::f32), {output_ref{top, 1}}, per_axis ? "" : "index");
  if (per_axis) return one(index);
  const output_ref axis1 = ctx.constant_i64({1}, "axis1");
  const output_ref i3 = ctx.add(ops::Unsqueeze{}, {index, axis1}, values ? "index3" : "");
  if (!values) return one(i3);
  const output_ref v3 = ctx.add(ops::Unsqueeze{}, {found, axis1}, "value3");
  return one(ctx.add(ops::Concat(1), {i3, v3}));
}

inline void add_math_mappings(mapping_table& t) {
  t.add("ReLU", map_relu);
  t.add("ReLU6", map_relu6);
  t.add("ELU", map_elu);
  t.add("Sigmoid", map_unary<ops::Sigmoid>);
  t.add("TanH", map_unary<ops::Tanh>);
  t.add("AbsVal", map_unary<ops::Abs>);
  t.add("BNLL", map_unary<ops::SoftPlus>); // log(1 + exp(x))
  t.add("Clip", map_clip);
  t.add("Swish", map_swish);
  t.add("Power", map_power);
  t.add("Exp", map_exp);
  t.add("Log", map_log);
  t.add("Eltwise", map_eltwise);
  t.add("Axpy", map_axpy);
  t.add("Threshold", map_threshold);
  t.add("ArgMax", map_arg_max);
}

} // namespace irforge::caffe::detail
