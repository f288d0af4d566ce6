// irforge — reference kernels of the activations with attributes or parameter
// inputs: Elu, Clamp, Selu, HardSigmoid, PReLU, Gelu, Swish, Round.
//
// Floating-point math is done in compute_t<T> (float for f16/bf16); NaN propagates.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>
#include <type_traits>
#include <utility>

#include "irforge/ops/activations.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/convert.hpp"
#include "irforge/reference/kernels/unary_elementwise.hpp"

namespace irforge::reference {

namespace detail::activation_ops {

/// The single value of parameter input i (Selu's alpha, Swish's beta, ...) in compute_t<T>.
template <class T> compute_t<T> scalar_input(kernel_context& ctx, std::size_t i, const char* role) {
  const auto v = ctx.in<T>(i);
  if (v.size() != 1) ctx.fail(std::string("input ") + std::to_string(i) + " (" + role + ") must hold one element, it holds " +
                              std::to_string(v.size()));
  return static_cast<compute_t<T>>(v[0]);
}

/// Fails unless `from` broadcasts onto `onto` by NumPy rules (one way).
inline void require_broadcast_onto(const kernel_context& ctx, const shape& from, const shape& onto, const char* what) {
  bool ok = from.size() <= onto.size();
  for (std::size_t i = 1; ok && i <= from.size(); ++i) {
    const auto f = from[from.size() - i];
    ok = f == 1 || f == onto[onto.size() - i];
  }
  if (!ok) ctx.fail(std::string(what) + " shape " + partial_shape(from).to_string() + " does not broadcast onto " +
                    partial_shape(onto).to_string());
}

/// Round half to even without depending on the floating-point environment.
template <class C> C round_half_to_even(C x) {
  const C f = std::floor(x);
  const C diff = x - f;
  if (diff > C(0.5)) return f + C(1);
  if (diff < C(0.5)) return f;
  return std::fmod(f, C(2)) == C(0) ? f : f + C(1); // a tie (NaN and inf fall through unchanged)
}

} // namespace detail::activation_ops

/// Elu: x for x > 0, alpha * (e^x - 1) otherwise.
template <> struct kernel<ops::Elu> {
  static void run(const ops::Elu& op, kernel_context& ctx) {
    detail::unary_ops::map<types::floating>(ctx, [&](auto x) {
      using C = decltype(x);
      return x > C(0) ? x : static_cast<C>(op.alpha) * std::expm1(x);
    }, "Elu");
  }
};

/// Clamp: min(max(x, min), max). For integers min is rounded up and max down
/// (the specification's rule), then saturated to the type's range.
template <> struct kernel<ops::Clamp> {
  static void run(const ops::Clamp& op, kernel_context& ctx) {
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      using C = compute_t<T>;
      C lo, hi;
      if constexpr (std::is_integral_v<C>) {
        lo = detail::numeric::saturating_trunc<C>(std::ceil(op.min));
        hi = detail::numeric::saturating_trunc<C>(std::floor(op.max));
      } else {
        lo = static_cast<C>(op.min);
        hi = static_cast<C>(op.max);
      }
      detail::unary_ops::apply<T>(ctx, [&](C x) {
        const C y = x < lo ? lo : x;
        return y > hi ? hi : y;
      });
    }, "Clamp");
  }
};

/// Selu: lambda * x for x > 0, lambda * alpha * (e^x - 1) otherwise.
template <> struct kernel<ops::Selu> {
  static void run(const ops::Selu&, kernel_context& ctx) {
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      using C = compute_t<T>;
      const C alpha = detail::activation_ops::scalar_input<T>(ctx, 1, "alpha");
      const C lambda = detail::activation_ops::scalar_input<T>(ctx, 2, "lambda");
      detail::unary_ops::apply<T>(ctx, [&](C x) { return lambda * (x > C(0) ? x : alpha * std::expm1(x)); });
    }, "Selu");
  }
};

