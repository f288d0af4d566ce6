// irforge — Caffe mappings of the layers that move data: Concat, Slice,
// Split, Dropout, Flatten, Reshape, Permute, Crop, Tile, Interp, Upsample,
// ShuffleChannel, Silence.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/mapping_helpers.hpp"
#include "irforge/ops/broadcast.hpp"
#include "irforge/ops/concat.hpp"
#include "irforge/ops/interpolate.hpp"
#include "irforge/ops/reshape.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/slice.hpp"
#include "irforge/ops/split.hpp"
#include "irforge/ops/transpose.hpp"

namespace irforge::caffe::detail {

inline outputs map_identity(layer_context& ctx) { return aliases(ctx, ctx.input(0)); }

inline outputs map_concat(layer_context& ctx) {
  const message_view p = ctx.param("concat_param");
  if (ctx.input_count() == 1) return one(ctx.input(0)); // a copy
  const auto rank = ctx.input_rank(0, "Concat");
  // `concat_dim` is the deprecated spelling of `axis` (no negative values).
  const auto axis = p.has("axis") || !p.has("concat_dim") ? caffe_axis(ctx, p.integer("axis", 1), rank)
                                                          : caffe_axis(ctx, p.integer("concat_dim", 1), rank);
  std::vector<output_ref> in;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) in.push_back(ctx.input(i));
  return one(ctx.add(ops::Concat(axis), in));
}

inline outputs map_slice(layer_context& ctx) {
  const message_view p = ctx.param("slice_param");
  const auto rank = ctx.input_rank(0, "Slice");
  const auto axis = p.has("axis") || !p.has("slice_dim") ? caffe_axis(ctx, p.integer("axis", 1), rank)
                                                         : caffe_axis(ctx, p.integer("slice_dim", 1), rank);
  const auto tops = static_cast<std::int64_t>(ctx.output_count());
  if (tops == 0) ctx.fail("Slice has no tops");
  const auto points = p.integers("slice_point");
  const auto axis_c = ctx.scalar_i64(axis, "axis");
  node_id id = 0;
  if (points.empty()) {
    id = ctx.add_node(ops::Split(tops), {ctx.input(0), axis_c});
  } else {
    if (static_cast<std::int64_t>(points.size()) != tops - 1)
      ctx.fail(std::to_string(points.size()) + " slice points for " + std::to_string(tops) + " tops (need tops - 1)");
    std::vector<std::int64_t> lengths;
    std::int64_t prev = 0;
    for (auto pt : points) {
      if (pt <= prev) ctx.fail("slice points must be positive and increasing");
      lengths.push_back(pt - prev);
      prev = pt;
    }
    const auto& d = ctx.input_shape(0)[static_cast<std::size_t>(axis)];
    if (d.is_static() && d.min() <= prev)
      ctx.fail("slice point " + std::to_string(prev) + " is beyond the axis size " + std::to_string(d.min()));
    lengths.push_back(-1); // the rest
    id = ctx.add_node(ops::VariadicSplit{}, {ctx.input(0), axis_c, ctx.constant_i64(lengths, "split_lengths")});
  }
  outputs out;
  for (std::uint32_t k = 0; k < static_cast<std::uint32_t>(tops); ++k) out.push_back(output_ref{id, k});
  return out;
}

inline outputs map_flatten(layer_context& ctx) {
  const message_view p = ctx.param("flatten_param");
  const auto rank = ctx.input_rank(0, "Flatten");
  const auto axis = caffe_axis(ctx, p.integer("axis", 1), rank);
  const auto end = caffe_axis(ctx, p.integer("end_axis", -1), rank, "end_axis");
  if (end < axis) ctx.fail("end_axis " + std::to_string(end) + " comes before axis " + std::to_string(axis));
  std::vector<std::int64_t> target(static_cast<std::size_t>(axis), 0);
  target.push_back(-1);
  // Dims after end_axis move to new positions, so they must be known.
  for (std::int64_t a = end + 1; a < rank; ++a) target.push_back(ctx.static_dim(0, a, "Flatten before the last axis"));
  return one(reshape_zero(ctx, ctx.input(0), target, ""));
}

