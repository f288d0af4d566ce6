// irforge — reference kernels of the index and sequence ops: TopK (v1, v3,
// v11), Range-4, OneHot-1 and NonZero-3.
//
// TopK orders each slice by value (descending for max, ascending for min),
// equal values by index, so the result is always the stable one; NaN counts
// as larger than every number. sort=index then reorders the k chosen by
// index; sort=none keeps them in value order (any order is allowed).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/ops/non_zero.hpp"
#include "irforge/ops/one_hot.hpp"
#include "irforge/ops/range.hpp"
#include "irforge/ops/topk.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::indices {

using movement::product;
using movement::to_size;

/// a > b with NaN above every number (a strict weak order, unlike >).
template <class C> bool greater(C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(a)) return !std::isnan(b);
    if (std::isnan(b)) return false;
  }
  return a > b;
}

template <class T, class I>
void topk_typed(kernel_context& ctx, std::size_t axis, ops::topk_mode mode, ops::topk_sort_type sort) {
  using C = compute_t<T>;
  const shape& in = ctx.input_shape(0);
  const std::int64_t outer = product(in, 0, axis), n = in[axis], inner = product(in, axis + 1, in.size());
  const std::int64_t k = ctx.output_shape(0)[axis];
  if (k < 0 || k > n) ctx.fail("k = " + std::to_string(k) + " is out of range for an axis of size " + std::to_string(n));
  const auto data = ctx.in<T>(0);
  auto values = ctx.out<T>(0);
  auto indices = ctx.out<I>(1);
  if (k == 0 || values.empty()) return;
  std::vector<C> slice(to_size(n));
  std::vector<std::int64_t> order(to_size(n));
  const bool max = mode == ops::topk_mode::max;
  auto before = [&](std::int64_t a, std::int64_t b) { // a comes first
    const C va = slice[to_size(a)], vb = slice[to_size(b)];
    if (max ? greater(va, vb) : greater(vb, va)) return true;
    if (max ? greater(vb, va) : greater(va, vb)) return false;
    return a < b;
  };
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::int64_t r = 0; r < inner; ++r) {
      const std::int64_t base = o * n * inner + r;
      for (std::int64_t j = 0; j < n; ++j) {
        slice[to_size(j)] = static_cast<C>(data[to_size(base + j * inner)]);
        order[to_size(j)] = j;
      }
      std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      if (sort == ops::topk_sort_type::index) std::sort(order.begin(), order.begin() + k);
      const std::int64_t out_base = o * k * inner + r;
      for (std::int64_t j = 0; j < k; ++j) {
        const std::int64_t src = order[to_size(j)];
        values[to_size(out_base + j * inner)] = data[to_size(base + src * inner)];
        indices[to_size(out_base + j * inner)] = static_cast<I>(src);
      }
    }
}

inline void topk(kernel_context& ctx, std::int64_t axis, ops::topk_mode mode, ops::topk_sort_type sort) {
  const std::size_t a = movement::axis_of(ctx, axis, ctx.input_shape(0).size());
  const element_type index_type = ctx.output(1).type();
  if (index_type != element_type::i32 && index_type != element_type::i64) ctx.fail("indices must be i32 or i64");
  dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() {
    if (index_type == element_type::i32) topk_typed<T, std::int32_t>(ctx, a, mode, sort);
    else topk_typed<T, std::int64_t>(ctx, a, mode, sort);
  }, "TopK");
}

} // namespace detail::indices

template <> struct kernel<ops::TopK> {
  static void run(const ops::TopK& op, kernel_context& ctx) { detail::indices::topk(ctx, op.axis, op.mode, op.sort); }
};
template <> struct kernel<ops::v3::TopK> {
  static void run(const ops::v3::TopK& op, kernel_context& ctx) { detail::indices::topk(ctx, op.axis, op.mode, op.sort); }
};
template <> struct kernel<ops::v1::TopK> {
  static void run(const ops::v1::TopK& op, kernel_context& ctx) { detail::indices::topk(ctx, op.axis, op.mode, op.sort); }
};

