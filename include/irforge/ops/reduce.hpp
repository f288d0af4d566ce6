// irforge — reductions over the axes given by input 1: ReduceMean, ReduceSum,
// ReduceMax, ReduceMin, ReduceProd, ReduceLogicalAnd, ReduceLogicalOr (opset1),
// ReduceL1, ReduceL2 (opset4); attribute keep_dims.
//
// The output shape is exact when the axes are known (a Const); otherwise only
// the rank is known, and only with keep_dims (or a single axis). The axes
// checks here are shared with the normalization ops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

namespace detail::checks {
/// Checks an axes input (integer type; 1-D, or also a scalar when allowed). When
/// its value and the rank of input 0 are known, returns the axes normalised to
/// [0, rank); an axis outside [-rank, rank) is an error.
inline std::optional<std::vector<std::int64_t>> checked_axes(const infer_context& ctx, std::size_t input,
                                                             bool allow_scalar) {
  require_type(ctx, input, type_class::integer, "axes");
  const partial_shape& s = ctx.input_shape(input);
  if (s.rank_is_static() && s.rank() != 1 && !(allow_scalar && s.rank() == 0))
    ctx.fail(input_label(input, "axes") + " must be " + (allow_scalar ? "a scalar or 1-D" : "1-D") + ", got shape " +
             s.to_string());
  const partial_shape& data = ctx.input_shape(0);
  auto axes = input_ints(ctx, input);
  if (!axes || !data.rank_is_static()) return std::nullopt;
  const auto rank = static_cast<std::int64_t>(data.rank());
  const std::string listed = attr::format(*axes);
  for (auto& a : *axes) {
    if (a < -rank || a >= rank)
      ctx.fail("axis " + std::to_string(a) + " is out of range for data shape " + data.to_string() + " (axes " +
               listed + ")");
    if (a < 0) a += rank;
  }
  return axes;
}

} // namespace detail::checks

namespace detail {
inline void infer_reduction(infer_context& ctx, bool keep_dims, checks::type_class c) {
  checks::require_type(ctx, 0, c, "data");
  const auto axes = checks::checked_axes(ctx, 1, true);
  const partial_shape& data = ctx.input_shape(0);
  std::vector<dimension> dims;
  if (axes) {
    std::vector<bool> reduced(data.rank(), false);
    for (auto a : *axes) reduced[static_cast<std::size_t>(a)] = true;
    for (std::size_t i = 0; i < reduced.size(); ++i) {
      if (!reduced[i]) dims.push_back(data[i]);
      else if (keep_dims) dims.emplace_back(1);
    }
  } else if (!data.rank_is_static()) {
    ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
    return;
  } else if (keep_dims) {
    // Which dims become 1 is unknown; a dim that is 1 already stays 1.
    for (const auto& d : data.dims()) dims.push_back(d == dimension(1) ? d : dimension());
  } else {
    // A single axis removes exactly one dimension, whichever it is.
    const partial_shape& a = ctx.input_shape(1);
    const bool single = a.rank_is_static() && (a.rank() == 0 || a[0] == dimension(1));
    if (!single || data.rank() == 0) {
      ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
      return;
    }
    dims.resize(data.rank() - 1);
  }
  ctx.set_output(0, ctx.input_type(0), partial_shape(std::move(dims)));
}
} // namespace detail

#define IRFORGE_REDUCE_OP(Name, Version, Class)                                                                        \
  struct Name {                                                                                                        \
    static constexpr std::string_view type_name = #Name;                                                               \
    static constexpr std::string_view version = Version;                                                               \
    static constexpr arity inputs{2};                                                                                  \
    BOOST_HANA_DEFINE_STRUCT(Name, (bool, keep_dims));                                                                 \
    Name() : keep_dims(false) {}                                                                                       \
    explicit Name(bool keep) : keep_dims(keep) {}                                                                      \
    void infer(infer_context& ctx) const {                                                                             \
      detail::infer_reduction(ctx, keep_dims, detail::checks::type_class::Class);                                      \
    }                                                                                                                  \
  }

IRFORGE_REDUCE_OP(ReduceMean, "opset1", numeric);
IRFORGE_REDUCE_OP(ReduceSum, "opset1", numeric);
IRFORGE_REDUCE_OP(ReduceMax, "opset1", numeric);
IRFORGE_REDUCE_OP(ReduceMin, "opset1", numeric);
IRFORGE_REDUCE_OP(ReduceProd, "opset1", numeric);
IRFORGE_REDUCE_OP(ReduceL1, "opset4", numeric);
IRFORGE_REDUCE_OP(ReduceL2, "opset4", numeric);
IRFORGE_REDUCE_OP(ReduceLogicalAnd, "opset1", boolean);
IRFORGE_REDUCE_OP(ReduceLogicalOr, "opset1", boolean);

#undef IRFORGE_REDUCE_OP

} // namespace irforge::ops