inline outputs map_reshape(layer_context& ctx) {
  const message_view p = ctx.param("reshape_param");
  const auto rank = ctx.input_rank(0, "Reshape");
  const auto dims = p.message("shape").integers("dim");
  auto axis = p.integer("axis", 0);
  const auto num_axes = p.integer("num_axes", -1);
  // Caffe: a negative axis counts from the end, -1 meaning "after the last".
  const std::int64_t start = axis >= 0 ? axis : rank + axis + 1;
  if (start < 0 || start > rank) ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  const std::int64_t end = num_axes == -1 ? rank : start + num_axes;
  if (num_axes < -1 || end > rank) ctx.fail("num_axes " + std::to_string(num_axes) + " is out of range");
  if (std::count(dims.begin(), dims.end(), -1) > 1) ctx.fail("at most one dim may be -1");
  for (auto d : dims)
    if (d < -1) ctx.fail("dim " + std::to_string(d) + " is invalid");
  std::vector<std::int64_t> target(static_cast<std::size_t>(start), 0);
  const bool same_positions = static_cast<std::int64_t>(dims.size()) == end - start;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    // 0 copies the bottom's dim start + i; Reshape's special zero copies at the output index, the same one.
    if (dims[i] == 0 && start + static_cast<std::int64_t>(i) >= rank)
      ctx.fail("dim 0 at index " + std::to_string(i) + " copies a dimension the bottom does not have");
    target.push_back(dims[i]);
  }
  for (std::int64_t a = end; a < rank; ++a)
    target.push_back(same_positions ? 0 : ctx.static_dim(0, a, "Reshape of part of the axes"));
  return one(reshape_zero(ctx, ctx.input(0), target, ""));
}

inline outputs map_permute(layer_context& ctx) {
  const auto rank = ctx.input_rank(0, "Permute");
  auto order = ctx.param("permute_param").integers("order");
  std::vector<bool> seen(static_cast<std::size_t>(rank), false);
  for (auto& a : order) {
    a = caffe_axis(ctx, a, rank, "order axis");
    if (seen[static_cast<std::size_t>(a)]) ctx.fail("order names axis " + std::to_string(a) + " twice");
    seen[static_cast<std::size_t>(a)] = true;
  }
  // Axes the order leaves out follow in their original order.
  for (std::int64_t a = 0; a < rank; ++a)
    if (!seen[static_cast<std::size_t>(a)]) order.push_back(a);
  bool identity = true;
  for (std::int64_t a = 0; a < rank; ++a) identity = identity && order[static_cast<std::size_t>(a)] == a;
  if (identity) return one(ctx.input(0));
  return one(ctx.add(ops::Transpose{}, {ctx.input(0), ctx.constant_i64(order, "order")}));
}

inline outputs map_crop(layer_context& ctx) {
  // Crops bottom 0 to the shape of bottom 1 on the axes from `axis` on.
  if (ctx.input_count() != 2) ctx.fail("Crop takes two bottoms (data and the reference shape)");
  const message_view p = ctx.param("crop_param");
  const auto rank = ctx.input_rank(0, "Crop");
  const auto axis = caffe_axis(ctx, p.integer("axis", 2), rank);
  const auto offsets = p.integers("offset");
  const auto n = rank - axis;
  if (offsets.size() > 1 && static_cast<std::int64_t>(offsets.size()) != n)
    ctx.fail(std::to_string(offsets.size()) + " offsets for " + std::to_string(n) + " cropped axes (give 0, 1 or one per axis)");
  std::vector<std::int64_t> start, stop, step, axes;
  for (std::int64_t a = axis; a < rank; ++a) {
    const auto i = static_cast<std::size_t>(a - axis);
    const std::int64_t off = offsets.empty() ? 0 : offsets[offsets.size() == 1 ? 0 : i];
    if (off < 0 || off > ops::spatial::max_dimension) ctx.fail("crop offset " + std::to_string(off) + " is out of range");
    const std::int64_t size = ctx.static_dim(1, a, "Crop");
    const auto& d = ctx.input_shape(0)[static_cast<std::size_t>(a)];
    if (d.is_static() && off + size > d.min())
      ctx.fail("crop of " + std::to_string(size) + " at offset " + std::to_string(off) + " exceeds dimension " +
               std::to_string(a) + " of size " + std::to_string(d.min()));
    start.push_back(off);
    stop.push_back(off + size);
    step.push_back(1);
    axes.push_back(a);
  }
  return one(ctx.add(ops::Slice{}, {ctx.input(0), ctx.constant_i64(start, "start"), ctx.constant_i64(stop, "stop"),
                                    ctx.constant_i64(step, "step"), ctx.constant_i64(axes, "axes")}));
}

