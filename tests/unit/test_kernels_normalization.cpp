// Reference kernels, part 2: reductions, Softmax / LogSoftmax,
// BatchNormInference (both port orders), LRN, MVN, NormalizeL2 and CumSum.
// Expected values computed by hand from the opset specifications' formulas;
// axes negative, repeated and empty, keep_dims, empty sets, integer rules.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/core/half.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"
#include "irforge/reference/evaluator.hpp"

using namespace irforge;

namespace test_kernels_normalization_tests {  // unity-build scope: file-local helpers stay apart

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

/// One input of an op under test: a model input (Parameter) or a Constant.
struct input {
  tensor value;
  bool constant = false;
};
input konst(tensor t) { return {std::move(t), true}; }

/// Builds Parameter/Constant -> op -> Result and evaluates it.
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

/// Runs a kernel directly (bypassing the op's infer) with the given output type and shape.
template <class Op> tensor run_kernel(const Op& op, std::vector<tensor> inputs, element_type out_type, shape out_shape) {
  reference::kernel_context ctx(std::span<const tensor>(inputs), {value_info{out_type, partial_shape(out_shape), nullptr}},
                                "k", Op::type_name);
  reference::kernel<Op>::run(op, ctx);
  return ctx.take_outputs().at(0);
}

tensor f32(shape s, std::vector<float> v) { return tensor::from_values<float>(std::move(s), v); }
tensor f32(std::vector<float> v) { const auto n = static_cast<std::int64_t>(v.size()); return f32({n}, std::move(v)); }
tensor axes(std::vector<std::int64_t> v) {
  const auto n = static_cast<std::int64_t>(v.size());
  return tensor::from_values<std::int64_t>({n}, v);
}
template <class T> tensor ints(shape s, std::vector<T> v) { return tensor::from_values<T>(std::move(s), v); }

/// Every element close to the expected value (relative tolerance; NaN matches NaN, inf must be equal).
void check_close(const tensor& t, const std::vector<double>& expected, double rtol = 1e-6) {
  const auto got = t.as_f64();
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i << ": got " << got[i] << ", expected " << expected[i]);
    if (std::isnan(expected[i])) CHECK(std::isnan(got[i]));
    else if (std::isinf(expected[i])) CHECK(got[i] == expected[i]);
    else CHECK(std::fabs(got[i] - expected[i]) <= rtol * std::fabs(expected[i]) + 1e-12);
  }
}

const tensor m23 = tensor::from_values<float>({2, 3}, {1, 2, 3, 4, 5, 6});
} // namespace

// ---- reductions ----------------------------------------------------------------------

TEST_CASE("kernels: ReduceSum with keep_dims, negative, repeated, all and empty axes") {
  tensor y = run(ops::ReduceSum(false), {{m23}, konst(axes({1}))});
  CHECK(y.dims() == shape{2});
  check_close(y, {6, 15});
  y = run(ops::ReduceSum(true), {{m23}, konst(axes({0}))});
  CHECK(y.dims() == shape{1, 3});
  check_close(y, {5, 7, 9});
  y = run(ops::ReduceSum(false), {{m23}, konst(axes({-1, 1, -1}))}); // repeated: reduced once
  CHECK(y.dims() == shape{2});
  check_close(y, {6, 15});
  y = run(ops::ReduceSum(false), {{m23}, konst(axes({0, 1}))});
  CHECK(y.dims() == shape{});
  check_close(y, {21});
  y = run(ops::ReduceSum(true), {{m23}, konst(axes({}))}); // no axes: nothing is reduced
  CHECK(y.dims() == shape{2, 3});
  check_close(y, {1, 2, 3, 4, 5, 6});
  // axes computed at run time (a model input), as a scalar
  y = run(ops::ReduceSum(false), {{m23}, {tensor::scalar<std::int32_t>(-2)}});
  CHECK(y.dims() == shape{3});
  check_close(y, {5, 7, 9});
  // a scalar input with no axes
  check_close(run(ops::ReduceSum(false), {{tensor::scalar<float>(2.5f)}, konst(axes({}))}), {2.5});
}

