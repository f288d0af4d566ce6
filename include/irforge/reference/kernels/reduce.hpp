// irforge — reference kernels of the reductions: ReduceSum, ReduceMean,
// ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogicalAnd,
// ReduceLogicalOr; and the axis helpers the normalization kernels share.
//
// Axes (input 1) may be negative, repeated or empty: with no axes each output
// element reduces the one input element at its place (so ReduceL1/L2 give |x|).
// Floating-point values accumulate in double. Integers wrap modulo 2^N like
// the type's own arithmetic; ReduceMean divides with truncation, ReduceL2 sums
// squares in double and truncates the root (OpenVINO's reference does both).
// Over an empty set: Sum/L1/L2 give 0, Prod 1, Max -inf (the lowest integer),
// Min +inf (the largest integer), Mean NaN (0 for integers), And true, Or false.
// NaN propagates through Max and Min (NumPy's rule).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/convert.hpp"

namespace irforge::reference {

namespace detail::reduce_ops {

/// The axes named by integer input `input` as a mask over the `rank` dimensions
/// of input 0; an axis outside [-rank, rank) is an error.
inline std::vector<bool> axes_mask(const kernel_context& ctx, std::size_t input, std::size_t rank) {
  const auto axes = ctx.ints(input);
  const auto r = static_cast<std::int64_t>(rank);
  std::vector<bool> mask(rank, false);
  for (const std::int64_t a : axes) {
    if (a < -r || a >= r)
      ctx.fail("axis " + std::to_string(a) + " is out of range for data shape " +
               partial_shape(ctx.input_shape(0)).to_string() + " (axes " + attr::format(axes) + ")");
    mask[static_cast<std::size_t>(a < 0 ? a + r : a)] = true;
  }
  return mask;
}

/// The shape `s` with the masked dimensions set to 1 (the keep_dims shape of the reduction).
inline shape kept_shape(const shape& s, const std::vector<bool>& mask) {
  shape k = s;
  for (std::size_t i = 0; i < k.size(); ++i)
    if (mask[i]) k[i] = 1;
  return k;
}

/// How many input elements each output element reduces.
inline std::uint64_t group_size(const shape& s, const std::vector<bool>& mask) {
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (mask[i]) n *= static_cast<std::uint64_t>(s[i]);
  return n;
}

/// Calls step(group, element) for every input element, with the index of its
/// group in the kept shape (groups are ordered as the reduced output is).
template <class Step> void for_each_in_groups(const shape& in, const shape& kept, Step&& step) {
  for_each_broadcast<1>(in, {kept}, [&](std::int64_t i, const std::array<std::int64_t, 1>& off) {
    step(static_cast<std::size_t>(off[0]), static_cast<std::size_t>(i));
  });
}

/// out[g] = finish(fold of step over group g starting at init, group size).
template <class T, class Acc, class Step, class Finish>
void reduce(kernel_context& ctx, Acc init, Step&& step, Finish&& finish) {
  const shape& in_shape = ctx.input_shape(0);
  const auto mask = axes_mask(ctx, 1, in_shape.size());
  const shape kept = kept_shape(in_shape, mask);
  const auto in = ctx.in<T>(0);
  auto out = ctx.out<T>(0);
  if (element_count(kept) != out.size()) ctx.fail("output shape does not match the reduced input shape");
  const std::uint64_t count = group_size(in_shape, mask);
  std::vector<Acc> acc(out.size(), init);
  for_each_in_groups(in_shape, kept, [&](std::size_t g, std::size_t i) { step(acc[g], in[i]); });
  for (std::size_t g = 0; g < out.size(); ++g) out[g] = finish(acc[g], count);
}

/// A double accumulator back to storage type T (f32 overflow gives inf, not UB).
template <class T> T from_double(double v) { return numeric::convert_value<T>(v); }

template <class T> double as_double(T x) { return static_cast<double>(static_cast<compute_t<T>>(x)); }

template <class T> T wrapping_abs(T x) {
  if constexpr (std::is_signed_v<T>) return x < 0 ? numeric::wrapping_neg(x) : x;
  else return x;
}

} // namespace detail::reduce_ops

template <> struct kernel<ops::ReduceSum> {
  static void run(const ops::ReduceSum&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      if constexpr (is_floating_v<T>)
        reduce<T>(ctx, 0.0, [](double& a, T x) { a += as_double(x); }, [](double a, std::uint64_t) { return from_double<T>(a); });
      else
        reduce<T>(ctx, T(0), [](T& a, T x) { a = detail::numeric::wrapping_add(a, x); }, [](T a, std::uint64_t) { return a; });
    }, "ReduceSum");
  }
};