/// HardSigmoid: max(0, min(1, alpha * x + beta)).
template <> struct kernel<ops::HardSigmoid> {
  static void run(const ops::HardSigmoid&, kernel_context& ctx) {
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      using C = compute_t<T>;
      const C alpha = detail::activation_ops::scalar_input<T>(ctx, 1, "alpha");
      const C beta = detail::activation_ops::scalar_input<T>(ctx, 2, "beta");
      detail::unary_ops::apply<T>(ctx, [&](C x) {
        const C y = alpha * x + beta;
        return y > C(1) ? C(1) : (y < C(0) ? C(0) : y);
      });
    }, "HardSigmoid");
  }
};

/// PReLU: x for x >= 0, slope * x otherwise. A 1-D slope whose size equals
/// data's dimension 1 applies per channel; any other slope broadcasts onto
/// data by NumPy rules (the specification's rule, and OpenVINO's reference).
template <> struct kernel<ops::PRelu> {
  static void run(const ops::PRelu&, kernel_context& ctx) {
    const shape& data = ctx.input_shape(0);
    shape slope = ctx.input_shape(1);
    if (slope.size() == 1 && data.size() >= 2 && slope[0] == data[1]) { // per channel: [C] -> [1, C, 1, ...]
      shape per_channel(data.size(), 1);
      per_channel[1] = slope[0];
      slope = std::move(per_channel);
    }
    detail::activation_ops::require_broadcast_onto(ctx, slope, data, "slope");
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      using C = compute_t<T>;
      const auto x = ctx.in<T>(0);
      const auto s = ctx.in<T>(1);
      auto out = ctx.out<T>(0);
      if (x.size() != out.size()) ctx.fail("output and input sizes differ");
      auto prelu = [](C v, C a) { return v < C(0) ? a * v : v; };
      if (s.size() == 1) {
        const C a = static_cast<C>(s[0]);
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = T(prelu(static_cast<C>(x[i]), a));
        return;
      }
      for_each_broadcast<2>(data, {data, slope}, [&](std::int64_t i, const std::array<std::int64_t, 2>& off) {
        out[static_cast<std::size_t>(i)] = T(prelu(static_cast<C>(x[static_cast<std::size_t>(off[0])]),
                                                   static_cast<C>(s[static_cast<std::size_t>(off[1])])));
      });
    }, "PReLU");
  }
};

/// Gelu: x * Phi(x) with erf, or 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
template <> struct kernel<ops::Gelu> {
  static void run(const ops::Gelu& op, kernel_context& ctx) {
    if (op.approximation_mode == ops::gelu_approximation_mode::tanh) {
      detail::unary_ops::map<types::floating>(ctx, [](auto x) {
        using C = decltype(x);
        const C k = static_cast<C>(std::numbers::sqrt2 * std::numbers::inv_sqrtpi); // sqrt(2 / pi)
        return C(0.5) * x * (C(1) + std::tanh(k * (x + C(0.044715) * x * x * x)));
      }, "Gelu");
    } else {
      detail::unary_ops::map<types::floating>(ctx, [](auto x) {
        using C = decltype(x);
        return C(0.5) * x * (C(1) + std::erf(x * static_cast<C>(std::numbers::sqrt2 / 2) /* 1 / sqrt(2) */));
      }, "Gelu");
    }
  }
};

/// Swish: x * sigmoid(beta * x); beta (a scalar input) defaults to 1.
template <> struct kernel<ops::Swish> {
  static void run(const ops::Swish&, kernel_context& ctx) {
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      using C = compute_t<T>;
      const C beta = ctx.input_count() > 1 ? detail::activation_ops::scalar_input<T>(ctx, 1, "beta") : C(1);
      detail::unary_ops::apply<T>(ctx, [&](C x) { return x / (C(1) + std::exp(-beta * x)); });
    }, "Swish");
  }
};

/// Round: to the nearest integer, halves to even or away from zero; integers are unchanged.
template <> struct kernel<ops::Round> {
  static void run(const ops::Round& op, kernel_context& ctx) {
    const bool to_even = op.mode == ops::round_mode::half_to_even;
    detail::unary_ops::map<types::numeric>(ctx, [&](auto x) {
      if constexpr (std::is_integral_v<decltype(x)>) return x;
      else return to_even ? detail::activation_ops::round_half_to_even(x) : std::round(x);
    }, "Round");
  }
};

} // namespace irforge::reference
