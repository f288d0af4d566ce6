// irforge — reference kernels of pooling: MaxPool (opset1, opset8, opset14)
// and AvgPool (opset1, opset14).
//
// The output size comes from the op's `infer` (rounding floor / ceil /
// ceil_torch); the kernels slide the window over it with the padding that
// `infer` resolved (explicit, valid, or same_upper / same_lower computed by
// spatial::resolved_padding). 1-D and 2-D pooling run as 3-D with leading
// axes of size 1. Per axis and output position, the taps that land inside
// the data are computed once, so the hot loops have no bound checks.
//
// MaxPool: padding never wins; a NaN in a window wins (as in PyTorch and
// ONNX Runtime); ties keep the first maximum in row-major window order. A
// window with no data element (possible with rounding ceil) gives the
// lowest value of the type and index 0 of its channel, as in OpenVINO.
// Indices (MaxPool-8/14) are flat indices into the data, counted from axis
// `axis` on (index modulo the size of axes axis..rank-1).
//
// AvgPool: exclude-pad divides by the number of data elements in the window.
// Otherwise it divides by the number of window elements inside the padded
// data [-pads_begin, size + pads_end): the zeros of the padding count, a
// window part that rounding ceil pushes beyond the end padding does not (as
// PyTorch and ONNX do). Integers: sums are exact (64-bit), the average is
// rounded half to even.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/ops/pooling.hpp"
#include "irforge/ops/spatial.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail {

/// One spatial axis of a pooling window; sizes are extended to three axes.
struct pool_axis {
  std::int64_t in = 1, out = 1, kernel = 1, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0;
  /// Per output position: first and end tap inside the data, and the
  /// number of taps inside the padded data.
  std::vector<std::int64_t> first, last, padded_count;
};

struct pool_geometry {
  std::int64_t planes = 1; ///< N * C
  std::array<pool_axis, 3> axes;
  [[nodiscard]] std::int64_t in_pixels() const { return axes[0].in * axes[1].in * axes[2].in; }
  [[nodiscard]] std::int64_t out_pixels() const { return axes[0].out * axes[1].out * axes[2].out; }
};

/// Smallest t >= 0 with t * s >= v (s > 0).
constexpr std::int64_t pool_first_reaching(std::int64_t v, std::int64_t s) { return v <= 0 ? 0 : (v + s - 1) / s; }

inline pool_geometry pool_geometry_of(kernel_context& ctx, const std::vector<std::int64_t>& kernel,
                                      const std::vector<std::int64_t>& strides,
                                      const std::vector<std::int64_t>* dilations,
                                      const std::vector<std::int64_t>& pads_begin,
                                      const std::vector<std::int64_t>& pads_end, ops::pad_type auto_pad) {
  const shape& ds = ctx.input_shape(0);
  const shape& os = ctx.output_shape(0);
  const std::size_t ns = kernel.size();
  if (ns < 1 || ns > 3 || ds.size() != ns + 2 || os.size() != ds.size() || os[0] != ds[0] || os[1] != ds[1])
    ctx.fail("unexpected ranks of kernel, data or output");
  auto value = [](const std::vector<std::int64_t>* v, std::size_t i, std::int64_t fill) {
    return v == nullptr || v->empty() ? fill : v->at(i);
  };
  pool_geometry g;
  g.planes = ds[0] * ds[1];
  for (std::size_t i = 0; i < ns; ++i) {
    pool_axis& a = g.axes[3 - ns + i];
    a.in = ds[2 + i];
    a.out = os[2 + i];
    a.kernel = kernel[i];
    a.stride = value(&strides, i, 1);
    a.dilation = value(dilations, i, 1);
    const auto pads = ops::spatial::resolved_padding(dimension(a.in), ops::spatial::dilated(a.kernel, a.dilation),
                                                     a.stride, value(&pads_begin, i, 0), value(&pads_end, i, 0),
                                                     auto_pad);
    if (!pads) ctx.fail("the padding cannot be resolved");
    a.pad_begin = pads->first;
    a.pad_end = pads->second;
  }
  for (auto& a : g.axes) {
    const auto n = static_cast<std::size_t>(a.out);
    a.first.resize(n);
    a.last.resize(n);
    a.padded_count.resize(n);
    for (std::int64_t o = 0; o < a.out; ++o) {
      const std::int64_t start = o * a.stride - a.pad_begin; // position of tap 0
      const std::int64_t first = std::min(a.kernel, pool_first_reaching(-start, a.dilation));
      const std::int64_t last = std::min(a.kernel, pool_first_reaching(a.in - start, a.dilation));
      const std::int64_t padded_end = std::min(a.kernel, pool_first_reaching(a.in + a.pad_end - start, a.dilation));
      a.first[static_cast<std::size_t>(o)] = first;
      a.last[static_cast<std::size_t>(o)] = std::max(first, last);
      a.padded_count[static_cast<std::size_t>(o)] = std::max<std::int64_t>(0, padded_end);
    }
  }
  return g;
}

