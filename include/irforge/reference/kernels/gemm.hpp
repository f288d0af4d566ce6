// irforge — the matrix product behind the reference MatMul and convolutions:
// C = A x B (or C += A x B) with any strides for A and B.
//
// float and double go through a blocked GEMM in the style of BLIS: panels of
// B (kc x nc) and blocks of A (mc x kc) are packed into contiguous slivers,
// and a register-blocked micro-kernel (6 rows x 2 SIMD vectors, written with
// GCC/Clang vector extensions so that it vectorises without -O3 or -march)
// runs over them. Large products are split over a few std::threads.
// Integer types use a plain loop whose arithmetic wraps (no signed overflow).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace irforge::reference::gemm {

/// A read-only matrix: element (i, j) is data[i * row_stride + j * col_stride].
template <class T> struct matrix {
  const T* data = nullptr;
  std::int64_t row_stride = 0;
  std::int64_t col_stride = 1;

  [[nodiscard]] const T& at(std::int64_t i, std::int64_t j) const { return data[i * row_stride + j * col_stride]; }
};

/// A row-major matrix with leading dimension `ld`, or its transpose.
template <class T> matrix<T> row_major(const T* data, std::int64_t ld, bool transposed = false) {
  return transposed ? matrix<T>{data, 1, ld} : matrix<T>{data, ld, 1};
}

/// Threads used for large products: the hardware's, at most 8.
inline unsigned default_threads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : std::min(hw, 8u);
}

