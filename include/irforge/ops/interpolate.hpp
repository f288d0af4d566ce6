// irforge — Interpolate (opset11; opset4 in ops::v4): resizes the data along `axes`.
//
// Inputs: Interpolate-4  data, sizes, scales, optional axes
//         Interpolate-11 data, scales_or_sizes, optional axes
// Every axis is first padded by pads_begin + pads_end (the lists are cut or
// zero-extended to the data rank). Then, on the interpolated axes (default:
// all, in order), shape_calculation_mode decides the size:
//   sizes   out[axes[i]] = sizes[i]
//   scales  out[axes[i]] = floor(padded[axes[i]] * scales[i])   (in f32; like
//           OpenVINO, 1e-6 is added to a scale other than 1 so that 0.333...
//           times 3 gives 1)
// Other axes keep their padded size. Unknown sizes/scales leave those axes
// dynamic; unknown axes leave every axis dynamic (the rank is kept).
#pragma once

#include <array>
#include <cmath>
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

/// `mode`: the interpolation kernel (the pillow modes are opset11 only).
enum class interpolate_mode { nearest, linear, linear_onnx, cubic, bilinear_pillow, bicubic_pillow };
/// `shape_calculation_mode`: which input gives the output size.
enum class shape_calculation_mode { sizes, scales };
/// `coordinate_transformation_mode`: output coordinate -> input coordinate.
enum class coordinate_transformation_mode {
  half_pixel,
  pytorch_half_pixel,
  asymmetric,
  tf_half_pixel_for_nn,
  align_corners
};
/// `nearest_mode`: rounding of the source coordinate in mode nearest.
enum class nearest_mode { round_prefer_floor, round_prefer_ceil, floor, ceil, simple };

} // namespace irforge::ops

