// irforge — reference kernels of Softmax-8, SoftMax-1 and LogSoftmax-5.
//
// Numerically stable: the maximum along the axis is subtracted before exp, and
// the sums are taken in double. Floating-point types only (OpenVINO evaluates
// Softmax for f16, bf16, f32 and f64; an integer softmax is an error here).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "irforge/ops/softmax.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/convert.hpp"

namespace irforge::reference {

namespace detail::softmax_ops {

/// Softmax (or its log) along `axis` of input 0.
inline void run(kernel_context& ctx, std::int64_t axis, bool take_log, const char* what) {
  const shape& s = ctx.input_shape(0);
  const auto rank = static_cast<std::int64_t>(s.size());
  if (axis < -rank || axis >= rank)
    ctx.fail("axis " + std::to_string(axis) + " is out of range for input shape " + partial_shape(s).to_string());
  const auto a = static_cast<std::size_t>(axis < 0 ? axis + rank : axis);
  // The input as [outer, n, inner], the axis in the middle.
  std::size_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < a; ++i) outer *= static_cast<std::size_t>(s[i]);
  for (std::size_t i = a + 1; i < s.size(); ++i) inner *= static_cast<std::size_t>(s[i]);
  const auto n = static_cast<std::size_t>(s[a]);
  dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
    const auto in = ctx.in<T>(0);
    auto out = ctx.out<T>(0);
    if (in.size() != out.size()) ctx.fail("output and input sizes differ");
    auto x = [&](std::size_t i) { return static_cast<double>(static_cast<compute_t<T>>(in[i])); };
    for (std::size_t o = 0; o < outer; ++o) {
      for (std::size_t k = 0; k < inner; ++k) {
        const std::size_t base = o * n * inner + k;
        double max = -std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < n; ++j) max = std::fmax(max, x(base + j * inner)); // fmax skips NaN
        if (std::isinf(max)) max = 0; // all -inf (or +inf present): nothing to subtract safely
        double sum = 0;
        for (std::size_t j = 0; j < n; ++j) sum += std::exp(x(base + j * inner) - max);
        const double log_sum = std::log(sum);
        for (std::size_t j = 0; j < n; ++j) {
          const double v = x(base + j * inner) - max;
          out[base + j * inner] = numeric::convert_value<T>(take_log ? v - log_sum : std::exp(v) / sum);
        }
      }
    }
  }, what);
}

} // namespace detail::softmax_ops

template <> struct kernel<ops::Softmax> {
  static void run(const ops::Softmax& op, kernel_context& ctx) { detail::softmax_ops::run(ctx, op.axis, false, "Softmax"); }
};

template <> struct kernel<ops::v1::Softmax> {
  static void run(const ops::v1::Softmax& op, kernel_context& ctx) {
    if (op.axis < 0) ctx.fail("attribute 'axis' must be 0 or more in SoftMax-1, got " + std::to_string(op.axis));
    detail::softmax_ops::run(ctx, op.axis, false, "SoftMax");
  }
};

template <> struct kernel<ops::LogSoftmax> {
  static void run(const ops::LogSoftmax& op, kernel_context& ctx) { detail::softmax_ops::run(ctx, op.axis, true, "LogSoftmax"); }
};

} // namespace irforge::reference
