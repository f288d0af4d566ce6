// Reference kernels, compute-heavy part 1: the blocked GEMM, MatMul and the
// four convolutions. Hand-computed cases and spec examples; the GEMM against
// a triple loop for odd sizes, transposes and thread counts; convolutions
// against a naive direct convolution (no GEMM) and transposed convolutions
// against a naive scatter and the adjoint identity <conv(x), y> = <x, conv^T(y)>,
// for 1-D/2-D/3-D, groups, strides, dilations, pads and every auto_pad.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/core/half.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/convolution.hpp"
#include "irforge/ops/matmul.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/reference/kernels/gemm.hpp"

using namespace irforge;

namespace test_kernels_conv_tests {  // unity-build scope: file-local helpers stay apart

namespace {
using ints = std::vector<std::int64_t>;

/// One input of an op under test: a model input (Parameter) or a Constant.
struct input {
  tensor value;
  bool constant = false;
};

/// Builds Parameter/Constant -> op -> Result and evaluates it (output 0).
template <class Op> tensor run(Op op, std::vector<input> inputs) {
  graph g("test");
  std::vector<output_ref> refs;
  std::vector<tensor> params;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const tensor& t = inputs[k].value;
    if (inputs[k].constant) {
      refs.push_back({g.add(ops::Constant(t), {}, "c" + std::to_string(k)), 0});
    } else {
      refs.push_back({g.add(ops::Parameter{partial_shape(t.dims()), t.type()}, {}, "p" + std::to_string(k)), 0});
      params.push_back(t);
    }
  }
  const auto n = g.add(std::move(op), std::move(refs), "op");
  g.add(ops::Result{}, {{n, 0}}, "out");
  return reference::evaluate(g, params).at(0);
}
template <class Op> tensor run(Op op, const tensor& a, const tensor& b) { return run(std::move(op), {{a}, {b}}); }

tensor f32(shape s, const std::vector<float>& v) { return tensor::from_values<float>(std::move(s), v); }

/// Uniform values in [-1, 1) (f32).
tensor random_f32(shape s, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(static_cast<std::size_t>(element_count(s)));
  for (auto& x : v) x = d(rng);
  return f32(std::move(s), v);
}

/// Small random integers in [-4, 4] of type T.
template <class T> tensor random_ints(shape s, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-4, 4);
  std::vector<T> v(static_cast<std::size_t>(element_count(s)));
  for (auto& x : v) x = static_cast<T>(d(rng));
  return tensor::from_values<T>(std::move(s), v);
}

tensor to_f16(const tensor& t) {
  std::vector<std::uint16_t> bits;
  for (double x : t.as_f64()) bits.push_back(f32_to_f16_bits(static_cast<float>(x)));
  return tensor::from_values<std::uint16_t>(t.dims(), bits).reinterpreted(element_type::f16);
}
tensor to_f64(const tensor& t) { return tensor::from_values<double>(t.dims(), t.as_f64()); }

/// Every element within atol + rtol * |expected|.
void check_close(const tensor& got, const tensor& expected, double rtol = 1e-5, double atol = 1e-5) {
  REQUIRE(got.dims() == expected.dims());
  const auto g = got.as_f64(), e = expected.as_f64();
  std::size_t bad = 0;
  std::string first;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (!(std::fabs(g[i] - e[i]) <= atol + rtol * std::fabs(e[i])) && bad++ == 0)
      first = "element " + std::to_string(i) + ": got " + std::to_string(g[i]) + ", expected " + std::to_string(e[i]);
  INFO(first);
  CHECK(bad == 0);
}
void check_values(const tensor& got, shape dims, const std::vector<double>& expected, double tol = 1e-6) {
  REQUIRE(got.dims() == dims);
  const auto g = got.as_f64();
  REQUIRE(g.size() == expected.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    INFO("element " << i << ": got " << g[i] << ", expected " << expected[i]);
    CHECK(std::fabs(g[i] - expected[i]) <= tol * (1 + std::fabs(expected[i])));
  }
}

// ---- naive references (no GEMM, no im2col) -------------------------------------------

/// Spatial sizes, strides etc. extended to three axes with leading 1s.
std::array<std::int64_t, 3> three(const ints& v, std::int64_t fill) {
  std::array<std::int64_t, 3> r{fill, fill, fill};
  std::copy(v.begin(), v.end(), r.begin() + static_cast<std::ptrdiff_t>(3 - v.size()));
  return r;
}

struct window {
  ints strides, dilations, pads_begin, pads_end;
};

/// The begin padding auto_pad gives (computed here from the spec's rule).
ints begin_pads(const shape& data, const shape& kernel, const window& w, ops::pad_type mode) {
  ints out;
  for (std::size_t i = 0; i < kernel.size(); ++i) {
    if (mode == ops::pad_type::valid) {
      out.push_back(0);
    } else if (mode == ops::pad_type::explicit_) {
      out.push_back(w.pads_begin[i]);
    } else {
      const std::int64_t in = data[i + 2], s = w.strides[i], dk = (kernel[i] - 1) * w.dilations[i] + 1;
      const std::int64_t o = (in + s - 1) / s;
      const std::int64_t total = std::max<std::int64_t>(0, (o - 1) * s + dk - in);
      out.push_back(mode == ops::pad_type::same_upper ? total / 2 : total - total / 2);
    }
  }
  return out;
}

