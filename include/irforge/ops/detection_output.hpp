// irforge — DetectionOutput-8: SSD box decoding and per-class NMS.
//
// Inputs: box logits [N, priors * loc_classes * 4], class predictions
// [N, priors * classes], proposals [1 or N, 1 or 2, priors * (4 if normalized
// else 5)], and optionally the two extra inputs of RefineDet. The output is
// [1, 1, M, 7] rows (image, label, confidence, x_min, y_min, x_max, y_max),
// with M = N * keep_top_k[0] if that is positive, else N * top_k * classes if
// top_k is, else N * classes * priors. Opset 8 infers the class count from
// the shapes (opset 1 had a num_classes attribute).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/spatial.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

struct DetectionOutput {
  static constexpr std::string_view type_name = "DetectionOutput";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{3, 5};
  BOOST_HANA_DEFINE_STRUCT(DetectionOutput, (std::int64_t, background_label_id), (std::int64_t, top_k),
                           (bool, variance_encoded_in_target), (std::vector<std::int64_t>, keep_top_k),
                           (std::string, code_type), (bool, share_location), (float, nms_threshold),
                           (float, confidence_threshold), (bool, clip_after_nms), (bool, clip_before_nms),
                           (bool, decrease_label_id), (bool, normalized), (std::int64_t, input_height),
                           (std::int64_t, input_width), (float, objectness_score));
  DetectionOutput()
      : background_label_id(0), top_k(-1), variance_encoded_in_target(false), keep_top_k{-1},
        code_type("caffe.PriorBoxParameter.CORNER"), share_location(true), nms_threshold(0),
        confidence_threshold(0), clip_after_nms(false), clip_before_nms(false), decrease_label_id(false),
        normalized(false), input_height(1), input_width(1), objectness_score(0) {}

  void infer(infer_context& ctx) const {
    using namespace detail::checks;
    ctx.require(code_type == "caffe.PriorBoxParameter.CORNER" || code_type == "caffe.PriorBoxParameter.CENTER_SIZE",
                "code_type must be caffe.PriorBoxParameter.CORNER or caffe.PriorBoxParameter.CENTER_SIZE, got '" +
                    code_type + "'");
    ctx.require(!keep_top_k.empty(), "keep_top_k needs a value");
    ctx.require(ctx.input_count() == 3 || ctx.input_count() == 5, "takes 3 or 5 inputs");
    const element_type t = merge_types(ctx, 0, "box_logits", 1, "class_preds");
    for (std::size_t i = 0; i < ctx.input_count(); ++i) require_type(ctx, i, type_class::floating);
    const partial_shape& box = ctx.input_shape(0);
    const partial_shape& cls = ctx.input_shape(1);
    const partial_shape& prop = ctx.input_shape(2);
    if (box.rank_is_static()) ctx.require(box.rank() == 2, "box_logits must be 2-D, got " + box.to_string());
    if (cls.rank_is_static()) ctx.require(cls.rank() == 2, "class_preds must be 2-D, got " + cls.to_string());
    if (prop.rank_is_static()) ctx.require(prop.rank() == 3, "proposals must be 3-D, got " + prop.to_string());

    const std::int64_t box_size = normalized ? 4 : 5;
    std::optional<std::int64_t> priors, classes, batch;
    if (prop.rank_is_static() && prop[2].is_static()) {
      ctx.require(prop[2].min() % box_size == 0, "proposals dimension 2 (" + std::to_string(prop[2].min()) +
                                                      ") is not a multiple of " + std::to_string(box_size));
      priors = prop[2].min() / box_size;
      if (prop[1].is_static())
        ctx.require(prop[1].min() == (variance_encoded_in_target ? 1 : 2),
                    "proposals dimension 1 must be " + std::string(variance_encoded_in_target ? "1" : "2") +
                        " (variance_encoded_in_target is " + (variance_encoded_in_target ? "true" : "false") + ")");
    }
    if (box.rank_is_static() && box[0].is_static()) batch = box[0].min();
    if (cls.rank_is_static() && cls[0].is_static()) batch = cls[0].min();
    if (priors && *priors > 0 && cls.rank_is_static() && cls[1].is_static()) {
      ctx.require(cls[1].min() % *priors == 0, "class_preds dimension 1 (" + std::to_string(cls[1].min()) +
                                                   ") is not a multiple of the " + std::to_string(*priors) + " priors");
      classes = cls[1].min() / *priors;
      if (box.rank_is_static() && box[1].is_static()) {
        const std::int64_t loc_classes = share_location ? 1 : *classes;
        ctx.require(box[1].min() == *priors * loc_classes * 4,
                    "box_logits dimension 1 must be priors * loc_classes * 4 = " +
                        std::to_string(*priors * loc_classes * 4) + ", got " + std::to_string(box[1].min()));
      }
    }
    dimension rows;
    if (batch) {
      using spatial::checked_multiply;
      if (keep_top_k[0] > 0) rows = checked_multiply(*batch, keep_top_k[0], ctx);
      else if (top_k > 0 && classes) rows = checked_multiply(checked_multiply(*batch, top_k, ctx), *classes, ctx);
      else if (top_k <= 0 && classes && priors)
        rows = checked_multiply(checked_multiply(*batch, *classes, ctx), *priors, ctx);
    }
    ctx.set_output(0, t, partial_shape{1, 1, rows, 7});
  }
};

} // namespace irforge::ops