namespace detail {

#if defined(__AVX__)
inline constexpr std::size_t simd_bytes = 32;
#else
inline constexpr std::size_t simd_bytes = 16;
#endif
typedef float f32_vec __attribute__((vector_size(simd_bytes)));
typedef double f64_vec __attribute__((vector_size(simd_bytes)));

template <class T> struct simd;
template <> struct simd<float> {
  using vec = f32_vec;
};
template <> struct simd<double> {
  using vec = f64_vec;
};

/// Register block of the micro-kernel and cache blocks of the driver.
template <class T> struct blocking {
  static constexpr std::int64_t lanes = static_cast<std::int64_t>(simd_bytes / sizeof(T));
  static constexpr std::int64_t mr = 6;         ///< rows of C per micro-tile
  static constexpr std::int64_t nr = 2 * lanes; ///< columns of C per micro-tile (two vectors)
  static constexpr std::int64_t kc = 256;       ///< depth of a packed panel (A sliver + B sliver fit L1)
  static constexpr std::int64_t mc = 120;       ///< rows of a packed A block (fits L2)
  static constexpr std::int64_t nc = 3072;      ///< columns of a packed B panel (fits L3)
};

constexpr std::int64_t round_up(std::int64_t v, std::int64_t m) { return (v + m - 1) / m * m; }

/// C tile (mr x nr, row stride ldc) = (accumulate ? C : 0) + A x Bpanel, where
/// element (i, p) of the A sliver is a[i * a_rows + p * a_cols] (packed:
/// a_rows = 1, a_cols = mr; read in place from a row-major A: a_rows = lda,
/// a_cols = 1) and b holds kc rows of nr values.
template <class T>
inline void micro_kernel(std::int64_t kc, const T* a, std::int64_t a_rows, std::int64_t a_cols, const T* b, T* c,
                         std::int64_t ldc, bool accumulate) {
  using vec = typename simd<T>::vec;
  constexpr std::int64_t mr = blocking<T>::mr, lanes = blocking<T>::lanes, nr = blocking<T>::nr;
  vec acc[mr][2];
#pragma GCC unroll 8
  for (std::int64_t i = 0; i < mr; ++i) acc[i][0] = acc[i][1] = vec{};
  for (std::int64_t p = 0; p < kc; ++p) {
    vec b0, b1;
    std::memcpy(&b0, b + p * nr, sizeof(vec));
    std::memcpy(&b1, b + p * nr + lanes, sizeof(vec));
    const T* ap = a + p * a_cols;
#pragma GCC unroll 8
    for (std::int64_t i = 0; i < mr; ++i) {
      const T ai = ap[i * a_rows]; // a scalar operand is splat across the vector
      acc[i][0] += b0 * ai;
      acc[i][1] += b1 * ai;
    }
  }
#pragma GCC unroll 8
  for (std::int64_t i = 0; i < mr; ++i) {
    T* ci = c + i * ldc;
    if (accumulate) {
      vec c0, c1;
      std::memcpy(&c0, ci, sizeof(vec));
      std::memcpy(&c1, ci + lanes, sizeof(vec));
      acc[i][0] += c0;
      acc[i][1] += c1;
    }
    std::memcpy(ci, &acc[i][0], sizeof(vec));
    std::memcpy(ci + lanes, &acc[i][1], sizeof(vec));
  }
}

/// Packs rows [i0, i0 + mc) x columns [p0, p0 + kc) of A into slivers of mr
/// rows (column by column), zero-filling rows beyond mc. With `partial_only`
/// (A's rows are contiguous and read in place) only a last, partial sliver is packed.
template <class T>
void pack_a(const matrix<T>& a, std::int64_t i0, std::int64_t mc, std::int64_t p0, std::int64_t kc, T* out,
            bool partial_only) {
  constexpr std::int64_t mr = blocking<T>::mr;
  for (std::int64_t ir = partial_only ? mc / mr * mr : 0; ir < mc; ir += mr) {
    T* sliver = out + ir * kc;
    const std::int64_t rows = std::min(mr, mc - ir);
    for (std::int64_t i = 0; i < rows; ++i) {
      const T* src = a.data + (i0 + ir + i) * a.row_stride + p0 * a.col_stride;
      if (a.col_stride == 1)
        for (std::int64_t p = 0; p < kc; ++p) sliver[p * mr + i] = src[p];
      else
        for (std::int64_t p = 0; p < kc; ++p) sliver[p * mr + i] = src[p * a.col_stride];
    }
    for (std::int64_t i = rows; i < mr; ++i)
      for (std::int64_t p = 0; p < kc; ++p) sliver[p * mr + i] = T{};
  }
}

/// Packs rows [p0, p0 + kc) x columns [j0, j0 + nc) of B into slivers of nr
/// columns (row by row), zero-filling columns beyond nc.
template <class T>
void pack_b(const matrix<T>& b, std::int64_t p0, std::int64_t kc, std::int64_t j0, std::int64_t nc, T* out) {
  constexpr std::int64_t nr = blocking<T>::nr;
  for (std::int64_t jr = 0; jr < nc; jr += nr) {
    T* sliver = out + jr * kc;
    const std::int64_t cols = std::min(nr, nc - jr);
    if (b.col_stride == 1) {
      for (std::int64_t p = 0; p < kc; ++p) {
        const T* src = b.data + (p0 + p) * b.row_stride + j0 + jr;
        T* dst = sliver + p * nr;
        std::memcpy(dst, src, static_cast<std::size_t>(cols) * sizeof(T));
        for (std::int64_t j = cols; j < nr; ++j) dst[j] = T{};
      }
    } else {
      for (std::int64_t j = 0; j < cols; ++j) {
        const T* src = b.data + p0 * b.row_stride + (j0 + jr + j) * b.col_stride;
        for (std::int64_t p = 0; p < kc; ++p) sliver[p * nr + j] = src[p * b.row_stride];
      }
      for (std::int64_t p = 0; p < kc; ++p)
        for (std::int64_t j = cols; j < nr; ++j) sliver[p * nr + j] = T{};
    }
  }
}

/// Packing space of one worker (left uninitialised: packing writes it all).
template <class T> struct workspace {
  std::unique_ptr<T[]> a, b;

  /// Buffers for products of at most m x n x k.
  workspace(std::int64_t m, std::int64_t n, std::int64_t k) {
    using bl = blocking<T>;
    const std::int64_t kc = std::min(k, bl::kc);
    a = std::make_unique_for_overwrite<T[]>(static_cast<std::size_t>(round_up(std::min(m, bl::mc), bl::mr) * kc));
    b = std::make_unique_for_overwrite<T[]>(static_cast<std::size_t>(round_up(std::min(n, bl::nc), bl::nr) * kc));
  }
};

/// The blocked product restricted to rows [m0, m1) and columns [n0, n1) of C.
template <class T>
void blocked(std::int64_t m0, std::int64_t m1, std::int64_t n0, std::int64_t n1, std::int64_t k, const matrix<T>& a,
             const matrix<T>& b, T* c, std::int64_t ldc, bool accumulate, workspace<T>& w) {
  using bl = blocking<T>;
  T edge[bl::mr * bl::nr];
  // Column blocks of (nearly) equal width: no thin last block to pack A for.
  const std::int64_t blocks = (n1 - n0 + bl::nc - 1) / bl::nc;
  const std::int64_t block_width = round_up((n1 - n0 + blocks - 1) / std::max<std::int64_t>(blocks, 1), bl::nr);
  const bool a_in_place = a.col_stride == 1; // full slivers of a row-major A need no packing
  for (std::int64_t jc = n0; jc < n1; jc += block_width) {
    const std::int64_t nc = std::min(block_width, n1 - jc);
    for (std::int64_t pc = 0; pc < k; pc += bl::kc) {
      const std::int64_t kc = std::min(bl::kc, k - pc);
      const bool acc = accumulate || pc > 0;
      pack_b(b, pc, kc, jc, nc, w.b.get());
      for (std::int64_t ic = m0; ic < m1; ic += bl::mc) {
        const std::int64_t mc = std::min(bl::mc, m1 - ic);
        pack_a(a, ic, mc, pc, kc, w.a.get(), a_in_place);
        for (std::int64_t jr = 0; jr < nc; jr += bl::nr) {
          const std::int64_t cols = std::min(bl::nr, nc - jr);
          const T* bp = w.b.get() + jr * kc;
          for (std::int64_t ir = 0; ir < mc; ir += bl::mr) {
            const std::int64_t rows = std::min(bl::mr, mc - ir);
            const bool direct = a_in_place && rows == bl::mr;
            const T* ap = direct ? a.data + (ic + ir) * a.row_stride + pc : w.a.get() + ir * kc;
            const std::int64_t a_rows = direct ? a.row_stride : 1, a_cols = direct ? 1 : bl::mr;
            T* ct = c + (ic + ir) * ldc + jc + jr;
            if (rows == bl::mr && cols == bl::nr) {
              micro_kernel(kc, ap, a_rows, a_cols, bp, ct, ldc, acc);
            } else { // a partial tile: compute whole, keep the valid part
              micro_kernel(kc, ap, a_rows, a_cols, bp, edge, bl::nr, false);
              for (std::int64_t i = 0; i < rows; ++i)
                for (std::int64_t j = 0; j < cols; ++j)
                  ct[i * ldc + j] = acc ? ct[i * ldc + j] + edge[i * bl::nr + j] : edge[i * bl::nr + j];
            }
          }
        }
      }
    }
  }
}

/// x . y over n contiguous elements, in four vector accumulators.
template <class T> T dot(const T* x, const T* y, std::int64_t n) {
  using vec = typename simd<T>::vec;
  constexpr std::int64_t lanes = blocking<T>::lanes;
  vec acc[4] = {};
  std::int64_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes)
#pragma GCC unroll 4
    for (std::int64_t u = 0; u < 4; ++u) {
      vec xv, yv;
      std::memcpy(&xv, x + i + u * lanes, sizeof(vec));
      std::memcpy(&yv, y + i + u * lanes, sizeof(vec));
      acc[u] += xv * yv;
    }
  const vec sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  T total = 0;
  for (std::int64_t l = 0; l < lanes; ++l) total += sum[l];
  for (; i < n; ++i) total += x[i] * y[i];
  return total;
}