/// Direct convolution: out[n, g*O + o, y] = sum over c, k of
/// data[n, g*C + c, y*s - p + k*d] * w[g, o, c, k] (weights given as [G*O, C, k...]).
tensor naive_conv(const tensor& data, const tensor& weights, std::int64_t groups, const window& w, const ints& pads,
                  const shape& out_spatial) {
  const shape& ds = data.dims();
  const shape& ws = weights.dims();
  const std::int64_t N = ds[0], C = ds[1] / groups, O = ws[0] / groups;
  const auto in = three(shape(ds.begin() + 2, ds.end()), 1), k = three(shape(ws.begin() + 2, ws.end()), 1),
             out = three(out_spatial, 1), s = three(w.strides, 1), d = three(w.dilations, 1), p = three(pads, 0);
  shape os{N, groups * O};
  os.insert(os.end(), out_spatial.begin(), out_spatial.end());
  const auto x = data.as_f64(), wt = weights.as_f64();
  std::vector<double> y(static_cast<std::size_t>(element_count(os)), 0.0);
  std::size_t at = 0;
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t oc = 0; oc < groups * O; ++oc)
      for (std::int64_t z = 0; z < out[0]; ++z)
        for (std::int64_t yy = 0; yy < out[1]; ++yy)
          for (std::int64_t xx = 0; xx < out[2]; ++xx, ++at) {
            const std::int64_t g = oc / O;
            double sum = 0;
            for (std::int64_t c = 0; c < C; ++c)
              for (std::int64_t a = 0; a < k[0]; ++a)
                for (std::int64_t b = 0; b < k[1]; ++b)
                  for (std::int64_t e = 0; e < k[2]; ++e) {
                    const std::int64_t iz = z * s[0] - p[0] + a * d[0], iy = yy * s[1] - p[1] + b * d[1],
                                       ix = xx * s[2] - p[2] + e * d[2];
                    if (iz < 0 || iz >= in[0] || iy < 0 || iy >= in[1] || ix < 0 || ix >= in[2]) continue;
                    const auto xi = static_cast<std::size_t>((((n * groups + g) * C + c) * in[0] + iz) * in[1] * in[2] +
                                                             iy * in[2] + ix);
                    const auto wi = static_cast<std::size_t>(((oc * C + c) * k[0] + a) * k[1] * k[2] + b * k[2] + e);
                    sum += x[xi] * wt[wi];
                  }
            y[at] = sum;
          }
  return tensor::from_values<double>(os, y);
}

/// Scatter form of the transposed convolution: every data element adds
/// data * w[g, c, o, k] at y = x*s - p + k*d (weights given as [G*C, O, k...]).
tensor naive_backprop(const tensor& data, const tensor& weights, std::int64_t groups, const window& w, const ints& pads,
                      const shape& out_spatial) {
  const shape& ds = data.dims();
  const shape& ws = weights.dims();
  const std::int64_t N = ds[0], C = ds[1] / groups, O = ws[1];
  const auto in = three(shape(ds.begin() + 2, ds.end()), 1), k = three(shape(ws.begin() + 2, ws.end()), 1),
             out = three(out_spatial, 1), s = three(w.strides, 1), d = three(w.dilations, 1), p = three(pads, 0);
  shape os{N, groups * O};
  os.insert(os.end(), out_spatial.begin(), out_spatial.end());
  const auto x = data.as_f64(), wt = weights.as_f64();
  std::vector<double> y(static_cast<std::size_t>(element_count(os)), 0.0);
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t ic = 0; ic < groups * C; ++ic)
      for (std::int64_t z = 0; z < in[0]; ++z)
        for (std::int64_t yy = 0; yy < in[1]; ++yy)
          for (std::int64_t xx = 0; xx < in[2]; ++xx) {
            const double v = x[static_cast<std::size_t>(((n * groups * C + ic) * in[0] + z) * in[1] * in[2] +
                                                        yy * in[2] + xx)];
            const std::int64_t g = ic / C;
            for (std::int64_t o = 0; o < O; ++o)
              for (std::int64_t a = 0; a < k[0]; ++a)
                for (std::int64_t b = 0; b < k[1]; ++b)
                  for (std::int64_t e = 0; e < k[2]; ++e) {
                    const std::int64_t oz = z * s[0] - p[0] + a * d[0], oy = yy * s[1] - p[1] + b * d[1],
                                       ox = xx * s[2] - p[2] + e * d[2];
                    if (oz < 0 || oz >= out[0] || oy < 0 || oy >= out[1] || ox < 0 || ox >= out[2]) continue;
                    const auto oi = static_cast<std::size_t>((((n * groups + g) * O + o) * out[0] + oz) * out[1] * out[2] +
                                                             oy * out[2] + ox);
                    const auto wi = static_cast<std::size_t>(((ic * O + o) * k[0] + a) * k[1] * k[2] + b * k[2] + e);
                    y[oi] += v * wt[wi];
                  }
          }
  return tensor::from_values<double>(os, y);
}

shape spatial_of(const tensor& t) { return shape(t.dims().begin() + 2, t.dims().end()); }

/// Weights [G*A, B, k...] as [G, A, B, k...].
tensor grouped(const tensor& w, std::int64_t groups) {
  shape s{groups, w.dims()[0] / groups};
  s.insert(s.end(), w.dims().begin() + 1, w.dims().end());
  return w.reshaped(s);
}

struct conv_case {
  const char* name;
  shape data, weights; ///< weights [G*O, C, k...]
  std::int64_t groups;
  window w;
  ops::pad_type mode;
};

