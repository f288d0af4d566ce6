// irforge — reference kernels of the normalizations: BatchNormInference (v5:
// data, gamma, beta, mean, variance; v1: gamma, beta, data, mean, variance),
// LRN-1, MVN-6 and NormalizeL2-1. Floating-point types; statistics in double.
//
// - BatchNormInference: gamma * (x - mean) / sqrt(variance + epsilon) + beta, per channel (dimension 1).
// - LRN: x / (bias + alpha / size^len(axes) * sum(x^2 over the window)) ^ beta, the window
//   spanning [i - (size-1)/2, i + (size-1)/2] (clipped to the tensor) along each axis, as
//   OpenVINO's reference does (alpha is divided by size once per axis).
// - MVN: x - mean over the axes, divided by sqrt(variance + eps) (inside_sqrt) or
//   sqrt(variance) + eps (outside_sqrt) when normalize_variance; variance = mean((x - mean)^2).
// - NormalizeL2: x / sqrt(sum(x^2) + eps) (add) or x / sqrt(max(sum(x^2), eps)) (max);
//   with no axes each element is divided by itself (1, or 0 for 0), as the specification says.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "irforge/ops/batch_norm.hpp"
#include "irforge/ops/normalization.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/convert.hpp"
#include "irforge/reference/kernels/reduce.hpp"

namespace irforge::reference {

namespace detail::normalization_ops {

template <class T> double as_double(T x) { return static_cast<double>(static_cast<compute_t<T>>(x)); }

inline void batch_norm(kernel_context& ctx, double epsilon, const ops::detail::batch_norm_ports& p) {
  const shape& s = ctx.input_shape(p.data);
  if (s.size() < 2) ctx.fail("data must have rank 2 or more, got shape " + partial_shape(s).to_string());
  const auto channels = static_cast<std::size_t>(s[1]);
  std::size_t inner = 1;
  for (std::size_t i = 2; i < s.size(); ++i) inner *= static_cast<std::size_t>(s[i]);
  dispatch<types::floating>(ctx.input_type(p.data), [&]<class T>() {
    const auto x = ctx.in<T>(p.data);
    const auto gamma = ctx.in<T>(p.gamma), beta = ctx.in<T>(p.beta);
    const auto mean = ctx.in<T>(p.mean), variance = ctx.in<T>(p.variance);
    for (const auto* param : {&gamma, &beta, &mean, &variance})
      if (param->size() != channels) ctx.fail("a parameter's size differs from the channel count " + std::to_string(channels));
    auto out = ctx.out<T>(0);
    if (x.size() != out.size()) ctx.fail("output and input sizes differ");
    // y = x * scale + shift per channel would round differently; keep the specification's form.
    std::vector<double> inv_std(channels);
    for (std::size_t c = 0; c < channels; ++c) inv_std[c] = 1.0 / std::sqrt(as_double(variance[c]) + epsilon);
    const std::size_t outer = channels * inner == 0 ? 0 : x.size() / (channels * inner);
    std::size_t i = 0;
    for (std::size_t n = 0; n < outer; ++n)
      for (std::size_t c = 0; c < channels; ++c) {
        const double g = as_double(gamma[c]), b = as_double(beta[c]), m = as_double(mean[c]);
        for (std::size_t k = 0; k < inner; ++k, ++i)
          out[i] = numeric::convert_value<T>(g * (as_double(x[i]) - m) * inv_std[c] + b);
      }
  }, "BatchNormInference");
}

/// Sums of squares over a box of side `size` around each element along the
/// masked axes: a box sum is separable, so window sums along one axis after
/// another (with prefix sums) give it in O(elements * axes).
inline std::vector<double> box_sums(std::vector<double> v, const shape& s, const std::vector<bool>& mask,
                                    std::int64_t size) {
  const std::int64_t half = (size - 1) / 2;
  std::vector<double> prefix;
  for (std::size_t a = 0; a < s.size(); ++a) {
    if (!mask[a]) continue;
    std::size_t outer = 1, inner = 1;
    for (std::size_t i = 0; i < a; ++i) outer *= static_cast<std::size_t>(s[i]);
    for (std::size_t i = a + 1; i < s.size(); ++i) inner *= static_cast<std::size_t>(s[i]);
    const auto n = static_cast<std::int64_t>(s[a]);
    prefix.assign(static_cast<std::size_t>(n) + 1, 0.0);
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 0; k < inner; ++k) {
        const std::size_t base = o * static_cast<std::size_t>(n) * inner + k;
        auto at = [&](std::int64_t j) -> double& { return v[base + static_cast<std::size_t>(j) * inner]; };
        for (std::int64_t j = 0; j < n; ++j) prefix[static_cast<std::size_t>(j) + 1] = prefix[static_cast<std::size_t>(j)] + at(j);
        for (std::int64_t j = 0; j < n; ++j) {
          const std::int64_t lo = std::max<std::int64_t>(0, j - half), hi = std::min<std::int64_t>(n, j + half + 1);
          at(j) = prefix[static_cast<std::size_t>(hi)] - prefix[static_cast<std::size_t>(lo)];
        }
      }
  }
  return v;
}

} // namespace detail::normalization_ops

