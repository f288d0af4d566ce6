// Reference kernels, compute-heavy part 2: MaxPool (opset1/8/14), AvgPool
// (opset1/14) and Interpolate (opset4/11). The specs' examples, hand-computed
// cases for every rounding, padding and exclude-pad rule, every interpolation
// mode, nearest_mode and coordinate_transformation_mode, antialias, pads,
// axes and the sizes/scales distinction; random pooling against a naive loop.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/core/half.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/interpolate.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/pooling.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/reference/evaluator.hpp"

using namespace irforge;

namespace test_kernels_pool_interp_tests {  // unity-build scope: file-local helpers stay apart

namespace {
using ints = std::vector<std::int64_t>;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Evaluates Parameter(x) [+ Constants] -> op -> Result per output; returns every output.
template <class Op> std::vector<tensor> run_all(Op op, const tensor& x, std::vector<tensor> constants = {}) {
  graph g("test");
  std::vector<output_ref> refs{{g.add(ops::Parameter{partial_shape(x.dims()), x.type()}, {}, "x"), 0}};
  for (std::size_t k = 0; k < constants.size(); ++k)
    refs.push_back({g.add(ops::Constant(constants[k]), {}, "c" + std::to_string(k)), 0});
  const auto n = g.add(std::move(op), std::move(refs), "op");
  for (std::uint32_t k = 0; k < g.node(n).outputs.size(); ++k) g.add(ops::Result{}, {{n, k}}, "out" + std::to_string(k));
  return reference::evaluate(g, std::vector<tensor>{x});
}
template <class Op> tensor run(Op op, const tensor& x, std::vector<tensor> constants = {}) {
  return run_all(std::move(op), x, std::move(constants)).at(0);
}

tensor f32(shape s, const std::vector<float>& v) { return tensor::from_values<float>(std::move(s), v); }
tensor i64s(const ints& v) { return tensor::from_values<std::int64_t>({static_cast<std::int64_t>(v.size())}, v); }
tensor f32s(const std::vector<float>& v) { return f32({static_cast<std::int64_t>(v.size())}, v); }

tensor random_f32(shape s, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(static_cast<std::size_t>(element_count(s)));
  for (auto& x : v) x = d(rng);
  return f32(std::move(s), v);
}

void check_values(const tensor& got, const shape& dims, const std::vector<double>& expected, double tol = 1e-5) {
  REQUIRE(got.dims() == dims);
  const auto g = got.as_f64();
  REQUIRE(g.size() == expected.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    INFO("element " << i << ": got " << g[i] << ", expected " << expected[i]);
    if (std::isnan(expected[i])) CHECK(std::isnan(g[i]));
    else if (std::isinf(expected[i])) CHECK(g[i] == expected[i]);
    else CHECK(std::fabs(g[i] - expected[i]) <= tol * (1 + std::fabs(expected[i])));
  }
}
void check_ints(const tensor& got, const shape& dims, const ints& expected) {
  REQUIRE(got.dims() == dims);
  CHECK(got.as_i64() == expected);
}

struct pool_window {
  ints kernel, strides, dilations, pads_begin, pads_end;
  ops::rounding_type rounding = ops::rounding_type::floor;
  ops::pad_type auto_pad = ops::pad_type::explicit_;
};
template <class Op> Op max_pool(const pool_window& w, std::int64_t axis = 0, element_type index = element_type::i64) {
  Op op;
  op.kernel = w.kernel;
  op.strides = w.strides;
  op.pads_begin = w.pads_begin;
  op.pads_end = w.pads_end;
  op.rounding_type = w.rounding;
  op.auto_pad = w.auto_pad;
  if constexpr (requires { op.dilations; }) {
    op.dilations = w.dilations;
    op.axis = axis;
    op.index_element_type = index;
  }
  return op;
}
template <class Op> Op avg_pool(const pool_window& w, bool exclude_pad) {
  Op op;
  op.kernel = w.kernel;
  op.strides = w.strides;
  op.pads_begin = w.pads_begin;
  op.pads_end = w.pads_end;
  op.rounding_type = w.rounding;
  op.auto_pad = w.auto_pad;
  op.exclude_pad = exclude_pad;
  return op;
}

const tensor spec_input = f32({1, 1, 3, 3}, {-1, 2, 3, 4, 5, -6, -7, 8, 9});
} // namespace

// ---- MaxPool ---------------------------------------------------------------------------

TEST_CASE("kernels: MaxPool-8 specification examples 1-7 (values and indices)") {
  using P = ops::pad_type;
  // 1: explicit pads 1, kernel 2. The spec prints -6 (index 5) at row 1, column 3, but that
  // window covers data (0, 2) = 3 and (1, 2) = -6 (the rest is padding): its maximum is 3 (index 2).
  auto r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}), spec_input);
  check_values(r[0], {1, 1, 4, 4}, {-1, 2, 3, 3, 4, 5, 5, 3, 4, 8, 9, 9, -7, 8, 9, 9});
  CHECK(r[1].type() == element_type::i64);
  check_ints(r[1], {1, 1, 4, 4}, {0, 1, 2, 2, 3, 4, 4, 2, 3, 7, 8, 8, 6, 7, 8, 8});
  // 2: 1-D, valid
  r = run_all(max_pool<ops::v8::MaxPool>({{3}, {1}, {1}, {}, {}, ops::rounding_type::floor, P::valid}),
              f32({1, 1, 7}, {-1, 2, 3, 5, -7, 9, 1}));
  check_values(r[0], {1, 1, 5}, {3, 5, 5, 9, 9});
  check_ints(r[1], {1, 1, 5}, {2, 3, 3, 5, 5});
  // 3: same_lower
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {}, {}, ops::rounding_type::floor, P::same_lower}),
              spec_input);
  check_values(r[0], {1, 1, 3, 3}, {-1, 2, 3, 4, 5, 5, 4, 8, 9});
  check_ints(r[1], {1, 1, 3, 3}, {0, 1, 2, 3, 4, 4, 3, 7, 8});
  // 4: same_upper, two channels (indices count through the channels)
  const tensor two = f32({1, 2, 3, 3}, {-1, 2, 3, 4, 5, -6, -7, 8, 9, 2, -1, 5, 6, -7, 1, 8, 2, -3});
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {}, {}, ops::rounding_type::floor, P::same_upper}), two);
  check_values(r[0], {1, 2, 3, 3}, {5, 5, 3, 8, 9, 9, 8, 9, 9, 6, 5, 5, 8, 2, 1, 8, 2, -3});
  check_ints(r[1], {1, 2, 3, 3}, {4, 4, 2, 7, 8, 8, 7, 8, 8, 12, 11, 11, 15, 16, 14, 15, 16, 17});
  // 5: valid with rounding ceil: the last windows hang over the edge
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {2, 2}, {1, 1}, {}, {}, ops::rounding_type::ceil, P::valid}), spec_input);
  check_values(r[0], {1, 1, 2, 2}, {5, 3, 8, 9});
  check_ints(r[1], {1, 1, 2, 2}, {4, 2, 7, 8});
  // 6: dilations 2 with pads 1
  const tensor nine = f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {2, 2}, {1, 1}, {1, 1}}), nine);
  check_values(r[0], {1, 1, 3, 3}, {5, 6, 5, 8, 9, 8, 5, 6, 5});
  check_ints(r[1], {1, 1, 3, 3}, {4, 5, 4, 7, 8, 7, 4, 5, 4});
  // 7: axis 2: indices within each channel
  const tensor eighteen = f32({1, 2, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {0, 0}, {0, 0}}, 2), eighteen);
  check_values(r[0], {1, 2, 2, 2}, {5, 6, 8, 9, 14, 15, 17, 18});
  check_ints(r[1], {1, 2, 2, 2}, {4, 5, 7, 8, 4, 5, 7, 8});
  // the same with axis -2 and i32 indices
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {0, 0}, {0, 0}}, -2, element_type::i32), eighteen);
  CHECK(r[1].type() == element_type::i32);
  check_ints(r[1], {1, 2, 2, 2}, {4, 5, 7, 8, 4, 5, 7, 8});
  // axis 1: modulo C*H*W (channel offsets kept), batch offsets dropped
  const tensor batch2 = f32({2, 1, 2, 2}, {1, 2, 3, 4, 8, 7, 6, 5});
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {0, 0}, {0, 0}}, 0), batch2);
  check_ints(r[1], {2, 1, 1, 1}, {3, 4});
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2}, {1, 1}, {1, 1}, {0, 0}, {0, 0}}, 1), batch2);
  check_ints(r[1], {2, 1, 1, 1}, {3, 0});
}