/// Runs Convolution (groups == 1) or GroupConvolution and compares with the naive convolution.
void check_forward(const conv_case& c, unsigned seed) {
  INFO(std::string(c.name));
  const tensor x = random_f32(c.data, seed), w = random_f32(c.weights, seed + 1);
  tensor y;
  if (c.groups == 1)
    y = run(ops::Convolution(c.w.strides, c.w.dilations, c.w.pads_begin, c.w.pads_end, c.mode), {{x}, {w, true}});
  else
    y = run(ops::GroupConvolution(c.w.strides, c.w.dilations, c.w.pads_begin, c.w.pads_end, c.mode),
            {{x}, {grouped(w, c.groups), true}});
  const shape kernel(c.weights.begin() + 2, c.weights.end());
  const ints pads = begin_pads(c.data, kernel, c.w, c.mode);
  const tensor expected = naive_conv(x, w, c.groups, c.w, pads, spatial_of(y));
  CHECK(y.dims()[1] == c.weights[0]);
  check_close(y, expected, 1e-4, 1e-4);
}
} // namespace

// ---- GEMM ---------------------------------------------------------------------------------

TEST_CASE("kernels: the blocked GEMM matches a triple loop for odd sizes, transposes, accumulation and threads") {
  using namespace reference::gemm;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> d(-1, 1);
  int cases = 0;
  for (std::int64_t m : {1, 2, 5, 7, 13, 127})
    for (std::int64_t n : {1, 3, 17, 33, 150})
      for (std::int64_t k : {1, 9, 300})
        for (int flags = 0; flags < 8; ++flags) {
          const bool ta = flags & 1, tb = flags & 2, acc = flags & 4;
          std::vector<float> a(static_cast<std::size_t>(m * k)), b(static_cast<std::size_t>(k * n)),
              c(static_cast<std::size_t>(m * n + 3)), ref(c.size());
          for (auto& v : a) v = static_cast<float>(d(rng));
          for (auto& v : b) v = static_cast<float>(d(rng));
          for (auto& v : c) v = static_cast<float>(d(rng));
          const auto ma = row_major<float>(a.data(), ta ? m : k, ta), mb = row_major<float>(b.data(), tb ? k : n, tb);
          naive<float>(m, n, k, ma, mb, ref.data(), n);
          const std::vector<float> before = c;
          multiply<float>(m, n, k, ma, mb, c.data(), n, acc, static_cast<unsigned>(1 + (cases % 3)));
          double worst = 0;
          for (std::size_t i = 0; i < static_cast<std::size_t>(m * n); ++i)
            worst = std::max(worst, std::fabs(static_cast<double>(c[i]) - static_cast<double>(ref[i]) -
                                              (acc ? static_cast<double>(before[i]) : 0.0)));
          INFO("m=" << m << " n=" << n << " k=" << k << " ta=" << ta << " tb=" << tb << " acc=" << acc);
          CHECK(worst < 1e-4 * std::sqrt(static_cast<double>(k)));
          // the elements after C are never written
          CHECK(c[static_cast<std::size_t>(m * n)] == before[static_cast<std::size_t>(m * n)]);
          ++cases;
        }
  CHECK(cases == 720);
}

TEST_CASE("kernels: GEMM in double, with a leading dimension larger than the row, and for integers (wrapping)") {
  using namespace reference::gemm;
  // double, C with ldc 40 (a block of a wider matrix)
  const std::int64_t m = 23, n = 31, k = 45;
  std::vector<double> a(static_cast<std::size_t>(m * k)), b(static_cast<std::size_t>(k * n)),
      c(static_cast<std::size_t>(m * 40), -5.0), ref(static_cast<std::size_t>(m * n));
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::sin(static_cast<double>(i));
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = std::cos(static_cast<double>(i));
  multiply<double>(m, n, k, row_major<double>(a.data(), k), row_major<double>(b.data(), n), c.data(), 40);
  naive<double>(m, n, k, row_major<double>(a.data(), k), row_major<double>(b.data(), n), ref.data(), n);
  double worst = 0;
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < 40; ++j) {
      const double v = c[static_cast<std::size_t>(i * 40 + j)];
      if (j < n) worst = std::max(worst, std::fabs(v - ref[static_cast<std::size_t>(i * n + j)]));
      else CHECK(v == -5.0); // columns beyond n untouched
    }
  CHECK(worst < 1e-12);

  // integers: [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
  const std::vector<std::int32_t> ia{1, 2, 3, 4}, ib{5, 6, 7, 8};
  std::vector<std::int32_t> ic(4);
  multiply<std::int32_t>(2, 2, 2, row_major<std::int32_t>(ia.data(), 2), row_major<std::int32_t>(ib.data(), 2),
                         ic.data(), 2);
  CHECK(ic == std::vector<std::int32_t>{19, 22, 43, 50});
  // int8 overflow wraps instead of being undefined: 100 * 2 + 100 * 1 = 300 = 44 (mod 256)
  const std::vector<std::int8_t> sa{100, 100}, sb{2, 1};
  std::vector<std::int8_t> sc(1);
  multiply<std::int8_t>(1, 1, 2, row_major<std::int8_t>(sa.data(), 2), row_major<std::int8_t>(sb.data(), 1), sc.data(), 1);
  CHECK(sc[0] == 44);
  // k == 0: C = 0, or unchanged when accumulating
  std::vector<float> z{3, 4};
  multiply<float>(1, 2, 0, {nullptr, 0, 1}, {nullptr, 2, 1}, z.data(), 2, true);
  CHECK(z == std::vector<float>{3, 4});
  multiply<float>(1, 2, 0, {nullptr, 0, 1}, {nullptr, 2, 1}, z.data(), 2, false);
  CHECK(z == std::vector<float>{0, 0});
}

// ---- MatMul ----------------------------------------------------------------------------