template <> struct kernel<ops::BatchNormInference> {
  static void run(const ops::BatchNormInference& op, kernel_context& ctx) {
    detail::normalization_ops::batch_norm(ctx, op.epsilon, {0, 1, 2, 3, 4});
  }
};

template <> struct kernel<ops::v1::BatchNormInference> {
  static void run(const ops::v1::BatchNormInference& op, kernel_context& ctx) {
    detail::normalization_ops::batch_norm(ctx, op.epsilon, {2, 0, 1, 3, 4});
  }
};

template <> struct kernel<ops::LRN> {
  static void run(const ops::LRN& op, kernel_context& ctx) {
    if (op.size < 1) ctx.fail("attribute 'size' must be 1 or more, got " + std::to_string(op.size));
    const shape& s = ctx.input_shape(0);
    const auto mask = detail::reduce_ops::axes_mask(ctx, 1, s.size());
    const auto axis_count = static_cast<double>(std::count(mask.begin(), mask.end(), true)); // repeats count once
    const double scale = op.alpha / std::pow(static_cast<double>(op.size), axis_count);
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      const auto x = ctx.in<T>(0);
      auto out = ctx.out<T>(0);
      if (x.size() != out.size()) ctx.fail("output and input sizes differ");
      std::vector<double> squares(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double v = detail::normalization_ops::as_double(x[i]);
        squares[i] = v * v;
      }
      const auto sums = detail::normalization_ops::box_sums(std::move(squares), s, mask, op.size);
      for (std::size_t i = 0; i < x.size(); ++i)
        out[i] = detail::numeric::convert_value<T>(detail::normalization_ops::as_double(x[i]) /
                                                   std::pow(op.bias + scale * sums[i], op.beta));
    }, "LRN");
  }
};

template <> struct kernel<ops::MVN> {
  static void run(const ops::MVN& op, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    const shape& s = ctx.input_shape(0);
    const auto mask = axes_mask(ctx, 1, s.size());
    const shape kept = kept_shape(s, mask);
    const std::uint64_t count = group_size(s, mask);
    const auto groups = static_cast<std::size_t>(element_count(kept));
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      const auto x = ctx.in<T>(0);
      auto out = ctx.out<T>(0);
      if (x.size() != out.size()) ctx.fail("output and input sizes differ");
      std::vector<double> mean(groups, 0.0);
      for_each_in_groups(s, kept, [&](std::size_t g, std::size_t i) { mean[g] += detail::normalization_ops::as_double(x[i]); });
      if (count == 0) return; // no elements: nothing to write
      for (auto& m : mean) m /= static_cast<double>(count);
      std::vector<double> divisor(groups, 1.0);
      if (op.normalize_variance) {
        std::vector<double> variance(groups, 0.0);
        for_each_in_groups(s, kept, [&](std::size_t g, std::size_t i) {
          const double d = detail::normalization_ops::as_double(x[i]) - mean[g];
          variance[g] += d * d;
        });
        const double eps = op.eps;
        for (std::size_t g = 0; g < groups; ++g) {
          const double v = variance[g] / static_cast<double>(count);
          divisor[g] = op.eps_mode == ops::mvn_eps_mode::inside_sqrt ? std::sqrt(v + eps) : std::sqrt(v) + eps;
        }
      }
      for_each_in_groups(s, kept, [&](std::size_t g, std::size_t i) {
        out[i] = detail::numeric::convert_value<T>((detail::normalization_ops::as_double(x[i]) - mean[g]) / divisor[g]);
      });
    }, "MVN");
  }
};

template <> struct kernel<ops::NormalizeL2> {
  static void run(const ops::NormalizeL2& op, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    const shape& s = ctx.input_shape(0);
    const auto mask = axes_mask(ctx, 1, s.size());
    const bool no_axes = std::find(mask.begin(), mask.end(), true) == mask.end();
    const shape kept = kept_shape(s, mask);
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      const auto x = ctx.in<T>(0);
      auto out = ctx.out<T>(0);
      if (x.size() != out.size()) ctx.fail("output and input sizes differ");
      if (no_axes) { // each element divided by itself
        for (std::size_t i = 0; i < x.size(); ++i) {
          const double v = detail::normalization_ops::as_double(x[i]);
          out[i] = detail::numeric::convert_value<T>(v == 0 ? 0.0 : (std::isnan(v) ? v : 1.0));
        }
        return;
      }
      std::vector<double> norm(static_cast<std::size_t>(element_count(kept)), 0.0);
      for_each_in_groups(s, kept, [&](std::size_t g, std::size_t i) {
        const double v = detail::normalization_ops::as_double(x[i]);
        norm[g] += v * v;
      });
      const double eps = op.eps;
      for (auto& n : norm) n = std::sqrt(op.eps_mode == ops::eps_mode::add ? n + eps : std::max(n, eps));
      for_each_in_groups(s, kept, [&](std::size_t g, std::size_t i) {
        out[i] = detail::numeric::convert_value<T>(detail::normalization_ops::as_double(x[i]) / norm[g]);
      });
    }, "NormalizeL2");
  }
};

} // namespace irforge::reference