/// The lowest value of storage type T (f16: -65504), used for empty windows.
template <class T> compute_t<T> pool_lowest() {
  if constexpr (std::is_same_v<T, f16>) return -65504.0f;
  else if constexpr (std::is_same_v<T, bf16>) {
    bf16 lowest;
    lowest.bits = 0xFF7F; // -3.39e38, the largest finite magnitude
    return static_cast<float>(lowest);
  }
  else return std::numeric_limits<T>::lowest();
}

template <class T, class I>
void max_pool(const pool_geometry& g, const T* data, T* values, I* indices, std::int64_t index_modulus) {
  using C = compute_t<T>;
  const auto& [az, ay, ax] = g.axes;
  const std::int64_t in_pixels = g.in_pixels();
  std::size_t out_index = 0;
  for (std::int64_t p = 0; p < g.planes; ++p) {
    const T* plane = data + p * in_pixels;
    for (std::int64_t oz = 0; oz < az.out; ++oz)
      for (std::int64_t oy = 0; oy < ay.out; ++oy)
        for (std::int64_t ox = 0; ox < ax.out; ++ox, ++out_index) {
          const auto z = static_cast<std::size_t>(oz), y = static_cast<std::size_t>(oy), x = static_cast<std::size_t>(ox);
          bool found = false;
          C best = pool_lowest<T>();
          std::int64_t best_at = 0;
          for (std::int64_t tz = az.first[z]; tz < az.last[z]; ++tz) {
            const std::int64_t iz = oz * az.stride - az.pad_begin + tz * az.dilation;
            for (std::int64_t ty = ay.first[y]; ty < ay.last[y]; ++ty) {
              const std::int64_t row = (iz * ay.in + oy * ay.stride - ay.pad_begin + ty * ay.dilation) * ax.in;
              for (std::int64_t tx = ax.first[x]; tx < ax.last[x]; ++tx) {
                const std::int64_t at = row + ox * ax.stride - ax.pad_begin + tx * ax.dilation;
                const C v = static_cast<C>(plane[at]);
                bool better = !found || v > best;
                if constexpr (std::is_floating_point_v<C>) better = better || (std::isnan(v) && !std::isnan(best));
                if (better) {
                  best = v;
                  best_at = at;
                  found = true;
                }
              }
            }
          }
          values[out_index] = static_cast<T>(best);
          if (indices != nullptr) indices[out_index] = static_cast<I>((p * in_pixels + best_at) % index_modulus);
        }
  }
}

/// x rounded half to even, saturated to the range of integer type T.
template <class T> T pool_round_to(double x) {
  if (std::isnan(x)) return T{};
  const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  double r = std::floor(x);
  const double diff = x - r;
  if (diff > 0.5 || (diff == 0.5 && std::fmod(r, 2.0) != 0.0)) r += 1.0;
  if (r <= lo) return std::numeric_limits<T>::lowest();
  if (r >= hi) return std::numeric_limits<T>::max();
  return static_cast<T>(r);
}

/// An element as the sum type S (integers: sign-extended into uint64).
template <class T, class S> S pool_widen(T v) {
  if constexpr (std::is_integral_v<T>) return static_cast<S>(static_cast<std::int64_t>(v));
  else return static_cast<S>(static_cast<compute_t<T>>(v));
}