TEST_CASE("kernels: MatMul of 2-D matrices, with transpose_a / transpose_b") {
  const tensor a = f32({2, 3}, {1, 2, 3, 4, 5, 6}), b = f32({3, 2}, {7, 8, 9, 10, 11, 12});
  check_values(run(ops::MatMul{}, a, b), {2, 2}, {58, 64, 139, 154});
  const tensor at = f32({3, 2}, {1, 4, 2, 5, 3, 6}), bt = f32({2, 3}, {7, 9, 11, 8, 10, 12});
  check_values(run(ops::MatMul(true, false), at, b), {2, 2}, {58, 64, 139, 154});
  check_values(run(ops::MatMul(false, true), a, bt), {2, 2}, {58, 64, 139, 154});
  check_values(run(ops::MatMul(true, true), at, bt), {2, 2}, {58, 64, 139, 154});
}

TEST_CASE("kernels: MatMul with 1-D operands (row, column, dot product); their transpose flags are ignored") {
  const tensor v = f32({3}, {1, 2, 3}), b = f32({3, 2}, {7, 8, 9, 10, 11, 12}), a = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  check_values(run(ops::MatMul{}, v, b), {2}, {58, 64});
  check_values(run(ops::MatMul(true, false), v, b), {2}, {58, 64});
  check_values(run(ops::MatMul{}, a, v), {2}, {14, 32});
  check_values(run(ops::MatMul(false, true), a, v), {2}, {14, 32});
  check_values(run(ops::MatMul{}, v, f32({3}, {7, 9, 11})), {}, {58});
  // a 1-D first operand against a batch of matrices: [3] x [2, 3, 2] -> [2, 2]
  const tensor batch = f32({2, 3, 2}, {7, 8, 9, 10, 11, 12, 1, 0, 0, 1, 1, 1});
  check_values(run(ops::MatMul{}, v, batch), {2, 2}, {58, 64, 4, 5});
}

namespace {
/// MatMul by definition, with NumPy batch broadcasting (operands of rank >= 2).
tensor naive_matmul(const tensor& a, const tensor& b, bool ta, bool tb) {
  shape sa = a.dims(), sb = b.dims();
  const std::int64_t ar = sa[sa.size() - 2], ac = sa[sa.size() - 1], br = sb[sb.size() - 2], bc = sb[sb.size() - 1];
  const std::int64_t m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
  const shape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  const std::size_t rank = std::max(ba.size(), bb.size());
  shape batch(rank, 1), pa(rank, 1), pb(rank, 1);
  std::copy(ba.begin(), ba.end(), pa.begin() + static_cast<std::ptrdiff_t>(rank - ba.size()));
  std::copy(bb.begin(), bb.end(), pb.begin() + static_cast<std::ptrdiff_t>(rank - bb.size()));
  for (std::size_t i = 0; i < rank; ++i) batch[i] = std::max(pa[i], pb[i]);
  shape os = batch;
  os.push_back(m);
  os.push_back(n);
  const auto x = a.as_f64(), y = b.as_f64();
  std::vector<double> out(static_cast<std::size_t>(element_count(os)));
  const auto count = static_cast<std::int64_t>(element_count(batch));
  for (std::int64_t bi = 0; bi < count; ++bi) {
    std::int64_t rem = bi, oa = 0, ob = 0, sta = 1, stb = 1;
    for (std::size_t d = rank; d-- > 0;) {
      const std::int64_t idx = rem % batch[d];
      rem /= batch[d];
      oa += (pa[d] == 1 ? 0 : idx) * sta;
      ob += (pb[d] == 1 ? 0 : idx) * stb;
      sta *= pa[d];
      stb *= pb[d];
    }
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::int64_t p = 0; p < k; ++p) {
          const double av = x[static_cast<std::size_t>(oa * ar * ac + (ta ? p * ac + i : i * ac + p))];
          const double bv = y[static_cast<std::size_t>(ob * br * bc + (tb ? j * bc + p : p * bc + j))];
          s += av * bv;
        }
        out[static_cast<std::size_t>((bi * m + i) * n + j)] = s;
      }
  }
  return tensor::from_values<double>(os, out);
}
} // namespace

TEST_CASE("kernels: MatMul broadcasts batch axes (NumPy) and matches the definition for large odd sizes") {
  struct mm_case {
    shape a, b;
    bool ta, tb;
  };
  const std::vector<mm_case> cases{
      {{2, 1, 2, 3}, {3, 3, 2}, false, false}, // batch [2,1] x [3] -> [2,3]
      {{4, 5, 7}, {7, 3}, false, false},       // one B for every A: the batches stacked as rows
      {{4, 7, 5}, {7, 3}, true, false},
      {{4, 5, 7}, {1, 3, 7}, false, true},
      {{1, 5, 7}, {6, 7, 3}, false, false}, // A broadcast over B's batch
      {{2, 37, 300}, {2, 300, 61}, false, false},
      {{130, 70}, {90, 70}, false, true}, // blocked, threaded, B transposed
      {{3, 1, 257}, {257, 1000}, false, false},
  };
  unsigned seed = 11;
  for (const auto& c : cases) {
    INFO("A " << partial_shape(c.a).to_string() << " B " << partial_shape(c.b).to_string());
    const tensor a = random_f32(c.a, seed++), b = random_f32(c.b, seed++);
    check_close(run(ops::MatMul(c.ta, c.tb), a, b), naive_matmul(a, b, c.ta, c.tb), 1e-5, 1e-4);
  }
}