TEST_CASE("kernels: ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2 on floats") {
  const tensor x = f32({2, 3}, {1, -2, 3, -4, 5, 6});
  check_close(run(ops::ReduceMean(false), {{x}, konst(axes({1}))}), {2.0 / 3, 7.0 / 3});
  check_close(run(ops::ReduceMax(false), {{x}, konst(axes({1}))}), {3, 6});
  check_close(run(ops::ReduceMin(false), {{x}, konst(axes({1}))}), {-2, -4});
  check_close(run(ops::ReduceProd(false), {{x}, konst(axes({1}))}), {-6, -120});
  check_close(run(ops::ReduceL1(false), {{x}, konst(axes({1}))}), {6, 15});
  check_close(run(ops::ReduceL2(false), {{x}, konst(axes({1}))}), {std::sqrt(14.0), std::sqrt(77.0)});
  // with no axes L1 and L2 reduce single elements: |x|
  check_close(run(ops::ReduceL2(true), {{f32({-3, 4})}, konst(axes({}))}), {3, 4});
  check_close(run(ops::ReduceL1(true), {{f32({-3, 4})}, konst(axes({}))}), {3, 4});
  // NaN propagates through Max and Min
  check_close(run(ops::ReduceMax(false), {{f32({1, static_cast<float>(nan), 3})}, konst(axes({0}))}), {nan});
  check_close(run(ops::ReduceMin(false), {{f32({static_cast<float>(nan), 1})}, konst(axes({0}))}), {nan});
  // f16 data accumulates in double
  std::vector<std::uint16_t> bits;
  for (float v : {0.1f, 0.2f, 0.3f, 0.4f}) bits.push_back(f32_to_f16_bits(v));
  const tensor h = tensor::from_values<std::uint16_t>({4}, bits).reinterpreted(element_type::f16);
  const tensor s = run(ops::ReduceSum(false), {{h}, konst(axes({0}))});
  CHECK(s.type() == element_type::f16);
  check_close(s, {1.0});
}

TEST_CASE("kernels: reductions over an empty set give the identity of the operation") {
  const tensor e = f32({2, 0}, {});
  check_close(run(ops::ReduceSum(false), {{e}, konst(axes({1}))}), {0, 0});
  check_close(run(ops::ReduceProd(false), {{e}, konst(axes({1}))}), {1, 1});
  check_close(run(ops::ReduceMax(false), {{e}, konst(axes({1}))}), {-inf, -inf});
  check_close(run(ops::ReduceMin(false), {{e}, konst(axes({1}))}), {inf, inf});
  check_close(run(ops::ReduceMean(false), {{e}, konst(axes({1}))}), {nan, nan});
  check_close(run(ops::ReduceL2(false), {{e}, konst(axes({1}))}), {0, 0});
  const tensor ei = ints<std::int32_t>({2, 0}, {});
  CHECK(run(ops::ReduceMax(false), {{ei}, konst(axes({1}))}).values<std::int32_t>() ==
        std::vector<std::int32_t>(2, std::numeric_limits<std::int32_t>::lowest()));
  CHECK(run(ops::ReduceMean(false), {{ei}, konst(axes({1}))}).values<std::int32_t>() == std::vector<std::int32_t>{0, 0});
  // reducing the non-empty axis of an empty tensor gives an empty tensor
  CHECK(run(ops::ReduceSum(true), {{e}, konst(axes({0}))}).dims() == shape{1, 0});
}

