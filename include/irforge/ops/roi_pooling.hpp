// irforge — ROIPooling-2: max (or bilinear) pooling of regions of interest
// (Fast R-CNN) to a fixed pooled_h x pooled_w grid.
//
// Inputs: feature maps [N, C, H, W] and boxes [R, 5] (batch index, x1, y1,
// x2, y2 in image coordinates, scaled by `spatial_scale`). The output is
// [R, C, pooled_h, pooled_w]. `output_size` repeats [pooled_h, pooled_w], as
// OpenVINO writes both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

struct ROIPooling {
  static constexpr std::string_view type_name = "ROIPooling";
  static constexpr std::string_view version = "opset2";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(ROIPooling, (std::vector<std::int64_t>, output_size), (std::int64_t, pooled_h),
                           (std::int64_t, pooled_w), (float, spatial_scale), (std::string, method));
  ROIPooling() : pooled_h(0), pooled_w(0), spatial_scale(0), method("max") {}
  ROIPooling(std::int64_t h, std::int64_t w, float scale, std::string m = "max")
      : output_size{h, w}, pooled_h(h), pooled_w(w), spatial_scale(scale), method(std::move(m)) {}

  void infer(infer_context& ctx) const {
    using namespace detail::checks;
    ctx.require(pooled_h > 0 && pooled_w > 0, "pooled_h and pooled_w must be positive");
    ctx.require(output_size.empty() || output_size == std::vector<std::int64_t>{pooled_h, pooled_w},
                "output_size must equal [pooled_h, pooled_w]");
    ctx.require(spatial_scale > 0, "spatial_scale must be positive");
    ctx.require(method == "max" || method == "bilinear", "method must be 'max' or 'bilinear', got '" + method + "'");
    const element_type t = merge_types(ctx, 0, "feature maps", 1, "boxes");
    require_type(ctx, 0, type_class::floating, "feature maps");
    require_type(ctx, 1, type_class::floating, "boxes");
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& boxes = ctx.input_shape(1);
    if (data.rank_is_static()) ctx.require(data.rank() == 4, "feature maps must be 4-D, got " + data.to_string());
    if (boxes.rank_is_static()) {
      ctx.require(boxes.rank() == 2, "boxes must be 2-D, got " + boxes.to_string());
      ctx.require(boxes[1].compatible(dimension(5)), "boxes must be [R, 5], got " + boxes.to_string());
    }
    ctx.set_output(0, t,
                   partial_shape{boxes.rank_is_static() ? boxes[0] : dimension(), data.rank_is_static() ? data[1] : dimension(),
                                 pooled_h, pooled_w});
  }
};

} // namespace irforge::ops
