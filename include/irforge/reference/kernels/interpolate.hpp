// irforge — reference kernels of Interpolate-4 and Interpolate-11.
//
// The data is first zero-padded by pads_begin / pads_end (cut or extended
// with zeros to the data rank). Each interpolated axis then gets its scale:
// the `scales` input in shape_calculation_mode scales, else
// output size / padded size (in f32, as OpenVINO computes it). Every mode is
// separable, so the kernels run one 1-D resampling pass per axis: for each
// output position a short list of (input index, weight) taps, built in f32
// by the spec's formulas:
//   nearest      the source coordinate rounded by nearest_mode
//                ("simple" rounds up when the scale is below 1), clamped;
//   linear_onnx  the two neighbours of the clamped source coordinate;
//   cubic        four neighbours (clamped to the edge) with Keys'
//                coefficients for cube_coeff;
//   linear       a triangle filter over [round(x) - r, round(x) + r],
//                stretched by the scale when antialias is set and some
//                axis is downsampled; weights normalised over the taps that
//                fall inside the data;
//   bilinear_pillow / bicubic_pillow (Interpolate-11, two axes)  Pillow's
//                resampling filters: the second axis is resampled first, an
//                axis whose size does not change is left alone, and the
//                intermediate image is stored in the data type, as Pillow does.
// A source coordinate is left unchanged on an axis whose scale is 1 or whose
// size does not change (as in OpenVINO). The product of the per-axis taps is
// exactly the N-D interpolation the spec describes (for `linear`, the N-D
// normalisation factorises into the per-axis ones).
//
// Values are computed in f32 (f64 for f64, i32 and i64 data). Integer results
// are saturated to the type: rounded for linear and the Pillow modes,
// truncated for cubic and linear_onnx (as OpenVINO does); nearest copies.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/ops/interpolate.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail {

/// Per output position o of one axis, the taps [offsets[o], offsets[o + 1]).
struct interpolation_taps {
  std::vector<std::int64_t> offsets{0};
  std::vector<std::int64_t> index;
  std::vector<double> weight;

  void add(std::int64_t i, double w) {
    index.push_back(i);
    weight.push_back(w);
  }
  void next() { offsets.push_back(static_cast<std::int64_t>(index.size())); }
};

/// The source coordinate of output coordinate x (OpenVINO's formulas, in f32).
inline float interpolate_source(ops::coordinate_transformation_mode mode, float x, float scale, float out_len,
                                float in_len) {
  using M = ops::coordinate_transformation_mode;
  if (scale == 1.0f || out_len == in_len) return x;
  switch (mode) {
  case M::half_pixel: return (x + 0.5f) / scale - 0.5f;
  case M::pytorch_half_pixel: return out_len > 1.0f ? (x + 0.5f) / scale - 0.5f : 0.0f;
  case M::asymmetric: return x / scale;
  case M::tf_half_pixel_for_nn: return (x + 0.5f) / scale;
  case M::align_corners: return out_len == 1.0f ? 0.0f : x * (in_len - 1.0f) / (out_len - 1.0f);
  }
  return x;
}

/// v clamped to [lo, hi]; NaN becomes lo.
inline float interpolate_clamp(float v, float lo, float hi) { return v >= lo ? (v <= hi ? v : hi) : lo; }

inline interpolation_taps nearest_taps(const ops::coordinate_transformation_mode ctm, ops::nearest_mode rounding,
                                       float scale, std::int64_t in, std::int64_t out) {
  interpolation_taps t;
  const bool downsample = scale < 1.0f;
  for (std::int64_t o = 0; o < out; ++o) {
    if (in > 0) {
      // Clamped first, so that the rounding and the conversion stay in range.
      const float x = interpolate_clamp(
          interpolate_source(ctm, static_cast<float>(o), scale, static_cast<float>(out), static_cast<float>(in)), -2.0f,
          static_cast<float>(in) + 1.0f);
      float r = x;
      switch (rounding) {
      case ops::nearest_mode::round_prefer_floor: r = x - std::floor(x) == 0.5f ? std::floor(x) : std::round(x); break;
      case ops::nearest_mode::round_prefer_ceil: r = std::round(x); break;
      case ops::nearest_mode::floor: r = std::floor(x); break;
      case ops::nearest_mode::ceil: r = std::ceil(x); break;
      case ops::nearest_mode::simple: r = downsample ? std::ceil(x) : std::trunc(x); break;
      }
      t.add(std::clamp<std::int64_t>(static_cast<std::int64_t>(r), 0, in - 1), 1.0);
    }
    t.next();
  }
  return t;
}

