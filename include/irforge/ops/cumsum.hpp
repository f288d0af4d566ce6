// irforge — CumSum-3: cumulative sum along an axis (input 1, optional, default 0).
//
// Output = data type and shape. The axis is a scalar (a one-element 1-D tensor
// is accepted, as OpenVINO does for older models) of type i32 or i64.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "irforge/core/op.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

struct CumSum {
  static constexpr std::string_view type_name = "CumSum";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{1, 2};
  BOOST_HANA_DEFINE_STRUCT(CumSum, (bool, exclusive), (bool, reverse));
  CumSum() : exclusive(false), reverse(false) {}
  CumSum(bool excl, bool rev) : exclusive(excl), reverse(rev) {}

  void infer(infer_context& ctx) const {
    detail::checks::require_type(ctx, 0, detail::checks::type_class::numeric, "data");
    const partial_shape& data = ctx.input_shape(0);
    ctx.require(!data.rank_is_static() || data.rank() >= 1,
                "input 0 (data) must have rank 1 or more, got shape " + data.to_string());
    if (ctx.input_count() == 2) {
      const element_type t = ctx.input_type(1);
      ctx.require(t == element_type::dynamic || t == element_type::i32 || t == element_type::i64,
                  "input 1 (axis) must be i32 or i64, got " + std::string(to_string(t)));
      const partial_shape& s = ctx.input_shape(1);
      const bool one = !s.rank_is_static() || s.rank() == 0 || (s.rank() == 1 && s[0].compatible(dimension(1)));
      ctx.require(one, "input 1 (axis) must be a scalar, got shape " + s.to_string());
      const tensor* v = ctx.input_value(1);
      if (v != nullptr && v->element_count() == 1 && data.rank_is_static()) {
        const std::int64_t axis = v->as_i64()[0];
        const auto rank = static_cast<std::int64_t>(data.rank());
        if (axis < -rank || axis >= rank)
          ctx.fail("axis " + std::to_string(axis) + " is out of range for data shape " + data.to_string());
      }
    }
    ctx.set_output(0, ctx.input_type(0), data);
  }
};

} // namespace irforge::ops
