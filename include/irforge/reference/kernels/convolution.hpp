// irforge — reference kernels of the convolutions (opset1): Convolution,
// GroupConvolution, ConvolutionBackpropData, GroupConvolutionBackpropData.
//
// Forward: per image and group, im2col (the receptive fields as columns of a
// [C*k...] x [output pixels] matrix; skipped for 1x1 / stride 1 / no padding,
// where the image already is that matrix) then one blocked GEMM with the
// weights. Transposed: per image and group, a GEMM of the transposed weights
// with the image gives every (output channel, kernel tap) contribution of
// every input pixel, and col2im adds them into place. 1-D and 2-D problems run
// as 3-D ones with leading axes of size 1. The padding is resolved exactly as
// the ops' `infer` resolved it (spatial::resolved_padding / same_padding).
// Floats use float/double GEMMs (f16/bf16 are computed in float); integers
// use wrapping arithmetic.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/ops/convolution.hpp"
#include "irforge/ops/spatial.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/gemm.hpp"
#include "irforge/reference/kernels/matmul.hpp"

namespace irforge::reference {

namespace detail {

/// A convolution's geometry, spatial axes extended to three (leading 1s).
struct conv_geometry {
  std::int64_t batch = 1, groups = 1;
  std::int64_t in_channels = 1, out_channels = 1; ///< per group
  std::array<std::int64_t, 3> in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1};
  std::array<std::int64_t, 3> stride{1, 1, 1}, dilation{1, 1, 1}, pad{0, 0, 0}; ///< pad: at the beginning

