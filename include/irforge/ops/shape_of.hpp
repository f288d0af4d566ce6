// irforge — ShapeOf-3 (output_type i32/i64) and ShapeOf-1 (always i64): the
// input's shape as a 1-D tensor.
//
// When the input shape is static the output value is set too, so the ops that
// consume the shape (Reshape, Broadcast, ...) see a constant.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"

namespace irforge::ops {

namespace detail {
inline void infer_shape_of(infer_context& ctx, element_type out) {
  const partial_shape& in = ctx.input_shape(0);
  if (in.is_static()) {
    const shape dims = in.to_shape();
    const shape len{static_cast<std::int64_t>(dims.size())};
    if (out == element_type::i64) {
      ctx.set_output_value(0, tensor::from_values<std::int64_t>(len, dims));
      return;
    }
    bool fits = true;
    std::vector<std::int32_t> narrow;
    for (auto d : dims) {
      fits = fits && d <= std::numeric_limits<std::int32_t>::max();
      narrow.push_back(static_cast<std::int32_t>(d));
    }
    if (fits) {
      ctx.set_output_value(0, tensor::from_values<std::int32_t>(len, narrow));
      return;
    }
  }
  ctx.set_output(0, out,
                 partial_shape{in.rank_is_static() ? dimension(static_cast<std::int64_t>(in.rank())) : dimension()});
}
} // namespace detail

/// ShapeOf-3: the input shape as i64 (default) or i32.
struct ShapeOf {
  static constexpr std::string_view type_name = "ShapeOf";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(ShapeOf, (element_type, output_type));
  ShapeOf() : output_type(element_type::i64) {}
  explicit ShapeOf(element_type t) : output_type(t) {}
  void infer(infer_context& ctx) const {
    ctx.require(output_type == element_type::i64 || output_type == element_type::i32,
                "attribute 'output_type' must be i64 or i32, got " + std::string(to_string(output_type)));
    detail::infer_shape_of(ctx, output_type);
  }
};

namespace v1 {
/// ShapeOf-1: the input shape as i64.
struct ShapeOf {
  static constexpr std::string_view type_name = "ShapeOf";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(ShapeOf);
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_shape_of(ctx, element_type::i64); }
};
} // namespace v1

} // namespace irforge::ops