template <> struct kernel<ops::ReduceMean> {
  static void run(const ops::ReduceMean&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      if constexpr (is_floating_v<T>) {
        reduce<T>(ctx, 0.0, [](double& a, T x) { a += as_double(x); }, [](double a, std::uint64_t n) {
          return from_double<T>(n == 0 ? std::numeric_limits<double>::quiet_NaN() : a / static_cast<double>(n));
        });
      } else {
        // The sum in 64 bits (wrapping), divided with truncation.
        using W = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
        reduce<T>(ctx, W(0), [](W& a, T x) { a = detail::numeric::wrapping_add(a, static_cast<W>(x)); },
                  [](W a, std::uint64_t n) { return n == 0 ? T(0) : static_cast<T>(a / static_cast<W>(n)); });
      }
    }, "ReduceMean");
  }
};

template <> struct kernel<ops::ReduceMax> {
  static void run(const ops::ReduceMax&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      if constexpr (is_floating_v<T>)
        reduce<T>(ctx, -std::numeric_limits<double>::infinity(), [](double& a, T x) {
          const double v = as_double(x);
          if (std::isnan(v) || v > a) a = v;
        }, [](double a, std::uint64_t) { return from_double<T>(a); });
      else
        reduce<T>(ctx, std::numeric_limits<T>::lowest(), [](T& a, T x) { if (x > a) a = x; },
                  [](T a, std::uint64_t) { return a; });
    }, "ReduceMax");
  }
};

template <> struct kernel<ops::ReduceMin> {
  static void run(const ops::ReduceMin&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      if constexpr (is_floating_v<T>)
        reduce<T>(ctx, std::numeric_limits<double>::infinity(), [](double& a, T x) {
          const double v = as_double(x);
          if (std::isnan(v) || v < a) a = v;
        }, [](double a, std::uint64_t) { return from_double<T>(a); });
      else
        reduce<T>(ctx, std::numeric_limits<T>::max(), [](T& a, T x) { if (x < a) a = x; },
                  [](T a, std::uint64_t) { return a; });
    }, "ReduceMin");
  }
};

template <> struct kernel<ops::ReduceProd> {
  static void run(const ops::ReduceProd&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      if constexpr (is_floating_v<T>)
        reduce<T>(ctx, 1.0, [](double& a, T x) { a *= as_double(x); }, [](double a, std::uint64_t) { return from_double<T>(a); });
      else
        reduce<T>(ctx, T(1), [](T& a, T x) { a = detail::numeric::wrapping_mul(a, x); }, [](T a, std::uint64_t) { return a; });
    }, "ReduceProd");
  }
};

template <> struct kernel<ops::ReduceL1> {
  static void run(const ops::ReduceL1&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      if constexpr (is_floating_v<T>)
        reduce<T>(ctx, 0.0, [](double& a, T x) { a += std::fabs(as_double(x)); },
                  [](double a, std::uint64_t) { return from_double<T>(a); });
      else
        reduce<T>(ctx, T(0), [](T& a, T x) { a = detail::numeric::wrapping_add(a, wrapping_abs(x)); },
                  [](T a, std::uint64_t) { return a; });
    }, "ReduceL1");
  }
};

template <> struct kernel<ops::ReduceL2> {
  static void run(const ops::ReduceL2&, kernel_context& ctx) {
    using namespace detail::reduce_ops;
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      reduce<T>(ctx, 0.0, [](double& a, T x) {
        const double v = as_double(x);
        a += v * v;
      }, [](double a, std::uint64_t) {
        if constexpr (is_floating_v<T>) return from_double<T>(std::sqrt(a));
        else return detail::numeric::saturating_trunc<T>(std::sqrt(a));
      });
    }, "ReduceL2");
  }
};

template <> struct kernel<ops::ReduceLogicalAnd> {
  static void run(const ops::ReduceLogicalAnd&, kernel_context& ctx) {
    dispatch<types::boolean_type>(ctx.input_type(0), [&]<class T>() {
      // std::uint8_t, not bool: the accumulators live in a std::vector
      detail::reduce_ops::reduce<T>(ctx, std::uint8_t{1}, [](std::uint8_t& a, T x) { a = a && static_cast<bool>(x); },
                                    [](std::uint8_t a, std::uint64_t) { return T(a != 0); });
    }, "ReduceLogicalAnd");
  }
};

template <> struct kernel<ops::ReduceLogicalOr> {
  static void run(const ops::ReduceLogicalOr&, kernel_context& ctx) {
    dispatch<types::boolean_type>(ctx.input_type(0), [&]<class T>() {
      detail::reduce_ops::reduce<T>(ctx, std::uint8_t{0}, [](std::uint8_t& a, T x) { a = a || static_cast<bool>(x); },
                                    [](std::uint8_t a, std::uint64_t) { return T(a != 0); });
    }, "ReduceLogicalOr");
  }
};

} // namespace irforge::reference