TEST_CASE("kernels: MatMul on integers (exact, wrapping), f64, f16 and empty operands") {
  const tensor a = tensor::from_values<std::int32_t>({2, 2}, {1, 2, 3, 4});
  const tensor b = tensor::from_values<std::int32_t>({2, 2}, {5, 6, 7, 8});
  const tensor c = run(ops::MatMul{}, a, b);
  CHECK(c.type() == element_type::i32);
  CHECK(c.values<std::int32_t>() == std::vector<std::int32_t>{19, 22, 43, 50});
  const tensor i64 = run(ops::MatMul(false, true), tensor::from_values<std::int64_t>({1, 2}, {3000000000, 1}),
                         tensor::from_values<std::int64_t>({1, 2}, {3, -1}));
  CHECK(i64.values<std::int64_t>() == std::vector<std::int64_t>{8999999999});
  const tensor u8 = run(ops::MatMul{}, tensor::from_values<std::uint8_t>({1, 1}, {200}),
                        tensor::from_values<std::uint8_t>({1, 1}, {2}));
  CHECK(u8.values<std::uint8_t>() == std::vector<std::uint8_t>{144}); // 400 mod 256

  const tensor x = random_f32({3, 20, 9}, 5), y = random_f32({9, 4}, 6);
  const tensor d = run(ops::MatMul{}, to_f64(x), to_f64(y));
  CHECK(d.type() == element_type::f64);
  check_close(d, naive_matmul(x, y, false, false), 1e-12, 1e-12);
  const tensor h = run(ops::MatMul{}, to_f16(x), to_f16(y));
  CHECK(h.type() == element_type::f16);
  check_close(h, naive_matmul(to_f16(x), to_f16(y), false, false), 2e-3, 2e-3);

  const tensor e1 = run(ops::MatMul{}, f32({0, 3}, {}), f32({3, 2}, {1, 2, 3, 4, 5, 6}));
  CHECK(e1.dims() == shape{0, 2});
  check_values(run(ops::MatMul{}, f32({2, 0}, {}), f32({0, 3}, {})), {2, 3}, {0, 0, 0, 0, 0, 0});
  CHECK(run(ops::MatMul{}, f32({0, 2, 3}, {}), f32({3, 2}, {1, 2, 3, 4, 5, 6})).dims() == shape{0, 2, 2});
}

// ---- Convolution ----------------------------------------------------------------------------

TEST_CASE("kernels: Convolution by hand: 2x2 kernel over 3x3, without and with asymmetric padding") {
  const tensor x = f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  const tensor w = f32({1, 1, 2, 2}, {1, 0, 0, -1});
  check_values(run(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), x, w), {1, 1, 2, 2}, {-4, -4, -4, -4});
  // pads (1, 1) at the beginning only: out[y][x] = in[y-1][x-1] - in[y][x]
  check_values(run(ops::Convolution({1, 1}, {1, 1}, {1, 1}, {0, 0}), x, w), {1, 1, 3, 3},
               {-1, -2, -3, -4, -4, -4, -7, -4, -4});
  // stride 2 and dilation 2 on a 1-D signal: y[i] = x[2i] + 10 x[2i+2]
  const tensor s = f32({1, 1, 7}, {1, 2, 3, 4, 5, 6, 7});
  check_values(run(ops::Convolution({2}, {2}, {0}, {0}), s, f32({1, 1, 2}, {1, 10})), {1, 1, 3}, {31, 53, 75});
  // two output channels, two input channels: sums over both
  const tensor two = f32({1, 2, 1, 2}, {1, 2, 10, 20});
  check_values(run(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), two, f32({2, 2, 1, 1}, {1, 1, 1, -1})),
               {1, 2, 1, 2}, {11, 22, -9, -18});
}

TEST_CASE("kernels: Convolution and GroupConvolution match a direct convolution (1-D, 2-D, 3-D, every padding)") {
  using P = ops::pad_type;
  const std::vector<conv_case> cases{
      {"1-D stride 2, pads 1/2", {2, 3, 11}, {4, 3, 3}, 1, {{2}, {1}, {1}, {2}}, P::explicit_},
      {"2-D strides (2,1), dilations (1,2), pads (1,0)/(2,1)",
       {1, 5, 9, 7}, {6, 5, 3, 2}, 1, {{2, 1}, {1, 2}, {1, 0}, {2, 1}}, P::explicit_},
      {"3-D", {1, 2, 5, 6, 4}, {3, 2, 2, 3, 2}, 1, {{1, 2, 1}, {1, 1, 1}, {0, 1, 1}, {1, 0, 1}}, P::explicit_},
      {"3-D dilated and strided", {2, 3, 7, 5, 6}, {2, 3, 2, 2, 3}, 1, {{2, 1, 2}, {2, 1, 1}, {1, 0, 0}, {0, 1, 2}},
       P::explicit_},
      {"same_upper, even kernel, stride 2", {1, 3, 9, 8}, {4, 3, 4, 4}, 1, {{2, 2}, {1, 1}, {0, 0}, {0, 0}}, P::same_upper},
      {"same_lower, even kernel, stride 2", {1, 3, 9, 8}, {4, 3, 4, 4}, 1, {{2, 2}, {1, 1}, {0, 0}, {0, 0}}, P::same_lower},
      {"same_upper, dilated, stride 3", {2, 2, 10, 11}, {3, 2, 3, 2}, 1, {{3, 3}, {2, 3}, {5, 5}, {5, 5}}, P::same_upper},
      {"same_lower 1-D", {1, 4, 13}, {2, 4, 4}, 1, {{3}, {1}, {7}, {7}}, P::same_lower},
      {"valid ignores pads", {1, 2, 8, 8}, {3, 2, 3, 3}, 1, {{2, 2}, {1, 1}, {4, 4}, {4, 4}}, P::valid},
      {"1x1 stride 1 (the data is the GEMM operand)", {2, 7, 6, 5}, {5, 7, 1, 1}, 1, {{1, 1}, {1, 1}, {0, 0}, {0, 0}},
       P::explicit_},
      {"1x1 stride 2 (ResNet projection)", {1, 8, 9, 9}, {6, 8, 1, 1}, 1, {{2, 2}, {1, 1}, {0, 0}, {0, 0}}, P::explicit_},
      {"1x1 with padding", {1, 3, 4, 4}, {2, 3, 1, 1}, 1, {{1, 1}, {1, 1}, {1, 2}, {2, 1}}, P::explicit_},
      {"groups 3, dilation 2", {2, 6, 9, 8}, {9, 2, 3, 3}, 3, {{1, 1}, {2, 2}, {2, 2}, {2, 2}}, P::explicit_},
      {"depthwise (groups = channels), stride 2", {1, 8, 10, 10}, {8, 1, 3, 3}, 8, {{2, 2}, {1, 1}, {1, 1}, {1, 1}},
       P::explicit_},
      {"groups 2, 1-D, same_upper", {3, 4, 9}, {6, 2, 2}, 2, {{2}, {1}, {0}, {0}}, P::same_upper},
      {"groups 2, 3-D", {1, 4, 4, 5, 3}, {4, 2, 2, 2, 2}, 2, {{1, 2, 1}, {1, 1, 2}, {1, 0, 1}, {0, 1, 0}}, P::explicit_},
      {"ResNet stem 7x7/2 pad 3", {1, 3, 32, 32}, {8, 3, 7, 7}, 1, {{2, 2}, {1, 1}, {3, 3}, {3, 3}}, P::explicit_},
      {"ResNet 3x3 pad 1 (threaded GEMM)", {1, 24, 20, 20}, {24, 24, 3, 3}, 1, {{1, 1}, {1, 1}, {1, 1}, {1, 1}},
       P::explicit_},
      {"ResNet 3x3/2 pad 1", {1, 16, 14, 14}, {24, 16, 3, 3}, 1, {{2, 2}, {1, 1}, {1, 1}, {1, 1}}, P::explicit_},
      {"kernel as large as the padded input", {1, 1, 3, 3}, {1, 1, 5, 5}, 1, {{1, 1}, {1, 1}, {1, 1}, {1, 1}},
       P::explicit_},
      {"im2col in chunks (columns > 2^23 elements)", {1, 16, 104, 104}, {1, 16, 7, 7}, 1,
       {{1, 1}, {1, 1}, {3, 3}, {3, 3}}, P::explicit_},
  };
  unsigned seed = 100;
  for (const auto& c : cases) check_forward(c, seed += 2);
}

