// irforge — Caffe mappings of the detection layers: SSD's PriorBox and
// DetectionOutput (the weiliu89/caffe "ssd" branch parameters) and Fast
// R-CNN's ROIPooling.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/mapping_helpers.hpp"
#include "irforge/ops/detection_output.hpp"
#include "irforge/ops/prior_box.hpp"
#include "irforge/ops/roi_pooling.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/slice.hpp"
#include "irforge/ops/squeeze.hpp"

namespace irforge::caffe::detail {

/// [H, W] of a 4-D bottom: ShapeOf + Slice (folded to a constant when static,
/// and kept as a subgraph so the IR stays reshapeable).
inline output_ref spatial_size_of(layer_context& ctx, std::size_t bottom, const std::string& suffix) {
  if (ctx.input_rank(bottom, "PriorBox") != 4) ctx.fail("PriorBox needs 4-D bottoms");
  const output_ref s = ctx.add(ops::ShapeOf(element_type::i64), {ctx.input(bottom)}, suffix + "/shape");
  return ctx.add(ops::Slice{}, {s, ctx.constant_i64({2}, suffix + "/start"), ctx.constant_i64({4}, suffix + "/stop"),
                                ctx.constant_i64({1}, suffix + "/step"), ctx.constant_i64({0}, suffix + "/axes")},
                 suffix + "/hw");
}

inline outputs map_prior_box(layer_context& ctx) {
  const message_view p = ctx.param("prior_box_param");
  if (ctx.input_count() != 2) ctx.fail("PriorBox takes two bottoms (the feature map and the image)");
  ops::PriorBox op;
  op.min_size = p.floats("min_size");
  op.max_size = p.floats("max_size");
  op.aspect_ratio = p.floats("aspect_ratio");
  op.density = p.floats("density");
  op.fixed_ratio = p.floats("fixed_ratio");
  op.fixed_size = p.floats("fixed_size");
  op.flip = p.boolean("flip", true);
  op.clip = p.boolean("clip", false);
  op.variance = p.floats("variance");
  if (op.variance.empty()) op.variance = {0.1f};
  op.offset = p.number_f32("offset", 0.5f);
  if (!op.max_size.empty() && op.max_size.size() != op.min_size.size())
    ctx.fail("max_size must have as many values as min_size");
  if (p.has("step")) {
    op.step = p.number_f32("step", 0.0f);
  } else if (p.has("step_h") || p.has("step_w")) {
    const double h = p.number("step_h", 0.0), w = p.number("step_w", 0.0);
    if (h != w) ctx.fail("different step_h and step_w are not supported (OpenVINO's PriorBox has one step)");
    op.step = to_f32(h);
  }
  // Caffe's order: min box, then the max box, then the other aspect ratios.
  op.scale_all_sizes = true;
  op.min_max_aspect_ratios_order = true;

  const output_ref layer_size = spatial_size_of(ctx, 0, "layer");
  output_ref image_size;
  if (p.has("img_size") || p.has("img_h") || p.has("img_w")) {
    const auto s = p.integer("img_size", 0);
    const auto h = p.integer("img_h", s), w = p.integer("img_w", s);
    if (h < 1 || w < 1) ctx.fail("img_size / img_h / img_w must be positive");
    image_size = ctx.constant_i64({h, w}, "image_size");
  } else {
    image_size = spatial_size_of(ctx, 1, "image");
  }
  const output_ref boxes = ctx.add(op, {layer_size, image_size}, "priors");
  // Caffe's top is [1, 2, 4 * priors]; the IR op gives [2, 4 * priors].
  return one(ctx.add(ops::Unsqueeze{}, {boxes, ctx.constant_i64({0}, "axes")}));
}

inline constexpr std::string_view code_types[] = {"", "CORNER", "CENTER_SIZE", "CORNER_SIZE"};

inline outputs map_detection_output(layer_context& ctx) {
  const message_view p = ctx.param("detection_output_param");
  if (ctx.input_count() != 3 && ctx.input_count() != 5)
    ctx.fail("DetectionOutput takes 3 bottoms (locations, confidences, priors) or 5");
  ops::DetectionOutput op;
  op.background_label_id = p.integer("background_label_id", 0);
  op.share_location = p.boolean("share_location", true);
  op.variance_encoded_in_target = p.boolean("variance_encoded_in_target", false);
  op.keep_top_k = {p.integer("keep_top_k", -1)};
  op.confidence_threshold = p.number_f32("confidence_threshold", 0.0f);
  const message_view nms = p.message("nms_param");
  op.nms_threshold = nms.number_f32("nms_threshold", 0.3f);
  op.top_k = nms.integer("top_k", -1);
  if (op.top_k == 0) op.top_k = -1;
  if (nms.number("eta", 1.0) != 1.0) ctx.fail("adaptive NMS (nms_param.eta != 1) is not supported");
  const std::string code = p.enumeration("code_type", "CORNER", code_types);
  if (code != "CORNER" && code != "CENTER_SIZE") ctx.fail("code_type " + code + " is not supported (CORNER, CENTER_SIZE)");
  op.code_type = "caffe.PriorBoxParameter." + code;
  // Caffe's priors are normalized ([0, 1] boxes, 4 values each).
  op.normalized = p.boolean("normalized", true);
  op.input_height = p.integer("input_height", 1);
  op.input_width = p.integer("input_width", 1);
  op.objectness_score = p.number_f32("objectness_score", 0.0f);
  op.clip_before_nms = p.boolean("clip_before_nms", false);
  op.clip_after_nms = p.boolean("clip_after_nms", false);
  std::vector<output_ref> in;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    output_ref x = ctx.input(i);
    // Locations and confidences are [N, everything]; Caffe accepts them unflattened.
    if (i != 2 && ctx.input_rank(i, "DetectionOutput") != 2)
      x = reshape_zero(ctx, x, {0, -1}, "flatten_" + std::to_string(i));
    in.push_back(x);
  }
  return one(ctx.add(op, in));
}

inline outputs map_roi_pooling(layer_context& ctx) {
  const message_view p = ctx.param("roi_pooling_param");
  if (ctx.input_count() != 2) ctx.fail("ROIPooling takes two bottoms (feature maps and boxes)");
  const ops::ROIPooling op(p.integer("pooled_h", 0), p.integer("pooled_w", 0),
                           p.number_f32("spatial_scale", 1.0f), "max");
  return one(ctx.add(op, {ctx.input(0), ctx.input(1)}));
}

inline void add_detection_mappings(mapping_table& t) {
  t.add("PriorBox", map_prior_box);
  t.add("DetectionOutput", map_detection_output);
  t.add("ROIPooling", map_roi_pooling);
}

} // namespace irforge::caffe::detail
