// irforge — reference kernels of ScatterUpdate-3, ScatterElementsUpdate-3 and
// ScatterNDUpdate-3: a copy of the data with updates written at the indices.
//
// Indices in [-n, n) are accepted, negative ones counting from the end of
// the axis (as OpenVINO's reference implementations and ONNX do; the opset3
// texts only promise [0, n)); others are an error. Updates are written in
// order, so with repeated indices the last one wins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "irforge/ops/scatter.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/gather.hpp"
#include "irforge/reference/kernels/shape.hpp"

namespace irforge::reference {

namespace detail::movement {
/// Output 0 = a copy of input 0; returns the element size.
inline std::size_t copy_data(kernel_context& ctx) {
  const std::size_t es = element_bytes(ctx, ctx.input_type(0));
  if (ctx.input_type(2) != ctx.input_type(0) || ctx.output(0).type() != ctx.input_type(0) ||
      ctx.output_shape(0) != ctx.input_shape(0))
    ctx.fail("internal error: data, updates and output differ in type or shape");
  const auto src = ctx.input(0).bytes();
  if (!src.empty()) std::memcpy(ctx.output(0).mutable_bytes().data(), src.data(), src.size());
  return es;
}

inline std::int64_t checked_index(const kernel_context& ctx, std::int64_t raw, std::int64_t n, std::size_t axis) {
  const std::int64_t k = wrap_index(raw, n, true);
  if (k < 0) index_out_of_range(ctx, raw, n, "data axis " + std::to_string(axis));
  return k;
}
} // namespace detail::movement

/// ScatterUpdate: data viewed as [outer, n, inner], updates as [outer, m, inner]
/// (m = the number of indices): data[o, indices[j], :] = updates[o, j, :].
template <> struct kernel<ops::ScatterUpdate> {
  static void run(const ops::ScatterUpdate&, kernel_context& ctx) {
    using namespace detail::movement;
    const std::size_t es = copy_data(ctx);
    const shape& data = ctx.input_shape(0);
    const std::size_t axis = axis_of(ctx, scalar_input(ctx, 3, "axis"), data.size());
    const auto idx = ctx.ints(1);
    const std::int64_t outer = product(data, 0, axis), n = data[axis], inner = product(data, axis + 1, data.size()),
                       m = static_cast<std::int64_t>(idx.size());
    if (ctx.input(2).element_count() != static_cast<std::uint64_t>(outer * m * inner))
      ctx.fail("updates have " + std::to_string(ctx.input(2).element_count()) + " elements, expected " +
               std::to_string(outer * m * inner));
    std::vector<std::int64_t> target(idx.size());
    for (std::size_t j = 0; j < idx.size(); ++j) target[j] = checked_index(ctx, idx[j], n, axis);
    const std::size_t row = to_size(inner) * es;
    if (row == 0) return;
    const std::byte* upd = ctx.input(2).bytes().data();
    std::byte* dst = ctx.output(0).mutable_bytes().data();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t j = 0; j < m; ++j)
        std::memcpy(dst + to_size(o * n + target[to_size(j)]) * row, upd + to_size(o * m + j) * row, row);
  }
};

/// ScatterElementsUpdate: output[c with c[axis] = indices[c]] = updates[c]
/// for every coordinate c of indices (which may be smaller than the data).
template <> struct kernel<ops::ScatterElementsUpdate> {
  static void run(const ops::ScatterElementsUpdate&, kernel_context& ctx) {
    using namespace detail::movement;
    copy_data(ctx);
    const shape& data = ctx.input_shape(0);
    const shape& ind = ctx.input_shape(1);
    const std::size_t rank = data.size();
    const std::size_t axis = axis_of(ctx, scalar_input(ctx, 3, "axis"), rank);
    if (ind.size() != rank || ctx.input_shape(2) != ind) ctx.fail("indices and updates must have the data's rank and one shape");
    for (std::size_t d = 0; d < rank; ++d)
      if (d != axis && ind[d] > data[d])
        ctx.fail("indices " + partial_shape(ind).to_string() + " exceed the data " + partial_shape(data).to_string() +
                 " in axis " + std::to_string(d));
    const auto idx = ctx.ints(1);
    if (idx.empty()) return;
    const auto st = strides_of(data);
    by_size(ctx, ctx.input_type(0), [&]<class U>() {
      const auto upd = ctx.in<U>(2);
      auto out = ctx.out<U>(0);
      std::vector<std::int64_t> c(rank, 0);
      std::int64_t off = 0; // data offset of c without the axis term
      for (std::size_t i = 0; i < idx.size(); ++i) {
        out[to_size(off + checked_index(ctx, idx[i], data[axis], axis) * st[axis])] = upd[i];
        for (std::size_t d = rank; d-- > 0;) {
          if (d != axis) off += st[d];
          if (++c[d] < ind[d]) break;
          if (d != axis) off -= st[d] * ind[d];
          c[d] = 0;
        }
      }
    });
  }
};

/// ScatterNDUpdate: each index tuple (the last indices axis, K long) names a
/// slice data[i0, ..., iK-1, :] that takes the matching updates slice.
template <> struct kernel<ops::ScatterNDUpdate> {
  static void run(const ops::ScatterNDUpdate&, kernel_context& ctx) {
    using namespace detail::movement;
    const std::size_t es = copy_data(ctx);
    const shape& data = ctx.input_shape(0);
    const shape& ind = ctx.input_shape(1);
    if (ind.empty() || to_size(ind.back()) > data.size()) ctx.fail("indices do not fit the data");
    const std::size_t k = to_size(ind.back());
    const std::int64_t tuples = product(ind, 0, ind.size() - 1), slice = product(data, k, data.size());
    if (ctx.input(2).element_count() != static_cast<std::uint64_t>(tuples * slice))
      ctx.fail("updates have " + std::to_string(ctx.input(2).element_count()) + " elements, expected " +
               std::to_string(tuples * slice));
    const auto idx = ctx.ints(1);
    const auto st = strides_of(data);
    const std::size_t row = to_size(slice) * es;
    if (row == 0) return;
    const std::byte* upd = ctx.input(2).bytes().data();
    std::byte* dst = ctx.output(0).mutable_bytes().data();
    for (std::int64_t t = 0; t < tuples; ++t) {
      std::int64_t off = 0;
      for (std::size_t q = 0; q < k; ++q) off += checked_index(ctx, idx[to_size(t) * k + q], data[q], q) * st[q];
      std::memcpy(dst + to_size(off) * es, upd + to_size(t) * row, row);
    }
  }
};

} // namespace irforge::reference