inline interpolation_taps linear_onnx_taps(ops::coordinate_transformation_mode ctm, float scale, std::int64_t in,
                                           std::int64_t out) {
  interpolation_taps t;
  for (std::int64_t o = 0; o < out; ++o) {
    if (in > 0) {
      const float x = interpolate_clamp(
          interpolate_source(ctm, static_cast<float>(o), scale, static_cast<float>(out), static_cast<float>(in)), 0.0f,
          static_cast<float>(in - 1));
      const std::int64_t i0 = std::min(static_cast<std::int64_t>(x), in - 1);
      const std::int64_t i1 = std::min(i0 + 1, in - 1);
      float d0 = std::fabs(x - static_cast<float>(i0)), d1 = std::fabs(x - static_cast<float>(i1));
      if (i0 == i1) d0 = d1 = 0.5f;
      t.add(i0, d1);
      t.add(i1, d0);
    }
    t.next();
  }
  return t;
}

inline interpolation_taps cubic_taps(ops::coordinate_transformation_mode ctm, float scale, float a, std::int64_t in,
                                     std::int64_t out) {
  interpolation_taps t;
  for (std::int64_t o = 0; o < out; ++o) {
    if (in > 0) {
      // Beyond [-4, in + 3] every tap is clamped to the same edge element anyway.
      const float x = interpolate_clamp(
          interpolate_source(ctm, static_cast<float>(o), scale, static_cast<float>(out), static_cast<float>(in)), -4.0f,
          static_cast<float>(in) + 3.0f);
      const float base = std::floor(x);
      const float s = std::fabs(x - base);
      const std::array<float, 4> c{
          ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a,
          ((a + 2) * s - (a + 3)) * s * s + 1,
          ((a + 2) * (1 - s) - (a + 3)) * (1 - s) * (1 - s) + 1,
          ((a * (2 - s) - 5 * a) * (2 - s) + 8 * a) * (2 - s) - 4 * a,
      };
      for (std::int64_t k = 0; k < 4; ++k)
        t.add(std::clamp<std::int64_t>(static_cast<std::int64_t>(base) - 1 + k, 0, in - 1), c[static_cast<std::size_t>(k)]);
    }
    t.next();
  }
  return t;
}

/// OpenVINO's `linear` mode on one axis; `stretch` is the antialias factor a
/// (the scale when antialiasing a downsampled image, else 1).
inline interpolation_taps triangle_taps(ops::coordinate_transformation_mode ctm, float scale, float stretch,
                                        std::int64_t in, std::int64_t out) {
  interpolation_taps t;
  const double radius = scale > 1.0f ? 2.0 : std::ceil(2.0 / static_cast<double>(stretch));
  for (std::int64_t o = 0; o < out; ++o) {
    const float x =
        interpolate_source(ctm, static_cast<float>(o), scale, static_cast<float>(out), static_cast<float>(in));
    // Outside this range no tap has a weight (and the conversions stay in range).
    if (in > 0 && x >= -radius - 2.0 && x <= static_cast<double>(in) + radius + 2.0) {
      const auto centre = static_cast<std::int64_t>(std::round(x));
      const auto r = static_cast<std::int64_t>(std::min(radius, static_cast<double>(in) + 2.0));
      const std::size_t first = t.index.size();
      float total = 0.0f;
      for (std::int64_t j = std::max<std::int64_t>(0, centre - r); j <= std::min(in - 1, centre + r); ++j) {
        const float w = std::max(0.0f, 1.0f - std::fabs(stretch * (x - static_cast<float>(j))));
        t.add(j, w);
        total += w;
      }
      for (std::size_t k = first; k < t.weight.size(); ++k)
        t.weight[k] = total == 0.0f ? 0.0 : static_cast<double>(static_cast<float>(t.weight[k]) / total);
    }
    t.next();
  }
  return t;
}

