// irforge — ONNX mappings of tensor manipulation: shapes, slicing, gathering,
// padding, resizing, constants.
#pragma once

#include <numeric>

#include "irforge/frontends/onnx/converter.hpp"
#include "irforge/frontends/onnx/mapping_helpers.hpp"
#include "irforge/ops/broadcast.hpp"
#include "irforge/ops/concat.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/depth_to_space.hpp"
#include "irforge/ops/gather.hpp"
#include "irforge/ops/interpolate.hpp"
#include "irforge/ops/non_zero.hpp"
#include "irforge/ops/one_hot.hpp"
#include "irforge/ops/pad.hpp"
#include "irforge/ops/range.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/reshape.hpp"
#include "irforge/ops/scatter.hpp"
#include "irforge/ops/select.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/slice.hpp"
#include "irforge/ops/split.hpp"
#include "irforge/ops/squeeze.hpp"
#include "irforge/ops/transpose.hpp"

namespace irforge::onnx::detail {

inline outputs map_identity(node_context& ctx) { return one(ctx.input(0)); }

inline outputs map_dropout(node_context& ctx) {
  if (ctx.opset() >= 12 && ctx.has_input(2)) {
    const tensor* training = ctx.input_value(2);
    if (!training || training->as_i64().at(0) != 0) ctx.fail("Dropout in training mode is not supported");
  }
  outputs out{ctx.input(0)};
  if (ctx.output_requested(1)) { // inference mask: all true
    const auto shape_of = ctx.add(ops::ShapeOf(element_type::i64), {ctx.input(0)}, "mask_shape");
    const auto yes = ctx.constant(tensor::from_values<bool>({}, {true}), "true");
    out.push_back(ctx.add(ops::Broadcast(ops::broadcast_mode::numpy), {yes, shape_of}, "mask"));
  }
  return out;
}

inline outputs map_constant(node_context& ctx) {
  const auto& n = ctx.proto();
  if (n.attributes.size() != 1) ctx.fail("Constant needs exactly one value attribute");
  const attribute& a = n.attributes[0];
  tensor value;
  if (a.name == "value") value = *ctx.attr_tensor("value");
  else if (a.name == "value_float") value = tensor::scalar<float>(a.f);
  else if (a.name == "value_floats") value = tensor::from_values<float>({static_cast<std::int64_t>(a.floats.size())}, a.floats);
  else if (a.name == "value_int") value = tensor::scalar<std::int64_t>(a.i);
  else if (a.name == "value_ints") value = tensor::from_values<std::int64_t>({static_cast<std::int64_t>(a.ints.size())}, a.ints);
  else if (a.name == "sparse_value" && a.sparse_tensor) value = to_dense_tensor(*a.sparse_tensor);
  else ctx.fail("Constant attribute '" + std::string(a.name) + "' is not supported");
  return one(ctx.constant(std::move(value), ""));
}

inline outputs map_constant_of_shape(node_context& ctx) {
  tensor value = tensor::scalar<float>(0.0f);
  if (auto v = ctx.attr_tensor("value")) {
    if (v->element_count() != 1) ctx.fail("value must hold exactly one element");
    value = v->reshaped({});
  }
  const auto scalar = ctx.constant(std::move(value), "value");
  return one(ctx.add(ops::Broadcast(ops::broadcast_mode::numpy), {scalar, ctx.input(0)}));
}

inline outputs map_concat(node_context& ctx) {
  std::vector<output_ref> in;
  for (std::size_t i = 0; i < ctx.input_count(); ++i)
    if (ctx.has_input(i)) in.push_back(ctx.input(i));
  return one(ctx.add(ops::Concat(ctx.attr_int("axis", ctx.opset() < 4 ? 1 : 0)), in));
}

inline outputs map_reshape(node_context& ctx) {
  const bool special_zero = ctx.attr_int("allowzero", 0) == 0;
  if (ctx.opset() < 5) return one(ctx.add(ops::Reshape(true), {ctx.input(0), ctx.constant_i64(ctx.attr_ints("shape"), "shape")}));
  return one(ctx.add(ops::Reshape(special_zero), {ctx.input(0), ctx.input(1)}));
}

inline outputs map_flatten(node_context& ctx) {
  const auto& xs = ctx.input_shape(0);
  auto axis = ctx.attr_int("axis", 1);
  if (axis < 0) axis += ctx.input_rank(0, "Flatten with a negative axis");
  std::vector<std::int64_t> target;
  if (xs.rank_is_static()) {
    const auto rank = static_cast<std::int64_t>(xs.rank());
    if (axis > rank) ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    std::optional<std::int64_t> head = 1, tail = 1;
    for (std::int64_t i = 0; i < rank; ++i) {
      auto& part = i < axis ? head : tail;
      const auto& d = xs[static_cast<std::size_t>(i)];
      if (part && d.is_static()) *part *= d.min();
      else part.reset();
    }
    // Prefer forms that stay right when the batch changes (--batch, --input_shape):
    // [0, -1] keeps axis 0, [-1, tail] lets the leading part follow the data.
    if (axis == 1) target = {0, -1};
    else if (axis == 0) target = {1, -1};
    else if (tail) target = {-1, *tail};
    else if (head) target = {*head, -1};
    else ctx.fail("Flatten at axis " + std::to_string(axis) + " of " + xs.to_string() + " needs more static dimensions");
  } else if (axis == 0) {
    target = {1, -1};
  } else if (axis == 1) {
    target = {0, -1};
  } else {
    ctx.fail("Flatten at axis " + std::to_string(axis) + " needs the input rank");
  }
  return one(ctx.add(ops::Reshape(true), {ctx.input(0), ctx.constant_i64(target, "shape")}));
}

inline outputs map_transpose(node_context& ctx) {
  const auto perm = ctx.attr_ints("perm");
  // An empty order input means "reverse the axes" in the IR too.
  return one(ctx.add(ops::Transpose{}, {ctx.input(0), ctx.constant_i64(perm, "order")}));
}

/// Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input since.
inline std::optional<output_ref> squeeze_axes(node_context& ctx) {
  if (ctx.opset() < 13) {
    if (!ctx.has_attribute("axes")) return std::nullopt;
    return ctx.constant_i64(ctx.attr_ints("axes"), "axes");
  }
  if (!ctx.has_input(1)) return std::nullopt;
  return ctx.input(1);
}

inline outputs map_squeeze(node_context& ctx) {
  const auto axes = squeeze_axes(ctx);
  if (!axes) return one(ctx.add(ops::Squeeze{}, {ctx.input(0)}));
  return one(ctx.add(ops::Squeeze{}, {ctx.input(0), *axes}));
}

inline outputs map_unsqueeze(node_context& ctx) {
  const auto axes = squeeze_axes(ctx);
  if (!axes) ctx.fail("axes are required");
  return one(ctx.add(ops::Unsqueeze{}, {ctx.input(0), *axes}));
}

inline outputs map_gather(node_context& ctx) {
  return one(ctx.add(ops::Gather(0), {ctx.input(0), ctx.input(1), ctx.scalar_i64(ctx.attr_int("axis", 0), "axis")}));
}

inline outputs map_slice(node_context& ctx) {
  output_ref starts, ends;
  std::optional<output_ref> axes, steps;
  if (ctx.opset() < 10) {
    const auto s = ctx.attr_ints("starts"), e = ctx.attr_ints("ends");
    starts = ctx.constant_i64(s, "starts");
    ends = ctx.constant_i64(e, "ends");
    if (ctx.has_attribute("axes")) axes = ctx.constant_i64(ctx.attr_ints("axes"), "axes");
    steps = ctx.constant_i64(std::vector<std::int64_t>(s.size(), 1), "steps");
  } else {
    starts = ctx.input(1);
    ends = ctx.input(2);
    if (ctx.has_input(3)) axes = ctx.input(3);
    if (ctx.has_input(4)) steps = ctx.input(4);
    if (!steps) {
      const auto& ss = ctx.input_shape(1);
      if (!ss.rank_is_static() || ss.rank() != 1 || !ss[0].is_static()) ctx.fail("starts must be 1-D of static length");
      steps = ctx.constant_i64(std::vector<std::int64_t>(static_cast<std::size_t>(ss[0].min()), 1), "steps");
    }
  }
  std::vector<output_ref> in{ctx.input(0), starts, ends, *steps};
  if (axes) in.push_back(*axes);
  return one(ctx.add(ops::Slice{}, in));
}

inline outputs map_split(node_context& ctx) {
  const auto axis = ctx.attr_int("axis", 0);
  const auto n_out = static_cast<std::int64_t>(ctx.output_count());
  std::optional<output_ref> lengths;
  if (ctx.opset() < 13 && ctx.has_attribute("split")) lengths = ctx.constant_i64(ctx.attr_ints("split"), "split_lengths");
  else if (ctx.opset() >= 13 && ctx.has_input(1)) lengths = ctx.input(1);
  std::int64_t parts = n_out;
  if (!lengths && ctx.opset() >= 18 && ctx.has_attribute("num_outputs")) {
    parts = ctx.attr_int("num_outputs");
    // An uneven split puts the remainder in a smaller last part.
    const auto& xs = ctx.input_shape(0);
    if (xs.rank_is_static()) {
      const auto a = axis < 0 ? axis + static_cast<std::int64_t>(xs.rank()) : axis;
      if (a >= 0 && a < static_cast<std::int64_t>(xs.rank()) && xs[static_cast<std::size_t>(a)].is_static()) {
        const auto dim = xs[static_cast<std::size_t>(a)].min();
        if (parts > 0 && dim % parts != 0) {
          const auto chunk = (dim + parts - 1) / parts;
          std::vector<std::int64_t> l(static_cast<std::size_t>(parts), chunk);
          l.back() = dim - chunk * (parts - 1);
          lengths = ctx.constant_i64(l, "split_lengths");
        }
      }
    }
  }
  const auto axis_c = ctx.scalar_i64(axis, "axis");
  const node_id id = lengths ? ctx.add_node(ops::VariadicSplit{}, {ctx.input(0), axis_c, *lengths})
                             : ctx.add_node(ops::Split(parts), {ctx.input(0), axis_c});
  outputs out;
  for (std::uint32_t k = 0; k < ctx.g().node(id).outputs.size(); ++k) out.push_back(output_ref{id, k});
  return out;
}

inline outputs map_shape(node_context& ctx) {
  const auto& xs = ctx.input_shape(0);
  const auto start = ctx.attr_int("start", 0);
  const bool has_end = ctx.has_attribute("end");
  if (start == 0 && !has_end) return one(ctx.add(ops::ShapeOf(element_type::i64), {ctx.input(0)}));
  const auto rank = ctx.input_rank(0, "Shape with start/end");
  auto clamp = [&](std::int64_t v) {
    if (v < 0) v += rank;
    return std::clamp<std::int64_t>(v, 0, rank);
  };
  const auto b = clamp(start), e = clamp(has_end ? ctx.attr_int("end") : rank);
  const auto shape = ctx.add(ops::ShapeOf(element_type::i64), {ctx.input(0)}, "shape");
  (void)xs;
  return one(ctx.add(ops::Slice{}, {shape, ctx.constant_i64({b}, "start"), ctx.constant_i64({std::max(b, e)}, "stop"),
                                    ctx.constant_i64({1}, "step")}));
}

inline outputs map_size(node_context& ctx) {
  const auto shape = ctx.add(ops::ShapeOf(element_type::i64), {ctx.input(0)}, "shape");
  return one(ctx.add(ops::ReduceProd(false), {shape, ctx.constant_i64({0}, "axes")}));
}

inline outputs map_pad(node_context& ctx) {
  const std::string mode_s = ctx.attr_string("mode", "constant");
  ops::pad_mode mode;
  if (mode_s == "constant") mode = ops::pad_mode::constant;
  else if (mode_s == "reflect") mode = ops::pad_mode::reflect;
  else if (mode_s == "edge") mode = ops::pad_mode::edge;
  else ctx.fail("pad mode '" + mode_s + "' is not supported");

  std::optional<output_ref> value;
  std::optional<std::vector<std::int64_t>> pads; // known pads
  if (ctx.opset() < 11) {
    pads = ctx.attr_ints("pads");
    if (mode == ops::pad_mode::constant)
      value = ctx.scalar_of(ctx.input_type(0), ctx.attr_float("value", 0.0f), "pad_value");
  } else {
    if (const tensor* p = ctx.input_value(1)) pads = p->as_i64();
    if (ctx.has_input(2) && mode == ops::pad_mode::constant) {
      if (const tensor* v = ctx.input_value(2)) value = ctx.constant(v->reshaped({}), "pad_value");
      else value = ctx.add(ops::Squeeze{}, {ctx.input(2)}, "pad_value");
    }
  }
  const auto rank = ctx.input_rank(0, "Pad");
  output_ref begin_ref, end_ref;
  bool negative = false;
  if (!pads) {
    // Pads computed at run time: the first half is the begin, the second the end.
    if (ctx.opset() >= 18 && ctx.has_input(3)) ctx.fail("pads computed at run time together with axes are not supported");
    const node_id split = ctx.add_node(ops::Split(2), {ctx.input(1), ctx.scalar_i64(0, "axis")}, "pads");
    begin_ref = {split, 0};
    end_ref = {split, 1};
    negative = true; // unknown: allow negative pads
  } else {
    std::vector<std::int64_t> begin(static_cast<std::size_t>(rank), 0), end(static_cast<std::size_t>(rank), 0);
    if (ctx.opset() >= 18 && ctx.has_input(3)) {
      const auto axes = normalized_axes(ctx, ctx.constant_ints(3, "axes"), rank);
      if (pads->size() != 2 * axes.size()) ctx.fail("pads must have twice as many values as axes");
      for (std::size_t i = 0; i < axes.size(); ++i) {
        begin[static_cast<std::size_t>(axes[i])] = (*pads)[i];
        end[static_cast<std::size_t>(axes[i])] = (*pads)[i + axes.size()];
      }
    } else {
      if (pads->size() != 2 * static_cast<std::size_t>(rank))
        ctx.fail("pads has " + std::to_string(pads->size()) + " values, rank " + std::to_string(rank) + " needs " +
                 std::to_string(2 * rank));
      std::copy(pads->begin(), pads->begin() + rank, begin.begin());
      std::copy(pads->begin() + rank, pads->end(), end.begin());
    }
    negative = std::any_of(pads->begin(), pads->end(), [](auto p) { return p < 0; });
    begin_ref = ctx.constant_i64(begin, "pads_begin");
    end_ref = ctx.constant_i64(end, "pads_end");
  }
  std::vector<output_ref> in{ctx.input(0), begin_ref, end_ref};
  if (value) in.push_back(*value);
  if (negative) return one(ctx.add(ops::Pad(mode), in));
  return one(ctx.add(ops::v1::Pad(mode), in));
}

// ---- Resize / Upsample -> Interpolate-4 ------------------------------------------------

inline ops::coordinate_transformation_mode coordinate_mode(const node_context& ctx, const std::string& m) {
  using C = ops::coordinate_transformation_mode;
  if (m == "half_pixel") return C::half_pixel;
  if (m == "pytorch_half_pixel") return C::pytorch_half_pixel;
  if (m == "asymmetric") return C::asymmetric;
  if (m == "tf_half_pixel_for_nn") return C::tf_half_pixel_for_nn;
  if (m == "align_corners") return C::align_corners;
  ctx.fail("coordinate_transformation_mode '" + m + "' is not supported");
}

inline ops::nearest_mode nearest_of(const node_context& ctx, const std::string& m) {
  using N = ops::nearest_mode;
  if (m == "round_prefer_floor") return N::round_prefer_floor;
  if (m == "round_prefer_ceil") return N::round_prefer_ceil;
  if (m == "floor") return N::floor;
  if (m == "ceil") return N::ceil;
  ctx.fail("nearest_mode '" + m + "' is not supported");
}

inline ops::interpolate_mode interpolation_of(const node_context& ctx, const std::string& m) {
  if (m == "nearest") return ops::interpolate_mode::nearest;
  if (m == "linear" || m == "bilinear") return ops::interpolate_mode::linear_onnx;
  if (m == "cubic") return ops::interpolate_mode::cubic;
  ctx.fail("mode '" + m + "' is not supported");
}

/// Interpolate-4 from either scales or sizes over `axes` (all axes when empty).
inline outputs make_interpolate(node_context& ctx, ops::v4::Interpolate op, std::optional<output_ref> scales,
                                std::optional<output_ref> sizes, std::vector<std::int64_t> axes) {
  if (axes.empty()) axes = iota_axes(0, ctx.input_rank(0, "Resize"));
  const auto n = static_cast<std::int64_t>(axes.size());
  if (sizes) {
    op.shape_calculation_mode = ops::shape_calculation_mode::sizes;
    scales = ctx.constant<float>(std::vector<float>(axes.size(), 1.0f), {n}, "scales");
    if (ctx.g().info(*sizes).type != element_type::i64) sizes = ctx.add(ops::Convert(element_type::i64), {*sizes}, "sizes");
  } else {
    op.shape_calculation_mode = ops::shape_calculation_mode::scales;
    sizes = ctx.constant_i64(std::vector<std::int64_t>(axes.size(), 1), "sizes");
    if (ctx.g().info(*scales).type != element_type::f32) scales = ctx.add(ops::Convert(element_type::f32), {*scales}, "scales");
  }
  return one(ctx.add(op, {ctx.input(0), *sizes, *scales, ctx.constant_i64(axes, "axes")}));
}

inline outputs map_resize(node_context& ctx) {
  ops::v4::Interpolate op;
  op.mode = interpolation_of(ctx, ctx.attr_string("mode", "nearest"));
  if (ctx.opset() < 11) { // Resize-10 behaves like Upsample: asymmetric, nearest rounds down
    op.coordinate_transformation_mode = ops::coordinate_transformation_mode::asymmetric;
    op.nearest_mode = ops::nearest_mode::floor;
    return make_interpolate(ctx, op, ctx.input(1), std::nullopt, {});
  }
  op.coordinate_transformation_mode = coordinate_mode(ctx, ctx.attr_string("coordinate_transformation_mode", "half_pixel"));
  op.nearest_mode = nearest_of(ctx, ctx.attr_string("nearest_mode", "round_prefer_floor"));
  op.cube_coeff = ctx.attr_float("cubic_coeff_a", -0.75f);
  if (ctx.attr_int("exclude_outside", 0) != 0) ctx.fail("exclude_outside=1 is not supported");
  op.antialias = ctx.attr_int("antialias", 0) != 0;
  if (ctx.attr_string("keep_aspect_ratio_policy", "stretch") != "stretch")
    ctx.fail("keep_aspect_ratio_policy other than stretch is not supported");
  const auto axes = ctx.attr_ints("axes");
  // scales (input 2) may be present but empty when sizes (input 3) are given.
  if (ctx.has_input(3)) {
    const bool scales_empty = !ctx.has_input(2) || [&] {
      const auto& ss = ctx.input_shape(2);
      return ss.rank_is_static() && ss.rank() == 1 && ss[0] == dimension(0);
    }();
    if (scales_empty) return make_interpolate(ctx, op, std::nullopt, ctx.input(3), axes);
  }
  if (!ctx.has_input(2)) ctx.fail("Resize needs scales or sizes");
  return make_interpolate(ctx, op, ctx.input(2), std::nullopt, axes);
}

inline outputs map_upsample(node_context& ctx) {
  ops::v4::Interpolate op;
  op.mode = interpolation_of(ctx, ctx.attr_string("mode", "nearest"));
  op.coordinate_transformation_mode = ops::coordinate_transformation_mode::asymmetric;
  op.nearest_mode = ops::nearest_mode::floor;
  if (ctx.opset() < 9) {
    const auto s = ctx.attr_floats("scales");
    return make_interpolate(ctx, op, ctx.constant<float>(s, {static_cast<std::int64_t>(s.size())}, "scales"), std::nullopt, {});
  }
  return make_interpolate(ctx, op, ctx.input(1), std::nullopt, {});
}

// ---- the rest ------------------------------------------------------------------------

inline outputs map_depth_to_space(node_context& ctx) {
  const auto mode = ctx.attr_string("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") ctx.fail("mode '" + mode + "' is not DCR or CRD");
  return one(ctx.add(ops::DepthToSpace(mode == "DCR" ? ops::depth_space_mode::blocks_first : ops::depth_space_mode::depth_first,
                                       ctx.attr_int("blocksize")),
                     {ctx.input(0)}));
}

inline outputs map_space_to_depth(node_context& ctx) {
  return one(ctx.add(ops::SpaceToDepth(ops::depth_space_mode::blocks_first, ctx.attr_int("blocksize")), {ctx.input(0)}));
}

inline outputs map_range(node_context& ctx) {
  return one(ctx.add(ops::Range(ctx.input_type(0)), {ctx.input(0), ctx.input(1), ctx.input(2)}));
}

inline outputs map_one_hot(node_context& ctx) {
  // values = [off, on]; IR OneHot takes them as two scalars.
  output_ref off, on;
  if (const tensor* values = ctx.input_value(2)) {
    if (values->element_count() != 2) ctx.fail("values (input 2) must hold two elements");
    const auto bytes = values->bytes();
    const auto half = bytes.size() / 2;
    auto part = [&](std::size_t k) {
      std::vector<std::byte> b(bytes.begin() + static_cast<std::ptrdiff_t>(k * half),
                               bytes.begin() + static_cast<std::ptrdiff_t>((k + 1) * half));
      return tensor::from_bytes(values->type(), {}, std::move(b));
    };
    off = ctx.constant(part(0), "off_value");
    on = ctx.constant(part(1), "on_value");
  } else {
    const auto axis = ctx.scalar_i64(0, "values_axis");
    off = ctx.add(ops::Gather(0), {ctx.input(2), ctx.scalar_i64(0, "off_index"), axis}, "off_value");
    on = ctx.add(ops::Gather(0), {ctx.input(2), ctx.scalar_i64(1, "on_index"), axis}, "on_value");
  }
  output_ref depth = ctx.input(1);
  if (const tensor* d = ctx.input_value(1)) depth = ctx.scalar_i64(static_cast<std::int64_t>(d->as_f64().at(0)), "depth");
  else depth = ctx.add(ops::Reshape(false), {ctx.add(ops::Convert(element_type::i64), {depth}, "depth_i64"),
                                             ctx.constant_i64({}, "scalar_shape")}, "depth");
  output_ref indices = ctx.input(0);
  if (ctx.input_type(0) != element_type::i64)
    indices = ctx.add(ops::Convert(element_type::i64), {indices}, "indices");
  // ONNX counts negative indices from the end (-1 is depth - 1); OneHot-1 gives
  // all-off rows for them, so shift them first.
  if (is_signed(ctx.input_type(0))) {
    const auto zero = ctx.scalar_i64(0, "zero");
    const auto negative = ctx.add(ops::Less{}, {indices, zero}, "negative");
    const auto shifted = ctx.add(ops::Add{}, {indices, depth}, "shifted");
    indices = ctx.add(ops::Select{}, {negative, shifted, indices}, "wrapped_indices");
  }
  return one(ctx.add(ops::OneHot(ctx.attr_int("axis", -1)), {indices, depth, on, off}));
}

inline outputs map_scatter_elements(node_context& ctx) {
  if (ctx.attr_string("reduction", "none") != "none") ctx.fail("ScatterElements reduction is not supported");
  return one(ctx.add(ops::ScatterElementsUpdate{}, {ctx.input(0), ctx.input(1), ctx.input(2),
                                                    ctx.scalar_i64(ctx.attr_int("axis", 0), "axis")}));
}

inline outputs map_scatter_nd(node_context& ctx) {
  if (ctx.attr_string("reduction", "none") != "none") ctx.fail("ScatterND reduction is not supported");
  return one(ctx.add(ops::ScatterNDUpdate{}, {ctx.input(0), ctx.input(1), ctx.input(2)}));
}

inline void add_tensor_mappings(mapping_table& t) {
  t.add("Identity", map_identity);
  t.add("Dropout", map_dropout);
  t.add("Constant", map_constant);
  t.add("ConstantOfShape", map_constant_of_shape);
  t.add("Concat", map_concat);
  t.add("Reshape", map_reshape);
  t.add("Flatten", map_flatten);
  t.add("Transpose", map_transpose);
  t.add("Squeeze", map_squeeze);
  t.add("Unsqueeze", map_unsqueeze);
  t.add("Gather", map_gather);
  t.add("GatherElements", [](node_context& ctx) {
    return one(ctx.add(ops::GatherElements(ctx.attr_int("axis", 0)), {ctx.input(0), ctx.input(1)}));
  });
  t.add("GatherND", [](node_context& ctx) {
    return one(ctx.add(ops::GatherND(ctx.attr_int("batch_dims", 0)), {ctx.input(0), ctx.input(1)}));
  });
  t.add("Slice", map_slice);
  t.add("Split", map_split);
  t.add("Shape", map_shape);
  t.add("Size", map_size);
  t.add("Pad", map_pad);
  t.add("Resize", map_resize);
  t.add("Upsample", map_upsample);
  t.add("Expand", [](node_context& ctx) {
    return one(ctx.add(ops::Broadcast(ops::broadcast_mode::bidirectional), {ctx.input(0), ctx.input(1)}));
  });
  t.add("Tile", [](node_context& ctx) { return one(ctx.add(ops::Tile{}, {ctx.input(0), ctx.input(1)})); });
  t.add("DepthToSpace", map_depth_to_space);
  t.add("SpaceToDepth", map_space_to_depth);
  t.add("Range", map_range);
  t.add("OneHot", map_one_hot);
  t.add("NonZero", [](node_context& ctx) { return one(ctx.add(ops::NonZero(element_type::i64), {ctx.input(0)})); });
  t.add("ScatterElements", map_scatter_elements);
  t.add("ScatterND", map_scatter_nd);
}

} // namespace irforge::onnx::detail