TEST_CASE("kernels: integer reductions wrap like the type and truncate the mean") {
  using v32 = std::vector<std::int32_t>;
  const tensor x = ints<std::int32_t>({2, 2}, {1, 2, -1, -2});
  CHECK(run(ops::ReduceMean(false), {{x}, konst(axes({1}))}).values<std::int32_t>() == v32{1, -1});
  CHECK(run(ops::ReduceSum(false), {{x}, konst(axes({0}))}).values<std::int32_t>() == v32{0, 0});
  CHECK(run(ops::ReduceL1(false), {{x}, konst(axes({1}))}).values<std::int32_t>() == v32{3, 3});
  // sqrt(1 + 1) = 1.41 is truncated; sqrt(9 + 16) = 5
  CHECK(run(ops::ReduceL2(false), {{ints<std::int32_t>({2, 2}, {1, 1, 3, 4})}, konst(axes({1}))}).values<std::int32_t>() == v32{1, 5});
  // 16 * 16 = 256 = 0 (mod 256); 100 + 100 = 200 = -56 (mod 256); the mean's sum does not wrap
  const tensor b = ints<std::int8_t>({2, 2}, {16, 16, 100, 100});
  CHECK(run(ops::ReduceProd(false), {{b}, konst(axes({1}))}).values<std::int8_t>() == std::vector<std::int8_t>{0, 16});
  CHECK(run(ops::ReduceSum(false), {{b}, konst(axes({1}))}).values<std::int8_t>() == std::vector<std::int8_t>{32, -56});
  CHECK(run(ops::ReduceMean(false), {{b}, konst(axes({1}))}).values<std::int8_t>() == std::vector<std::int8_t>{16, 100});
  CHECK(run(ops::ReduceMin(false), {{ints<std::uint8_t>({3}, {7, 3, 9})}, konst(axes({0}))}).values<std::uint8_t>() ==
        std::vector<std::uint8_t>{3});
}

TEST_CASE("kernels: ReduceLogicalAnd and ReduceLogicalOr; an axis out of range is an error") {
  const tensor b = tensor::from_values<bool>({2, 2}, {true, false, true, true});
  CHECK(run(ops::ReduceLogicalAnd(false), {{b}, konst(axes({1}))}).values<std::uint8_t>() == std::vector<std::uint8_t>{0, 1});
  CHECK(run(ops::ReduceLogicalOr(true), {{b}, konst(axes({0}))}).values<std::uint8_t>() == std::vector<std::uint8_t>{1, 1});
  CHECK(run(ops::ReduceLogicalAnd(false), {{tensor::from_values<bool>({0}, {})}, konst(axes({0}))}).values<std::uint8_t>() ==
        std::vector<std::uint8_t>{1});
  CHECK_THROWS_WITH_AS(run_kernel(ops::ReduceSum(false), {m23, axes({2})}, element_type::f32, {2}),
                       doctest::Contains("axis 2 is out of range for data shape [2,3]"), error);
  CHECK_THROWS_WITH_AS(run_kernel(ops::ReduceSum(false), {m23, axes({-3})}, element_type::f32, {2}),
                       doctest::Contains("axis -3 is out of range"), error);
}

// ---- Softmax -------------------------------------------------------------------------

TEST_CASE("kernels: Softmax-8 and SoftMax-1 are numerically stable; LogSoftmax") {
  const tensor x = f32({2, 3}, {1, 2, 3, 1000, 1000, 1000});
  check_close(run(ops::Softmax(-1), {{x}}),
              {0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 1.0 / 3, 1.0 / 3, 1.0 / 3});
  check_close(run(ops::v1::Softmax(1), {{x}}),
              {0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 1.0 / 3, 1.0 / 3, 1.0 / 3});
  // over axis 0: columns
  const double a = 1 / (1 + std::exp(-2.0));
  check_close(run(ops::v1::Softmax(0), {{f32({2, 2}, {1, 2, 3, 4})}}), {1 - a, 1 - a, a, a});
  check_close(run(ops::LogSoftmax(1), {{f32({1, 3}, {1, 2, 3})}}), {-2.40760596444438, -1.4076059644443801, -0.40760596444438013});
  check_close(run(ops::LogSoftmax(-1), {{f32({1, 2}, {-1000, 0})}}), {-1000, 0}); // no underflow to log(0)
  // the middle axis of [2,3,2]: every (n, k) column sums to 1
  std::vector<float> v(12);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 5) - 2.0f;
  const auto y = run(ops::Softmax(1), {{f32({2, 3, 2}, v)}}).values<float>();
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t k = 0; k < 2; ++k)
      CHECK(y[n * 6 + k] + y[n * 6 + 2 + k] + y[n * 6 + 4 + k] == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(run(ops::Softmax(1), {{f32({0, 3}, {})}}).dims() == shape{0, 3});
  CHECK_THROWS_WITH_AS(run_kernel(ops::v1::Softmax(-1), {x}, element_type::f32, {2, 3}),
                       doctest::Contains("must be 0 or more"), error);
}