/// Pillow's resampling coefficients for one axis (in double, as Pillow).
inline interpolation_taps pillow_taps(bool bicubic, double a, std::int64_t in, std::int64_t out) {
  interpolation_taps t;
  auto filter = [&](double x) {
    x = std::fabs(x);
    if (!bicubic) return x < 1.0 ? 1.0 - x : 0.0;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
  };
  const double scale = out > 0 ? static_cast<double>(static_cast<float>(in)) / static_cast<double>(out) : 1.0;
  const double filterscale = std::max(scale, 1.0);
  const double support = (bicubic ? 2.0 : 1.0) * filterscale;
  for (std::int64_t o = 0; o < out; ++o) {
    const double centre = (static_cast<double>(o) + 0.5) * scale;
    const auto lo = std::max<std::int64_t>(0, static_cast<std::int64_t>(centre - support + 0.5));
    const auto hi = std::min<std::int64_t>(in, static_cast<std::int64_t>(centre + support + 0.5));
    const std::size_t first = t.index.size();
    double total = 0.0;
    for (std::int64_t x = lo; x < hi; ++x) {
      const double w = filter((static_cast<double>(x) - centre + 0.5) / filterscale);
      t.add(x, w);
      total += w;
    }
    if (total != 0.0)
      for (std::size_t k = first; k < t.weight.size(); ++k) t.weight[k] /= total;
    t.next();
  }
  return t;
}

/// dst = src resampled along `axis` (length src_shape[axis] -> taps count),
/// both row-major; src_shape is updated to the new shape.
template <class A>
void resample_axis(const std::vector<A>& src, shape& src_shape, std::size_t axis, const interpolation_taps& taps,
                   std::vector<A>& dst) {
  const std::int64_t out_len = static_cast<std::int64_t>(taps.offsets.size()) - 1;
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= src_shape[d];
  for (std::size_t d = axis + 1; d < src_shape.size(); ++d) inner *= src_shape[d];
  const std::int64_t in_len = src_shape[axis];
  dst.assign(static_cast<std::size_t>(outer * out_len * inner), A{});
  for (std::int64_t b = 0; b < outer; ++b)
    for (std::int64_t o = 0; o < out_len; ++o) {
      A* d = dst.data() + (b * out_len + o) * inner;
      for (auto k = taps.offsets[static_cast<std::size_t>(o)]; k < taps.offsets[static_cast<std::size_t>(o) + 1]; ++k) {
        const A w = static_cast<A>(taps.weight[static_cast<std::size_t>(k)]);
        const A* s = src.data() + (b * in_len + taps.index[static_cast<std::size_t>(k)]) * inner;
        for (std::int64_t i = 0; i < inner; ++i) d[i] += w * s[i];
      }
    }
  src_shape[axis] = out_len;
}

/// Nearest: a gather along `axis` (one tap per output position), any type.
template <class T>
void gather_axis(const std::vector<T>& src, shape& src_shape, std::size_t axis, const interpolation_taps& taps,
                 std::vector<T>& dst) {
  const std::int64_t out_len = static_cast<std::int64_t>(taps.offsets.size()) - 1;
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= src_shape[d];
  for (std::size_t d = axis + 1; d < src_shape.size(); ++d) inner *= src_shape[d];
  const std::int64_t in_len = src_shape[axis];
  dst.assign(static_cast<std::size_t>(outer * out_len * inner), T{});
  for (std::int64_t b = 0; b < outer; ++b)
    for (std::int64_t o = 0; o < out_len; ++o) {
      const auto k = taps.offsets[static_cast<std::size_t>(o)];
      if (k == taps.offsets[static_cast<std::size_t>(o) + 1]) continue; // nothing to read: zeros
      const T* s = src.data() + (b * in_len + taps.index[static_cast<std::size_t>(k)]) * inner;
      std::copy(s, s + inner, dst.data() + (b * out_len + o) * inner);
    }
  src_shape[axis] = out_len;
}

