// irforge — PriorBox-8: the SSD anchor boxes of a feature map.
//
// Inputs are the feature map's spatial size [H, W] and the image's [H, W]
// (integers, usually sliced out of ShapeOf). The output is f32
// [2, 4 * H * W * priors]: the boxes, then their variances. The number of
// priors per position follows OpenVINO: distinct aspect ratios (1 always,
// 1/r too with `flip`) times the min sizes plus the max sizes
// (`scale_all_sizes`), or fixed sizes, plus the `density` extras.
#pragma once

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

struct PriorBox {
  static constexpr std::string_view type_name = "PriorBox";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(PriorBox, (std::vector<float>, min_size), (std::vector<float>, max_size),
                           (std::vector<float>, aspect_ratio), (std::vector<float>, density),
                           (std::vector<float>, fixed_ratio), (std::vector<float>, fixed_size), (bool, clip),
                           (bool, flip), (float, step), (float, offset), (std::vector<float>, variance),
                           (bool, scale_all_sizes), (bool, min_max_aspect_ratios_order));
  PriorBox() : clip(false), flip(false), step(0), offset(0), scale_all_sizes(true), min_max_aspect_ratios_order(true) {}

  /// The distinct aspect ratios (rounded to 1e-6, as OpenVINO counts them), 1 included.
  [[nodiscard]] static std::vector<float> normalized_aspect_ratios(const std::vector<float>& ratios, bool flip) {
    std::set<float> unique{1.0f};
    for (float r : ratios) {
      if (!(r > 0.0f) || !std::isfinite(r)) continue; // invalid (infer rejects it); NaN would break the set's order
      unique.insert(static_cast<float>(std::round(r * 1e6) / 1e6));
      if (flip) unique.insert(static_cast<float>(std::round(1.0 / r * 1e6) / 1e6));
    }
    return {unique.begin(), unique.end()};
  }

  /// Densities above this are refused (they would make absurd box counts).
  static constexpr float max_density = 1024.0f;

  /// Boxes per feature-map position.
  [[nodiscard]] std::int64_t number_of_priors() const {
    const auto ratios = static_cast<std::int64_t>(normalized_aspect_ratios(aspect_ratio, flip).size());
    std::int64_t n = scale_all_sizes ? ratios * static_cast<std::int64_t>(min_size.size()) +
                                           static_cast<std::int64_t>(max_size.size())
                                     : ratios + static_cast<std::int64_t>(min_size.size()) - 1;
    if (!fixed_size.empty()) n = ratios * static_cast<std::int64_t>(fixed_size.size());
    for (float d : density) {
      if (!(d >= 0.0f && d <= max_density)) continue; // invalid (infer rejects it)
      const auto r = static_cast<std::int64_t>(d);
      n += (fixed_ratio.empty() ? ratios : static_cast<std::int64_t>(fixed_ratio.size())) * (r * r - 1);
    }
    return n;
  }

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 0, "output_size");
    require_integral_input(ctx, 1, "image_size");
    require_rank(ctx, 0, 1, "output_size");
    require_rank(ctx, 1, 1, "image_size");
    ctx.require(!min_size.empty() || !fixed_size.empty(), "min_size (or fixed_size) must have at least one value");
    for (float v : variance) ctx.require(v > 0.0f && std::isfinite(v), "variance values must be positive");
    for (float r : aspect_ratio) ctx.require(r > 0.0f && std::isfinite(r), "aspect ratios must be positive");
    for (float d : density)
      ctx.require(d >= 0.0f && d <= max_density, "density values must be in [0, " + std::to_string(max_density) + "]");
    for (const auto* sizes : {&min_size, &max_size, &fixed_size, &fixed_ratio})
      for (float v : *sizes) ctx.require(v > 0.0f && std::isfinite(v), "box sizes and ratios must be positive");
    ctx.require(variance.size() <= 1 || variance.size() == 4, "variance must have 0, 1 or 4 values");
    const auto size = input_ints(ctx, 0);
    if (!size) {
      ctx.set_output(0, element_type::f32, partial_shape{2, dimension::dynamic()});
      return;
    }
    ctx.require(size->size() == 2, "output_size must hold 2 values [H, W], got " + std::to_string(size->size()));
    for (auto d : *size) ctx.require(d >= 0, "output_size values must not be negative");
    std::int64_t n = checked_multiply((*size)[0], (*size)[1], ctx);
    n = checked_multiply(n, number_of_priors(), ctx);
    ctx.set_output(0, element_type::f32, partial_shape{2, checked_multiply(n, 4, ctx)});
  }
};

} // namespace irforge::ops
