// irforge — reference kernel of PriorBox-8: SSD anchor boxes.
//
// Follows OpenVINO's reference: per feature-map position (rows, then
// columns) the fixed-size boxes (with their density grids), then per min
// size the min box, the sqrt(min * max) box and the other aspect ratios
// (min_max_aspect_ratios_order true, Caffe's order) or the min box, the
// aspect ratios and then the max box (false). Aspect ratios keep their
// first-seen order (1 first, r then 1/r with `flip`). Coordinates are
// (center -/+ half size) * (1 / image size), all in float as OpenVINO
// computes them. Row 0 holds the boxes, row 1 the variances (0.1 when none
// are given). Where OpenVINO's reference would write more or fewer boxes than
// the op's own count (max_size with scale_all_sizes false, density without
// fixed_size, densities missing for some fixed sizes), the spec's rule
// applies (max_size ignored without scale_all_sizes) or the node fails:
// the output never holds a mix of boxes from different positions.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/ops/prior_box.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

template <> struct kernel<ops::PriorBox> {
  static void run(const ops::PriorBox& op, kernel_context& ctx) {
    const auto size = ctx.ints(0);
    const auto image = ctx.ints(1);
    if (size.size() != 2) ctx.fail("output_size must hold 2 values [H, W]");
    if (image.size() != 2) ctx.fail("image_size must hold 2 values [H, W], got " + std::to_string(image.size()));
    const std::int64_t H = size[0], W = size[1], IH = image[0], IW = image[1];
    auto out = ctx.out<float>(0);
    const std::size_t row = out.size() / 2; // 4 * H * W * priors
    if (row == 0) return;

    // Aspect ratios in first-seen order, duplicates (within 1e-6) dropped.
    std::vector<float> ratios{1.0f};
    for (float r : op.aspect_ratio) {
      const bool seen = std::any_of(ratios.begin(), ratios.end(), [&](float e) { return std::fabs(r - e) < 1e-6f; });
      if (seen) continue;
      ratios.push_back(r);
      if (op.flip) ratios.push_back(1.0f / r);
    }
    const auto is_one = [](float r) { return std::fabs(r - 1.0f) < 1e-6f; };

    float step = op.step;
    std::vector<float> min_size = op.min_size;
    if (!op.scale_all_sizes) { // MXNet-like: sizes and step relative to the image height
      step = step == -1.0f ? static_cast<float>(IH) / static_cast<float>(H) : step * static_cast<float>(IH);
      for (float& s : min_size) s *= static_cast<float>(IH);
    }
    // The spec: without scale_all_sizes, max_size is ignored.
    const std::size_t max_count = op.scale_all_sizes ? op.max_size.size() : 0;
    const float step_x = step == 0.0f ? static_cast<float>(IW) / static_cast<float>(W) : step;
    const float step_y = step == 0.0f ? static_cast<float>(IH) / static_cast<float>(H) : step;
    const float inv_w = 1.0f / static_cast<float>(IW), inv_h = 1.0f / static_cast<float>(IH);

    // Fixed sizes and densities are truncated to integers as OpenVINO does.
    std::vector<std::int64_t> fixed_int(op.fixed_size.size()), density_int(op.fixed_size.size(), 0);
    for (std::size_t s = 0; s < op.fixed_size.size(); ++s) {
      if (!(op.fixed_size[s] < 1e15f)) ctx.fail("fixed_size values must be below 1e15");
      fixed_int[s] = static_cast<std::int64_t>(op.fixed_size[s]);
      const bool needs_density = !op.fixed_ratio.empty() || !op.density.empty() ||
                                 std::any_of(ratios.begin(), ratios.end(), [&](float r) { return !is_one(r); });
      if (needs_density && s >= op.density.size())
        ctx.fail("density needs a value for each fixed_size (" + std::to_string(op.fixed_size.size()) + "), got " +
                 std::to_string(op.density.size()));
      if (s < op.density.size()) density_int[s] = static_cast<std::int64_t>(op.density[s]);
    }

    std::size_t idx = 0;
    auto put = [&](float cx, float cy, float half_w, float half_h, bool clip_one_sided) {
      if (idx + 4 > row) ctx.fail("the attributes give more boxes per position than the op's output holds");
      float v[4] = {(cx - half_w) * inv_w, (cy - half_h) * inv_h, (cx + half_w) * inv_w, (cy + half_h) * inv_h};
      if (clip_one_sided) {
        for (int k = 0; k < 2; ++k) v[k] = v[k] > 0.0f ? v[k] : 0.0f;
        for (int k = 2; k < 4; ++k) v[k] = v[k] < 1.0f ? v[k] : 1.0f;
      }
      for (float x : v) out[idx++] = x;
    };
    // A density x density grid of boxes of one shape inside the fixed-size cell.
    auto grid = [&](float cx, float cy, std::size_t s, float half_w, float half_h) {
      const std::int64_t d = density_int[s];
      if (d <= 0) return;
      const auto shift = static_cast<std::int64_t>(op.fixed_size[s] / static_cast<float>(d));
      const float base_x = cx - static_cast<float>(fixed_int[s] / 2) + static_cast<float>(shift) / 2.0f;
      const float base_y = cy - static_cast<float>(fixed_int[s] / 2) + static_cast<float>(shift) / 2.0f;
      for (std::int64_t r = 0; r < d; ++r)
        for (std::int64_t c = 0; c < d; ++c)
          put(base_x + static_cast<float>(c * shift), base_y + static_cast<float>(r * shift), half_w, half_h, true);
    };
    auto ratio_boxes = [&](float cx, float cy, float size) {
      for (float r : ratios) {
        if (is_one(r)) continue;
        const float q = std::sqrt(r);
        put(cx, cy, size * 0.5f * q, size * 0.5f / q, false);
      }
    };

    for (std::int64_t h = 0; h < H; ++h) {
      for (std::int64_t w = 0; w < W; ++w) {
        const float cx = step == 0.0f ? (static_cast<float>(w) + 0.5f) * step_x : (op.offset + static_cast<float>(w)) * step;
        const float cy = step == 0.0f ? (static_cast<float>(h) + 0.5f) * step_y : (op.offset + static_cast<float>(h)) * step;

        for (std::size_t s = 0; s < op.fixed_size.size(); ++s) {
          const float fixed = op.fixed_size[s];
          if (!op.fixed_ratio.empty()) {
            for (float r : op.fixed_ratio) {
              const float q = std::sqrt(r);
              grid(cx, cy, s, fixed * 0.5f * q, fixed * 0.5f / q);
            }
            continue;
          }
          if (!op.density.empty()) {
            const float half = static_cast<float>(fixed_int[s]) * 0.5f;
            grid(cx, cy, s, half, half);
          }
          for (float r : ratios) {
            if (is_one(r)) continue;
            const float q = std::sqrt(r);
            grid(cx, cy, s, fixed * 0.5f * q, fixed * 0.5f / q);
          }
        }

        for (std::size_t m = 0; m < min_size.size(); ++m) {
          put(cx, cy, min_size[m] * 0.5f, min_size[m] * 0.5f, false);
          // Without scale_all_sizes only the last min size gets the aspect ratios, built on the first.
          const bool with_ratios = op.scale_all_sizes || m + 1 == min_size.size();
          const float ratio_size = op.scale_all_sizes ? min_size[m] : min_size[0];
          const bool with_max = m < max_count;
          const float max_half = with_max ? std::sqrt(min_size[m] * op.max_size[m]) * 0.5f : 0.0f;
          if (op.min_max_aspect_ratios_order) {
            if (with_max) put(cx, cy, max_half, max_half, false);
            if (with_ratios) ratio_boxes(cx, cy, ratio_size);
          } else {
            if (with_ratios) ratio_boxes(cx, cy, ratio_size);
            if (with_max) put(cx, cy, max_half, max_half, false);
          }
        }
        // Every position gives the same count: checking the first is enough.
        if (h == 0 && w == 0 && idx * static_cast<std::size_t>(H) * static_cast<std::size_t>(W) != row)
          ctx.fail("the attributes give " + std::to_string(idx / 4) + " boxes per position, the op counts " +
                   std::to_string(row / 4 / static_cast<std::size_t>(H) / static_cast<std::size_t>(W)));
      }
    }

    if (op.clip)
      for (std::size_t i = 0; i < row; ++i) out[i] = std::min(std::max(out[i], 0.0f), 1.0f);

    if (op.variance.size() == 4) {
      for (std::size_t i = 0; i < row; ++i) out[row + i] = op.variance[i % 4];
    } else {
      const float v = op.variance.empty() ? 0.1f : op.variance[0];
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(row), out.end(), v);
    }
  }
};

} // namespace irforge::reference