TEST_CASE("kernels: MaxPool-14 with ceil_torch drops the window that would start in the end padding; MaxPool-1") {
  const tensor nine = f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  auto r = run_all(max_pool<ops::MaxPool>({{2, 2}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, ops::rounding_type::ceil_torch}), nine);
  check_values(r[0], {1, 1, 2, 2}, {1, 3, 7, 9});
  check_ints(r[1], {1, 1, 2, 2}, {0, 2, 6, 8});
  // plain ceil keeps it: 3 x 3 windows; the last row and column of windows start at 3, in the end
  // padding, and hold no data element: the lowest float, index 0
  r = run_all(max_pool<ops::MaxPool>({{2, 2}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, ops::rounding_type::ceil}), nine);
  const double lo = std::numeric_limits<float>::lowest();
  check_values(r[0], {1, 1, 3, 3}, {1, 3, lo, 7, 9, lo, lo, lo, lo});
  check_ints(r[1], {1, 1, 3, 3}, {0, 2, 0, 6, 8, 0, 0, 0, 0});
  // MaxPool-1: one output, spec example 1 again
  const tensor y = run(max_pool<ops::v1::MaxPool>({{2, 2}, {1, 1}, {}, {1, 1}, {1, 1}}), spec_input);
  check_values(y, {1, 1, 4, 4}, {-1, 2, 3, 3, 4, 5, 5, 3, 4, 8, 9, 9, -7, 8, 9, 9});
}