/// Range: out[i] = start + i * step. Integer outputs use the truncated
/// start and step in 64-bit arithmetic (an error when that overflows); float
/// outputs compute in their own precision (float for f16/bf16), as OpenVINO does.
template <> struct kernel<ops::Range> {
  static void run(const ops::Range&, kernel_context& ctx) {
    const element_type type = ctx.output(0).type();
    auto read = [&](std::size_t i) {
      if (ctx.input(i).element_count() != 1) ctx.fail("input " + std::to_string(i) + " must be a scalar");
      return ctx.input(i).as_f64()[0];
    };
    dispatch<types::numeric>(type, [&]<class T>() {
      auto out = ctx.out<T>(0);
      if (out.empty()) return;
      if constexpr (std::is_integral_v<T>) {
        auto exact = [&](std::size_t i) -> std::int64_t {
          if (is_integral(ctx.input_type(i))) return ctx.ints(i).at(0);
          const double v = std::trunc(read(i));
          if (!(v >= -9.2e18 && v <= 9.2e18)) ctx.fail("input " + std::to_string(i) + " does not fit 64-bit integers");
          return static_cast<std::int64_t>(v);
        };
        const std::int64_t start = exact(0), step = exact(2);
        std::int64_t v = start;
        for (std::size_t i = 0; i < out.size(); ++i) {
          out[i] = static_cast<T>(v);
          if (i + 1 < out.size() && __builtin_add_overflow(v, step, &v)) ctx.fail("Range overflows 64-bit integers");
        }
      } else {
        using C = compute_t<T>;
        const C start = static_cast<C>(T(static_cast<C>(read(0)))), step = static_cast<C>(T(static_cast<C>(read(2))));
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = T(start + static_cast<C>(i) * step);
      }
    }, "Range");
  }
};

/// OneHot: output [outer, depth, inner] around the new axis; on_value where
/// the index equals the position, off_value elsewhere. Indices outside
/// [0, depth), negative ones included, select nothing (OneHot-1 behaves as
/// OneHot-16's default negative_indices_mode "ignore-negative").
template <> struct kernel<ops::OneHot> {
  static void run(const ops::OneHot& op, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& ind = ctx.input_shape(0);
    const auto rank = static_cast<std::int64_t>(ind.size());
    if (op.axis < -rank - 1 || op.axis > rank) ctx.fail("axis " + std::to_string(op.axis) + " is out of range");
    const std::size_t axis = to_size(op.axis < 0 ? op.axis + rank + 1 : op.axis);
    const std::int64_t depth = ctx.output_shape(0)[axis];
    const std::int64_t inner = product(ind, axis, ind.size());
    const auto idx = ctx.ints(0);
    if (ctx.input_type(2) != ctx.output(0).type() || ctx.input_type(3) != ctx.output(0).type())
      ctx.fail("on_value and off_value must have the output type");
    by_size(ctx, ctx.output(0).type(), [&]<class U>() {
      const auto on = ctx.in<U>(2), off = ctx.in<U>(3);
      if (on.size() != 1 || off.size() != 1) ctx.fail("on_value and off_value must be scalars");
      auto out = ctx.out<U>(0);
      std::fill(out.begin(), out.end(), off[0]);
      for (std::size_t i = 0; i < idx.size(); ++i) {
        const std::int64_t k = idx[i];
        if (k < 0 || k >= depth) continue;
        const std::int64_t o = static_cast<std::int64_t>(i) / inner, r = static_cast<std::int64_t>(i) % inner;
        out[to_size((o * depth + k) * inner + r)] = on[0];
      }
    });
  }
};

/// NonZero: the coordinates of the non-zero elements in row-major order, as
/// [rank, count] (a non-zero scalar gives [1, 1] holding 0, a zero one [0, 0],
/// as the op's infer says). The count is known only now, so the output is
/// replaced by one of the right size.
template <> struct kernel<ops::NonZero> {
  static void run(const ops::NonZero&, kernel_context& ctx) {
    using detail::movement::to_size;
    const shape& in = ctx.input_shape(0);
    const element_type out_type = ctx.output(0).type();
    if (out_type != element_type::i32 && out_type != element_type::i64) ctx.fail("output type must be i32 or i64");
    std::vector<std::int64_t> found; // flat positions of the non-zeros
    dispatch<types::all>(ctx.input_type(0), [&]<class T>() {
      const auto data = ctx.in<T>(0);
      for (std::size_t i = 0; i < data.size(); ++i)
        if (static_cast<compute_t<T>>(data[i]) != compute_t<T>{}) found.push_back(static_cast<std::int64_t>(i));
    }, "NonZero");
    const auto count = static_cast<std::int64_t>(found.size());
    const auto rank = static_cast<std::int64_t>(in.size());
    const shape out_shape = rank == 0 ? shape{count, count} : shape{rank, count};
    tensor out = tensor::allocate(out_type, out_shape);
    auto write = [&]<class I>() {
      I* o = reinterpret_cast<I*>(out.mutable_bytes().data());
      if (rank == 0) return; // the single index is 0 (already)
      for (std::int64_t j = 0; j < count; ++j) {
        std::int64_t flat = found[to_size(j)];
        for (std::int64_t r = rank - 1; r >= 0; --r) {
          const std::int64_t extent = in[to_size(r)];
          o[to_size(r * count + j)] = static_cast<I>(flat % extent);
          flat /= extent;
        }
      }
    };
    if (out_type == element_type::i32) {
      for (std::int64_t d : in)
        if (d > std::numeric_limits<std::int32_t>::max()) ctx.fail("coordinates do not fit the output type i32");
      write.template operator()<std::int32_t>();
    } else {
      write.template operator()<std::int64_t>();
    }
    ctx.set_output(0, std::move(out));
  }
};

} // namespace irforge::reference