  [[nodiscard]] std::int64_t in_pixels() const { return in[0] * in[1] * in[2]; }
  [[nodiscard]] std::int64_t out_pixels() const { return out[0] * out[1] * out[2]; }
  [[nodiscard]] std::int64_t taps() const { return kernel[0] * kernel[1] * kernel[2]; }
};

/// Smallest o >= 0 with o * s >= t (s > 0).
constexpr std::int64_t first_reaching(std::int64_t t, std::int64_t s) { return t <= 0 ? 0 : (t + s - 1) / s; }

/// Range [lo, hi) of positions o in [0, count) whose o * stride + offset lies in [0, limit).
inline std::pair<std::int64_t, std::int64_t> valid_range(std::int64_t count, std::int64_t stride, std::int64_t offset,
                                                         std::int64_t limit) {
  const std::int64_t lo = std::min(count, first_reaching(-offset, stride));
  const std::int64_t hi = std::min(count, first_reaching(limit - offset, stride));
  return {lo, std::max(lo, hi)};
}

/// The integer type wrapping arithmetic is done in.
template <class T>
using wrap_t = std::conditional_t<std::is_integral_v<T>, std::conditional_t<(sizeof(T) > 4), std::uint64_t, std::uint32_t>, T>;

/// im2col for output rows [r0, r1) (a row = one (z, y) of the output):
/// col[(c, kz, ky, kx), (row - r0, x)] = image[c, z*s - p + kz*d, ...] or 0.
template <class T>
void im2col(const conv_geometry& g, const T* image, std::int64_t r0, std::int64_t r1, T* col) {
  const std::int64_t ow = g.out[2], width = (r1 - r0) * ow;
  for (std::int64_t c = 0; c < g.in_channels; ++c) {
    const T* plane = image + c * g.in_pixels();
    for (std::int64_t kz = 0; kz < g.kernel[0]; ++kz)
      for (std::int64_t ky = 0; ky < g.kernel[1]; ++ky)
        for (std::int64_t kx = 0; kx < g.kernel[2]; ++kx) {
          T* dst = col + (((c * g.kernel[0] + kz) * g.kernel[1] + ky) * g.kernel[2] + kx) * width;
          const std::int64_t x_off = kx * g.dilation[2] - g.pad[2];
          const auto [lo, hi] = valid_range(ow, g.stride[2], x_off, g.in[2]);
          for (std::int64_t r = r0; r < r1; ++r, dst += ow) {
            const std::int64_t iz = (r / g.out[1]) * g.stride[0] + kz * g.dilation[0] - g.pad[0];
            const std::int64_t iy = (r % g.out[1]) * g.stride[1] + ky * g.dilation[1] - g.pad[1];
            if (iz < 0 || iz >= g.in[0] || iy < 0 || iy >= g.in[1] || lo == hi) {
              std::fill(dst, dst + ow, T{});
              continue;
            }
            const T* src = plane + (iz * g.in[1] + iy) * g.in[2];
            std::fill(dst, dst + lo, T{});
            if (g.stride[2] == 1)
              std::memcpy(dst + lo, src + lo + x_off, static_cast<std::size_t>(hi - lo) * sizeof(T));
            else
              for (std::int64_t x = lo; x < hi; ++x) dst[x] = src[x * g.stride[2] + x_off];
            std::fill(dst + hi, dst + ow, T{});
          }
        }
  }
}

/// col2im for input rows [r0, r1) of a transposed convolution:
/// out[o, z*s - p + kz*d, ...] += col[(o, kz, ky, kx), (row - r0, x)].
template <class T>
void col2im(const conv_geometry& g, const T* col, std::int64_t r0, std::int64_t r1, T* out) {
  using W = wrap_t<T>;
  const std::int64_t iw = g.in[2], width = (r1 - r0) * iw;
  for (std::int64_t o = 0; o < g.out_channels; ++o) {
    T* plane = out + o * g.out_pixels();
    for (std::int64_t kz = 0; kz < g.kernel[0]; ++kz)
      for (std::int64_t ky = 0; ky < g.kernel[1]; ++ky)
        for (std::int64_t kx = 0; kx < g.kernel[2]; ++kx) {
          const T* src = col + (((o * g.kernel[0] + kz) * g.kernel[1] + ky) * g.kernel[2] + kx) * width;
          const std::int64_t x_off = kx * g.dilation[2] - g.pad[2];
          const auto [lo, hi] = valid_range(iw, g.stride[2], x_off, g.out[2]);
          if (lo == hi) continue;
          for (std::int64_t r = r0; r < r1; ++r, src += iw) {
            const std::int64_t oz = (r / g.in[1]) * g.stride[0] + kz * g.dilation[0] - g.pad[0];
            const std::int64_t oy = (r % g.in[1]) * g.stride[1] + ky * g.dilation[1] - g.pad[1];
            if (oz < 0 || oz >= g.out[0] || oy < 0 || oy >= g.out[1]) continue;
            T* dst = plane + (oz * g.out[1] + oy) * g.out[2];
            for (std::int64_t x = lo; x < hi; ++x) {
              T& d = dst[x * g.stride[2] + x_off];
              d = static_cast<T>(static_cast<W>(d) + static_cast<W>(src[x]));
            }
          }
        }
  }
}

/// Rows of work per chunk so that a column buffer stays near 2^23 elements.
inline std::int64_t chunk_rows(std::int64_t column_rows, std::int64_t row_width, std::int64_t total_rows) {
  const std::int64_t per_row = std::max<std::int64_t>(1, column_rows * row_width);
  return std::clamp<std::int64_t>((std::int64_t{1} << 23) / per_row, 1, std::max<std::int64_t>(1, total_rows));
}

/// Forward convolution in compute type C: data [N, G*Ci, in], weights
/// [G, Co, Ci, k] -> out [N, G*Co, out] (out zero-filled on entry).
template <class C> void conv_forward(const conv_geometry& g, const C* data, const C* weights, C* out) {
  const std::int64_t rows = g.in_channels * g.taps(), pixels = g.out_pixels();
  const std::int64_t out_rows = g.out[0] * g.out[1];
  const bool direct = g.taps() == 1 && g.stride == std::array<std::int64_t, 3>{1, 1, 1} &&
                      g.pad == std::array<std::int64_t, 3>{0, 0, 0} && g.in == g.out;
  const std::int64_t step = direct ? out_rows : chunk_rows(rows, g.out[2], out_rows);
  std::vector<C> col(direct ? 0 : static_cast<std::size_t>(rows * step * g.out[2]));
  for (std::int64_t n = 0; n < g.batch; ++n)
    for (std::int64_t grp = 0; grp < g.groups; ++grp) {
      const C* image = data + (n * g.groups + grp) * g.in_channels * g.in_pixels();
      const C* w = weights + grp * g.out_channels * rows;
      C* dst = out + (n * g.groups + grp) * g.out_channels * pixels;
      for (std::int64_t r0 = 0; r0 < out_rows; r0 += step) {
        const std::int64_t r1 = std::min(out_rows, r0 + step), width = (r1 - r0) * g.out[2];
        const C* b = image;
        if (!direct) {
          im2col(g, image, r0, r1, col.data());
          b = col.data();
        }
        gemm::multiply<C>(g.out_channels, width, rows, {w, rows, 1}, {b, width, 1}, dst + r0 * g.out[2], pixels);
      }
    }
}

/// Transposed convolution in compute type C: data [N, G*Ci, in], weights
/// [G, Ci, Co, k] -> out [N, G*Co, out] (out zero-filled on entry).
template <class C> void conv_backprop(const conv_geometry& g, const C* data, const C* weights, C* out) {
  const std::int64_t rows = g.out_channels * g.taps(), pixels = g.in_pixels();
  const std::int64_t in_rows = g.in[0] * g.in[1];
  const std::int64_t step = chunk_rows(rows, g.in[2], in_rows);
  std::vector<C> col(static_cast<std::size_t>(rows * step * g.in[2]));
  for (std::int64_t n = 0; n < g.batch; ++n)
    for (std::int64_t grp = 0; grp < g.groups; ++grp) {
      const C* image = data + (n * g.groups + grp) * g.in_channels * pixels;
      const C* w = weights + grp * g.in_channels * rows; // [Ci, Co*k], used transposed
      C* dst = out + (n * g.groups + grp) * g.out_channels * g.out_pixels();
      for (std::int64_t r0 = 0; r0 < in_rows; r0 += step) {
        const std::int64_t r1 = std::min(in_rows, r0 + step), width = (r1 - r0) * g.in[2];
        gemm::multiply<C>(rows, width, g.in_channels, {w, 1, rows}, {image + r0 * g.in[2], pixels, 1}, col.data(),
                          width);
        col2im(g, col.data(), r0, r1, dst);
      }
    }
}

enum class conv_direction { forward, backprop };

struct conv_attributes {
  const std::vector<std::int64_t>& strides;
  const std::vector<std::int64_t>& dilations;
  const std::vector<std::int64_t>& pads_begin;
  const std::vector<std::int64_t>& pads_end;
  ops::pad_type auto_pad;
  const std::vector<std::int64_t>* output_padding; ///< backprop only
};

/// The geometry of a node from its actual shapes; `grouped` says whether the
/// weights have a leading group axis.
inline conv_geometry conv_geometry_of(kernel_context& ctx, conv_direction dir, bool grouped, const conv_attributes& a) {
  const shape& ds = ctx.input_shape(0);
  const shape& ws = ctx.input_shape(1);
  const shape& os = ctx.output_shape(0);
  const std::size_t extra = grouped ? 1 : 0;
  if (ds.size() < 3 || ds.size() > 5 || ws.size() != ds.size() + extra || os.size() != ds.size())
    ctx.fail("unexpected ranks of data, weights or output");
  const std::size_t ns = ds.size() - 2, skip = 3 - ns;
  auto value = [&](const std::vector<std::int64_t>& v, std::size_t i, std::int64_t fill) {
    return v.empty() ? fill : v.at(i);
  };
  conv_geometry g;
  g.batch = ds[0];
  g.groups = grouped ? ws[0] : 1;
  if (dir == conv_direction::forward) {
    g.out_channels = ws[extra];
    g.in_channels = ws[extra + 1];
  } else {
    g.in_channels = ws[extra];
    g.out_channels = ws[extra + 1];
  }
  if (g.groups * g.in_channels != ds[1] || g.groups * g.out_channels != os[1] || os[0] != ds[0])
    ctx.fail("channel counts of data, weights and output do not agree");
  const bool has_output_shape = dir == conv_direction::backprop && ctx.input_count() > 2;
  for (std::size_t i = 0; i < ns; ++i) {
    const std::size_t j = skip + i;
    g.in[j] = ds[2 + i];
    g.out[j] = os[2 + i];
    g.kernel[j] = ws[2 + extra + i];
    g.stride[j] = value(a.strides, i, 1);
    g.dilation[j] = value(a.dilations, i, 1);
    const std::int64_t dk = ops::spatial::dilated(g.kernel[j], g.dilation[j]);
    if (dir == conv_direction::forward) {
      const auto pads = ops::spatial::resolved_padding(dimension(g.in[j]), dk, g.stride[j], value(a.pads_begin, i, 0),
                                                       value(a.pads_end, i, 0), a.auto_pad);
      g.pad[j] = pads ? pads->first : 0;
    } else if (a.auto_pad == ops::pad_type::explicit_) {
      g.pad[j] = value(a.pads_begin, i, 0);
    } else if (has_output_shape &&
               (a.auto_pad == ops::pad_type::same_upper || a.auto_pad == ops::pad_type::same_lower)) {
      // The padding that makes the requested size; SAME_UPPER takes the larger half at the beginning.
      const std::int64_t total = std::max<std::int64_t>(
          0, (g.in[j] - 1) * g.stride[j] + dk - g.out[j] + value(*a.output_padding, i, 0));
      g.pad[j] = a.auto_pad == ops::pad_type::same_upper ? total - total / 2 : total / 2;
    } else {
      g.pad[j] = 0; // valid, or same_* without output_shape
    }
  }
  return g;
}

/// Runs `body.template operator()<C>(data, weights, out)` in the compute type
/// of the node's element type, converting f16/bf16 through float buffers.
template <class T, class F> void conv_in_compute_type(kernel_context& ctx, F&& body) {
  using C = compute_t<T>;
  auto out = ctx.out<T>(0);
  if (out.empty()) return;
  std::vector<C> data_store, weight_store;
  const auto data = widened<C>(ctx.in<T>(0), data_store);
  const auto weights = widened<C>(ctx.in<T>(1), weight_store);
  if constexpr (std::is_same_v<C, T>) {
    body(data.data(), weights.data(), out.data());
  } else {
    std::vector<C> result(out.size(), C{});
    body(data.data(), weights.data(), result.data());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(result[i]);
  }
}

inline void run_convolution(kernel_context& ctx, conv_direction dir, bool grouped, const conv_attributes& a) {
  const conv_geometry g = conv_geometry_of(ctx, dir, grouped, a);
  dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
    conv_in_compute_type<T>(ctx, [&](const auto* data, const auto* weights, auto* out) {
      if (dir == conv_direction::forward)
        conv_forward(g, data, weights, out);
      else
        conv_backprop(g, data, weights, out);
    });
  }, "this convolution");
}

} // namespace detail

