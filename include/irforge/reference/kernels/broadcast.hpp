// irforge — reference kernels of Broadcast (v1, v3) and Tile-1.
//
// Both are strided views of the data: Broadcast gives axes of size 1 (and
// axes the data lacks) the stride 0; Tile views the output [.., d_i * r_i, ..]
// as [.., r_i, d_i, ..] and reads the data with stride 0 along each r_i.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/ops/broadcast.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::movement {

/// Data axis i becomes output axis axes[i] (data aligned right when numpy or
/// bidirectional); its stride is 0 where it is broadcast.
inline void broadcast(kernel_context& ctx, bool explicit_mode) {
  const shape& data = ctx.input_shape(0);
  const shape& out = ctx.output_shape(0);
  const auto st = strides_of(data);
  std::vector<std::int64_t> axes(data.size());
  if (explicit_mode) {
    axes = ctx.ints(2);
    if (data.empty()) axes.clear(); // a scalar may come with one (ignored) mapping entry
    if (axes.size() != data.size()) ctx.fail("axes_mapping must have one entry per data axis");
  } else {
    if (data.size() > out.size()) ctx.fail("the data has a higher rank than the broadcast output");
    for (std::size_t i = 0; i < data.size(); ++i) axes[i] = static_cast<std::int64_t>(out.size() - data.size() + i);
  }
  strided_view v;
  v.dims = out;
  v.strides.assign(out.size(), 0);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::int64_t a = axes[i];
    if (a < 0 || to_size(a) >= out.size() || (i > 0 && a <= axes[i - 1]))
      ctx.fail("axes_mapping must be increasing output axes");
    if (data[i] == out[to_size(a)]) v.strides[to_size(a)] = st[i];
    else if (data[i] != 1)
      ctx.fail("data axis " + std::to_string(i) + " of size " + std::to_string(data[i]) + " cannot broadcast to " +
               std::to_string(out[to_size(a)]));
  }
  copy_input_view(ctx, v);
}

} // namespace detail::movement

template <> struct kernel<ops::Broadcast> {
  static void run(const ops::Broadcast& op, kernel_context& ctx) {
    detail::movement::broadcast(ctx, op.mode == ops::broadcast_mode::explicit_);
  }
};
template <> struct kernel<ops::v1::Broadcast> {
  static void run(const ops::v1::Broadcast& op, kernel_context& ctx) {
    detail::movement::broadcast(ctx, op.mode == ops::broadcast_type::explicit_ || op.mode == ops::broadcast_type::none);
  }
};

template <> struct kernel<ops::Tile> {
  static void run(const ops::Tile&, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& out = ctx.output_shape(0);
    const std::size_t rank = out.size();
    shape data = ctx.input_shape(0);
    if (data.size() > rank) ctx.fail("internal error: the tiled output has a lower rank than the data");
    data.insert(data.begin(), rank - data.size(), 1); // leading 1s
    const auto st = strides_of(data);
    strided_view v;
    for (std::size_t i = 0; i < rank; ++i) {
      if (data[i] == 0 ? out[i] != 0 : out[i] % data[i] != 0)
        ctx.fail("internal error: output axis " + std::to_string(i) + " is not a multiple of the data's");
      v.dims.push_back(data[i] == 0 ? 0 : out[i] / data[i]); // repeats
      v.strides.push_back(0);
      v.dims.push_back(data[i]);
      v.strides.push_back(st[i]);
    }
    copy_input_view(ctx, v);
  }
};

} // namespace irforge::reference