TEST_CASE("kernels: Convolution on integers is exact, on f64 and f16 close; empty batches give empty outputs") {
  const window w{{1, 2}, {2, 1}, {1, 0}, {0, 1}};
  const tensor xi = random_ints<std::int32_t>({2, 3, 7, 6}, 3), wi = random_ints<std::int32_t>({4, 3, 2, 3}, 4);
  const tensor yi = run(ops::Convolution(w.strides, w.dilations, w.pads_begin, w.pads_end), xi, wi);
  CHECK(yi.type() == element_type::i32);
  const tensor ei = naive_conv(xi, wi, 1, w, w.pads_begin, spatial_of(yi));
  CHECK(yi.as_f64() == ei.as_f64());
  const tensor x8 = random_ints<std::int8_t>({1, 2, 5, 5}, 5), w8 = random_ints<std::int8_t>({2, 2, 1, 2}, 6); // |sum| <= 64: no wrap
  const tensor y8 = run(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), x8, w8);
  CHECK(y8.type() == element_type::i8);
  CHECK(y8.as_f64() == naive_conv(x8, w8, 1, {{1, 1}, {1, 1}, {0, 0}, {0, 0}}, {0, 0}, spatial_of(y8)).as_f64());

  const tensor x = random_f32({1, 3, 8, 9}, 7), k = random_f32({5, 3, 3, 3}, 8);
  const tensor d = run(ops::Convolution(w.strides, w.dilations, w.pads_begin, w.pads_end), to_f64(x), to_f64(k));
  CHECK(d.dims() == shape{1, 5, 5, 4});
  const tensor expected = naive_conv(x, k, 1, w, w.pads_begin, spatial_of(d));
  CHECK(d.type() == element_type::f64);
  check_close(d, expected, 1e-12, 1e-12);
  const tensor h = run(ops::Convolution(w.strides, w.dilations, w.pads_begin, w.pads_end), to_f16(x), to_f16(k));
  CHECK(h.type() == element_type::f16);
  check_close(h, naive_conv(to_f16(x), to_f16(k), 1, w, w.pads_begin, spatial_of(d)), 3e-3, 3e-3);

  const tensor empty = run(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), f32({0, 3, 4, 4}, {}),
                           random_f32({2, 3, 3, 3}, 9));
  CHECK(empty.dims() == shape{0, 2, 2, 2});
}

// ---- transposed convolutions -----------------------------------------------------------------

