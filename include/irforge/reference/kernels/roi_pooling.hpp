// irforge — reference kernel of ROIPooling-2 (Fast R-CNN), as OpenVINO's
// reference computes it.
//
// Each box is [batch index (truncated to an integer), x1, y1, x2, y2].
// "max": the corners are scaled by spatial_scale and rounded (half away from
// zero); the box, at least 1 x 1 and inclusive of its end, is cut into
// pooled_h x pooled_w bins [floor(i * size / pooled), ceil((i + 1) * size /
// pooled)) offset by the box start and clipped to the map; a bin that ends up
// empty gives 0. "bilinear": the corners are normalized ([0, 1] over the map's
// H - 1 and W - 1), the pooled grid spans the box corner to corner (its
// centre when pooled is 1) and each point is interpolated from its four
// neighbours; points outside the map give 0. A batch index outside [0, N) or
// a box value that is not finite is an error.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "irforge/ops/roi_pooling.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail::roi {

/// floor/ceil/round results as int64, clamped far beyond any map size
/// (boxes come from data; a cast of a huge float would be undefined).
template <class C> std::int64_t to_index(C v) {
  constexpr C limit = C(1e15);
  return static_cast<std::int64_t>(std::clamp(v, -limit, limit));
}

template <class T> void roi_pooling(const ops::ROIPooling& op, kernel_context& ctx) {
  using C = compute_t<T>;
  const shape& data_shape = ctx.input_shape(0);
  const shape& box_shape = ctx.input_shape(1);
  if (data_shape.size() != 4 || box_shape.size() != 2 || box_shape[1] != 5)
    ctx.fail("ROIPooling needs feature maps [N, C, H, W] and boxes [R, 5]");
  const std::int64_t batches = data_shape[0], channels = data_shape[1], height = data_shape[2], width = data_shape[3];
  const std::int64_t rois = box_shape[0], ph_count = op.pooled_h, pw_count = op.pooled_w;
  const auto data = ctx.in<T>(0);
  const auto boxes = ctx.in<T>(1);
  auto out = ctx.out<T>(0);
  const bool max_mode = op.method == "max";
  const std::int64_t plane = height * width;

  for (std::int64_t r = 0; r < rois; ++r) {
    C b[5];
    for (int k = 0; k < 5; ++k) {
      b[k] = static_cast<C>(boxes[static_cast<std::size_t>(r * 5 + k)]);
      if (!std::isfinite(b[k])) ctx.fail("box " + std::to_string(r) + " holds a value that is not finite");
    }
    // The index is truncated, so (-1, N) is the valid range.
    if (!(b[0] > C(-1) && b[0] < static_cast<C>(batches)))
      ctx.fail("box " + std::to_string(r) + " has batch index " + std::to_string(static_cast<double>(b[0])) +
               ", outside [0, " + std::to_string(batches) + ")");
    const auto batch = static_cast<std::int64_t>(b[0]);
    const T* maps = data.data() + batch * channels * plane;
    T* dst = out.data() + r * channels * ph_count * pw_count;

    if (max_mode) {
      const C scale = static_cast<C>(op.spatial_scale);
      const std::int64_t x0 = to_index(std::round(b[1] * scale)), y0 = to_index(std::round(b[2] * scale));
      const std::int64_t x1 = to_index(std::round(b[3] * scale)), y1 = to_index(std::round(b[4] * scale));
      // Malformed boxes count as 1 x 1.
      const C bin_h = static_cast<C>(std::max<std::int64_t>(y1 - y0 + 1, 1)) / static_cast<C>(ph_count);
      const C bin_w = static_cast<C>(std::max<std::int64_t>(x1 - x0 + 1, 1)) / static_cast<C>(pw_count);
      auto span = [](std::int64_t i, C bin, std::int64_t start, std::int64_t limit, std::int64_t& lo, std::int64_t& hi) {
        lo = std::clamp<std::int64_t>(to_index(std::floor(static_cast<C>(i) * bin)) + start, 0, limit);
        hi = std::clamp<std::int64_t>(to_index(std::ceil(static_cast<C>(i + 1) * bin)) + start, 0, limit);
      };
      for (std::int64_t ph = 0; ph < ph_count; ++ph) {
        std::int64_t h0 = 0, h1 = 0;
        span(ph, bin_h, y0, height, h0, h1);
        for (std::int64_t pw = 0; pw < pw_count; ++pw) {
          std::int64_t w0 = 0, w1 = 0;
          span(pw, bin_w, x0, width, w0, w1);
          const bool empty = h1 <= h0 || w1 <= w0;
          for (std::int64_t c = 0; c < channels; ++c) {
            const T* m = maps + c * plane;
            C best = empty ? C(0) : std::numeric_limits<C>::lowest();
            for (std::int64_t h = h0; h < h1; ++h)
              for (std::int64_t w = w0; w < w1; ++w) {
                const C v = static_cast<C>(m[h * width + w]);
                best = v < best ? best : v;
              }
            dst[(c * ph_count + ph) * pw_count + pw] = T(best);
          }
        }
      }
      continue;
    }

    // bilinear: the box in [0, 1] coordinates
    const C hm1 = static_cast<C>(height - 1), wm1 = static_cast<C>(width - 1);
    const C roi_h = (b[4] - b[2]) * hm1, roi_w = (b[3] - b[1]) * wm1;
    const C step_h = ph_count > 1 ? roi_h / static_cast<C>(ph_count - 1) : C(0);
    const C step_w = pw_count > 1 ? roi_w / static_cast<C>(pw_count - 1) : C(0);
    for (std::int64_t ph = 0; ph < ph_count; ++ph) {
      // The last point is the box end exactly (a sum of steps may overshoot it).
      const C y = ph_count > 1 ? (ph == ph_count - 1 ? hm1 * b[4] : static_cast<C>(ph) * step_h + b[2] * hm1)
                               : static_cast<C>(0.5 * static_cast<double>(b[2] + b[4]) * static_cast<double>(hm1));
      for (std::int64_t pw = 0; pw < pw_count; ++pw) {
        const C x = pw_count > 1 ? (pw == pw_count - 1 ? wm1 * b[3] : static_cast<C>(pw) * step_w + b[1] * wm1)
                                 : static_cast<C>(0.5 * static_cast<double>(b[1] + b[3]) * static_cast<double>(wm1));
        // Written so that NaN (from overflowing box arithmetic) counts as outside.
        const bool outside = !(y >= 0 && y <= hm1 && x >= 0 && x <= wm1);
        const std::int64_t top = outside ? 0 : static_cast<std::int64_t>(std::floor(y));
        const std::int64_t left = outside ? 0 : static_cast<std::int64_t>(std::floor(x));
        const std::int64_t bottom = outside ? 0 : std::min(static_cast<std::int64_t>(std::ceil(y)), height - 1);
        const std::int64_t right = outside ? 0 : std::min(static_cast<std::int64_t>(std::ceil(x)), width - 1);
        for (std::int64_t c = 0; c < channels; ++c) {
          C v = 0;
          if (!outside) {
            const T* m = maps + c * plane;
            const C tl = static_cast<C>(m[top * width + left]), tr = static_cast<C>(m[top * width + right]);
            const C bl = static_cast<C>(m[bottom * width + left]), br = static_cast<C>(m[bottom * width + right]);
            const C upper = tl + (tr - tl) * (x - static_cast<C>(left));
            const C lower = bl + (br - bl) * (x - static_cast<C>(left));
            v = upper + (lower - upper) * (y - static_cast<C>(top));
          }
          dst[(c * ph_count + ph) * pw_count + pw] = T(v);
        }
      }
    }
  }
}

} // namespace detail::roi

template <> struct kernel<ops::ROIPooling> {
  static void run(const ops::ROIPooling& op, kernel_context& ctx) {
    if (op.method != "max" && op.method != "bilinear") ctx.fail("method must be 'max' or 'bilinear'");
    if (op.pooled_h <= 0 || op.pooled_w <= 0) ctx.fail("pooled_h and pooled_w must be positive");
    if (ctx.input_type(1) != ctx.input_type(0)) ctx.fail("feature maps and boxes must have the same element type");
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() { detail::roi::roi_pooling<T>(op, ctx); }, "ROIPooling");
  }
};

} // namespace irforge::reference