template <> struct kernel<ops::Convolution> {
  static void run(const ops::Convolution& op, kernel_context& ctx) {
    detail::run_convolution(ctx, detail::conv_direction::forward, false,
                            {op.strides, op.dilations, op.pads_begin, op.pads_end, op.auto_pad, nullptr});
  }
};

template <> struct kernel<ops::GroupConvolution> {
  static void run(const ops::GroupConvolution& op, kernel_context& ctx) {
    detail::run_convolution(ctx, detail::conv_direction::forward, true,
                            {op.strides, op.dilations, op.pads_begin, op.pads_end, op.auto_pad, nullptr});
  }
};

template <> struct kernel<ops::ConvolutionBackpropData> {
  static void run(const ops::ConvolutionBackpropData& op, kernel_context& ctx) {
    detail::run_convolution(ctx, detail::conv_direction::backprop, false,
                            {op.strides, op.dilations, op.pads_begin, op.pads_end, op.auto_pad, &op.output_padding});
  }
};

template <> struct kernel<ops::GroupConvolutionBackpropData> {
  static void run(const ops::GroupConvolutionBackpropData& op, kernel_context& ctx) {
    detail::run_convolution(ctx, detail::conv_direction::backprop, true,
                            {op.strides, op.dilations, op.pads_begin, op.pads_end, op.auto_pad, &op.output_padding});
  }
};

} // namespace irforge::reference