inline outputs map_tile(layer_context& ctx) {
  const message_view p = ctx.param("tile_param");
  const auto rank = ctx.input_rank(0, "Tile");
  const auto axis = caffe_axis(ctx, p.integer("axis", 1), rank);
  const auto tiles = p.integer("tiles", 0);
  if (tiles < 1) ctx.fail("tiles must be positive");
  std::vector<std::int64_t> repeats(static_cast<std::size_t>(rank), 1);
  repeats[static_cast<std::size_t>(axis)] = tiles;
  return one(ctx.add(ops::Tile{}, {ctx.input(0), ctx.constant_i64(repeats, "repeats")}));
}

/// Resizes H and W (axes 2, 3) of a 4-D value to `size` with an Interpolate-4.
inline output_ref resize_hw(layer_context& ctx, output_ref x, std::int64_t in_h, std::int64_t in_w, std::int64_t h,
                            std::int64_t w, bool linear) {
  ops::v4::Interpolate op;
  op.shape_calculation_mode = ops::shape_calculation_mode::sizes;
  if (linear) {
    op.mode = ops::interpolate_mode::linear_onnx;
    op.coordinate_transformation_mode = ops::coordinate_transformation_mode::align_corners;
  } else {
    op.mode = ops::interpolate_mode::nearest;
    op.coordinate_transformation_mode = ops::coordinate_transformation_mode::asymmetric;
    op.nearest_mode = ops::nearest_mode::floor;
  }
  op.pads_begin.assign(4, 0);
  op.pads_end.assign(4, 0);
  const auto scales = ctx.constant_f32({static_cast<float>(h) / static_cast<float>(in_h),
                                        static_cast<float>(w) / static_cast<float>(in_w)},
                                       {2}, "scales");
  return ctx.add(op, {x, ctx.constant_i64({h, w}, "sizes"), scales, ctx.constant_i64({2, 3}, "axes")});
}

inline outputs map_interp(layer_context& ctx) {
  // DeepLab/PSPNet Interp: bilinear with aligned corners; the output size
  // from height/width, zoom_factor and/or shrink_factor, after cropping
  // by the (non-positive) pad_beg/pad_end.
  const message_view p = ctx.param("interp_param");
  if (ctx.input_rank(0, "Interp") != 4) ctx.fail("Interp needs a 4-D bottom");
  const auto pad_beg = p.integer("pad_beg", 0), pad_end = p.integer("pad_end", 0);
  if (pad_beg > 0 || pad_end > 0) ctx.fail("Interp supports only non-positive pad_beg/pad_end (a crop)");
  std::int64_t in_h = ctx.static_dim(0, 2, "Interp"), in_w = ctx.static_dim(0, 3, "Interp");
  output_ref x = ctx.input(0);
  if (pad_beg != 0 || pad_end != 0) {
    const std::int64_t h = in_h + pad_beg + pad_end, w = in_w + pad_beg + pad_end;
    if (h < 1 || w < 1) ctx.fail("pad_beg/pad_end crop away the whole input");
    x = ctx.add(ops::Slice{}, {x, ctx.constant_i64({-pad_beg, -pad_beg}, "crop_start"),
                               ctx.constant_i64({-pad_beg + h, -pad_beg + w}, "crop_stop"),
                               ctx.constant_i64({1, 1}, "crop_step"), ctx.constant_i64({2, 3}, "crop_axes")},
                "crop");
    in_h = h;
    in_w = w;
  }
  const bool zoom = p.has("zoom_factor"), shrink = p.has("shrink_factor"), sized = p.has("height") && p.has("width");
  const auto zf = p.integer("zoom_factor", 1), sf = p.integer("shrink_factor", 1);
  constexpr std::int64_t limit = std::int64_t{1} << 24; // keeps every size below in int64
  if (zoom && (zf < 1 || zf > limit)) ctx.fail("zoom_factor must be in [1, 2^24]");
  if (shrink && (sf < 1 || sf > limit)) ctx.fail("shrink_factor must be in [1, 2^24]");
  if (in_h > limit || in_w > limit) ctx.fail("Interp input is larger than 2^24 on H or W");
  std::int64_t h = 0, w = 0;
  if (shrink && !zoom) {
    h = (in_h - 1) / sf + 1;
    w = (in_w - 1) / sf + 1;
  } else if (zoom && !shrink) {
    h = in_h + (in_h - 1) * (zf - 1);
    w = in_w + (in_w - 1) * (zf - 1);
  } else if (sized) {
    h = p.integer("height", 0);
    w = p.integer("width", 0);
  } else if (zoom && shrink) {
    h = (in_h - 1) / sf + 1;
    w = (in_w - 1) / sf + 1;
    h = h + (h - 1) * (zf - 1);
    w = w + (w - 1) * (zf - 1);
  } else {
    ctx.fail("Interp needs zoom_factor, shrink_factor, or height and width");
  }
  if (h < 1 || w < 1) ctx.fail("the output size " + std::to_string(h) + "x" + std::to_string(w) + " is empty");
  return one(resize_hw(ctx, x, in_h, in_w, h, w, true));
}