namespace irforge {
template <> struct enum_strings<ops::interpolate_mode> {
  static constexpr std::array<std::pair<ops::interpolate_mode, std::string_view>, 6> values{{
      {ops::interpolate_mode::nearest, "nearest"},
      {ops::interpolate_mode::linear, "linear"},
      {ops::interpolate_mode::linear_onnx, "linear_onnx"},
      {ops::interpolate_mode::cubic, "cubic"},
      {ops::interpolate_mode::bilinear_pillow, "bilinear_pillow"},
      {ops::interpolate_mode::bicubic_pillow, "bicubic_pillow"},
  }};
};
template <> struct enum_strings<ops::shape_calculation_mode> {
  static constexpr std::array<std::pair<ops::shape_calculation_mode, std::string_view>, 2> values{{
      {ops::shape_calculation_mode::sizes, "sizes"},
      {ops::shape_calculation_mode::scales, "scales"},
  }};
};
template <> struct enum_strings<ops::coordinate_transformation_mode> {
  static constexpr std::array<std::pair<ops::coordinate_transformation_mode, std::string_view>, 5> values{{
      {ops::coordinate_transformation_mode::half_pixel, "half_pixel"},
      {ops::coordinate_transformation_mode::pytorch_half_pixel, "pytorch_half_pixel"},
      {ops::coordinate_transformation_mode::asymmetric, "asymmetric"},
      {ops::coordinate_transformation_mode::tf_half_pixel_for_nn, "tf_half_pixel_for_nn"},
      {ops::coordinate_transformation_mode::align_corners, "align_corners"},
  }};
};
template <> struct enum_strings<ops::nearest_mode> {
  static constexpr std::array<std::pair<ops::nearest_mode, std::string_view>, 5> values{{
      {ops::nearest_mode::round_prefer_floor, "round_prefer_floor"},
      {ops::nearest_mode::round_prefer_ceil, "round_prefer_ceil"},
      {ops::nearest_mode::floor, "floor"},
      {ops::nearest_mode::ceil, "ceil"},
      {ops::nearest_mode::simple, "simple"},
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail {
inline bool interpolate_index_type(element_type t) {
  return t == element_type::dynamic || t == element_type::i32 || t == element_type::i64 || t == element_type::u32 ||
         t == element_type::u64;
}
inline bool interpolate_scale_type(element_type t) {
  return t == element_type::dynamic || t == element_type::f32 || t == element_type::f16 || t == element_type::bf16;
}

/// floor(n * scale) as OpenVINO computes it (f32, scale + 1e-6 unless 1).
inline std::int64_t scaled_size(std::int64_t n, float scale, std::size_t axis, const infer_context& ctx) {
  if (scale == 1.0f) return n;
  const float product = static_cast<float>(n) * (scale + 1.0e-6f);
  if (!(product >= 0.0f) || product >= 9.0e18f)
    ctx.fail("scale " + std::to_string(scale) + " on axis " + std::to_string(axis) + " gives an invalid size");
  return static_cast<std::int64_t>(std::floor(product));
}

struct interpolate_inputs {
  std::size_t sizes_or_scales; ///< the port the output size is read from
  std::optional<std::size_t> axes;
};

inline void infer_interpolate(infer_context& ctx, shape_calculation_mode calc,
                              const std::vector<std::int64_t>& pads_begin, const std::vector<std::int64_t>& pads_end,
                              const interpolate_inputs& ports) {
  using namespace spatial;
  const element_type type = ctx.input_type(0);
  if (type == element_type::boolean || type == element_type::u16 || type == element_type::u32 ||
      type == element_type::u64 || type == element_type::i16 || bit_width(type) == 4 || bit_width(type) == 1)
    ctx.fail("data type must be f32, f16, bf16, f64, i8, u8, i32 or i64, got " + std::string(to_string(type)));
  const std::size_t from = ports.sizes_or_scales;
  const element_type from_type = ctx.input_type(from);
  if (calc == shape_calculation_mode::scales && !interpolate_scale_type(from_type))
    ctx.fail("scales (input " + std::to_string(from) + ") must be f32, f16 or bf16, got " +
             std::string(to_string(from_type)));
  if (calc == shape_calculation_mode::sizes && !interpolate_index_type(from_type))
    ctx.fail("sizes (input " + std::to_string(from) + ") must be i32, i64, u32 or u64, got " +
             std::string(to_string(from_type)));
  require_rank(ctx, from, 1, calc == shape_calculation_mode::scales ? "scales" : "sizes");
  if (ports.axes) {
    if (!interpolate_index_type(ctx.input_type(*ports.axes)))
      ctx.fail("axes must be i32, i64, u32 or u64, got " + std::string(to_string(ctx.input_type(*ports.axes))));
    require_rank(ctx, *ports.axes, 1, "axes");
  }
  for (const auto* pads : {&pads_begin, &pads_end})
    for (std::int64_t p : *pads)
      if (p < 0 || p > max_window_value) ctx.fail("pads_begin/pads_end must be in [0, 2^31], got " + std::to_string(p));

  const partial_shape& data = ctx.input_shape(0);
  if (!data.rank_is_static()) {
    ctx.set_output(0, type, partial_shape::dynamic_rank());
    return;
  }
  const std::size_t rank = data.rank();
  std::vector<std::int64_t> axes;
  if (ports.axes) {
    const auto known = input_ints(ctx, *ports.axes);
    if (!known) {
      ctx.set_output(0, type, partial_shape::dynamic_of_rank(rank));
      return;
    }
    axes = *known;
    std::vector<bool> seen(rank, false);
    for (std::int64_t a : axes) {
      if (a < 0 || a >= static_cast<std::int64_t>(rank))
        ctx.fail("axes [" + attr::format(axes) + "] must be in [0, " + std::to_string(rank) + ") for data " +
                 str(data));
      if (seen[static_cast<std::size_t>(a)]) ctx.fail("axes [" + attr::format(axes) + "] repeat an axis");
      seen[static_cast<std::size_t>(a)] = true;
    }
  } else {
    for (std::size_t i = 0; i < rank; ++i) axes.push_back(static_cast<std::int64_t>(i));
  }

  std::vector<dimension> out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t pads = (i < pads_begin.size() ? pads_begin[i] : 0) + (i < pads_end.size() ? pads_end[i] : 0);
    out[i] = map_bounds(limited(data[i], i, ctx), [pads](std::int64_t n) { return n + pads; });
  }
  auto too_few = [&](std::size_t count) {
    if (count < axes.size())
      ctx.fail(std::string(calc == shape_calculation_mode::scales ? "scales" : "sizes") + " has " +
               std::to_string(count) + " values for " + std::to_string(axes.size()) + " axes");
  };
  if (calc == shape_calculation_mode::sizes) {
    const auto sizes = input_ints(ctx, from);
    if (sizes) too_few(sizes->size());
    for (std::size_t i = 0; i < axes.size(); ++i) {
      auto& d = out[static_cast<std::size_t>(axes[i])];
      if (!sizes) {
        d = dimension::dynamic();
      } else {
        if ((*sizes)[i] < 0) ctx.fail("sizes [" + attr::format(*sizes) + "] has a negative size");
        d = dimension((*sizes)[i]);
      }
    }
  } else {
    const auto scales = input_floats(ctx, from);
    if (scales) too_few(scales->size());
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto a = static_cast<std::size_t>(axes[i]);
      if (!scales) {
        out[a] = dimension::dynamic();
        continue;
      }
      const auto s = static_cast<float>((*scales)[i]);
      if (!(s > 0.0f) || !std::isfinite(s)) ctx.fail("scale " + std::to_string((*scales)[i]) + " must be positive");
      out[a] = map_bounds(out[a], [&](std::int64_t n) { return scaled_size(n, s, a, ctx); });
    }
  }
  ctx.set_output(0, type, partial_shape(std::move(out)));
}
} // namespace detail

/// Interpolate-11: inputs data, scales_or_sizes (read per
/// shape_calculation_mode), optional axes.
struct Interpolate {
  static constexpr std::string_view type_name = "Interpolate";
  static constexpr std::string_view version = "opset11";
  static constexpr arity inputs{2, 3};
  BOOST_HANA_DEFINE_STRUCT(Interpolate, (interpolate_mode, mode), (ops::shape_calculation_mode, shape_calculation_mode),
                           (ops::coordinate_transformation_mode, coordinate_transformation_mode),
                           (ops::nearest_mode, nearest_mode), (bool, antialias),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (double, cube_coeff));
  Interpolate()
      : mode(interpolate_mode::nearest), shape_calculation_mode(ops::shape_calculation_mode::sizes),
        coordinate_transformation_mode(ops::coordinate_transformation_mode::half_pixel),
        nearest_mode(ops::nearest_mode::round_prefer_floor), antialias(false), cube_coeff(-0.75) {}

  void infer(infer_context& ctx) const {
    detail::infer_interpolate(ctx, shape_calculation_mode, pads_begin, pads_end,
                              {1, ctx.input_count() > 2 ? std::optional<std::size_t>(2) : std::nullopt});
  }
};

namespace v4 {
/// Interpolate-4: inputs data, sizes, scales (both required; the mode says
/// which one counts), optional axes. No pillow modes.
struct Interpolate {
  static constexpr std::string_view type_name = "Interpolate";
  static constexpr std::string_view version = "opset4";
  static constexpr arity inputs{3, 4};
  BOOST_HANA_DEFINE_STRUCT(Interpolate, (interpolate_mode, mode), (ops::shape_calculation_mode, shape_calculation_mode),
                           (ops::coordinate_transformation_mode, coordinate_transformation_mode),
                           (ops::nearest_mode, nearest_mode), (bool, antialias),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (double, cube_coeff));
  Interpolate()
      : mode(interpolate_mode::nearest), shape_calculation_mode(ops::shape_calculation_mode::sizes),
        coordinate_transformation_mode(ops::coordinate_transformation_mode::half_pixel),
        nearest_mode(ops::nearest_mode::round_prefer_floor), antialias(false), cube_coeff(-0.75) {}

  void infer(infer_context& ctx) const {
    if (mode == interpolate_mode::bilinear_pillow || mode == interpolate_mode::bicubic_pillow)
      ctx.fail("mode " + attr::format(mode) + " needs Interpolate-11");
    // The input not selected by the mode must still have its type.
    const bool by_scales = shape_calculation_mode == ops::shape_calculation_mode::scales;
    if (by_scales && !::irforge::ops::detail::interpolate_index_type(ctx.input_type(1)))
      ctx.fail("sizes (input 1) must be i32, i64, u32 or u64, got " + std::string(to_string(ctx.input_type(1))));
    if (!by_scales && !::irforge::ops::detail::interpolate_scale_type(ctx.input_type(2)))
      ctx.fail("scales (input 2) must be f32, f16 or bf16, got " + std::string(to_string(ctx.input_type(2))));
    ::irforge::ops::detail::infer_interpolate(ctx, shape_calculation_mode, pads_begin, pads_end,
                                              {by_scales ? std::size_t{2} : std::size_t{1},
                                               ctx.input_count() > 3 ? std::optional<std::size_t>(3) : std::nullopt});
  }
};
} // namespace v4

} // namespace irforge::ops