/// The same product, written plainly (small problems, and every other type).
/// Integer arithmetic wraps like unsigned arithmetic instead of overflowing.
template <class T>
void simple(std::int64_t m, std::int64_t n, std::int64_t k, const matrix<T>& a, const matrix<T>& b, T* c,
            std::int64_t ldc, bool accumulate) {
  using W = std::conditional_t<std::is_integral_v<T>,
                               std::conditional_t<(sizeof(T) > 4), std::uint64_t, std::uint32_t>, T>;
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (a.col_stride == 1 && b.row_stride == 1) { // rows of A times columns of B, both contiguous
      for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
          const T d = dot(a.data + i * a.row_stride, b.data + j * b.col_stride, k);
          c[i * ldc + j] = accumulate ? c[i * ldc + j] + d : d;
        }
      return;
    }
  }
  std::vector<W> row(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < m; ++i) {
    T* ci = c + i * ldc;
    for (std::int64_t j = 0; j < n; ++j) row[static_cast<std::size_t>(j)] = accumulate ? static_cast<W>(ci[j]) : W{};
    for (std::int64_t p = 0; p < k; ++p) {
      const W av = static_cast<W>(a.at(i, p));
      const T* bp = b.data + p * b.row_stride;
      if (b.col_stride == 1)
        for (std::int64_t j = 0; j < n; ++j) row[static_cast<std::size_t>(j)] += static_cast<W>(av * static_cast<W>(bp[j]));
      else
        for (std::int64_t j = 0; j < n; ++j)
          row[static_cast<std::size_t>(j)] += static_cast<W>(av * static_cast<W>(bp[j * b.col_stride]));
    }
    for (std::int64_t j = 0; j < n; ++j) ci[j] = static_cast<T>(row[static_cast<std::size_t>(j)]);
  }
}

} // namespace detail