/// A computed value stored as T: integers saturated, rounded half away from
/// zero (`round`) or truncated.
template <class T, class A> T interpolate_store(A v, bool round) {
  if constexpr (std::is_integral_v<T>) {
    if (std::isnan(v)) return T{};
    const A r = round ? std::round(v) : std::trunc(v);
    if (r <= static_cast<A>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (r >= static_cast<A>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(r);
  } else {
    return static_cast<T>(v);
  }
}

/// The data zero-padded to `padded`, element type converted by `convert`.
template <class U, class T, class F>
std::vector<U> interpolate_padded(std::span<const T> in, const shape& in_shape, const shape& padded,
                                  const std::vector<std::int64_t>& begin, F convert) {
  std::vector<U> out(static_cast<std::size_t>(element_count(padded)), U{});
  if (in.empty()) return out;
  const std::size_t rank = in_shape.size();
  if (rank == 0) {
    out[0] = convert(in[0]);
    return out;
  }
  const std::int64_t row = in_shape[rank - 1];
  const auto out_strides = strides_of(padded);
  std::vector<std::int64_t> idx(rank, 0);
  for (std::size_t done = 0; done < in.size(); done += static_cast<std::size_t>(row)) {
    std::int64_t at = 0;
    for (std::size_t d = 0; d < rank; ++d) at += (idx[d] + begin[d]) * out_strides[d];
    for (std::int64_t x = 0; x < row; ++x) out[static_cast<std::size_t>(at + x)] = convert(in[done + static_cast<std::size_t>(x)]);
    for (std::size_t d = rank - 1; d-- > 0;) { // next row
      if (++idx[d] < in_shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

struct interpolate_ports {
  std::size_t sizes, scales;
  std::optional<std::size_t> axes;
};

template <class Op> void run_interpolate(const Op& op, kernel_context& ctx, const interpolate_ports& ports) {
  using M = ops::interpolate_mode;
  const shape& in_shape = ctx.input_shape(0);
  const shape& out_shape = ctx.output_shape(0);
  const std::size_t rank = in_shape.size();
  if (out_shape.size() != rank) ctx.fail("the output rank differs from the data rank");

  std::vector<std::int64_t> axes;
  if (ports.axes) {
    axes = ctx.ints(*ports.axes);
    std::vector<bool> seen(rank, false);
    for (std::int64_t a : axes) {
      if (a < 0 || a >= static_cast<std::int64_t>(rank) || seen[static_cast<std::size_t>(a)])
        ctx.fail("axes must be distinct and in [0, " + std::to_string(rank) + ")");
      seen[static_cast<std::size_t>(a)] = true;
    }
  } else {
    for (std::size_t i = 0; i < rank; ++i) axes.push_back(static_cast<std::int64_t>(i));
  }

  std::vector<std::int64_t> begin(rank, 0);
  shape padded = in_shape;
  for (std::size_t i = 0; i < rank; ++i) {
    begin[i] = i < op.pads_begin.size() ? op.pads_begin[i] : 0;
    const std::int64_t end = i < op.pads_end.size() ? op.pads_end[i] : 0;
    if (begin[i] < 0 || end < 0) ctx.fail("pads_begin and pads_end must not be negative");
    padded[i] += begin[i] + end;
  }
  std::vector<bool> interpolated(rank, false);
  for (std::int64_t a : axes) interpolated[static_cast<std::size_t>(a)] = true;
  for (std::size_t i = 0; i < rank; ++i)
    if (!interpolated[i] && out_shape[i] != padded[i]) ctx.fail("the output shape does not match the padded data");

  std::vector<float> scales(axes.size(), 1.0f);
  if (op.shape_calculation_mode == ops::shape_calculation_mode::scales) {
    const auto given = ctx.input(ports.scales).as_f64();
    if (given.size() < axes.size()) ctx.fail("scales has fewer values than there are axes");
    for (std::size_t i = 0; i < axes.size(); ++i) scales[i] = static_cast<float>(given[i]);
  } else {
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto a = static_cast<std::size_t>(axes[i]);
      scales[i] = static_cast<float>(out_shape[a]) / static_cast<float>(padded[a]);
    }
  }

  const bool pillow = op.mode == M::bilinear_pillow || op.mode == M::bicubic_pillow;
  if (pillow && axes.size() != 2)
    ctx.fail("mode " + attr::format(op.mode) + " interpolates exactly two axes (H, W), got " +
             std::to_string(axes.size()));
  const bool antialias = op.antialias && std::any_of(scales.begin(), scales.end(), [](float s) { return s < 1.0f; });

  auto taps_for = [&](std::size_t i) {
    const auto a = static_cast<std::size_t>(axes[i]);
    const auto ctm = op.coordinate_transformation_mode;
    switch (op.mode) {
    case M::nearest: return nearest_taps(ctm, op.nearest_mode, scales[i], padded[a], out_shape[a]);
    case M::linear_onnx: return linear_onnx_taps(ctm, scales[i], padded[a], out_shape[a]);
    case M::cubic: return cubic_taps(ctm, scales[i], static_cast<float>(op.cube_coeff), padded[a], out_shape[a]);
    case M::linear: return triangle_taps(ctm, scales[i], antialias ? scales[i] : 1.0f, padded[a], out_shape[a]);
    case M::bilinear_pillow: return pillow_taps(false, op.cube_coeff, padded[a], out_shape[a]);
    case M::bicubic_pillow: return pillow_taps(true, op.cube_coeff, padded[a], out_shape[a]);
    }
    return interpolation_taps{};
  };

  dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
    auto out = ctx.out<T>(0);
    if (out.empty()) return;
    const auto in = ctx.in<T>(0);
    shape current = padded;
    if (op.mode == M::nearest) {
      std::vector<T> buffer = interpolate_padded<T>(in, in_shape, padded, begin, [](T v) { return v; }), next;
      for (std::size_t i = 0; i < axes.size(); ++i) {
        gather_axis(buffer, current, static_cast<std::size_t>(axes[i]), taps_for(i), next);
        buffer.swap(next);
      }
      std::copy(buffer.begin(), buffer.end(), out.begin());
      return;
    }
    using C = compute_t<T>;
    using A = std::conditional_t<std::is_same_v<T, double> || (std::is_integral_v<T> && sizeof(T) >= 4), double, float>;
    std::vector<A> buffer =
        interpolate_padded<A>(in, in_shape, padded, begin, [](T v) { return static_cast<A>(static_cast<C>(v)); });
    std::vector<A> next;
    const bool round = op.mode == M::linear || pillow;
    if (pillow) {
      // The second axis first; an unchanged axis is skipped; the intermediate is stored as T.
      bool first_pass = true;
      for (std::size_t i : {std::size_t{1}, std::size_t{0}}) {
        const auto a = static_cast<std::size_t>(axes[i]);
        if (out_shape[a] == current[a]) continue;
        if (!first_pass)
          for (auto& v : buffer) v = static_cast<A>(static_cast<C>(interpolate_store<T>(v, true)));
        resample_axis(buffer, current, a, taps_for(i), next);
        buffer.swap(next);
        first_pass = false;
      }
    } else {
      for (std::size_t i = 0; i < axes.size(); ++i) {
        resample_axis(buffer, current, static_cast<std::size_t>(axes[i]), taps_for(i), next);
        buffer.swap(next);
      }
    }
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = interpolate_store<T>(buffer[i], round);
  }, "Interpolate");
}

} // namespace detail

template <> struct kernel<ops::v4::Interpolate> {
  static void run(const ops::v4::Interpolate& op, kernel_context& ctx) {
    detail::run_interpolate(op, ctx,
                            {1, 2, ctx.input_count() > 3 ? std::optional<std::size_t>(3) : std::nullopt});
  }
};

template <> struct kernel<ops::Interpolate> {
  static void run(const ops::Interpolate& op, kernel_context& ctx) {
    detail::run_interpolate(op, ctx,
                            {1, 1, ctx.input_count() > 2 ? std::optional<std::size_t>(2) : std::nullopt});
  }
};

} // namespace irforge::reference
