// irforge — ONNX mappings of elementwise math, activations and reductions.
#pragma once

#include <cmath>
#include <limits>

#include "irforge/frontends/onnx/converter.hpp"
#include "irforge/frontends/onnx/mapping_helpers.hpp"
#include "irforge/ops/activations.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/cumsum.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/select.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::onnx::detail {

template <class Op> mapping_fn unary() {
  return [](node_context& ctx) { return one(ctx.add(Op{}, {ctx.input(0)})); };
}

/// Before opset 7, binary ops broadcast only with broadcast=1, and then the
/// second input is aligned at `axis` of the first: give it trailing 1s.
inline output_ref legacy_broadcast_rhs(node_context& ctx) {
  const output_ref b = ctx.input(1);
  if (ctx.opset() >= 7 || ctx.attr_int("broadcast", 0) == 0 || !ctx.has_attribute("axis")) return b;
  const auto rank_a = ctx.input_rank(0, "legacy broadcast");
  const auto& sb = ctx.input_shape(1);
  if (!sb.is_static()) ctx.fail("legacy broadcast with an axis needs a static shape of input 1");
  auto axis = ctx.attr_int("axis");
  if (axis < 0) axis += rank_a;
  shape dims = sb.to_shape();
  const auto trailing = rank_a - axis - static_cast<std::int64_t>(dims.size());
  if (trailing < 0) ctx.fail("legacy broadcast: input 1 does not fit at axis " + std::to_string(axis));
  if (trailing == 0) return b;
  dims.insert(dims.end(), static_cast<std::size_t>(trailing), 1);
  return reshaped(ctx, b, dims, "broadcast_rhs");
}

template <class Op> mapping_fn binary() {
  return [](node_context& ctx) {
    const output_ref b = legacy_broadcast_rhs(ctx);
    return one(ctx.add(Op{}, {ctx.input(0), b}));
  };
}

/// Variadic Sum/Max/Min: a left fold of the binary op.
template <class Op> output_ref fold(node_context& ctx) {
  output_ref acc = ctx.input(0);
  for (std::size_t i = 1; i < ctx.input_count(); ++i)
    acc = ctx.add(Op{}, {acc, ctx.input(i)}, i + 1 == ctx.input_count() ? "" : "fold" + std::to_string(i));
  return acc;
}

template <class Op> mapping_fn variadic() {
  return [](node_context& ctx) { return one(fold<Op>(ctx)); };
}

inline outputs map_mean(node_context& ctx) {
  if (ctx.input_count() == 1) return one(ctx.input(0));
  output_ref sum = ctx.input(0);
  for (std::size_t i = 1; i < ctx.input_count(); ++i) sum = ctx.add(ops::Add{}, {sum, ctx.input(i)}, "sum" + std::to_string(i));
  const auto n = ctx.scalar_of(ctx.input_type(0), static_cast<double>(ctx.input_count()), "count");
  return one(ctx.add(ops::Divide{}, {sum, n}));
}

inline outputs map_div(node_context& ctx) {
  ops::Divide d;
  d.m_pythondiv = false; // ONNX integer division truncates, like C
  return one(ctx.add(d, {ctx.input(0), legacy_broadcast_rhs(ctx)}));
}

inline outputs map_pow(node_context& ctx) {
  output_ref e = legacy_broadcast_rhs(ctx);
  if (ctx.input_type(1) != ctx.input_type(0)) e = ctx.add(ops::Convert(ctx.input_type(0)), {e}, "exponent");
  return one(ctx.add(ops::Power{}, {ctx.input(0), e}));
}

inline outputs map_mod(node_context& ctx) {
  if (ctx.attr_int("fmod", 0) == 1) return one(ctx.add(ops::Mod{}, {ctx.input(0), ctx.input(1)}));
  return one(ctx.add(ops::FloorMod{}, {ctx.input(0), ctx.input(1)}));
}

