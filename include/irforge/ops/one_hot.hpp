// irforge — OneHot-1: inserts a dimension of size `depth` at `axis`, filled with
// on_value where the index matches and off_value elsewhere.
//
// Inputs: indices (integer), depth (integer scalar), on_value and off_value
// (scalars of one type, which is the output type). axis is in [-r-1, r] for
// indices of rank r. The new dimension is known when depth is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "irforge/core/op.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

struct OneHot {
  static constexpr std::string_view type_name = "OneHot";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{4};
  BOOST_HANA_DEFINE_STRUCT(OneHot, (std::int64_t, axis));
  OneHot() : axis(0) {}
  explicit OneHot(std::int64_t a) : axis(a) {}

  void infer(infer_context& ctx) const {
    detail::checks::require_type(ctx, 0, detail::checks::type_class::integer, "indices");
    detail::checks::require_type(ctx, 1, detail::checks::type_class::integer, "depth");
    const element_type t = detail::checks::merge_types(ctx, 2, "on_value", 3, "off_value");
    static constexpr std::string_view roles[] = {"indices", "depth", "on_value", "off_value"};
    for (std::size_t i = 1; i < 4; ++i) {
      const partial_shape& s = ctx.input_shape(i);
      ctx.require(!s.rank_is_static() || s.rank() == 0,
                  detail::checks::input_label(i, roles[i]) + " must be a scalar, got shape " + s.to_string());
    }
    const partial_shape& indices = ctx.input_shape(0);
    if (!indices.rank_is_static()) {
      ctx.set_output(0, t, partial_shape::dynamic_rank());
      return;
    }
    const auto rank = static_cast<std::int64_t>(indices.rank());
    if (axis < -rank - 1 || axis > rank)
      ctx.fail("attribute 'axis' " + std::to_string(axis) + " is out of range for indices shape " +
               indices.to_string() + " (the output has rank " + std::to_string(rank + 1) + ")");
    dimension depth;
    if (const tensor* d = ctx.input_value(1); d != nullptr && d->element_count() == 1) {
      const std::int64_t n = d->as_i64()[0];
      ctx.require(n >= 0, "depth must be 0 or more, got " + std::to_string(n));
      depth = dimension(n);
    }
    auto dims = indices.dims();
    dims.insert(dims.begin() + (axis < 0 ? axis + rank + 1 : axis), depth);
    ctx.set_output(0, t, partial_shape(std::move(dims)));
  }
};

} // namespace irforge::ops
