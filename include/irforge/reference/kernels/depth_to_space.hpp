// irforge — reference kernels of DepthToSpace-1 and SpaceToDepth-1 for any
// number K of spatial axes.
//
// Both are a reshape, a transpose and a reshape, i.e. one strided view:
//   DepthToSpace: output viewed as [N, C', D1, b1, ..., DK, bK]; input channel
//     (b1..bK) * C' + c' (blocks_first) or c' * bs^K + (b1..bK) (depth_first)
//   SpaceToDepth: output viewed as [N, b1..bK, C, D1..DK] (blocks_first) or
//     [N, C, b1..bK, D1..DK] (depth_first); input spatial i = Di * bs + bi
// where (b1..bK) is the block offset read as a base-bs number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "irforge/ops/depth_to_space.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::movement {

inline void depth_space(kernel_context& ctx, std::int64_t bs, ops::depth_space_mode mode, bool to_space) {
  const shape& in = ctx.input_shape(0);
  const shape& out = ctx.output_shape(0);
  if (in.size() < 3 || out.size() != in.size() || bs < 1) ctx.fail("internal error: bad DepthToSpace/SpaceToDepth shapes");
  const std::size_t k = in.size() - 2;
  const auto st = strides_of(in);
  const bool blocks_first = mode == ops::depth_space_mode::blocks_first;
  std::int64_t blocks = 1; // bs^K
  for (std::size_t i = 0; i < k; ++i) blocks *= bs;
  // Stride of block digit i (most significant first) within a channel index of unit `unit`.
  auto digit_stride = [&](std::size_t i, std::int64_t unit) {
    std::int64_t s = unit;
    for (std::size_t j = i + 1; j < k; ++j) s *= bs;
    return s;
  };
  strided_view v;
  auto add = [&](std::int64_t dim, std::int64_t stride) {
    v.dims.push_back(dim);
    v.strides.push_back(stride);
  };
  add(in[0], st[0]);
  if (to_space) {
    const std::int64_t c = in[1] / blocks; // C'
    if (c * blocks != in[1] || c != out[1]) ctx.fail("internal error: channels do not match the block size");
    add(c, blocks_first ? st[1] : blocks * st[1]);
    const std::int64_t unit = blocks_first ? c * st[1] : st[1];
    for (std::size_t i = 0; i < k; ++i) {
      if (out[2 + i] != in[2 + i] * bs) ctx.fail("internal error: spatial sizes do not match the block size");
      add(in[2 + i], st[2 + i]);
      add(bs, digit_stride(i, unit));
    }
  } else {
    if (out[1] != in[1] * blocks) ctx.fail("internal error: channels do not match the block size");
    // block digit i moves by one element of input spatial axis i
    auto add_blocks = [&] {
      for (std::size_t i = 0; i < k; ++i) add(bs, st[2 + i]);
    };
    if (blocks_first) add_blocks();
    add(in[1], st[1]);
    if (!blocks_first) add_blocks();
    for (std::size_t i = 0; i < k; ++i) {
      if (in[2 + i] != out[2 + i] * bs) ctx.fail("internal error: spatial sizes do not match the block size");
      add(out[2 + i], bs * st[2 + i]);
    }
  }
  copy_input_view(ctx, v);
}

} // namespace detail::movement

template <> struct kernel<ops::DepthToSpace> {
  static void run(const ops::DepthToSpace& op, kernel_context& ctx) {
    detail::movement::depth_space(ctx, op.block_size, op.mode, true);
  }
};
template <> struct kernel<ops::SpaceToDepth> {
  static void run(const ops::SpaceToDepth& op, kernel_context& ctx) {
    detail::movement::depth_space(ctx, op.block_size, op.mode, false);
  }
};

} // namespace irforge::reference
