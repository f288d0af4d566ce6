// irforge — reference kernels of StridedSlice-1 and Slice-8.
//
// Both resolve each axis with the ops' own rules (ops::detail::resolve_slice:
// Python slicing with clamping and negative steps) into a strided view of
// the data, which is then copied; the shape so found must be the one the op's
// infer computed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "irforge/ops/slice.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::movement {
/// Appends data axis `a`, sliced as resolved, to the view.
inline void add_sliced_axis(strided_view& v, const ops::detail::resolved_slice& r, std::int64_t stride) {
  v.dims.push_back(r.length);
  // With fewer than two elements the step is never taken (and may be huge).
  v.strides.push_back(r.length > 1 ? r.step * stride : 0);
  if (r.length > 0) v.base += r.start * stride;
}

inline void finish_slice(kernel_context& ctx, const strided_view& v) {
  if (v.dims != ctx.output_shape(0))
    ctx.fail("internal error: the sliced shape " + partial_shape(v.dims).to_string() + " differs from the inferred " +
             partial_shape(ctx.output_shape(0)).to_string());
  copy_input_view(ctx, v);
}
} // namespace detail::movement

template <> struct kernel<ops::StridedSlice> {
  static void run(const ops::StridedSlice& op, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& data = ctx.input_shape(0);
    const auto st = strides_of(data);
    const std::size_t rank = data.size();
    const auto begin = ctx.ints(1), end = ctx.ints(2);
    const std::size_t count = begin.size();
    const auto stride = ctx.input_count() > 3 ? ctx.ints(3) : std::vector<std::int64_t>(count, 1);
    if (end.size() != count || stride.size() != count) ctx.fail("begin, end and stride differ in length");
    auto bit = [](const std::vector<std::int64_t>& mask, std::size_t i) { return i < mask.size() && mask[i] == 1; };
    // Entries that are not ellipsis or new axes each take one data axis.
    std::size_t ellipses = 0, new_axes = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (bit(op.ellipsis_mask, i)) ++ellipses;
      else if (bit(op.new_axis_mask, i)) ++new_axes;
    }
    if (ellipses > 1) ctx.fail("ellipsis_mask has more than one bit set");
    const std::size_t consumed = count - new_axes - ellipses;
    if (consumed > rank) ctx.fail("more slice entries than data axes");

    strided_view v;
    std::size_t a = 0; // data axis
    auto keep_axis = [&] {
      v.dims.push_back(data[a]);
      v.strides.push_back(st[a]);
      ++a;
    };
    for (std::size_t i = 0; i < count; ++i) {
      if (bit(op.ellipsis_mask, i)) {
        for (std::size_t k = 0; k < rank - consumed; ++k) keep_axis();
      } else if (bit(op.new_axis_mask, i)) {
        v.dims.push_back(1);
        v.strides.push_back(0);
      } else if (bit(op.shrink_axis_mask, i)) {
        const std::int64_t n = data[a];
        std::int64_t index = begin[i];
        if (index < -n || index >= n)
          ctx.fail("shrink_axis_mask takes index " + std::to_string(index) + " of an axis of size " + std::to_string(n));
        if (index < 0) index += n;
        v.base += index * st[a];
        ++a;
      } else {
        if (stride[i] == 0) ctx.fail("stride has a zero at index " + std::to_string(i));
        const auto start = bit(op.begin_mask, i) ? std::nullopt : std::optional(begin[i]);
        const auto stop = bit(op.end_mask, i) ? std::nullopt : std::optional(end[i]);
        add_sliced_axis(v, ops::detail::resolve_slice(data[a], start, stop, stride[i]), st[a]);
        ++a;
      }
    }
    while (a < rank) keep_axis();
    finish_slice(ctx, v);
  }
};

template <> struct kernel<ops::Slice> {
  static void run(const ops::Slice&, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& data = ctx.input_shape(0);
    const auto st = strides_of(data);
    const std::size_t rank = data.size();
    const auto start = ctx.ints(1), stop = ctx.ints(2), step = ctx.ints(3);
    std::vector<std::int64_t> axes;
    if (ctx.input_count() > 4) {
      axes = ctx.ints(4);
    } else {
      for (std::size_t i = 0; i < start.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
    }
    if (stop.size() != start.size() || step.size() != start.size() || axes.size() != start.size())
      ctx.fail("start, stop, step and axes differ in length");
    std::vector<std::optional<ops::detail::resolved_slice>> per_axis(rank);
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const std::size_t a = axis_of(ctx, axes[i], rank);
      if (per_axis[a]) ctx.fail("axes name axis " + std::to_string(a) + " twice");
      if (step[i] == 0) ctx.fail("step has a zero at index " + std::to_string(i));
      per_axis[a] = ops::detail::resolve_slice(data[a], start[i], stop[i], step[i]);
    }
    strided_view v;
    for (std::size_t a = 0; a < rank; ++a) {
      if (per_axis[a]) {
        add_sliced_axis(v, *per_axis[a], st[a]);
      } else {
        v.dims.push_back(data[a]);
        v.strides.push_back(st[a]);
      }
    }
    finish_slice(ctx, v);
  }
};

} // namespace irforge::reference
