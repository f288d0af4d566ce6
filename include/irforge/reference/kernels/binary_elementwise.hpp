// irforge — reference kernels of the binary elementwise ops (NumPy broadcasting).
#pragma once

#include <cmath>
#include <type_traits>

#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail {
/// out[i] = f(a, b) over broadcast operands; R is the output storage type.
template <class T, class R, class F> void binary_loop(kernel_context& ctx, ops::broadcast_type mode, F&& f) {
  if (mode == ops::broadcast_type::pdpd) ctx.fail("auto_broadcast pdpd is not supported by the reference kernels");
  const auto a = ctx.in<T>(0);
  const auto b = ctx.in<T>(1);
  auto out = ctx.out<R>(0);
  const shape& sa = ctx.input_shape(0);
  const shape& sb = ctx.input_shape(1);
  if (sa == sb) { // the common case, without index arithmetic
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<R>(f(a[i], b[i]));
    return;
  }
  for_each_broadcast<2>(ctx.output_shape(0), {sa, sb}, [&](std::int64_t i, const std::array<std::int64_t, 2>& off) {
    out[static_cast<std::size_t>(i)] =
        static_cast<R>(f(a[static_cast<std::size_t>(off[0])], b[static_cast<std::size_t>(off[1])]));
  });
}

/// Arithmetic: computed in compute_t<T> (float for f16/bf16), stored as T.
template <types allowed, class F> void arithmetic(kernel_context& ctx, ops::broadcast_type mode, F&& f) {
  dispatch<allowed>(ctx.input_type(0), [&]<class T>() {
    using C = compute_t<T>;
    binary_loop<T, T>(ctx, mode, [&](T x, T y) { return T(f(static_cast<C>(x), static_cast<C>(y))); });
  }, "this arithmetic op");
}

/// Comparisons: boolean output.
template <class F> void comparison(kernel_context& ctx, ops::broadcast_type mode, F&& f) {
  dispatch<types::all>(ctx.input_type(0), [&]<class T>() {
    using C = compute_t<T>;
    binary_loop<T, boolean>(ctx, mode, [&](T x, T y) { return boolean(f(static_cast<C>(x), static_cast<C>(y))); });
  }, "this comparison");
}

template <class F> void logical(kernel_context& ctx, ops::broadcast_type mode, F&& f) {
  binary_loop<boolean, boolean>(ctx, mode, [&](boolean x, boolean y) { return boolean(f(bool(x), bool(y))); });
}

template <class C> C integer_power(C base, C exp) {
  if constexpr (std::is_signed_v<C>)
    if (exp < 0) return base == 1 ? 1 : (base == -1 ? ((exp % 2) ? -1 : 1) : 0);
  C result = 1;
  while (exp > 0) {
    if (exp & 1) result = static_cast<C>(result * base);
    base = static_cast<C>(base * base);
    exp = static_cast<C>(exp >> 1);
  }
  return result;
}
} // namespace detail

#define IRFORGE_ARITHMETIC_KERNEL(Op, Allowed, Expr)                                                                   \
  template <> struct kernel<ops::Op> {                                                                                 \
    static void run(const ops::Op& op, kernel_context& ctx) {                                                          \
      detail::arithmetic<Allowed>(ctx, op.auto_broadcast, [](auto a, auto b) { return Expr; });                      \
    }                                                                                                                  \
  }

IRFORGE_ARITHMETIC_KERNEL(Add, types::numeric, a + b);
IRFORGE_ARITHMETIC_KERNEL(Subtract, types::numeric, a - b);
IRFORGE_ARITHMETIC_KERNEL(Multiply, types::numeric, a * b);
IRFORGE_ARITHMETIC_KERNEL(Maximum, types::numeric, a < b ? b : a);
IRFORGE_ARITHMETIC_KERNEL(Minimum, types::numeric, b < a ? b : a);
IRFORGE_ARITHMETIC_KERNEL(SquaredDifference, types::numeric, (a - b) * (a - b));
#undef IRFORGE_ARITHMETIC_KERNEL