inline outputs map_clip(node_context& ctx) {
  const output_ref x = ctx.input(0);
  const double lowest = std::numeric_limits<float>::lowest(), highest = std::numeric_limits<float>::max();
  if (ctx.opset() < 11)
    return one(ctx.add(ops::Clamp(ctx.attr_float("min", static_cast<float>(lowest)), ctx.attr_float("max", static_cast<float>(highest))), {x}));
  const bool has_min = ctx.has_input(1), has_max = ctx.has_input(2);
  const tensor* lo = ctx.input_value(1);
  const tensor* hi = ctx.input_value(2);
  if ((!has_min || lo) && (!has_max || hi)) {
    if (!has_min && !has_max) return one(x);
    const double min_v = lo ? lo->as_f64().at(0) : (is_integral(ctx.input_type(0)) ? -std::ldexp(1.0, 63) : lowest);
    const double max_v = hi ? hi->as_f64().at(0) : (is_integral(ctx.input_type(0)) ? std::ldexp(1.0, 63) : highest);
    return one(ctx.add(ops::Clamp(min_v, max_v), {x}));
  }
  // Bounds computed at run time: max(min(x, hi), lo).
  output_ref y = x;
  if (has_max) y = ctx.add(ops::Minimum{}, {y, ctx.input(2)}, has_min ? "max" : "");
  if (has_min) y = ctx.add(ops::Maximum{}, {y, ctx.input(1)});
  return one(y);
}

inline outputs map_leaky_relu(node_context& ctx) {
  const auto slope = ctx.constant(node_context::scalar_tensor(ctx.input_type(0), ctx.attr_float("alpha", 0.01f)).reshaped({1}), "slope");
  return one(ctx.add(ops::PRelu{}, {ctx.input(0), slope}));
}

inline outputs map_prelu(node_context& ctx) {
  // ONNX slopes broadcast onto X from the right (e.g. [C,1,1] on [N,C,H,W]);
  // PReLU wants the slope per channel, so a [C,1,...,1] constant becomes [C].
  output_ref slope = ctx.input(1);
  const auto& s = ctx.input_shape(1);
  if (s.is_static() && s.rank() > 1) {
    const shape dims = s.to_shape();
    bool trailing_ones = true;
    for (std::size_t i = 1; i < dims.size(); ++i) trailing_ones = trailing_ones && dims[i] == 1;
    const auto& xs = ctx.input_shape(0);
    if (trailing_ones && xs.rank_is_static() && xs.rank() == dims.size() + 1)
      slope = reshaped(ctx, slope, {dims[0]}, "slope");
  }
  return one(ctx.add(ops::PRelu{}, {ctx.input(0), slope}));
}

inline outputs map_selu(node_context& ctx) {
  const auto t = ctx.input_type(0);
  const auto alpha = ctx.scalar_of(t, ctx.attr_float("alpha", 1.67326319217681884765625f), "alpha");
  const auto gamma = ctx.scalar_of(t, ctx.attr_float("gamma", 1.05070102214813232421875f), "lambda");
  return one(ctx.add(ops::Selu{}, {ctx.input(0), alpha, gamma}));
}

inline outputs map_hard_sigmoid(node_context& ctx) {
  const auto t = ctx.input_type(0);
  const auto alpha = ctx.scalar_of(t, ctx.attr_float("alpha", 0.2f), "alpha");
  const auto beta = ctx.scalar_of(t, ctx.attr_float("beta", 0.5f), "beta");
  return one(ctx.add(ops::HardSigmoid{}, {ctx.input(0), alpha, beta}));
}

inline outputs map_gelu(node_context& ctx) {
  const auto approx = ctx.attr_string("approximate", "none");
  if (approx != "none" && approx != "tanh") ctx.fail("approximate '" + approx + "' is not none or tanh");
  return one(ctx.add(ops::Gelu(approx == "tanh" ? ops::gelu_approximation_mode::tanh : ops::gelu_approximation_mode::erf),
                     {ctx.input(0)}));
}

inline outputs map_reciprocal(node_context& ctx) {
  const auto one_v = ctx.scalar_of(ctx.input_type(0), 1.0, "one");
  return one(ctx.add(ops::Divide{}, {one_v, ctx.input(0)}));
}

