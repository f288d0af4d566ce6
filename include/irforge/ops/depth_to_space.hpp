// irforge — DepthToSpace-1 and SpaceToDepth-1: move blocks of block_size^K
// elements between the channel axis and the K spatial axes of [N, C, s...].
//   DepthToSpace: [N, C, s1..sK] -> [N, C / bs^K, s1 * bs, ..., sK * bs]
//   SpaceToDepth: [N, C, s1..sK] -> [N, C * bs^K, s1 / bs, ..., sK / bs]
// `mode` (blocks_first / depth_first) only orders the elements.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

/// `mode` of DepthToSpace and SpaceToDepth.
enum class depth_space_mode { blocks_first, depth_first };

} // namespace irforge::ops

namespace irforge {
template <> struct enum_strings<ops::depth_space_mode> {
  static constexpr std::array<std::pair<ops::depth_space_mode, std::string_view>, 2> values{{
      {ops::depth_space_mode::blocks_first, "blocks_first"},
      {ops::depth_space_mode::depth_first, "depth_first"},
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail {
inline void infer_depth_space(infer_context& ctx, std::int64_t block_size, bool to_space) {
  using namespace spatial;
  if (block_size < 1 || block_size > max_window_value)
    ctx.fail("block_size must be in [1, 2^31], got " + std::to_string(block_size));
  const partial_shape& data = ctx.input_shape(0);
  if (!data.rank_is_static()) {
    ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
    return;
  }
  if (data.rank() < 3) ctx.fail("data must have rank >= 3 ([N, C, spatial...]), got " + str(data));
  const std::size_t k = data.rank() - 2;
  std::int64_t block = 1; // block_size ^ K
  for (std::size_t i = 0; i < k; ++i) block = checked_multiply(block, block_size, ctx);

  std::vector<dimension> out = data.dims();
  const dimension& c = data[1];
  if (to_space) {
    if (c.is_static() && c.min() % block != 0)
      ctx.fail("channels " + std::to_string(c.min()) + " of " + str(data) + " are not divisible by block_size^" +
               std::to_string(k) + " = " + std::to_string(block));
    out[1] = map_bounds(c, [block](std::int64_t n) { return n / block; });
    for (std::size_t i = 2; i < out.size(); ++i) out[i] = multiply(limited(data[i], i, ctx), dimension(block_size));
  } else {
    for (std::size_t i = 2; i < out.size(); ++i) {
      const dimension& d = data[i];
      if (d.is_static() && d.min() % block_size != 0)
        ctx.fail("spatial size " + std::to_string(d.min()) + " (axis " + std::to_string(i) + " of " + str(data) +
                 ") is not divisible by block_size " + std::to_string(block_size));
      out[i] = map_bounds(d, [block_size](std::int64_t n) { return n / block_size; });
    }
    out[1] = multiply(c, dimension(block));
  }
  ctx.set_output(0, ctx.input_type(0), partial_shape(std::move(out)));
}
} // namespace detail

struct DepthToSpace {
  static constexpr std::string_view type_name = "DepthToSpace";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(DepthToSpace, (std::int64_t, block_size), (depth_space_mode, mode));
  DepthToSpace() : block_size(1), mode(depth_space_mode::blocks_first) {}
  DepthToSpace(depth_space_mode m, std::int64_t bs) : block_size(bs), mode(m) {}
  void infer(infer_context& ctx) const { detail::infer_depth_space(ctx, block_size, true); }
};

struct SpaceToDepth {
  static constexpr std::string_view type_name = "SpaceToDepth";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(SpaceToDepth, (std::int64_t, block_size), (depth_space_mode, mode));
  SpaceToDepth() : block_size(1), mode(depth_space_mode::blocks_first) {}
  SpaceToDepth(depth_space_mode m, std::int64_t bs) : block_size(bs), mode(m) {}
  void infer(infer_context& ctx) const { detail::infer_depth_space(ctx, block_size, false); }
};

} // namespace irforge::ops