template <class T> void avg_pool(const pool_geometry& g, bool exclude_pad, const T* data, T* out) {
  // Sums: 64-bit integers (wrapping, never overflowing) for integer types, double for floats.
  using S = std::conditional_t<std::is_integral_v<T>, std::uint64_t, double>;
  const auto& [az, ay, ax] = g.axes;
  const std::int64_t in_pixels = g.in_pixels();
  std::size_t out_index = 0;
  for (std::int64_t p = 0; p < g.planes; ++p) {
    const T* plane = data + p * in_pixels;
    for (std::int64_t oz = 0; oz < az.out; ++oz)
      for (std::int64_t oy = 0; oy < ay.out; ++oy)
        for (std::int64_t ox = 0; ox < ax.out; ++ox, ++out_index) {
          const auto z = static_cast<std::size_t>(oz), y = static_cast<std::size_t>(oy), x = static_cast<std::size_t>(ox);
          S sum{};
          for (std::int64_t tz = az.first[z]; tz < az.last[z]; ++tz) {
            const std::int64_t iz = oz * az.stride - az.pad_begin + tz;
            for (std::int64_t ty = ay.first[y]; ty < ay.last[y]; ++ty) {
              const T* row = plane + (iz * ay.in + oy * ay.stride - ay.pad_begin + ty) * ax.in;
              for (std::int64_t tx = ax.first[x]; tx < ax.last[x]; ++tx)
                sum += pool_widen<T, S>(row[ox * ax.stride - ax.pad_begin + tx]);
            }
          }
          const std::int64_t count =
              exclude_pad ? (az.last[z] - az.first[z]) * (ay.last[y] - ay.first[y]) * (ax.last[x] - ax.first[x])
                          : az.padded_count[z] * ay.padded_count[y] * ax.padded_count[x];
          if (count == 0) {
            out[out_index] = T{};
          } else if constexpr (std::is_integral_v<T>) {
            const double total =
                std::is_signed_v<T> ? static_cast<double>(static_cast<std::int64_t>(sum)) : static_cast<double>(sum);
            out[out_index] = pool_round_to<T>(total / static_cast<double>(count));
          } else {
            out[out_index] = static_cast<T>(sum / static_cast<double>(count));
          }
        }
  }
}

template <class Op> void run_max_pool(const Op& op, kernel_context& ctx, const std::vector<std::int64_t>* dilations,
                                      bool with_indices) {
  const pool_geometry g =
      pool_geometry_of(ctx, op.kernel, op.strides, dilations, op.pads_begin, op.pads_end, op.auto_pad);
  std::int64_t modulus = std::max<std::int64_t>(1, static_cast<std::int64_t>(element_count(ctx.input_shape(0))));
  if constexpr (requires { op.axis; }) {
    const auto& ds = ctx.input_shape(0);
    const auto rank = static_cast<std::int64_t>(ds.size());
    if (op.axis < -rank || op.axis >= rank) ctx.fail("axis " + std::to_string(op.axis) + " is out of range");
    const std::int64_t axis = op.axis < 0 ? op.axis + rank : op.axis;
    modulus = 1;
    for (std::int64_t d = axis; d < rank; ++d) modulus *= ds[static_cast<std::size_t>(d)];
    modulus = std::max<std::int64_t>(1, modulus);
  }
  dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
    const T* data = ctx.in<T>(0).data();
    T* values = ctx.out<T>(0).data();
    if (!with_indices) {
      max_pool<T, std::int64_t>(g, data, values, nullptr, modulus);
    } else if (ctx.output(1).type() == element_type::i32) {
      max_pool<T, std::int32_t>(g, data, values, ctx.out<std::int32_t>(1).data(), modulus);
    } else {
      max_pool<T, std::int64_t>(g, data, values, ctx.out<std::int64_t>(1).data(), modulus);
    }
  }, "MaxPool");
}

template <class Op> void run_avg_pool(const Op& op, kernel_context& ctx) {
  const pool_geometry g = pool_geometry_of(ctx, op.kernel, op.strides, nullptr, op.pads_begin, op.pads_end, op.auto_pad);
  dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
    avg_pool<T>(g, op.exclude_pad, ctx.in<T>(0).data(), ctx.out<T>(0).data());
  }, "AvgPool");
}

} // namespace detail

template <> struct kernel<ops::v1::MaxPool> {
  static void run(const ops::v1::MaxPool& op, kernel_context& ctx) { detail::run_max_pool(op, ctx, nullptr, false); }
};
template <> struct kernel<ops::v8::MaxPool> {
  static void run(const ops::v8::MaxPool& op, kernel_context& ctx) {
    detail::run_max_pool(op, ctx, &op.dilations, true);
  }
};
template <> struct kernel<ops::MaxPool> {
  static void run(const ops::MaxPool& op, kernel_context& ctx) { detail::run_max_pool(op, ctx, &op.dilations, true); }
};
template <> struct kernel<ops::v1::AvgPool> {
  static void run(const ops::v1::AvgPool& op, kernel_context& ctx) { detail::run_avg_pool(op, ctx); }
};
template <> struct kernel<ops::AvgPool> {
  static void run(const ops::AvgPool& op, kernel_context& ctx) { detail::run_avg_pool(op, ctx); }
};

} // namespace irforge::reference
