// irforge — small helpers the ONNX op mappings share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/frontends/onnx/node_context.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/reshape.hpp"
#include "irforge/ops/shape_of.hpp"

namespace irforge::onnx::detail {

using outputs = mapping_result;

inline outputs one(output_ref r) { return {r}; }

/// ONNX auto_pad -> IR auto_pad.
inline ops::pad_type auto_pad_of(const node_context& ctx) {
  const std::string p = ctx.attr_string("auto_pad", "NOTSET");
  if (p == "NOTSET" || p.empty()) return ops::pad_type::explicit_;
  if (p == "SAME_UPPER") return ops::pad_type::same_upper;
  if (p == "SAME_LOWER") return ops::pad_type::same_lower;
  if (p == "VALID") return ops::pad_type::valid;
  ctx.fail("auto_pad '" + p + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
}

/// Spatial attributes of Conv/Pool nodes with ONNX defaults filled in.
struct spatial_attrs {
  std::vector<std::int64_t> kernel, strides, dilations, pads_begin, pads_end;
  ops::pad_type auto_pad = ops::pad_type::explicit_;
};

inline spatial_attrs read_spatial(const node_context& ctx, std::size_t spatial_rank) {
  spatial_attrs a;
  a.kernel = ctx.attr_ints("kernel_shape");
  a.strides = ctx.attr_ints("strides", std::vector<std::int64_t>(spatial_rank, 1));
  a.dilations = ctx.attr_ints("dilations", std::vector<std::int64_t>(spatial_rank, 1));
  const auto pads = ctx.attr_ints("pads", std::vector<std::int64_t>(2 * spatial_rank, 0));
  if (a.strides.size() != spatial_rank || a.dilations.size() != spatial_rank || pads.size() != 2 * spatial_rank)
    ctx.fail("strides, dilations and pads must have " + std::to_string(spatial_rank) + ", " +
             std::to_string(spatial_rank) + " and " + std::to_string(2 * spatial_rank) + " values");
  a.pads_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(spatial_rank));
  a.pads_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(spatial_rank), pads.end());
  a.auto_pad = auto_pad_of(ctx);
  if (a.auto_pad != ops::pad_type::explicit_) {
    a.pads_begin.assign(spatial_rank, 0);
    a.pads_end.assign(spatial_rank, 0);
  }
  return a;
}

/// True when the output is a Const node (its bytes can be re-viewed).
inline const ops::Constant* constant_node(graph& g, output_ref r) {
  return g.node(r.node).op.get_if<ops::Constant>();
}

/// `value` reshaped to `dims`: a new Const viewing the same bytes when the
/// value is a Const, else a Reshape op.
inline output_ref reshaped(node_context& ctx, output_ref value, shape dims, std::string_view suffix) {
  if (const auto* c = constant_node(ctx.g(), value)) {
    const output_ref r = ctx.constant(c->value.reshaped(dims), suffix);
    auto& src = ctx.g().node(value.node).source_names;
    auto& dst = ctx.g().node(r.node).source_names;
    dst.insert(dst.end(), src.begin(), src.end());
    return r;
  }
  return ctx.add(ops::Reshape(false), {value, ctx.constant_i64(dims, std::string(suffix) + "/shape")}, suffix);
}

/// [1, C, 1, ...] of rank `rank` for a per-channel vector of C values.
inline shape channel_shape(std::int64_t channels, std::int64_t rank) {
  shape s(static_cast<std::size_t>(rank < 2 ? 2 : rank), 1);
  s[1] = channels;
  return s;
}

/// A per-channel vector input (shape [C]) reshaped to broadcast over NC... data.
inline output_ref per_channel(node_context& ctx, std::size_t input, std::int64_t data_rank, std::string_view suffix) {
  const auto& s = ctx.input_shape(input);
  if (!s.rank_is_static() || s.rank() != 1 || !s[0].is_static())
    ctx.fail("input " + std::to_string(input) + " must be a 1-D tensor of static size, got " + s.to_string());
  return reshaped(ctx, ctx.input(input), channel_shape(s[0].min(), data_rank), suffix);
}

/// Normalises a list of axes against a rank.
inline std::vector<std::int64_t> normalized_axes(const node_context& ctx, std::vector<std::int64_t> axes, std::int64_t rank) {
  for (auto& a : axes) {
    if (a < -rank || a >= rank)
      ctx.fail("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    if (a < 0) a += rank;
  }
  return axes;
}

inline std::vector<std::int64_t> iota_axes(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> v;
  for (std::int64_t i = from; i < to; ++i) v.push_back(i);
  return v;
}

} // namespace irforge::onnx::detail