template <> struct kernel<ops::Divide> {
  static void run(const ops::Divide& op, kernel_context& ctx) {
    detail::arithmetic<types::numeric>(ctx, op.auto_broadcast, [&](auto a, auto b) {
      using C = decltype(a);
      if constexpr (std::is_integral_v<C>) {
        if (b == 0) ctx.fail("integer division by zero");
        C q = static_cast<C>(a / b);
        if constexpr (std::is_signed_v<C>)
          if (op.m_pythondiv && (a % b != 0) && ((a < 0) != (b < 0))) --q; // round towards -inf
        return q;
      } else {
        return static_cast<C>(a / b);
      }
    });
  }
};

template <> struct kernel<ops::Power> {
  static void run(const ops::Power& op, kernel_context& ctx) {
    detail::arithmetic<types::numeric>(ctx, op.auto_broadcast, [](auto a, auto b) {
      using C = decltype(a);
      if constexpr (std::is_integral_v<C>) return detail::integer_power<C>(a, b);
      else return static_cast<C>(std::pow(a, b));
    });
  }
};

/// FloorMod: the remainder has the sign of the divisor (Python's %).
template <> struct kernel<ops::FloorMod> {
  static void run(const ops::FloorMod& op, kernel_context& ctx) {
    detail::arithmetic<types::numeric>(ctx, op.auto_broadcast, [&](auto a, auto b) {
      using C = decltype(a);
      if constexpr (std::is_integral_v<C>) {
        if (b == 0) ctx.fail("integer modulo by zero");
        C r = static_cast<C>(a % b);
        if constexpr (std::is_signed_v<C>)
          if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<C>(r + b);
        return r;
      } else {
        C r = std::fmod(a, b);
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        return r;
      }
    });
  }
};

/// Mod: the remainder has the sign of the dividend (C's fmod / %).
template <> struct kernel<ops::Mod> {
  static void run(const ops::Mod& op, kernel_context& ctx) {
    detail::arithmetic<types::numeric>(ctx, op.auto_broadcast, [&](auto a, auto b) {
      using C = decltype(a);
      if constexpr (std::is_integral_v<C>) {
        if (b == 0) ctx.fail("integer modulo by zero");
        return static_cast<C>(a % b);
      } else {
        return static_cast<C>(std::fmod(a, b));
      }
    });
  }
};

#define IRFORGE_COMPARISON_KERNEL(Op, Expr)                                                                            \
  template <> struct kernel<ops::Op> {                                                                                 \
    static void run(const ops::Op& op, kernel_context& ctx) {                                                          \
      detail::comparison(ctx, op.auto_broadcast, [](auto a, auto b) { return Expr; });                               \
    }                                                                                                                  \
  }
IRFORGE_COMPARISON_KERNEL(Equal, a == b);
IRFORGE_COMPARISON_KERNEL(NotEqual, a != b);
IRFORGE_COMPARISON_KERNEL(Greater, a > b);
IRFORGE_COMPARISON_KERNEL(GreaterEqual, a >= b);
IRFORGE_COMPARISON_KERNEL(Less, a < b);
IRFORGE_COMPARISON_KERNEL(LessEqual, a <= b);
#undef IRFORGE_COMPARISON_KERNEL

#define IRFORGE_LOGICAL_KERNEL(Op, Expr)                                                                               \
  template <> struct kernel<ops::Op> {                                                                                 \
    static void run(const ops::Op& op, kernel_context& ctx) {                                                          \
      detail::logical(ctx, op.auto_broadcast, [](bool a, bool b) { return Expr; });                                  \
    }                                                                                                                  \
  }
IRFORGE_LOGICAL_KERNEL(LogicalAnd, a && b);
IRFORGE_LOGICAL_KERNEL(LogicalOr, a || b);
IRFORGE_LOGICAL_KERNEL(LogicalXor, a != b);
#undef IRFORGE_LOGICAL_KERNEL

} // namespace irforge::reference