inline outputs map_upsample(layer_context& ctx) {
  // YOLO-style Upsample: nearest neighbour by an integer factor.
  if (ctx.input_count() != 1)
    ctx.fail("Upsample with a second bottom (SegNet's unpooling with a mask) is not supported");
  const message_view p = ctx.param("upsample_param");
  if (ctx.input_rank(0, "Upsample") != 4) ctx.fail("Upsample needs a 4-D bottom");
  const auto in_h = ctx.static_dim(0, 2, "Upsample"), in_w = ctx.static_dim(0, 3, "Upsample");
  const auto scale = p.integer("scale", 2);
  const auto scale_h = p.integer("scale_h", scale), scale_w = p.integer("scale_w", scale);
  constexpr std::int64_t limit = std::int64_t{1} << 24;
  if (scale_h < 1 || scale_w < 1 || scale_h > limit || scale_w > limit || in_h > limit || in_w > limit)
    ctx.fail("invalid upsampling factors " + std::to_string(scale_h) + "x" + std::to_string(scale_w));
  std::int64_t h = in_h * scale_h, w = in_w * scale_w;
  if (p.has("upsample_h")) h = p.integer("upsample_h", h);
  if (p.has("upsample_w")) w = p.integer("upsample_w", w);
  if (h < 1 || w < 1) ctx.fail("invalid output size " + std::to_string(h) + "x" + std::to_string(w));
  return one(resize_hw(ctx, ctx.input(0), in_h, in_w, h, w, false));
}

inline outputs map_shuffle_channel(layer_context& ctx) {
  // ShuffleNet: channels seen as [group, C / group] are transposed to [C / group, group].
  const auto group = ctx.param("shuffle_channel_param").integer("group", 1);
  if (group < 1) ctx.fail("group must be positive");
  const auto rank = ctx.input_rank(0, "ShuffleChannel");
  if (rank < 2) ctx.fail("ShuffleChannel needs a bottom of rank 2 or more");
  const auto c = ctx.static_dim(0, 1, "ShuffleChannel");
  if (c % group != 0) ctx.fail("group " + std::to_string(group) + " does not divide the " + std::to_string(c) + " channels");
  if (group == 1) return one(ctx.input(0));
  const output_ref grouped = reshape_zero(ctx, ctx.input(0), {0, group, c / group, -1}, "group");
  const output_ref swapped = ctx.add(ops::Transpose{}, {grouped, ctx.constant_i64({0, 2, 1, 3}, "order")}, "transpose");
  const output_ref original = ctx.add(ops::ShapeOf(element_type::i64), {ctx.input(0)}, "shape");
  return one(ctx.add(ops::Reshape(false), {swapped, original}));
}

inline void add_tensor_mappings(mapping_table& t) {
  t.add("Concat", map_concat);
  t.add("Slice", map_slice);
  t.add("Split", map_identity);
  t.add("Dropout", map_identity);
  t.add("Flatten", map_flatten);
  t.add("Reshape", map_reshape);
  t.add("Permute", map_permute);
  t.add("Crop", map_crop);
  t.add("Tile", map_tile);
  t.add("Interp", map_interp);
  t.add("Upsample", map_upsample);
  t.add("ShuffleChannel", map_shuffle_channel);
  // Silence consumes blobs so they are no outputs, and computes nothing.
  t.add("Silence", [](layer_context&) { return outputs{}; });
}

} // namespace irforge::caffe::detail