// ---- normalizations ------------------------------------------------------------------

TEST_CASE("kernels: BatchNormInference v5 (data first) and v1 (data third) give the same result") {
  // per channel: gamma * (x - mean) / sqrt(var + eps) + beta
  const tensor data = f32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  const tensor gamma = f32({1, 2}), beta = f32({0, 1}), mean = f32({1, 3}), var = f32({3, 0});
  const std::vector<double> expected{0, 0.5, 1, 3, 2, 2.5, 9, 11};
  check_close(run(ops::BatchNormInference(1.0), {{data}, konst(gamma), konst(beta), konst(mean), konst(var)}), expected);
  check_close(run(ops::v1::BatchNormInference(1.0), {konst(gamma), konst(beta), {data}, konst(mean), konst(var)}), expected);
  // rank 2 (no spatial dimensions) and eps 0
  check_close(run(ops::BatchNormInference(0.0), {{f32({1, 2}, {5, 5})}, konst(f32({2, 2})), konst(f32({1, 1})),
                                                  konst(f32({1, 3})), konst(f32({4, 1}))}),
              {5, 5});
}

TEST_CASE("kernels: LRN over channels and over spatial axes, alpha divided by size per axis") {
  // axes [1], size 3, alpha 3 (alpha / size = 1), beta 1, bias 1: x / (1 + sum of squares in the window)
  const tensor x = f32({1, 4, 1, 1}, {1, 2, 3, 4});
  check_close(run(ops::LRN(3, 1, 1, 3), {{x}, konst(axes({1}))}), {1.0 / 6, 2.0 / 15, 0.1, 4.0 / 26});
  // axes [2,3], size 3: every window of a 2x2 map covers the map (sum 30); alpha 9 / 3^2 = 1
  const tensor m = f32({1, 1, 2, 2}, {1, 2, 3, 4});
  const double d = std::sqrt(2.0 + 30.0);
  check_close(run(ops::LRN(9, 0.5, 2, 3), {{m}, konst(axes({2, 3}))}), {1 / d, 2 / d, 3 / d, 4 / d});
  // an even size: the window is (size - 1) / 2 = 0 to each side, as OpenVINO's reference does
  check_close(run(ops::LRN(2, 1, 1, 2), {{x}, konst(axes({1}))}), {1.0 / 2, 2.0 / 5, 3.0 / 10, 4.0 / 17});
  // negative axes name the same dimension
  check_close(run(ops::LRN(3, 1, 1, 3), {{x}, konst(axes({-3}))}), {1.0 / 6, 2.0 / 15, 0.1, 4.0 / 26});
}

TEST_CASE("kernels: MVN subtracts the mean and divides by sqrt(var + eps) or sqrt(var) + eps") {
  const tensor x = f32({2, 2}, {1, 2, 3, 7});
  // rows: mean 1.5, variance 0.25; mean 5, variance 4
  check_close(run(ops::MVN(true, 0.0f, ops::mvn_eps_mode::inside_sqrt), {{x}, konst(axes({1}))}), {-1, 1, -1, 1});
  check_close(run(ops::MVN(true, 0.75f, ops::mvn_eps_mode::inside_sqrt), {{x}, konst(axes({-1}))}), {-0.5, 0.5, -2 / std::sqrt(4.75), 2 / std::sqrt(4.75)});
  check_close(run(ops::MVN(true, 1.0f, ops::mvn_eps_mode::outside_sqrt), {{x}, konst(axes({1}))}), {-1.0 / 3, 1.0 / 3, -2.0 / 3, 2.0 / 3});
  check_close(run(ops::MVN(false, 1.0f, ops::mvn_eps_mode::inside_sqrt), {{x}, konst(axes({1}))}), {-0.5, 0.5, -2, 2});
  // over both axes: mean 3.25, variance (5.0625 + 1.5625 + 0.0625 + 14.0625) / 4 = 5.1875
  const double sd = std::sqrt(5.1875);
  check_close(run(ops::MVN(true, 0.0f, ops::mvn_eps_mode::inside_sqrt), {{x}, konst(axes({0, 1}))}),
              {-2.25 / sd, -1.25 / sd, -0.25 / sd, 3.75 / sd});
}