TEST_CASE("kernels: ConvolutionBackpropData by hand and the spec's examples") {
  // [1, 2] spread with stride 2 by the kernel [1, 1, 1]: [1, 1, 1+2, 2, 2]
  ops::ConvolutionBackpropData op;
  op.strides = {2};
  op.dilations = {1};
  op.pads_begin = {0};
  op.pads_end = {0};
  check_values(run(op, f32({1, 1, 2}, {1, 2}), f32({1, 1, 3}, {1, 1, 1})), {1, 1, 5}, {1, 1, 3, 2, 2});
  // pads crop the output: begin 1, end 1 -> [1, 3, 2]
  op.pads_begin = {1};
  op.pads_end = {1};
  check_values(run(op, f32({1, 1, 2}, {1, 2}), f32({1, 1, 3}, {1, 1, 1})), {1, 1, 3}, {1, 3, 2});
  // output_padding adds an element at the end, computed like the others (here no input reaches it)
  op.pads_begin = {0};
  op.pads_end = {0};
  op.output_padding = {1};
  check_values(run(op, f32({1, 1, 2}, {1, 2}), f32({1, 1, 3}, {1, 1, 1})), {1, 1, 6}, {1, 1, 3, 2, 2, 0});

  // Spec example 1: [1, 20, 224, 224], weights [20, 10, 3, 3], strides 2, pads 1 -> [1, 10, 447, 447]
  // (checked on a smaller image: 9 x 9 -> 17 x 17, against the scatter definition)
  ops::ConvolutionBackpropData e1;
  e1.strides = {2, 2};
  e1.dilations = {1, 1};
  e1.pads_begin = {1, 1};
  e1.pads_end = {1, 1};
  const tensor x1 = random_f32({1, 20, 9, 9}, 21), w1 = random_f32({20, 10, 3, 3}, 22);
  const tensor y1 = run(e1, x1, w1);
  CHECK(y1.dims() == shape{1, 10, 17, 17});
  check_close(y1, naive_backprop(x1, w1, 1, {{2, 2}, {1, 1}, {1, 1}, {1, 1}}, {1, 1}, {17, 17}));
  // Spec example 2: [1, 20, 2, 2], strides 3, output_padding 2 -> [1, 10, 8, 8]
  ops::ConvolutionBackpropData e2;
  e2.strides = {3, 3};
  e2.dilations = {1, 1};
  e2.pads_begin = {0, 0};
  e2.pads_end = {0, 0};
  e2.output_padding = {2, 2};
  const tensor x2 = random_f32({1, 20, 2, 2}, 23), w2 = random_f32({20, 10, 3, 3}, 24);
  const tensor y2 = run(e2, x2, w2);
  CHECK(y2.dims() == shape{1, 10, 8, 8});
  check_close(y2, naive_backprop(x2, w2, 1, {{3, 3}, {1, 1}, {0, 0}, {0, 0}}, {0, 0}, {8, 8}));
  // Spec example 3: auto_pad valid with output_shape [450, 450] (here [10, 10] for a 8 x 8 input)
  ops::ConvolutionBackpropData e3;
  e3.strides = {1, 1};
  e3.dilations = {1, 1};
  e3.pads_begin = {1, 1};
  e3.pads_end = {1, 1};
  e3.auto_pad = ops::pad_type::valid;
  const tensor x3 = random_f32({1, 20, 8, 8}, 25), w3 = random_f32({20, 10, 3, 3}, 26);
  const tensor y3 = run(e3, {{x3}, {w3}, {tensor::from_values<std::int64_t>({2}, {10, 10}), true}});
  CHECK(y3.dims() == shape{1, 10, 10, 10});
  check_close(y3, naive_backprop(x3, w3, 1, {{1, 1}, {1, 1}, {0, 0}, {0, 0}}, {0, 0}, {10, 10}));
}

namespace {
struct backprop_case {
  const char* name;
  shape data, weights; ///< weights [G*C, O, k...]
  std::int64_t groups;
  window w;
  ints output_padding;
  ops::pad_type mode;
  ints output_shape; ///< empty: none
};

template <class Op> Op backprop_op(const backprop_case& c) {
  Op op;
  op.strides = c.w.strides;
  op.dilations = c.w.dilations;
  op.pads_begin = c.w.pads_begin;
  op.pads_end = c.w.pads_end;
  op.auto_pad = c.mode;
  op.output_padding = c.output_padding;
  return op;
}

/// The begin padding of a transposed convolution (the spec's rules).
ints backprop_pads(const backprop_case& c, const shape& out) {
  ints pads;
  const std::size_t ns = c.data.size() - 2;
  for (std::size_t i = 0; i < ns; ++i) {
    if (c.mode == ops::pad_type::explicit_) {
      pads.push_back(c.w.pads_begin[i]);
    } else if (c.output_shape.empty() || c.mode == ops::pad_type::valid) {
      pads.push_back(0);
    } else {
      const std::int64_t dk = (c.weights[2 + i] - 1) * c.w.dilations[i] + 1;
      const std::int64_t op = c.output_padding.empty() ? 0 : c.output_padding[i];
      const std::int64_t total = std::max<std::int64_t>(0, c.w.strides[i] * (c.data[2 + i] - 1) + dk - out[i] + op);
      pads.push_back(c.mode == ops::pad_type::same_upper ? total - total / 2 : total / 2);
    }
  }
  return pads;
}
} // namespace

