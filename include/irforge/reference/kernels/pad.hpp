// irforge — reference kernels of Pad-1 and Pad-12.
//
// Output coordinate c on an axis reads data coordinate i = c - pads_begin,
// brought into [0, n) by the mode: constant (outside: the pad value), edge
// (clamped), reflect (mirrored without repeating the edge) or symmetric
// (mirrored with it). Negative pads (Pad-12) simply start or stop inside the
// data, so the mirror is taken about the original edges (the spec's mixed
// pads example).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/ops/pad.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::movement {

/// The data coordinate that output coordinate c reads, or -1 for the pad value.
inline std::int64_t pad_source(std::int64_t c, std::int64_t begin, std::int64_t n, ops::pad_mode mode) {
  std::int64_t i = c - begin;
  if (i >= 0 && i < n) return i;
  switch (mode) {
  case ops::pad_mode::constant: return -1;
  case ops::pad_mode::edge: return i < 0 ? 0 : n - 1;
  case ops::pad_mode::reflect: {
    if (n == 1) return 0;
    const std::int64_t period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
  }
  case ops::pad_mode::symmetric: {
    const std::int64_t period = 2 * n;
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - 1 - i;
  }
  }
  return -1;
}

inline void pad(kernel_context& ctx, ops::pad_mode mode) {
  const shape& in = ctx.input_shape(0);
  const shape& out = ctx.output_shape(0);
  const std::size_t rank = in.size();
  const auto begin = ctx.ints(1), end = ctx.ints(2);
  if (begin.size() != rank || end.size() != rank || out.size() != rank) ctx.fail("pads do not match the data rank");
  if (ctx.output(0).element_count() == 0) return;
  // Per axis: the source coordinate of every output coordinate.
  std::vector<std::vector<std::int64_t>> source(rank);
  for (std::size_t a = 0; a < rank; ++a) {
    if (out[a] != std::max<std::int64_t>(0, in[a] + begin[a] + end[a]))
      ctx.fail("internal error: padded axis " + std::to_string(a) + " differs from the inferred shape");
    if (in[a] == 0 && mode != ops::pad_mode::constant)
      ctx.fail("pad_mode " + attr::format(mode) + " cannot pad the empty axis " + std::to_string(a));
    source[a].resize(to_size(out[a]));
    for (std::int64_t c = 0; c < out[a]; ++c) source[a][to_size(c)] = pad_source(c, begin[a], in[a], mode);
  }
  const auto st = strides_of(in);
  by_size(ctx, ctx.input_type(0), [&]<class U>() {
    const auto src = ctx.in<U>(0);
    auto dst = ctx.out<U>(0);
    U fill{};
    if (mode == ops::pad_mode::constant && ctx.input_count() > 3) {
      const auto value = ctx.in<U>(3);
      if (value.size() != 1) ctx.fail("pad_value must hold one value");
      fill = value[0];
    }
    if (rank == 0) {
      dst[0] = src[0];
      return;
    }
    U* o = dst.data();
    // Walks the output row-major; `off` is the data offset of the axes so far.
    auto walk = [&](auto& self, std::size_t a, std::int64_t off, bool inside) -> void {
      const auto& m = source[a];
      const auto n = static_cast<std::int64_t>(m.size());
      if (a + 1 == rank) {
        if (!inside) {
          std::fill_n(o, n, fill);
        } else {
          for (std::int64_t c = 0; c < n; ++c) {
            const std::int64_t i = m[to_size(c)];
            o[c] = i < 0 ? fill : src[to_size(off + i)];
          }
        }
        o += n;
        return;
      }
      for (std::int64_t c = 0; c < n; ++c) {
        const std::int64_t i = m[to_size(c)];
        self(self, a + 1, inside && i >= 0 ? off + i * st[a] : 0, inside && i >= 0);
      }
    };
    walk(walk, 0, 0, true);
  });
}

} // namespace detail::movement

template <> struct kernel<ops::Pad> {
  static void run(const ops::Pad& op, kernel_context& ctx) { detail::movement::pad(ctx, op.pad_mode); }
};
template <> struct kernel<ops::v1::Pad> {
  static void run(const ops::v1::Pad& op, kernel_context& ctx) { detail::movement::pad(ctx, op.pad_mode); }
};

} // namespace irforge::reference
