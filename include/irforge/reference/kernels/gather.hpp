// irforge — reference kernels of Gather (v1, v7, v8), GatherElements-6 and
// GatherND-8.
//
// Index rules: Gather-8 counts negative indices from the end of the axis and
// gives zeros for indices outside [-n, n) (its specification, example 7);
// Gather-1/7 accept [0, n) only. GatherElements and GatherND accept [-n, n)
// (as ONNX does). Any other index is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/ops/gather.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::movement {

/// Index k into an axis of size n, negative counting from the end; -1 when out of range.
inline std::int64_t wrap_index(std::int64_t k, std::int64_t n, bool negative) {
  if (negative && k < 0) k += n;
  return k >= 0 && k < n ? k : -1;
}

[[noreturn]] inline void index_out_of_range(const kernel_context& ctx, std::int64_t k, std::int64_t n,
                                            std::string_view axis) {
  ctx.fail("index " + std::to_string(k) + " is out of range for " + std::string(axis) + " of size " + std::to_string(n));
}

/// Gather: data viewed as [batch, outer, n, inner], indices as [batch, m];
/// the output is [batch, outer, m, inner].
inline void gather(kernel_context& ctx, std::int64_t batch_dims, bool v8) {
  const shape& data = ctx.input_shape(0);
  const shape& ind = ctx.input_shape(1);
  const std::size_t axis = axis_of(ctx, scalar_input(ctx, 2, "axis"), data.size());
  const std::int64_t b = batch_dims < 0 ? batch_dims + static_cast<std::int64_t>(ind.size()) : batch_dims;
  if (b < 0 || to_size(b) > axis || to_size(b) > ind.size()) ctx.fail("batch_dims " + std::to_string(batch_dims) + " is out of range");
  const std::size_t nb = to_size(b);
  for (std::size_t i = 0; i < nb; ++i)
    if (data[i] != ind[i]) ctx.fail("data and indices differ in batch axis " + std::to_string(i));
  const std::int64_t batch = product(data, 0, nb), outer = product(data, nb, axis), n = data[axis],
                     inner = product(data, axis + 1, data.size()), m = product(ind, nb, ind.size());
  const std::size_t es = element_bytes(ctx, ctx.input_type(0));
  if (ctx.output(0).element_count() != static_cast<std::uint64_t>(batch * outer * m * inner))
    ctx.fail("internal error: the gathered shape differs from the inferred one");
  if (ctx.output(0).element_count() == 0) return;
  const auto idx = ctx.ints(1);
  const std::size_t row = to_size(inner) * es;
  const std::byte* src = ctx.input(0).bytes().data();
  std::byte* dst = ctx.output(0).mutable_bytes().data(); // zero-filled: out-of-range rows of v8 stay zero
  for (std::int64_t bt = 0; bt < batch; ++bt)
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t j = 0; j < m; ++j) {
        const std::int64_t raw = idx[to_size(bt * m + j)];
        const std::int64_t k = wrap_index(raw, n, v8);
        if (k >= 0) {
          std::memcpy(dst + to_size((bt * outer + o) * m + j) * row, src + to_size((bt * outer + o) * n + k) * row, row);
        } else if (!v8) {
          index_out_of_range(ctx, raw, n, "the gather axis");
        }
      }
}

} // namespace detail::movement

template <> struct kernel<ops::Gather> {
  static void run(const ops::Gather& op, kernel_context& ctx) { detail::movement::gather(ctx, op.batch_dims, true); }
};
template <> struct kernel<ops::v7::Gather> {
  static void run(const ops::v7::Gather& op, kernel_context& ctx) { detail::movement::gather(ctx, op.batch_dims, false); }
};
template <> struct kernel<ops::v1::Gather> {
  static void run(const ops::v1::Gather&, kernel_context& ctx) { detail::movement::gather(ctx, 0, false); }
};

/// GatherElements: out[c] = data[c with c[axis] = indices[c]]; indices and
/// data agree on every other axis, so both are viewed as [outer, axis, inner].
template <> struct kernel<ops::GatherElements> {
  static void run(const ops::GatherElements& op, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& data = ctx.input_shape(0);
    const shape& ind = ctx.input_shape(1);
    const std::size_t axis = axis_of(ctx, op.axis, data.size());
    if (ind.size() != data.size()) ctx.fail("data and indices differ in rank");
    for (std::size_t d = 0; d < data.size(); ++d)
      if (d != axis && ind[d] != data[d]) ctx.fail("data and indices differ in axis " + std::to_string(d));
    const std::int64_t outer = product(data, 0, axis), n = data[axis], m = ind[axis],
                       inner = product(data, axis + 1, data.size());
    const auto idx = ctx.ints(1);
    by_size(ctx, ctx.input_type(0), [&]<class U>() {
      const auto src = ctx.in<U>(0);
      auto out = ctx.out<U>(0);
      if (out.size() != idx.size()) ctx.fail("internal error: the output differs from the indices in size");
      std::size_t i = 0;
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t j = 0; j < m; ++j)
          for (std::int64_t r = 0; r < inner; ++r, ++i) {
            const std::int64_t k = wrap_index(idx[i], n, true);
            if (k < 0) index_out_of_range(ctx, idx[i], n, "the gather axis");
            out[i] = src[to_size((o * n + k) * inner + r)];
          }
    });
  }
};

/// GatherND-8: each index tuple (the last indices axis, K long) picks a slice
/// data[batch..., i0, ..., iK-1, :] after the batch_dims shared axes.
template <> struct kernel<ops::GatherND> {
  static void run(const ops::GatherND& op, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& data = ctx.input_shape(0);
    const shape& ind = ctx.input_shape(1);
    if (op.batch_dims < 0 || ind.empty()) ctx.fail("batch_dims must be >= 0 and indices of rank >= 1");
    const std::size_t b = to_size(op.batch_dims), k = to_size(ind.back());
    if (b >= ind.size() || b + k > data.size()) ctx.fail("indices do not fit the data");
    for (std::size_t i = 0; i < b; ++i)
      if (data[i] != ind[i]) ctx.fail("data and indices differ in batch axis " + std::to_string(i));
    const std::int64_t batch = product(data, 0, b), tuples = product(ind, b, ind.size() - 1),
                       slice = product(data, b + k, data.size()), per_batch = product(data, b, data.size());
    const std::size_t es = element_bytes(ctx, ctx.input_type(0));
    if (ctx.output(0).element_count() != static_cast<std::uint64_t>(batch * tuples * slice))
      ctx.fail("internal error: the gathered shape differs from the inferred one");
    if (ctx.output(0).element_count() == 0) return;
    const auto st = strides_of(data);
    const auto idx = ctx.ints(1);
    const std::size_t row = to_size(slice) * es;
    const std::byte* src = ctx.input(0).bytes().data();
    std::byte* dst = ctx.output(0).mutable_bytes().data();
    std::size_t t = 0; // index tuple
    for (std::int64_t bt = 0; bt < batch; ++bt)
      for (std::int64_t j = 0; j < tuples; ++j, ++t) {
        std::int64_t off = bt * per_batch;
        for (std::size_t q = 0; q < k; ++q) {
          const std::int64_t raw = idx[t * k + q];
          const std::int64_t v = wrap_index(raw, data[b + q], true);
          if (v < 0) index_out_of_range(ctx, raw, data[b + q], "data axis " + std::to_string(b + q));
          off += v * st[b + q];
        }
        std::memcpy(dst + t * row, src + to_size(off) * es, row);
      }
  }
};

} // namespace irforge::reference