TEST_CASE("kernels: MaxPool edge cases: NaN wins, -inf, windows with no data element, integers, f16, 3-D") {
  // NaN in a window wins; -inf is a value like others; ties keep the first index
  auto r = run_all(max_pool<ops::v8::MaxPool>({{2}, {2}, {1}, {0}, {0}}),
                   f32({1, 1, 6}, {1, static_cast<float>(nan), -INFINITY, -INFINITY, 4, 4}));
  check_values(r[0], {1, 1, 3}, {nan, -INFINITY, 4});
  check_ints(r[1], {1, 1, 3}, {1, 2, 4});
  // rounding ceil with stride 3 on 5 elements: the third window starts beyond the data (lowest value, index 0)
  r = run_all(max_pool<ops::v8::MaxPool>({{1}, {3}, {1}, {0}, {0}, ops::rounding_type::ceil}),
              f32({1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  const double lowest = std::numeric_limits<float>::lowest();
  check_values(r[0], {1, 2, 3}, {1, 4, lowest, 6, 9, lowest});
  check_ints(r[1], {1, 2, 3}, {0, 3, 0, 5, 8, 5});
  // integers keep their type; padding never wins even over the type's lowest value
  const tensor u8 = tensor::from_values<std::uint8_t>({1, 1, 4}, {0, 200, 3, 0});
  const tensor yu = run(max_pool<ops::v1::MaxPool>({{2}, {1}, {}, {1}, {1}}), u8);
  CHECK(yu.type() == element_type::u8);
  CHECK(yu.values<std::uint8_t>() == std::vector<std::uint8_t>{0, 200, 200, 3, 0});
  const tensor i32 = tensor::from_values<std::int32_t>({1, 1, 3}, {-2147483647 - 1, -5, -7});
  CHECK(run(max_pool<ops::v1::MaxPool>({{2}, {1}, {}, {1}, {0}}), i32).values<std::int32_t>() ==
        std::vector<std::int32_t>{-2147483647 - 1, -5, -5});
  // f16
  std::vector<std::uint16_t> bits;
  for (float v : {0.5f, -1.0f, 2.5f, 3.0f}) bits.push_back(f32_to_f16_bits(v));
  const tensor h = tensor::from_values<std::uint16_t>({1, 1, 4}, bits).reinterpreted(element_type::f16);
  const tensor yh = run(max_pool<ops::v1::MaxPool>({{2}, {2}, {}, {0}, {0}}), h);
  CHECK(yh.type() == element_type::f16);
  check_values(yh, {1, 1, 2}, {0.5, 3.0});
  // 3-D: 2 x 2 x 2 windows over a 3 x 3 x 3 cube (values = flat index) pick the far corner
  std::vector<float> cube(27);
  for (std::size_t i = 0; i < cube.size(); ++i) cube[i] = static_cast<float>(i);
  r = run_all(max_pool<ops::v8::MaxPool>({{2, 2, 2}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}}), f32({1, 1, 3, 3, 3}, cube));
  check_values(r[0], {1, 1, 2, 2, 2}, {13, 14, 16, 17, 22, 23, 25, 26});
  check_ints(r[1], {1, 1, 2, 2, 2}, {13, 14, 16, 17, 22, 23, 25, 26});
}

namespace {
/// Pooling by definition over explicit begin pads (the output shape taken from `out`).
std::pair<std::vector<double>, ints> naive_pool(const tensor& x, const shape& out, const pool_window& w, const ints& pads,
                                                bool max, bool exclude_pad, const ints& pads_end) {
  const shape& s = x.dims();
  const std::size_t ns = s.size() - 2;
  const auto v = x.as_f64();
  std::vector<double> values;
  ints indices;
  const std::int64_t planes = s[0] * s[1];
  std::int64_t in_pixels = 1, out_pixels = 1;
  for (std::size_t i = 0; i < ns; ++i) {
    in_pixels *= s[2 + i];
    out_pixels *= out[2 + i];
  }
  std::int64_t taps = 1;
  for (auto k : w.kernel) taps *= k;
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t o = 0; o < out_pixels; ++o) {
      ints oc(ns);
      for (std::size_t i = ns, rem = static_cast<std::size_t>(o); i-- > 0;) {
        oc[i] = static_cast<std::int64_t>(rem) % out[2 + i];
        rem /= static_cast<std::size_t>(out[2 + i]);
      }
      double best = -INFINITY, sum = 0;
      std::int64_t best_at = -1, count = 0, padded_count = 0;
      for (std::int64_t t = 0; t < taps; ++t) {
        std::int64_t rem = t, flat = 0;
        bool inside = true, in_padded = true;
        for (std::size_t i = ns; i-- > 0;) {
          const std::int64_t k = rem % w.kernel[i];
          rem /= w.kernel[i];
          const std::int64_t d = w.dilations.empty() ? 1 : w.dilations[i];
          const std::int64_t pos = oc[i] * w.strides[i] - pads[i] + k * d;
          if (pos < 0 || pos >= s[2 + i]) inside = false;
          if (pos >= s[2 + i] + pads_end[i]) in_padded = false;
        }
        std::int64_t mult = 1;
        rem = t;
        for (std::size_t i = ns; i-- > 0;) {
          const std::int64_t k = rem % w.kernel[i];
          rem /= w.kernel[i];
          const std::int64_t d = w.dilations.empty() ? 1 : w.dilations[i];
          flat += (oc[i] * w.strides[i] - pads[i] + k * d) * mult;
          mult *= s[2 + i];
        }
        if (in_padded) ++padded_count;
        if (!inside) continue;
        const double e = v[static_cast<std::size_t>(p * in_pixels + flat)];
        ++count;
        sum += e;
        if (best_at < 0 || e > best) {
          best = e;
          best_at = p * in_pixels + flat;
        }
      }
      if (max) { // no data element: the lowest value, index 0 of the channel (as OpenVINO)
        values.push_back(best_at < 0 ? static_cast<double>(std::numeric_limits<float>::lowest()) : best);
        indices.push_back(best_at < 0 ? p * in_pixels : best_at);
      } else {
        const std::int64_t n = exclude_pad ? count : padded_count;
        values.push_back(n == 0 ? 0.0 : sum / static_cast<double>(n));
      }
    }
  return {values, indices};
}
} // namespace

TEST_CASE("kernels: MaxPool and AvgPool match pooling by definition on random data (1-D, 2-D, 3-D)") {
  const std::vector<std::pair<shape, pool_window>> cases{
      {{2, 3, 13}, {{3}, {2}, {2}, {1}, {2}}},
      {{1, 2, 9, 8}, {{3, 2}, {2, 3}, {1, 2}, {1, 0}, {2, 1}, ops::rounding_type::ceil}},
      {{1, 2, 9, 8}, {{3, 2}, {2, 3}, {1, 1}, {1, 1}, {1, 1}, ops::rounding_type::ceil_torch}},
      {{1, 1, 5, 6, 7}, {{2, 3, 2}, {2, 1, 3}, {1, 2, 1}, {0, 1, 1}, {1, 1, 0}}},
      {{2, 2, 7, 7}, {{3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, ops::rounding_type::ceil}},
  };
  unsigned seed = 900;
  for (const auto& [s, w] : cases) {
    const std::string data_text = partial_shape(s).to_string(); // (clang 14: no structured bindings in INFO's lambda)
    INFO("data " << data_text);
    const tensor x = random_f32(s, seed++);
    const auto r = run_all(max_pool<ops::MaxPool>(w), x);
    const auto [mv, mi] = naive_pool(x, r[0].dims(), w, w.pads_begin, true, false, w.pads_end);
    check_values(r[0], r[0].dims(), mv, 1e-7);
    CHECK(r[1].as_i64() == mi);
    pool_window plain = w;
    plain.dilations.clear();
    for (bool exclude : {true, false}) {
      const tensor a = run(avg_pool<ops::AvgPool>(plain, exclude), x);
      const auto [av, ai] = naive_pool(x, a.dims(), plain, plain.pads_begin, false, exclude, plain.pads_end);
      check_values(a, a.dims(), av, 1e-6);
    }
  }
}

// ---- AvgPool ---------------------------------------------------------------------------

TEST_CASE("kernels: AvgPool by hand: exclude-pad, padding, auto_pad and ceil windows that run past the padding") {
  const tensor nine = f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  check_values(run(avg_pool<ops::v1::AvgPool>({{2, 2}, {1, 1}, {}, {0, 0}, {0, 0}}, true), nine), {1, 1, 2, 2},
               {3, 4, 6, 7});
  // pads 1: a corner window holds one element and three zeros of padding
  check_values(run(avg_pool<ops::v1::AvgPool>({{2, 2}, {2, 2}, {}, {1, 1}, {1, 1}}, true), nine), {1, 1, 2, 2},
               {1, 2.5, 5.5, 7});
  check_values(run(avg_pool<ops::v1::AvgPool>({{2, 2}, {2, 2}, {}, {1, 1}, {1, 1}}, false), nine), {1, 1, 2, 2},
               {0.25, 1.25, 2.75, 7});
  // 1-D [1, 2, 3, 4], kernel 3, stride 2, pads 1/1, rounding ceil: windows at -1, 1, 3;
  // the last covers 4, one pad and one position beyond the padding (never counted)
  const tensor four = f32({1, 1, 4}, {1, 2, 3, 4});
  const pool_window w{{3}, {2}, {}, {1}, {1}, ops::rounding_type::ceil};
  check_values(run(avg_pool<ops::v1::AvgPool>(w, true), four), {1, 1, 3}, {1.5, 3, 4});
  check_values(run(avg_pool<ops::v1::AvgPool>(w, false), four), {1, 1, 3}, {1, 3, 2});
  pool_window torch = w;
  torch.rounding = ops::rounding_type::ceil_torch;
  check_values(run(avg_pool<ops::AvgPool>(torch, false), four), {1, 1, 3}, {1, 3, 2});
  // without pads, rounding ceil: the overhanging window averages its data elements only
  const pool_window nopad{{2}, {2}, {}, {0}, {0}, ops::rounding_type::ceil};
  check_values(run(avg_pool<ops::v1::AvgPool>(nopad, false), f32({1, 1, 5}, {1, 2, 3, 4, 5})), {1, 1, 3}, {1.5, 3.5, 5});
  // same_upper (pads 0/1) and same_lower (pads 1/0), kernel 2 on 3 elements
  pool_window same{{2}, {1}, {}, {}, {}, ops::rounding_type::floor, ops::pad_type::same_upper};
  const tensor three = f32({1, 1, 3}, {2, 4, 8});
  check_values(run(avg_pool<ops::v1::AvgPool>(same, true), three), {1, 1, 3}, {3, 6, 8});
  check_values(run(avg_pool<ops::v1::AvgPool>(same, false), three), {1, 1, 3}, {3, 6, 4});
  same.auto_pad = ops::pad_type::same_lower;
  check_values(run(avg_pool<ops::v1::AvgPool>(same, true), three), {1, 1, 3}, {2, 3, 6});
  check_values(run(avg_pool<ops::v1::AvgPool>(same, false), three), {1, 1, 3}, {1, 3, 6});
  // valid ignores the pads
  const pool_window valid{{2}, {1}, {}, {5}, {5}, ops::rounding_type::floor, ops::pad_type::valid};
  check_values(run(avg_pool<ops::v1::AvgPool>(valid, false), three), {1, 1, 2}, {3, 6});
}

TEST_CASE("kernels: AvgPool on integers rounds half to even; f16 and empty batches") {
  const tensor x = tensor::from_values<std::int32_t>({1, 1, 6}, {1, 2, 2, 3, -1, -2});
  const tensor y = run(avg_pool<ops::v1::AvgPool>({{2}, {2}, {}, {0}, {0}}, true), x);
  CHECK(y.type() == element_type::i32);
  CHECK(y.values<std::int32_t>() == std::vector<std::int32_t>{2, 2, -2}); // 1.5, 2.5, -1.5
  const tensor u8 = tensor::from_values<std::uint8_t>({1, 1, 3}, {255, 255, 254});
  CHECK(run(avg_pool<ops::v1::AvgPool>({{3}, {1}, {}, {0}, {0}}, true), u8).values<std::uint8_t>() ==
        std::vector<std::uint8_t>{255}); // 254.67: no overflow in the sum
  std::vector<std::uint16_t> bits;
  for (float v : {1.0f, 2.0f, 4.0f, 8.0f}) bits.push_back(f32_to_f16_bits(v));
  const tensor h = tensor::from_values<std::uint16_t>({1, 1, 4}, bits).reinterpreted(element_type::f16);
  const tensor yh = run(avg_pool<ops::v1::AvgPool>({{2}, {2}, {}, {0}, {0}}, true), h);
  CHECK(yh.type() == element_type::f16);
  check_values(yh, {1, 1, 2}, {1.5, 6});
  CHECK(run(avg_pool<ops::v1::AvgPool>({{2}, {2}, {}, {0}, {0}}, true), f32({0, 2, 4}, {})).dims() == shape{0, 2, 2});
}

// ---- Interpolate ------------------------------------------------------------------------

namespace {
struct interp {
  ops::interpolate_mode mode = ops::interpolate_mode::nearest;
  ops::coordinate_transformation_mode ctm = ops::coordinate_transformation_mode::half_pixel;
  ops::nearest_mode nearest = ops::nearest_mode::round_prefer_floor;
  bool antialias = false;
  ints pads_begin, pads_end;
  double cube_coeff = -0.75;
};
template <class Op> Op make(const interp& a, ops::shape_calculation_mode calc) {
  Op op;
  op.mode = a.mode;
  op.shape_calculation_mode = calc;
  op.coordinate_transformation_mode = a.ctm;
  op.nearest_mode = a.nearest;
  op.antialias = a.antialias;
  op.pads_begin = a.pads_begin;
  op.pads_end = a.pads_end;
  op.cube_coeff = a.cube_coeff;
  return op;
}
/// Interpolate-4 in sizes mode (the scales input present but unused).
tensor by_sizes(const tensor& x, const interp& a, const ints& sizes, std::optional<ints> axes = std::nullopt) {
  std::vector<tensor> c{i64s(sizes), f32s(std::vector<float>(sizes.size(), 1.0f))};
  if (axes) c.push_back(i64s(*axes));
  return run(make<ops::v4::Interpolate>(a, ops::shape_calculation_mode::sizes), x, c);
}
/// Interpolate-4 in scales mode (the sizes input present but unused).
tensor by_scales(const tensor& x, const interp& a, const std::vector<float>& scales, std::optional<ints> axes = std::nullopt) {
  std::vector<tensor> c{i64s(ints(scales.size(), 1)), f32s(scales)};
  if (axes) c.push_back(i64s(*axes));
  return run(make<ops::v4::Interpolate>(a, ops::shape_calculation_mode::scales), x, c);
}
/// Interpolate-11 in sizes mode.
tensor v11_sizes(const tensor& x, const interp& a, const ints& sizes, std::optional<ints> axes = std::nullopt) {
  std::vector<tensor> c{i64s(sizes)};
  if (axes) c.push_back(i64s(*axes));
  return run(make<ops::Interpolate>(a, ops::shape_calculation_mode::sizes), x, c);
}

const tensor ramp4 = f32({4}, {10, 20, 30, 40});
} // namespace

TEST_CASE("kernels: Interpolate nearest: every nearest_mode on an upsampling and a downsampling") {
  using N = ops::nearest_mode;
  // 4 -> 6, half_pixel: source coordinates -0.1667, 0.5, 1.1667, 1.8333, 2.5, 3.1667
  const std::vector<std::pair<N, std::vector<double>>> up{
      {N::round_prefer_floor, {10, 10, 20, 30, 30, 40}}, {N::round_prefer_ceil, {10, 20, 20, 30, 40, 40}},
      {N::floor, {10, 10, 20, 20, 30, 40}},              {N::ceil, {10, 20, 30, 30, 40, 40}},
      {N::simple, {10, 10, 20, 20, 30, 40}},
  };
  for (const auto& [mode, expected] : up) {
    const std::string mode_text = attr::format(mode);
    INFO("nearest_mode " << mode_text);
    interp a;
    a.nearest = mode;
    check_values(by_sizes(ramp4, a, {6}), {6}, expected);
  }
  // 4 -> 2, half_pixel: source coordinates 0.5 and 2.5; "simple" rounds up when downsampling
  interp a;
  check_values(by_sizes(ramp4, a, {2}), {2}, {10, 30});
  a.nearest = N::simple;
  check_values(by_sizes(ramp4, a, {2}), {2}, {20, 40});
  a.nearest = N::round_prefer_ceil;
  check_values(by_sizes(ramp4, a, {2}), {2}, {20, 40});
  // 2-D upsampling of a 2 x 2 image (asymmetric, floor): every pixel becomes a 2 x 2 block
  interp b;
  b.ctm = ops::coordinate_transformation_mode::asymmetric;
  b.nearest = N::floor;
  check_values(by_scales(f32({1, 1, 2, 2}, {1, 2, 3, 4}), b, {2, 2}, ints{2, 3}), {1, 1, 4, 4},
               {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  // integers are copied exactly
  const tensor big = tensor::from_values<std::int64_t>({2}, {9007199254740993, -3});
  CHECK(by_sizes(big, b, {4}).as_i64() == ints{9007199254740993, 9007199254740993, -3, -3});
}

TEST_CASE("kernels: Interpolate coordinate_transformation_mode (linear_onnx on 4 -> 3 and 4 -> 1)") {
  using C = ops::coordinate_transformation_mode;
  const tensor x = f32({4}, {0, 10, 20, 30});
  interp a;
  a.mode = ops::interpolate_mode::linear_onnx;
  const std::vector<std::pair<C, std::vector<double>>> cases{
      {C::half_pixel, {5.0 / 3.0, 15, 85.0 / 3.0}}, // x = 0.1667, 1.5, 2.8333
      {C::pytorch_half_pixel, {5.0 / 3.0, 15, 85.0 / 3.0}},
      {C::asymmetric, {0, 40.0 / 3.0, 80.0 / 3.0}}, // x = 0, 1.333, 2.667
      {C::tf_half_pixel_for_nn, {20.0 / 3.0, 20, 30}}, // x = 0.667, 2, 3.333 (clamped to 3)
      {C::align_corners, {0, 15, 30}},                 // x = 0, 1.5, 3
  };
  for (const auto& [mode, expected] : cases) {
    const std::string mode_text = attr::format(mode);
    INFO("coordinate_transformation_mode " << mode_text);
    a.ctm = mode;
    check_values(by_sizes(x, a, {3}), {3}, expected);
  }
  // a single output element: pytorch_half_pixel and align_corners read coordinate 0
  a.ctm = C::half_pixel;
  check_values(by_sizes(x, a, {1}), {1}, {15}); // x = 0.5 / 0.25 - 0.5 = 1.5
  a.ctm = C::pytorch_half_pixel;
  check_values(by_sizes(x, a, {1}), {1}, {0});
  a.ctm = C::align_corners;
  check_values(by_sizes(x, a, {1}), {1}, {0});
}

TEST_CASE("kernels: Interpolate linear_onnx (ONNX's 2-D upsampling example), sizes versus scales") {
  interp a;
  a.mode = ops::interpolate_mode::linear_onnx;
  check_values(by_scales(f32({1, 1, 2, 2}, {1, 2, 3, 4}), a, {1, 1, 2, 2}), {1, 1, 4, 4},
               {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4});
  // scales mode: 4 * 0.6 -> 2 elements, but the coordinates use the scale 0.6 itself;
  // sizes mode with the same size uses 2 / 4 = 0.5
  const tensor x = f32({4}, {0, 10, 20, 30});
  check_values(by_scales(x, a, {0.6f}), {2}, {10.0 / 3.0, 20}); // x = 0.3333, 2.0
  check_values(by_sizes(x, a, {2}), {2}, {5, 25});              // x = 0.5, 2.5
}

TEST_CASE("kernels: Interpolate cubic: Keys' kernel with cube_coeff, edge clamping, integer truncation and saturation") {
  interp a;
  a.mode = ops::interpolate_mode::cubic;
  a.ctm = ops::coordinate_transformation_mode::asymmetric;
  // source coordinates 0, 0.5, ..., 3.5 over [0, 1, 2, 3]; inside, a linear ramp is reproduced
  check_values(by_scales(f32({4}, {0, 1, 2, 3}), a, {2}), {8}, {0, 0.40625, 1, 1.5, 2, 2.59375, 3, 3.09375});
  a.cube_coeff = -0.5;
  check_values(by_scales(f32({4}, {0, 1, 2, 3}), a, {2}), {8}, {0, 0.4375, 1, 1.5, 2, 2.5625, 3, 3.0625});
  a.cube_coeff = -0.75;
  // integers: truncated (309.375 -> 309, 40.625 -> 40) and saturated (u8)
  const tensor i = tensor::from_values<std::int32_t>({4}, {0, 100, 200, 300});
  CHECK(by_scales(i, a, {2}).as_i64() == ints{0, 40, 100, 150, 200, 259, 300, 309});
  const tensor u = tensor::from_values<std::uint8_t>({4}, {255, 255, 0, 0});
  CHECK(by_scales(u, a, {2}).as_i64() == ints{255, 255, 255, 127, 0, 0, 0, 0});
}

TEST_CASE("kernels: Interpolate linear: triangle filter, antialias stretches it when downsampling") {
  interp a;
  a.mode = ops::interpolate_mode::linear;
  const tensor x = f32({8}, {0, 1, 2, 3, 4, 5, 6, 7});
  // 8 -> 4, half_pixel: source coordinates 0.5, 2.5, 4.5, 6.5
  check_values(by_sizes(x, a, {4}), {4}, {0.5, 2.5, 4.5, 6.5});
  a.antialias = true; // triangle of half-width 2, weights renormalised at the edges
  check_values(by_sizes(x, a, {4}), {4}, {1.25 / 1.75, 2.5, 4.5, 11.0 / 1.75});
  // upsampling ignores antialias: plain linear interpolation, 2 -> 4
  check_values(by_sizes(f32({2}, {0, 8}), a, {4}), {4}, {0, 2, 6, 8});
  // integers are rounded: 0.714 -> 1, 6.286 -> 6
  const tensor xi = tensor::from_values<std::int32_t>({8}, {0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(by_sizes(xi, a, {4}).as_i64() == ints{1, 3, 5, 6}); // 2.5 and 4.5 round away from zero
}

TEST_CASE("kernels: Interpolate pads_begin / pads_end (cut or zero-extended to the rank) and the order of axes") {
  interp a;
  a.pads_begin = {1, 7}; // only the first value counts for rank 1
  a.pads_end = {2};
  check_values(by_sizes(f32({2}, {1, 2}), a, {5}), {5}, {0, 1, 2, 0, 0});
  interp l;
  l.mode = ops::interpolate_mode::linear_onnx;
  l.pads_begin = {1};
  l.pads_end = {1};
  check_values(by_sizes(f32({2}, {2, 4}), l, {2}), {2}, {1, 2}); // [0, 2, 4, 0] at 0.5 and 2.5
  // pads on a non-interpolated axis just add zeros there
  interp p;
  p.pads_begin = {1, 0};
  check_values(by_sizes(f32({1, 2}, {5, 6}), p, {4}, ints{1}), {2, 4}, {0, 0, 0, 0, 5, 5, 6, 6});

  // axes in any order map to the sizes in the same order
  interp b;
  b.ctm = ops::coordinate_transformation_mode::asymmetric;
  b.nearest = ops::nearest_mode::floor;
  const tensor img = f32({2, 2}, {1, 2, 3, 4});
  check_values(by_sizes(img, b, {4, 1}, ints{1, 0}), {1, 4}, {1, 1, 2, 2});
  check_values(by_scales(img, b, {2.0f, 0.5f}, ints{1, 0}), {1, 4}, {1, 1, 2, 2});
}

TEST_CASE("kernels: Interpolate-11: sizes from input 1, bilinear_pillow and bicubic_pillow") {
  interp a;
  a.mode = ops::interpolate_mode::nearest;
  check_values(v11_sizes(ramp4, a, {2}), {2}, {10, 30});
  // Pillow's filters: 1 x 4 -> 1 x 2, the H axis (unchanged) is left alone
  const tensor row = f32({1, 4}, {0, 10, 20, 30});
  a.mode = ops::interpolate_mode::bilinear_pillow;
  check_values(v11_sizes(row, a, {1, 2}, ints{0, 1}), {1, 2}, {50.0 / 7.0, 160.0 / 7.0});
  a.mode = ops::interpolate_mode::bicubic_pillow;
  a.cube_coeff = -0.5;
  check_values(v11_sizes(row, a, {1, 2}, ints{0, 1}), {1, 2}, {11.09375 / 1.890625, 45.625 / 1.890625});
  // scales mode reads input 1 as scales; Pillow's coefficients only depend on the sizes
  check_values(run(make<ops::Interpolate>(a, ops::shape_calculation_mode::scales), row, {f32s({1.0f, 0.5f}), i64s({0, 1})}),
               {1, 2}, {11.09375 / 1.890625, 45.625 / 1.890625});
  // the same along H, with W unchanged, and on a batch of images (N, C, H, W)
  const tensor col = f32({1, 2, 4, 1}, {0, 10, 20, 30, 0, 1, 2, 3});
  a.mode = ops::interpolate_mode::bilinear_pillow;
  check_values(v11_sizes(col, a, {2, 1}, ints{2, 3}), {1, 2, 2, 1}, {50.0 / 7.0, 160.0 / 7.0, 5.0 / 7.0, 16.0 / 7.0});
  // integers are rounded
  const tensor u = tensor::from_values<std::uint8_t>({1, 4}, {0, 10, 20, 30});
  CHECK(v11_sizes(u, a, {1, 2}, ints{0, 1}).as_i64() == ints{7, 23});
  // exactly two axes
  CHECK_THROWS_AS(v11_sizes(row, a, {2}, ints{1}), error);
}

TEST_CASE("kernels: Interpolate on f16 and f64 data, empty outputs, and a 3-D linear_onnx resize") {
  interp a;
  a.mode = ops::interpolate_mode::linear_onnx;
  std::vector<std::uint16_t> bits;
  for (float v : {0.0f, 10.0f, 20.0f, 30.0f}) bits.push_back(f32_to_f16_bits(v));
  const tensor h = tensor::from_values<std::uint16_t>({4}, bits).reinterpreted(element_type::f16);
  const tensor yh = by_sizes(h, a, {2});
  CHECK(yh.type() == element_type::f16);
  check_values(yh, {2}, {5, 25});
  const tensor d = by_sizes(tensor::from_values<double>({4}, {0, 10, 20, 30}), a, {2});
  CHECK(d.type() == element_type::f64);
  check_values(d, {2}, {5, 25}, 1e-12);
  CHECK(by_sizes(ramp4, a, {0}).dims() == shape{0});
  // 2 x 2 x 2 cube -> 4 x 4 x 4 (half_pixel): the corners keep their values, the centre is the mean
  const tensor cube = f32({1, 1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  const tensor y = by_scales(cube, a, {2, 2, 2}, ints{2, 3, 4});
  REQUIRE(y.dims() == shape{1, 1, 4, 4, 4});
  const auto v = y.as_f64();
  CHECK(v.front() == doctest::Approx(0));
  CHECK(v.back() == doctest::Approx(7));
  // element (1, 1, 1) sits at source (0.25, 0.25, 0.25): 0.25 * (4 + 2 + 1) = 1.75
  CHECK(v[1 * 16 + 1 * 4 + 1] == doctest::Approx(1.75));
}

} // namespace test_kernels_pool_interp_tests
