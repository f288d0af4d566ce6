// irforge — reference kernel of MatMul-1: batched matrix products through the
// blocked GEMM (float, double; f16/bf16 computed in float), and a plain loop
// with wrapping arithmetic for integers.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "irforge/ops/matmul.hpp"
#include "irforge/reference/kernel.hpp"
#include "irforge/reference/kernels/gemm.hpp"

namespace irforge::reference {

namespace detail {
/// One MatMul operand seen as a batch of matrices.
struct matmul_operand {
  shape batch;                 ///< the batch axes (empty for rank <= 2)
  std::int64_t rows = 1, cols = 1; ///< the logical matrix (after transpose / 1-D promotion)
  std::int64_t row_stride = 0, col_stride = 1;
  std::int64_t size = 1;       ///< elements per stored matrix
};

/// `is_a`: a 1-D operand becomes a row [1, K] (A) or a column [K, 1] (B).
inline matmul_operand matmul_view(const shape& s, bool transposed, bool is_a) {
  matmul_operand o;
  if (s.size() == 1) {
    o.rows = is_a ? 1 : s[0];
    o.cols = is_a ? s[0] : 1;
    o.row_stride = is_a ? s[0] : 1; // (a single row / a single column)
    o.col_stride = 1;
    o.size = s[0];
    return o;
  }
  o.batch.assign(s.begin(), s.end() - 2);
  const std::int64_t r = s[s.size() - 2], c = s[s.size() - 1];
  o.size = r * c;
  if (transposed) {
    o.rows = c;
    o.cols = r;
    o.row_stride = 1;
    o.col_stride = c;
  } else {
    o.rows = r;
    o.cols = c;
    o.row_stride = c;
    o.col_stride = 1;
  }
  return o;
}

/// Elements as C (f16/bf16 widened to float), or the span itself when T == C.
template <class C, class T> std::span<const C> widened(std::span<const T> in, std::vector<C>& storage) {
  if constexpr (std::is_same_v<C, T>) {
    return in;
  } else {
    storage.resize(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) storage[i] = static_cast<C>(in[i]);
    return storage;
  }
}

template <class T> void matmul(const ops::MatMul& op, kernel_context& ctx) {
  using C = compute_t<T>; // float for f16/bf16
  const shape& sa = ctx.input_shape(0);
  const shape& sb = ctx.input_shape(1);
  if (sa.empty() || sb.empty()) ctx.fail("MatMul inputs must have rank >= 1");
  const matmul_operand a = matmul_view(sa, op.transpose_a, true);
  const matmul_operand b = matmul_view(sb, op.transpose_b, false);
  if (a.cols != b.rows) ctx.fail("inner dimensions differ");
  const std::int64_t m = a.rows, n = b.cols, k = a.cols;

  const shape& so = ctx.output_shape(0);
  const std::size_t matrix_axes = (sa.size() == 1 ? 0 : 1) + (sb.size() == 1 ? 0 : 1);
  if (so.size() < matrix_axes) ctx.fail("unexpected output rank");
  const shape batch(so.begin(), so.end() - static_cast<std::ptrdiff_t>(matrix_axes));
  auto out = ctx.out<T>(0);
  if (out.empty()) return; // an empty batch, M or N

  std::vector<C> a_store, b_store;
  const auto av = widened<C>(ctx.in<T>(0), a_store);
  const auto bv = widened<C>(ctx.in<T>(1), b_store);
  std::vector<C> c_store;
  C* c = nullptr;
  if constexpr (std::is_same_v<C, T>) {
    c = out.data();
  } else {
    c_store.assign(out.size(), C{});
    c = c_store.data();
  }

  const bool b_shared = element_count(b.batch) == 1;
  if (b_shared && !op.transpose_a && a.batch == batch) {
    // Every A matrix meets the same B: one product with the batches stacked as rows.
    const auto rows = static_cast<std::int64_t>(element_count(batch)) * m;
    gemm::multiply<C>(rows, n, k, {av.data(), a.row_stride, a.col_stride}, {bv.data(), b.row_stride, b.col_stride}, c,
                      n);
  } else {
    for_each_broadcast<2>(batch, std::array<shape, 2>{a.batch, b.batch},
                          [&](std::int64_t i, const std::array<std::int64_t, 2>& off) {
                            gemm::multiply<C>(m, n, k, {av.data() + off[0] * a.size, a.row_stride, a.col_stride},
                                              {bv.data() + off[1] * b.size, b.row_stride, b.col_stride}, c + i * m * n,
                                              n);
                          });
  }
  if constexpr (!std::is_same_v<C, T>)
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(c_store[i]);
}
} // namespace detail

template <> struct kernel<ops::MatMul> {
  static void run(const ops::MatMul& op, kernel_context& ctx) {
    dispatch<types::numeric>(ctx.input_type(0), [&]<class T>() { detail::matmul<T>(op, ctx); }, "MatMul");
  }
};

} // namespace irforge::reference
