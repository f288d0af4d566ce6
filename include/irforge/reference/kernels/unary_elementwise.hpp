// irforge — reference kernels of the attribute-less unary elementwise ops
// (ReLU, Sigmoid, Exp, Sin, ..., LogicalNot).
//
// Floating-point inputs are computed with <cmath> in compute_t<T> (float for
// f16/bf16) and NaN propagates. Integer inputs follow OpenVINO's reference
// implementations: the math is done in double and the result is rounded
// (halves away from zero) for Tanh, Sqrt, Erf, Cos, Tan, Atan, Sinh, Cosh,
// Asinh and Acosh, truncated for Sin, Asin, Acos and Log; Atanh gives the
// type's max/min for positive/negative inputs. A result outside the type's
// range saturates and NaN (e.g. Sqrt(-4)) gives 0, where C++ would be undefined.
// Abs and Negative of the most negative value wrap, as two's complement does.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "irforge/ops/unary_elementwise.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/convert.hpp"

namespace irforge::reference {

namespace detail::unary_ops {

/// out[i] = f(in[i]) computed in compute_t<T>, for storage type T.
template <class T, class F> void apply(kernel_context& ctx, F&& f) {
  using C = compute_t<T>;
  const auto in = ctx.in<T>(0);
  auto out = ctx.out<T>(0);
  if (in.size() != out.size()) ctx.fail("output and input sizes differ");
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = T(f(static_cast<C>(in[i])));
}

/// apply() for the element types in `allowed`; `f` is generic over compute types.
template <types allowed, class F> void map(kernel_context& ctx, F&& f, const char* what) {
  dispatch<allowed>(ctx.input_type(0), [&]<class T>() { apply<T>(ctx, f); }, what);
}

enum class int_rule { round, truncate };

/// A <cmath> function for every numeric type: floats directly, integers in
/// double, then rounded or truncated and saturated.
template <int_rule rule, class F> auto math(F f) {
  return [f](auto x) {
    using C = decltype(x);
    if constexpr (std::is_integral_v<C>) {
      const double v = f(static_cast<double>(x));
      return rule == int_rule::round ? numeric::saturating_round<C>(v) : numeric::saturating_trunc<C>(v);
    } else {
      return static_cast<C>(f(x));
    }
  };
}

/// log(1 + e^x) without overflow for large x.
template <class C> C softplus(C x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

} // namespace detail::unary_ops

#define IRFORGE_UNARY_KERNEL(Op, Allowed, ...)                                                                         \
  template <> struct kernel<ops::Op> {                                                                                 \
    static void run(const ops::Op&, kernel_context& ctx) {                                                             \
      detail::unary_ops::map<types::Allowed>(ctx, __VA_ARGS__, #Op);                                                   \
    }                                                                                                                  \
  }
#define IRFORGE_MATH_KERNEL(Op, Rule, fn)                                                                              \
  IRFORGE_UNARY_KERNEL(Op, numeric,                                                                                    \
                       detail::unary_ops::math<detail::unary_ops::int_rule::Rule>([](auto v) { return fn(v); }))

IRFORGE_MATH_KERNEL(Tanh, round, std::tanh);
IRFORGE_MATH_KERNEL(Sqrt, round, std::sqrt);
IRFORGE_MATH_KERNEL(Erf, round, std::erf);
IRFORGE_MATH_KERNEL(Cos, round, std::cos);
IRFORGE_MATH_KERNEL(Tan, round, std::tan);
IRFORGE_MATH_KERNEL(Atan, round, std::atan);
IRFORGE_MATH_KERNEL(Sinh, round, std::sinh);
IRFORGE_MATH_KERNEL(Cosh, round, std::cosh);
IRFORGE_MATH_KERNEL(Asinh, round, std::asinh);
IRFORGE_MATH_KERNEL(Acosh, round, std::acosh);
IRFORGE_MATH_KERNEL(Sin, truncate, std::sin);
IRFORGE_MATH_KERNEL(Asin, truncate, std::asin);
IRFORGE_MATH_KERNEL(Acos, truncate, std::acos);
IRFORGE_MATH_KERNEL(Log, truncate, std::log);
#undef IRFORGE_MATH_KERNEL

IRFORGE_UNARY_KERNEL(Atanh, numeric, [](auto x) {
  using C = decltype(x);
  if constexpr (std::is_unsigned_v<C>) // no infinities: the type's limits stand in for them
    return x > 0 ? std::numeric_limits<C>::max() : C(0);
  else if constexpr (std::is_integral_v<C>)
    return x > 0 ? std::numeric_limits<C>::max() : (x < 0 ? std::numeric_limits<C>::min() : C(0));
  else
    return std::atanh(x);
});

IRFORGE_UNARY_KERNEL(Relu, numeric, [](auto x) {
  using C = decltype(x);
  if constexpr (std::is_unsigned_v<C>) return x;
  else return x < C(0) ? C(0) : x; // NaN stays NaN
});

IRFORGE_UNARY_KERNEL(Abs, numeric, [](auto x) {
  using C = decltype(x);
  if constexpr (std::is_unsigned_v<C>) return x;
  else if constexpr (std::is_integral_v<C>) return x < 0 ? detail::numeric::wrapping_neg(x) : x;
  else return std::fabs(x);
});

IRFORGE_UNARY_KERNEL(Negative, numeric, [](auto x) {
  using C = decltype(x);
  if constexpr (std::is_integral_v<C>) return detail::numeric::wrapping_neg(x);
  else return -x;
});

IRFORGE_UNARY_KERNEL(Floor, numeric, [](auto x) {
  if constexpr (std::is_integral_v<decltype(x)>) return x;
  else return std::floor(x);
});

IRFORGE_UNARY_KERNEL(Ceiling, numeric, [](auto x) {
  if constexpr (std::is_integral_v<decltype(x)>) return x;
  else return std::ceil(x);
});

IRFORGE_UNARY_KERNEL(Sign, numeric, [](auto x) {
  using C = decltype(x);
  if constexpr (std::is_unsigned_v<C>) {
    return static_cast<C>(x != 0 ? 1 : 0);
  } else {
    if constexpr (!std::is_integral_v<C>)
      if (std::isnan(x)) return x;
    return static_cast<C>(static_cast<int>(C(0) < x) - static_cast<int>(x < C(0)));
  }
});

IRFORGE_UNARY_KERNEL(Sigmoid, floating, [](auto x) {
  using C = decltype(x);
  return C(1) / (C(1) + std::exp(-x));
});

IRFORGE_UNARY_KERNEL(Exp, floating, [](auto x) { return std::exp(x); });

IRFORGE_UNARY_KERNEL(SoftPlus, floating, [](auto x) { return detail::unary_ops::softplus(x); });

IRFORGE_UNARY_KERNEL(HSwish, floating, [](auto x) {
  using C = decltype(x);
  return x * std::min(std::max(x + C(3), C(0)), C(6)) / C(6);
});

IRFORGE_UNARY_KERNEL(HSigmoid, floating, [](auto x) {
  using C = decltype(x);
  return std::min(std::max(x + C(3), C(0)), C(6)) / C(6);
});

IRFORGE_UNARY_KERNEL(Mish, floating, [](auto x) { return x * std::tanh(detail::unary_ops::softplus(x)); });

IRFORGE_UNARY_KERNEL(SoftSign, floating, [](auto x) {
  using C = decltype(x);
  return x / (C(1) + std::fabs(x));
});

template <> struct kernel<ops::LogicalNot> {
  static void run(const ops::LogicalNot&, kernel_context& ctx) {
    dispatch<types::boolean_type>(ctx.input_type(0), [&]<class T>() {
      const auto in = ctx.in<T>(0);
      auto out = ctx.out<T>(0);
      if (in.size() != out.size()) ctx.fail("output and input sizes differ");
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = T(!static_cast<bool>(in[i]));
    }, "LogicalNot");
  }
};

#undef IRFORGE_UNARY_KERNEL

} // namespace irforge::reference
