// irforge — reference kernel of CumSum-3: running sums along an axis.
//
// The axis is input 1 (a scalar or one-element tensor, default 0, negative
// counts from the back). `exclusive` leaves the current element out of its sum;
// `reverse` sums from the end. Floating-point sums run in double; integer sums
// wrap modulo 2^N like the type's own arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "irforge/ops/cumsum.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/convert.hpp"

namespace irforge::reference {

template <> struct kernel<ops::CumSum> {
  static void run(const ops::CumSum& op, kernel_context& ctx) {
    const shape& s = ctx.input_shape(0);
    const auto rank = static_cast<std::int64_t>(s.size());
    std::int64_t axis = 0;
    if (ctx.input_count() > 1) {
      const auto v = ctx.ints(1);
      if (v.size() != 1) ctx.fail("input 1 (axis) must hold one value, it holds " + std::to_string(v.size()));
      axis = v[0];
    }
    if (axis < -rank || axis >= rank)
      ctx.fail("axis " + std::to_string(axis) + " is out of range for data shape " + partial_shape(s).to_string());
    const auto a = static_cast<std::size_t>(axis < 0 ? axis + rank : axis);
    std::size_t outer = 1, inner = 1; // the data as [outer, n, inner]
    for (std::size_t i = 0; i < a; ++i) outer *= static_cast<std::size_t>(s[i]);
    for (std::size_t i = a + 1; i < s.size(); ++i) inner *= static_cast<std::size_t>(s[i]);
    const auto n = static_cast<std::size_t>(s[a]);

    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
      using Acc = std::conditional_t<is_floating_v<T>, double, T>;
      const auto in = ctx.in<T>(0);
      auto out = ctx.out<T>(0);
      if (in.size() != out.size()) ctx.fail("output and input sizes differ");
      auto add = [](Acc acc, T x) {
        if constexpr (is_floating_v<T>) return acc + static_cast<double>(static_cast<compute_t<T>>(x));
        else return detail::numeric::wrapping_add(acc, x);
      };
      for (std::size_t o = 0; o < outer; ++o) {
        for (std::size_t k = 0; k < inner; ++k) {
          const std::size_t base = o * n * inner + k;
          Acc acc = 0;
          for (std::size_t j = 0; j < n; ++j) {
            const std::size_t i = base + (op.reverse ? n - 1 - j : j) * inner;
            if (op.exclusive) {
              out[i] = detail::numeric::convert_value<T>(acc);
              acc = add(acc, in[i]);
            } else {
              acc = add(acc, in[i]);
              out[i] = detail::numeric::convert_value<T>(acc);
            }
          }
        }
      }
    }, "CumSum");
  }
};

} // namespace irforge::reference