/// C (m x n, row-major, leading dimension ldc) = A (m x k) x B (k x n), or
/// C += A x B when `accumulate`. `threads` = 0 means default_threads(); more
/// than one is used only for products large enough to gain from it.
template <class T>
void multiply(std::int64_t m, std::int64_t n, std::int64_t k, const matrix<T>& a, const matrix<T>& b, T* c,
              std::int64_t ldc, bool accumulate = false, unsigned threads = 0) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (std::int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T{});
    return;
  }
  if constexpr (!std::is_same_v<T, float> && !std::is_same_v<T, double>) {
    detail::simple(m, n, k, a, b, c, ldc, accumulate);
  } else {
    using bl = detail::blocking<T>;
    const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
    if (work < 4096.0 || m < 2) { // packing would cost more than it saves
      detail::simple(m, n, k, a, b, c, ldc, accumulate);
      return;
    }
    // Split the larger side of C into per-thread ranges of whole micro-tiles,
    // with at least ~2^20 multiply-adds per thread.
    unsigned wanted = threads == 0 ? default_threads() : threads;
    const auto by_work = static_cast<unsigned>(std::min(work / 1048576.0, 64.0));
    const bool split_n = n >= m;
    const std::int64_t unit = split_n ? bl::nr : bl::mr;
    const std::int64_t units = ((split_n ? n : m) + unit - 1) / unit;
    unsigned count = std::max(1u, std::min({wanted, by_work, static_cast<unsigned>(std::min<std::int64_t>(units, 64))}));

    // Buffers are allocated here, so that no worker thread can throw.
    std::vector<detail::workspace<T>> spaces;
    spaces.reserve(count);
    for (unsigned t = 0; t < count; ++t)
      spaces.emplace_back(m, n, k);
    auto range = [&](unsigned t) {
      const std::int64_t begin = units * t / count * unit, end = units * (t + 1) / count * unit;
      const std::int64_t limit = split_n ? n : m;
      return std::pair<std::int64_t, std::int64_t>{std::min(begin, limit), std::min(end, limit)};
    };
    auto work_on = [&](unsigned t) {
      const auto [lo, hi] = range(t);
      if (lo >= hi) return;
      if (split_n)
        detail::blocked<T>(0, m, lo, hi, k, a, b, c, ldc, accumulate, spaces[t]);
      else
        detail::blocked<T>(lo, hi, 0, n, k, a, b, c, ldc, accumulate, spaces[t]);
    };
    std::vector<std::thread> pool;
    pool.reserve(count);
    unsigned started = 1;
    try {
      for (; started < count; ++started) pool.emplace_back(work_on, started);
    } catch (const std::exception&) { // no more threads: this one does the rest
    }
    work_on(0);
    for (unsigned t = started; t < count; ++t) work_on(t);
    for (auto& th : pool) th.join();
  }
}

/// A plain triple loop for any arithmetic type (tests compare against it).
template <class T>
void naive(std::int64_t m, std::int64_t n, std::int64_t k, const matrix<T>& a, const matrix<T>& b, T* c,
           std::int64_t ldc) {
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::int64_t p = 0; p < k; ++p) s += static_cast<double>(a.at(i, p)) * static_cast<double>(b.at(p, j));
      c[i * ldc + j] = static_cast<T>(s);
    }
}

} // namespace irforge::reference::gemm
