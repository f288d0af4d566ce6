// irforge — Pad (opset12; opset1 in ops::v1): pads_begin[i] + d[i] + pads_end[i]
// along every axis, the pads given by two 1-D integer inputs, the fill value
// for mode constant by an optional scalar fourth input.
//
// Pad-12 also allows negative pads (they crop); Pad-1 does not. reflect needs
// pads < d (the edge is not repeated), symmetric pads <= d, edge a non-empty axis.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

/// `pad_mode` of Pad.
enum class pad_mode { constant, edge, reflect, symmetric };

} // namespace irforge::ops

namespace irforge {
template <> struct enum_strings<ops::pad_mode> {
  static constexpr std::array<std::pair<ops::pad_mode, std::string_view>, 4> values{{
      {ops::pad_mode::constant, "constant"},
      {ops::pad_mode::edge, "edge"},
      {ops::pad_mode::reflect, "reflect"},
      {ops::pad_mode::symmetric, "symmetric"},
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail {
inline void infer_pad(infer_context& ctx, pad_mode mode, bool allow_negative) {
  using namespace spatial;
  require_integral_input(ctx, 1, "pads_begin");
  require_integral_input(ctx, 2, "pads_end");
  require_rank(ctx, 1, 1, "pads_begin");
  require_rank(ctx, 2, 1, "pads_end");
  const element_type type = ctx.input_type(0);
  if (ctx.input_count() > 3) {
    require_rank(ctx, 3, 0, "pad_value");
    merge_types(type, ctx.input_type(3), ctx, "data and pad_value");
  }
  const partial_shape& data = ctx.input_shape(0);
  const auto begin = input_ints(ctx, 1);
  const auto end = input_ints(ctx, 2);
  const auto n_begin = length_1d(ctx, 1), n_end = length_1d(ctx, 2);
  if (n_begin && n_end && *n_begin != *n_end)
    ctx.fail("pads_begin has " + std::to_string(*n_begin) + " values, pads_end " + std::to_string(*n_end));
  const auto n = n_begin ? n_begin : n_end;
  if (data.rank_is_static() && n && *n != data.rank())
    ctx.fail("pads have " + std::to_string(*n) + " values, the data " + str(data) + " has rank " +
             std::to_string(data.rank()));
  const std::optional<std::size_t> rank = data.rank_is_static() ? std::optional(data.rank()) : n;
  if (rank) checked_rank(*rank, ctx);
  if (!rank) {
    ctx.set_output(0, type, partial_shape::dynamic_rank());
    return;
  }
  for (const auto* pads : {&begin, &end}) {
    if (!*pads) continue;
    for (std::int64_t p : **pads) {
      if (p < 0 && !allow_negative)
        ctx.fail("Pad-1 does not allow negative pads (Pad-12 does), got [" + attr::format(**pads) + "]");
      if (p < -max_dimension || p > max_dimension) ctx.fail("pad " + std::to_string(p) + " is out of range");
    }
  }
  const partial_shape d = data.rank_is_static() ? data : partial_shape::dynamic_of_rank(*rank);
  std::vector<dimension> out(*rank);
  for (std::size_t i = 0; i < *rank; ++i) {
    if (!begin || !end) continue; // dynamic
    const std::int64_t pb = (*begin)[i], pe = (*end)[i];
    const dimension& in = limited(d[i], i, ctx);
    if (in.is_static()) {
      const std::int64_t size = in.min();
      const std::int64_t limit = mode == pad_mode::reflect ? size - 1 : size;
      if ((mode == pad_mode::reflect || mode == pad_mode::symmetric) && (pb > limit || pe > limit))
        ctx.fail("pad_mode " + attr::format(mode) + " allows pads up to " + std::to_string(limit) + " on axis " +
                 std::to_string(i) + " of " + str(data) + ", got " + std::to_string(pb) + " and " + std::to_string(pe));
      if (mode == pad_mode::edge && size == 0 && (pb > 0 || pe > 0))
        ctx.fail("pad_mode edge cannot pad the empty axis " + std::to_string(i) + " of " + str(data));
      if (size + pb + pe < 0)
        ctx.fail("pads " + std::to_string(pb) + " and " + std::to_string(pe) + " crop more than the size " +
                 std::to_string(size) + " of axis " + std::to_string(i) + " of " + str(data));
    }
    out[i] = map_bounds(in, [&](std::int64_t v) { return std::max<std::int64_t>(0, v + pb + pe); });
  }
  ctx.set_output(0, type, partial_shape(std::move(out)));
}
} // namespace detail

/// Pad-12: negative pads crop.
struct Pad {
  static constexpr std::string_view type_name = "Pad";
  static constexpr std::string_view version = "opset12";
  static constexpr arity inputs{3, 4};
  BOOST_HANA_DEFINE_STRUCT(Pad, (ops::pad_mode, pad_mode));
  Pad() : pad_mode(ops::pad_mode::constant) {}
  explicit Pad(ops::pad_mode m) : pad_mode(m) {}
  void infer(infer_context& ctx) const { detail::infer_pad(ctx, pad_mode, true); }
};

namespace v1 {
/// Pad-1: pads are non-negative.
struct Pad {
  static constexpr std::string_view type_name = "Pad";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3, 4};
  BOOST_HANA_DEFINE_STRUCT(Pad, (ops::pad_mode, pad_mode));
  Pad() : pad_mode(ops::pad_mode::constant) {}
  explicit Pad(ops::pad_mode m) : pad_mode(m) {}
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_pad(ctx, pad_mode, false); }
};
} // namespace v1

} // namespace irforge::ops