TEST_CASE("kernels: NormalizeL2 with eps_mode add and max, scalar and empty axes") {
  const tensor x = f32({2, 2}, {3, 4, 0, 0});
  check_close(run(ops::NormalizeL2(0.0f, ops::eps_mode::add), {{x}, konst(axes({1}))}), {0.6, 0.8, nan, nan});
  check_close(run(ops::NormalizeL2(100.0f, ops::eps_mode::max), {{x}, konst(axes({1}))}), {0.3, 0.4, 0, 0});
  check_close(run(ops::NormalizeL2(11.0f, ops::eps_mode::add), {{x}, konst(tensor::scalar<std::int64_t>(-1))}),
              {0.5, 4.0 / 6, 0, 0});
  // over both axes: the norm of the whole tensor
  check_close(run(ops::NormalizeL2(0.0f, ops::eps_mode::add), {{f32({2, 2}, {1, 2, 2, 4})}, konst(axes({0, 1}))}),
              {0.2, 0.4, 0.4, 0.8});
  // no axes: each element divided by itself
  check_close(run(ops::NormalizeL2(1e-6f, ops::eps_mode::add), {{f32({-3, 0, 5})}, konst(axes({}))}), {1, 0, 1});
}

// ---- CumSum --------------------------------------------------------------------------

TEST_CASE("kernels: CumSum inclusive, exclusive, reverse (the specification's examples)") {
  const tensor x = f32({1, 2, 3, 4, 5});
  const tensor axis = tensor::scalar<std::int64_t>(0);
  check_close(run(ops::CumSum(false, false), {{x}, konst(axis)}), {1, 3, 6, 10, 15});
  check_close(run(ops::CumSum(true, false), {{x}, konst(axis)}), {0, 1, 3, 6, 10});
  check_close(run(ops::CumSum(false, true), {{x}, konst(axis)}), {15, 14, 12, 9, 5});
  check_close(run(ops::CumSum(true, true), {{x}, konst(axis)}), {14, 12, 9, 5, 0});
  check_close(run(ops::CumSum(false, false), {{x}}), {1, 3, 6, 10, 15}); // axis defaults to 0
}

TEST_CASE("kernels: CumSum along inner and negative axes, on integers, axis errors") {
  const tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  check_close(run(ops::CumSum(false, false), {{x}, {tensor::scalar<std::int32_t>(1)}}), {1, 3, 6, 4, 9, 15});
  check_close(run(ops::CumSum(false, false), {{x}, konst(tensor::scalar<std::int64_t>(-2))}), {1, 2, 3, 5, 7, 9});
  check_close(run(ops::CumSum(false, true), {{x}, konst(tensor::from_values<std::int64_t>({1}, {-1}))}), {6, 5, 3, 15, 11, 6});
  CHECK(run(ops::CumSum(false, false), {{ints<std::int8_t>({3}, {100, 100, 1})}}).values<std::int8_t>() ==
        std::vector<std::int8_t>{100, -56, -55}); // wraps like int8 arithmetic
  CHECK(run(ops::CumSum(true, false), {{ints<std::int64_t>({2, 2}, {1, 2, 3, 4})}, {tensor::scalar<std::int64_t>(0)}})
            .values<std::int64_t>() == std::vector<std::int64_t>{0, 0, 1, 2});
  CHECK(run(ops::CumSum(false, false), {{f32({0, 2}, {})}, konst(tensor::scalar<std::int64_t>(1))}).dims() == shape{0, 2});
  CHECK_THROWS_WITH_AS(run_kernel(ops::CumSum(false, false), {x, tensor::scalar<std::int64_t>(2)}, element_type::f32, {2, 3}),
                       doctest::Contains("axis 2 is out of range for data shape [2,3]"), error);
}

} // namespace test_kernels_normalization_tests