inline outputs map_cast(node_context& ctx) {
  const auto to = static_cast<data_type>(ctx.attr_int("to"));
  const element_type et = element_type_from(to, "Cast 'to'", at_node(ctx.name(), "Cast"));
  return one(ctx.add(ops::Convert(et), {ctx.input(0)}));
}

inline outputs map_where(node_context& ctx) {
  return one(ctx.add(ops::Select{}, {ctx.input(0), ctx.input(1), ctx.input(2)}));
}

inline outputs map_cumsum(node_context& ctx) {
  return one(ctx.add(ops::CumSum(ctx.attr_int("exclusive", 0) != 0, ctx.attr_int("reverse", 0) != 0),
                     {ctx.input(0), ctx.input(1)}));
}

// ---- reductions ----------------------------------------------------------------------

/// The axes of a Reduce* node (attribute before `axes_input_opset`, input 1
/// from then on); nullopt means "all axes" (or nothing, with noop_with_empty_axes).
inline std::optional<output_ref> reduce_axes(node_context& ctx, std::int64_t axes_input_opset, bool& noop) {
  noop = false;
  std::vector<std::int64_t> axes;
  if (ctx.opset() < axes_input_opset) {
    axes = ctx.attr_ints("axes");
  } else if (ctx.has_input(1)) {
    if (const tensor* t = ctx.input_value(1)) axes = t->as_i64();
    else return ctx.input(1); // computed at run time
  }
  if (axes.empty()) {
    if (ctx.attr_int("noop_with_empty_axes", 0) != 0) {
      noop = true;
      return std::nullopt;
    }
    axes = iota_axes(0, ctx.input_rank(0, "a reduction over all axes"));
  }
  return ctx.constant_i64(axes, "axes");
}

template <class Op> mapping_fn reduce(std::int64_t axes_input_opset) {
  return [axes_input_opset](node_context& ctx) {
    bool noop = false;
    const auto axes = reduce_axes(ctx, axes_input_opset, noop);
    if (noop) return one(ctx.input(0));
    return one(ctx.add(Op(ctx.attr_int("keepdims", 1) != 0), {ctx.input(0), *axes}));
  };
}

/// ReduceLogSumExp = log(sum(exp(x))); ReduceSumSquare = sum(x * x).
inline outputs map_reduce_log_sum_exp(node_context& ctx) {
  bool noop = false;
  const auto axes = reduce_axes(ctx, 18, noop);
  if (noop) return one(ctx.input(0));
  const auto e = ctx.add(ops::Exp{}, {ctx.input(0)}, "exp");
  const auto s = ctx.add(ops::ReduceSum(ctx.attr_int("keepdims", 1) != 0), {e, *axes}, "sum");
  return one(ctx.add(ops::Log{}, {s}));
}
inline outputs map_reduce_log_sum(node_context& ctx) {
  bool noop = false;
  const auto axes = reduce_axes(ctx, 18, noop);
  if (noop) return one(ctx.input(0));
  const auto s = ctx.add(ops::ReduceSum(ctx.attr_int("keepdims", 1) != 0), {ctx.input(0), *axes}, "sum");
  return one(ctx.add(ops::Log{}, {s}));
}
inline outputs map_reduce_sum_square(node_context& ctx) {
  bool noop = false;
  const auto axes = reduce_axes(ctx, 18, noop);
  const auto sq = ctx.add(ops::Multiply{}, {ctx.input(0), ctx.input(0)}, noop ? "" : "square");
  if (noop) return one(sq);
  return one(ctx.add(ops::ReduceSum(ctx.attr_int("keepdims", 1) != 0), {sq, *axes}));
}