TEST_CASE("kernels: (Group)ConvolutionBackpropData match the scatter definition (strides, dilations, "
          "output_padding, output_shape, auto_pad)") {
  using P = ops::pad_type;
  const std::vector<backprop_case> cases{
      {"1-D, output_padding 1", {2, 3, 5}, {3, 2, 3}, 1, {{2}, {1}, {1}, {1}}, {1}, P::explicit_, {}},
      {"2-D strides (2,3), dilations (2,1)", {1, 4, 4, 3}, {4, 3, 3, 2}, 1, {{2, 3}, {2, 1}, {1, 0}, {0, 2}}, {1, 0},
       P::explicit_, {}},
      {"3-D stride 2", {1, 2, 3, 2, 3}, {2, 2, 2, 2, 2}, 1, {{2, 2, 2}, {1, 1, 1}, {0, 0, 1}, {1, 0, 0}}, {}, P::explicit_,
       {}},
      {"groups 2, 2-D", {2, 4, 3, 4}, {4, 3, 3, 3}, 2, {{2, 2}, {1, 2}, {1, 1}, {0, 1}}, {1, 1}, P::explicit_, {}},
      {"groups 3, 1-D", {1, 6, 5}, {6, 1, 2}, 3, {{3}, {1}, {0}, {0}}, {2}, P::explicit_, {}},
      {"same_upper without output_shape: no padding", {1, 2, 4, 4}, {2, 3, 3, 3}, 1, {{2, 2}, {1, 1}, {5, 5}, {5, 5}},
       {}, P::same_upper, {}},
      {"valid", {1, 2, 4, 4}, {2, 3, 3, 3}, 1, {{2, 2}, {1, 1}, {5, 5}, {5, 5}}, {}, P::valid, {}},
      {"output_shape with explicit pads", {1, 2, 4, 4}, {2, 3, 3, 3}, 1, {{2, 2}, {1, 1}, {1, 0}, {1, 0}}, {},
       P::explicit_, {9, 10}},
      {"output_shape, same_upper (odd total padding)", {1, 2, 4, 5}, {2, 3, 4, 3}, 1, {{2, 2}, {1, 1}, {0, 0}, {0, 0}},
       {}, P::same_upper, {8, 10}},
      {"output_shape, same_lower (odd total padding)", {1, 2, 4, 5}, {2, 3, 4, 3}, 1, {{2, 2}, {1, 1}, {0, 0}, {0, 0}},
       {}, P::same_lower, {8, 10}},
      {"output_shape larger than natural, same_upper", {1, 1, 3}, {1, 2, 3}, 1, {{2}, {1}, {0}, {0}}, {}, P::same_upper,
       {9}},
      {"groups 2, output_shape, same_lower, 3-D", {1, 2, 2, 3, 2}, {2, 2, 3, 2, 2}, 2,
       {{2, 1, 2}, {1, 2, 1}, {0, 0, 0}, {0, 0, 0}}, {}, P::same_lower, {4, 4, 4}},
      {"large (blocked GEMM, col2im)", {1, 24, 9, 9}, {24, 16, 4, 4}, 1, {{2, 2}, {1, 1}, {1, 1}, {1, 1}}, {},
       P::explicit_, {}},
  };
  unsigned seed = 300;
  for (const auto& c : cases) {
    INFO(std::string(c.name));
    const tensor x = random_f32(c.data, seed++), w = random_f32(c.weights, seed++);
    std::vector<input> in{{x}, {c.groups == 1 ? w : grouped(w, c.groups), true}};
    if (!c.output_shape.empty())
      in.push_back({tensor::from_values<std::int64_t>({static_cast<std::int64_t>(c.output_shape.size())}, c.output_shape),
                    true});
    const tensor y = c.groups == 1 ? run(backprop_op<ops::ConvolutionBackpropData>(c), in)
                                   : run(backprop_op<ops::GroupConvolutionBackpropData>(c), in);
    const shape out = spatial_of(y);
    if (!c.output_shape.empty()) CHECK(out == c.output_shape);
    check_close(y, naive_backprop(x, w, c.groups, c.w, backprop_pads(c, out), out));
  }
}

TEST_CASE("kernels: a transposed convolution is the adjoint of the convolution: <conv(x), y> = <x, conv^T(y)>") {
  struct adjoint_case {
    shape x, w; // forward weights [O, C, k...]
    window win;
  };
  const std::vector<adjoint_case> cases{
      {{1, 3, 11}, {2, 3, 3}, {{2}, {1}, {1}, {2}}},
      {{2, 4, 9, 8}, {5, 4, 3, 2}, {{2, 3}, {2, 1}, {1, 1}, {2, 0}}},
      {{1, 2, 5, 6, 5}, {3, 2, 2, 3, 2}, {{1, 2, 2}, {2, 1, 1}, {1, 0, 1}, {0, 1, 1}}},
  };
  unsigned seed = 500;
  for (const auto& c : cases) {
    const tensor x = random_f32(c.x, seed++), w = random_f32(c.w, seed++);
    const tensor fx =
        run(ops::Convolution(c.win.strides, c.win.dilations, c.win.pads_begin, c.win.pads_end), {{x}, {w, true}});
    const tensor y = random_f32(fx.dims(), seed++);
    // the same weights seen as [C_in = O, C_out = C, k...]; output_shape = x's spatial shape
    ops::ConvolutionBackpropData t;
    t.strides = c.win.strides;
    t.dilations = c.win.dilations;
    t.pads_begin = c.win.pads_begin;
    t.pads_end = c.win.pads_end;
    const shape xs = spatial_of(x);
    const tensor ty = run(t, {{y}, {w, true}, {tensor::from_values<std::int64_t>({static_cast<std::int64_t>(xs.size())}, xs), true}});
    REQUIRE(ty.dims() == x.dims());
    double lhs = 0, rhs = 0;
    const auto a = fx.as_f64(), b = y.as_f64(), p = x.as_f64(), q = ty.as_f64();
    for (std::size_t i = 0; i < a.size(); ++i) lhs += a[i] * b[i];
    for (std::size_t i = 0; i < p.size(); ++i) rhs += p[i] * q[i];
    INFO("<conv(x), y> = " << lhs << ", <x, conv^T(y)> = " << rhs);
    CHECK(std::fabs(lhs - rhs) <= 1e-4 * (1 + std::fabs(lhs)));
  }
}

TEST_CASE("kernels: transposed convolutions on integers are exact") {
  ops::GroupConvolutionBackpropData op;
  op.strides = {2, 1};
  op.dilations = {1, 2};
  op.pads_begin = {1, 0};
  op.pads_end = {0, 1};
  const tensor x = random_ints<std::int64_t>({1, 4, 3, 3}, 41), w = random_ints<std::int64_t>({4, 2, 2, 3}, 42);
  const tensor y = run(op, {{x}, {grouped(w, 2), true}});
  CHECK(y.type() == element_type::i64);
  CHECK(y.as_f64() == naive_backprop(x, w, 2, {{2, 1}, {1, 2}, {1, 0}, {0, 1}}, {1, 0}, spatial_of(y)).as_f64());
}

} // namespace test_kernels_conv_tests