inline void add_math_mappings(mapping_table& t) {
  // unary
  t.add("Relu", unary<ops::Relu>());
  t.add("Sigmoid", unary<ops::Sigmoid>());
  t.add("Tanh", unary<ops::Tanh>());
  t.add("Exp", unary<ops::Exp>());
  t.add("Log", unary<ops::Log>());
  t.add("Abs", unary<ops::Abs>());
  t.add("Neg", unary<ops::Negative>());
  t.add("Floor", unary<ops::Floor>());
  t.add("Ceil", unary<ops::Ceiling>());
  t.add("Sqrt", unary<ops::Sqrt>());
  t.add("Erf", unary<ops::Erf>());
  t.add("Sin", unary<ops::Sin>());
  t.add("Cos", unary<ops::Cos>());
  t.add("Tan", unary<ops::Tan>());
  t.add("Asin", unary<ops::Asin>());
  t.add("Acos", unary<ops::Acos>());
  t.add("Atan", unary<ops::Atan>());
  t.add("Sinh", unary<ops::Sinh>());
  t.add("Cosh", unary<ops::Cosh>());
  t.add("Asinh", unary<ops::Asinh>());
  t.add("Acosh", unary<ops::Acosh>());
  t.add("Atanh", unary<ops::Atanh>());
  t.add("Sign", unary<ops::Sign>());
  t.add("Softplus", unary<ops::SoftPlus>());
  t.add("Softsign", unary<ops::SoftSign>());
  t.add("HardSwish", unary<ops::HSwish>());
  t.add("Mish", unary<ops::Mish>());
  t.add("Not", unary<ops::LogicalNot>());
  t.add("Round", [](node_context& ctx) { return one(ctx.add(ops::Round(ops::round_mode::half_to_even), {ctx.input(0)})); });
  t.add("Reciprocal", map_reciprocal);
  t.add("Elu", [](node_context& ctx) { return one(ctx.add(ops::Elu(ctx.attr_float("alpha", 1.0f)), {ctx.input(0)})); });
  t.add("Clip", map_clip);
  t.add("LeakyRelu", map_leaky_relu);
  t.add("PRelu", map_prelu);
  t.add("Selu", map_selu);
  t.add("HardSigmoid", map_hard_sigmoid);
  t.add("Gelu", map_gelu);
  t.add("Cast", map_cast);
  t.add("CastLike", [](node_context& ctx) { return one(ctx.add(ops::ConvertLike{}, {ctx.input(0), ctx.input(1)})); });
  // binary
  t.add("Add", binary<ops::Add>());
  t.add("Sub", binary<ops::Subtract>());
  t.add("Mul", binary<ops::Multiply>());
  t.add("Div", map_div);
  t.add("Pow", map_pow);
  t.add("Mod", map_mod);
  t.add("Equal", binary<ops::Equal>());
  t.add("Greater", binary<ops::Greater>());
  t.add("Less", binary<ops::Less>());
  t.add("GreaterOrEqual", binary<ops::GreaterEqual>());
  t.add("LessOrEqual", binary<ops::LessEqual>());
  t.add("And", binary<ops::LogicalAnd>());
  t.add("Or", binary<ops::LogicalOr>());
  t.add("Xor", binary<ops::LogicalXor>());
  t.add("Where", map_where);
  // variadic
  t.add("Sum", variadic<ops::Add>());
  t.add("Max", variadic<ops::Maximum>());
  t.add("Min", variadic<ops::Minimum>());
  t.add("Mean", map_mean);
  t.add("CumSum", map_cumsum);
  // reductions (axes became an input: ReduceSum in opset 13, the others in 18)
  t.add("ReduceSum", reduce<ops::ReduceSum>(13));
  t.add("ReduceMean", reduce<ops::ReduceMean>(18));
  t.add("ReduceMax", reduce<ops::ReduceMax>(18));
  t.add("ReduceMin", reduce<ops::ReduceMin>(18));
  t.add("ReduceProd", reduce<ops::ReduceProd>(18));
  t.add("ReduceL1", reduce<ops::ReduceL1>(18));
  t.add("ReduceL2", reduce<ops::ReduceL2>(18));
  t.add("ReduceLogSumExp", map_reduce_log_sum_exp);
  t.add("ReduceLogSum", map_reduce_log_sum);
  t.add("ReduceSumSquare", map_reduce_sum_square);
}

} // namespace irforge::onnx::detail
