// Reference kernels, part 1: unary elementwise ops, activations, Convert /
// ConvertLike and Select. Values from the opset specifications' formulas and
// examples, computed by hand; integer rules, NaN, empty and rank-0 tensors,
// and errors for inputs a kernel cannot take.
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

namespace test_kernels_elementwise_tests {  // unity-build scope: file-local helpers stay apart

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
template <class T> tensor ints(std::vector<T> v) {
  const auto n = static_cast<std::int64_t>(v.size());
  return tensor::from_values<T>({n}, v);
}
tensor booleans(std::vector<bool> v) {
  const auto n = static_cast<std::int64_t>(v.size());
  return tensor::from_values<bool>({n}, v);
}
tensor f16(std::vector<float> v) {
  std::vector<std::uint16_t> bits;
  for (float x : v) bits.push_back(f32_to_f16_bits(x));
  return tensor::from_values<std::uint16_t>({static_cast<std::int64_t>(v.size())}, bits).reinterpreted(element_type::f16);
}
tensor bf16(std::vector<float> v) {
  std::vector<std::uint16_t> bits;
  for (float x : v) bits.push_back(f32_to_bf16_bits(x));
  return tensor::from_values<std::uint16_t>({static_cast<std::int64_t>(v.size())}, bits).reinterpreted(element_type::bf16);
}

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

template <class T> std::vector<T> values_of(const tensor& t) { return t.values<T>(); }
} // namespace

// ---- unary elementwise ---------------------------------------------------------------

TEST_CASE("kernels: ReLU on floats (NaN stays NaN), signed and unsigned integers, empty and scalar tensors") {
  const tensor y = run(ops::Relu{}, {{f32({-2.5f, -0.0f, 0, 3, static_cast<float>(nan)})}});
  CHECK(y.type() == element_type::f32);
  check_close(y, {0, 0, 0, 3, nan});
  CHECK(values_of<std::int32_t>(run(ops::Relu{}, {{ints<std::int32_t>({-7, 0, 9})}})) == std::vector<std::int32_t>{0, 0, 9});
  CHECK(values_of<std::uint8_t>(run(ops::Relu{}, {{ints<std::uint8_t>({0, 200})}})) == std::vector<std::uint8_t>{0, 200});
  const tensor empty = run(ops::Relu{}, {{f32({0, 3}, {})}});
  CHECK(empty.dims() == shape{0, 3});
  CHECK(empty.element_count() == 0);
  const tensor scalar = run(ops::Relu{}, {{tensor::scalar<float>(-1.0f)}});
  CHECK(scalar.dims() == shape{});
  check_close(scalar, {0});
}

TEST_CASE("kernels: transcendental ops match <cmath> on f32, f64 and f16 (computed in float)") {
  const std::vector<float> x{-0.75f, -0.25f, 0.0f, 0.5f, 0.9f};
  auto expect = [&](double (*f)(double)) {
    std::vector<double> e;
    for (float v : x) e.push_back(static_cast<double>(static_cast<float>(f(static_cast<double>(v)))));
    return e;
  };
  check_close(run(ops::Tanh{}, {{f32(x)}}), expect([](double v) { return std::tanh(v); }), 1e-6);
  check_close(run(ops::Exp{}, {{f32(x)}}), expect([](double v) { return std::exp(v); }), 1e-6);
  check_close(run(ops::Sigmoid{}, {{f32(x)}}), expect([](double v) { return 1 / (1 + std::exp(-v)); }), 1e-6);
  check_close(run(ops::Erf{}, {{f32(x)}}), expect([](double v) { return std::erf(v); }), 1e-6);
  check_close(run(ops::Sin{}, {{f32(x)}}), expect([](double v) { return std::sin(v); }), 1e-6);
  check_close(run(ops::Cos{}, {{f32(x)}}), expect([](double v) { return std::cos(v); }), 1e-6);
  check_close(run(ops::Tan{}, {{f32(x)}}), expect([](double v) { return std::tan(v); }), 1e-6);
  check_close(run(ops::Asin{}, {{f32(x)}}), expect([](double v) { return std::asin(v); }), 1e-6);
  check_close(run(ops::Acos{}, {{f32(x)}}), expect([](double v) { return std::acos(v); }), 1e-6);
  check_close(run(ops::Atan{}, {{f32(x)}}), expect([](double v) { return std::atan(v); }), 1e-6);
  check_close(run(ops::Sinh{}, {{f32(x)}}), expect([](double v) { return std::sinh(v); }), 1e-6);
  check_close(run(ops::Cosh{}, {{f32(x)}}), expect([](double v) { return std::cosh(v); }), 1e-6);
  check_close(run(ops::Asinh{}, {{f32(x)}}), expect([](double v) { return std::asinh(v); }), 1e-6);
  check_close(run(ops::Atanh{}, {{f32(x)}}), expect([](double v) { return std::atanh(v); }), 1e-6);
  check_close(run(ops::Acosh{}, {{f32({1, 2, 0.5f})}}), {0, std::acosh(2.0), nan}, 1e-6);
  check_close(run(ops::Log{}, {{f32({1, 10, 0, -1})}}), {0, std::log(10.0), -inf, nan}, 1e-6);
  check_close(run(ops::Sqrt{}, {{f32({4, 2, -1})}}), {2, std::sqrt(2.0), nan}, 1e-6);

  const tensor d = run(ops::Exp{}, {{tensor::from_values<double>({2}, {1.0, -1.0})}});
  CHECK(d.type() == element_type::f64);
  CHECK(d.values<double>() == std::vector<double>{std::exp(1.0), std::exp(-1.0)});

  const tensor h = run(ops::Exp{}, {{f16({1.0f, 0.0f})}});
  CHECK(h.type() == element_type::f16);
  CHECK(h.values<std::uint16_t>() == std::vector<std::uint16_t>{f32_to_f16_bits(std::exp(1.0f)), f32_to_f16_bits(1.0f)});
  check_close(h, {2.71875, 1}); // e rounded to f16
  check_close(run(ops::Sigmoid{}, {{bf16({0.0f, 100.0f, -100.0f})}}), {0.5, 1, 0}, 1e-6);
}

TEST_CASE("kernels: integer inputs round, truncate or saturate as OpenVINO's reference does") {
  using v32 = std::vector<std::int32_t>;
  constexpr auto i32_min = std::numeric_limits<std::int32_t>::min(), i32_max = std::numeric_limits<std::int32_t>::max();
  // rounded: sqrt(8) = 2.83 -> 3; tanh(2) = 0.96 -> 1; cos(3) = -0.99 -> -1; acosh(3) = 1.76 -> 2
  CHECK(values_of<std::int32_t>(run(ops::Sqrt{}, {{ints<std::int32_t>({4, 8, 2, -4})}})) == v32{2, 3, 1, 0});
  CHECK(values_of<std::int32_t>(run(ops::Tanh{}, {{ints<std::int32_t>({-3, 0, 2})}})) == v32{-1, 0, 1});
  CHECK(values_of<std::int32_t>(run(ops::Cos{}, {{ints<std::int32_t>({0, 3})}})) == v32{1, -1});
  CHECK(values_of<std::int32_t>(run(ops::Acosh{}, {{ints<std::int32_t>({1, 3, 0})}})) == v32{0, 2, 0});
  CHECK(values_of<std::int32_t>(run(ops::Erf{}, {{ints<std::int32_t>({-2, 0, 1})}})) == v32{-1, 0, 1});
  // truncated: sin(2) = 0.91 -> 0; log(10) = 2.30 -> 2; log(0) = -inf saturates; log(-1) = NaN -> 0
  CHECK(values_of<std::int32_t>(run(ops::Sin{}, {{ints<std::int32_t>({2, -2})}})) == v32{0, 0});
  CHECK(values_of<std::int32_t>(run(ops::Log{}, {{ints<std::int32_t>({1, 10, 0, -1})}})) == v32{0, 2, i32_min, 0});
  CHECK(values_of<std::int32_t>(run(ops::Asin{}, {{ints<std::int32_t>({1, -1, 2})}})) == v32{1, -1, 0});
  // saturated: sinh(10) = 11013 does not fit i8
  CHECK(values_of<std::int8_t>(run(ops::Sinh{}, {{ints<std::int8_t>({10, -10, 1})}})) == std::vector<std::int8_t>{127, -128, 1});
  // Atanh: the type's limits stand in for +-inf
  CHECK(values_of<std::int32_t>(run(ops::Atanh{}, {{ints<std::int32_t>({-5, 0, 5})}})) == v32{i32_min, 0, i32_max});
  CHECK(values_of<std::uint8_t>(run(ops::Atanh{}, {{ints<std::uint8_t>({0, 3})}})) == std::vector<std::uint8_t>{0, 255});
}

TEST_CASE("kernels: Abs, Negative, Floor, Ceiling, Sign on floats and integers") {
  check_close(run(ops::Abs{}, {{f32({-2.5f, 0, 3})}}), {2.5, 0, 3});
  // the most negative value wraps, as two's complement does
  CHECK(values_of<std::int8_t>(run(ops::Abs{}, {{ints<std::int8_t>({-128, -3, 5})}})) == std::vector<std::int8_t>{-128, 3, 5});
  CHECK(values_of<std::uint16_t>(run(ops::Abs{}, {{ints<std::uint16_t>({65535})}})) == std::vector<std::uint16_t>{65535});
  CHECK(values_of<std::int8_t>(run(ops::Negative{}, {{ints<std::int8_t>({-128, 3, 0})}})) == std::vector<std::int8_t>{-128, -3, 0});
  check_close(run(ops::Negative{}, {{f32({1.5f, -2})}}), {-1.5, 2});
  check_close(run(ops::Floor{}, {{f32({-1.5f, 1.5f, 2, -0.25f})}}), {-2, 1, 2, -1});
  check_close(run(ops::Ceiling{}, {{f32({-1.5f, 1.5f, 2, -0.25f})}}), {-1, 2, 2, 0});
  CHECK(values_of<std::int64_t>(run(ops::Floor{}, {{ints<std::int64_t>({-3, 4})}})) == std::vector<std::int64_t>{-3, 4});
  check_close(run(ops::Sign{}, {{f32({-2, 0, 3, static_cast<float>(nan)})}}), {-1, 0, 1, nan});
  CHECK(values_of<std::int32_t>(run(ops::Sign{}, {{ints<std::int32_t>({-5, 0, 7})}})) == std::vector<std::int32_t>{-1, 0, 1});
  CHECK(values_of<std::uint8_t>(run(ops::Sign{}, {{ints<std::uint8_t>({0, 9})}})) == std::vector<std::uint8_t>{0, 1});
}

TEST_CASE("kernels: SoftPlus, HSwish, HSigmoid, Mish, SoftSign follow their formulas") {
  // SoftPlus is ln(1 + e^x), and x itself far to the right (no overflow)
  check_close(run(ops::SoftPlus{}, {{f32({-100, 0, 1, 100, 1000})}}), {3.7200760e-44, std::log(2.0), 1.3132616875, 100, 1000}, 1e-6);
  // HSwish = x * min(max(x + 3, 0), 6) / 6
  check_close(run(ops::HSwish{}, {{f32({-4, -1, 0, 1, 4})}}), {0, -1.0 / 3, 0, 2.0 / 3, 4});
  check_close(run(ops::HSigmoid{}, {{f32({-4, -1, 0, 1, 4})}}), {0, 1.0 / 3, 0.5, 2.0 / 3, 1});
  check_close(run(ops::Mish{}, {{f32({0, 1, -1})}}), {0, 0.8650983882673103, -0.30340146137410895});
  check_close(run(ops::SoftSign{}, {{f32({-3, 0, 1})}}), {-0.75, 0, 0.5});
}

TEST_CASE("kernels: LogicalNot; a kernel refuses element types its op does not allow") {
  CHECK(values_of<std::uint8_t>(run(ops::LogicalNot{}, {{booleans({true, false, true})}})) == std::vector<std::uint8_t>{0, 1, 0});
  CHECK_THROWS_WITH_AS(run_kernel(ops::Sigmoid{}, {ints<std::int32_t>({1})}, element_type::i32, {1}),
                       doctest::Contains("does not support element type i32"), error);
}

// ---- activations ---------------------------------------------------------------------

TEST_CASE("kernels: Elu, Selu, HardSigmoid with their parameters") {
  check_close(run(ops::Elu(0.5), {{f32({-1, 0, 2})}}), {0.5 * (std::exp(-1.0) - 1), 0, 2});
  // ONNX's Selu example: alpha 2, gamma (lambda) 3
  check_close(run(ops::Selu{}, {{f32({-1, 0, 1})}, konst(f32({2})), konst(f32({1, 1}, {3}))}), {-3.792723352971346, 0, 3});
  // ONNX's HardSigmoid example: alpha 0.5, beta 0.6
  check_close(run(ops::HardSigmoid{}, {{f32({-1, 0, 1, -3, 3})}, konst(tensor::scalar(0.5f)), konst(tensor::scalar(0.6f))}),
              {0.1, 0.6, 1, 0, 1});
}

TEST_CASE("kernels: Clamp on floats (NaN passes), and on integers with ceil(min), floor(max), saturated") {
  check_close(run(ops::Clamp(-1, 2.5), {{f32({-3, 0, 3, static_cast<float>(nan)})}}), {-1, 0, 2.5, nan});
  CHECK(values_of<std::int32_t>(run(ops::Clamp(-1.5, 2.5), {{ints<std::int32_t>({-5, 1, 9})}})) ==
        std::vector<std::int32_t>{-1, 1, 2});
  CHECK(values_of<std::uint8_t>(run(ops::Clamp(-10, 300), {{ints<std::uint8_t>({0, 200, 255})}})) ==
        std::vector<std::uint8_t>{0, 200, 255});
  // ceil(0.2) = 1 > floor(0.8) = 0: min(max(x, 1), 0) is 0 everywhere
  CHECK(values_of<std::int32_t>(run(ops::Clamp(0.2, 0.8), {{ints<std::int32_t>({5, -5})}})) == std::vector<std::int32_t>{0, 0});
}

TEST_CASE("kernels: PReLU applies a 1-D slope per channel (dimension 1), other slopes by NumPy broadcasting") {
  // data [1,2,2]: slope [2] matches dimension 1, so it is per channel, not along the last axis
  check_close(run(ops::PRelu{}, {{f32({1, 2, 2}, {-1, -2, -3, -4})}, konst(f32({10, 100}))}), {-10, -20, -300, -400});
  // slope [3,1] broadcasts onto [2,3,2] by NumPy rules
  check_close(run(ops::PRelu{}, {{f32({2, 3, 2}, {-1, 1, -1, 1, -1, 1, -1, -1, -1, -1, -1, -1})}, konst(f32({3, 1}, {1, 2, 3}))}),
              {-1, 1, -2, 1, -3, 1, -1, -1, -2, -2, -3, -3});
  // one slope for everything; positive values and zero are kept
  check_close(run(ops::PRelu{}, {{f32({-2, 0, 5})}, {f32({0.25f})}}), {-0.5, 0, 5});
  // 1-D data: the slope is elementwise
  check_close(run(ops::PRelu{}, {{f32({-1, -1, 3})}, {f32({1, 2, 3})}}), {-1, -2, 3});
  CHECK_THROWS_WITH_AS(run_kernel(ops::PRelu{}, {f32({2, 3}, {1, 2, 3, 4, 5, 6}), f32({4}, {1, 2, 3, 4})}, element_type::f32, {2, 3}),
                       doctest::Contains("slope shape [4] does not broadcast onto [2,3]"), error);
}

TEST_CASE("kernels: Gelu with erf and with the tanh approximation; Swish with and without beta") {
  check_close(run(ops::Gelu(ops::gelu_approximation_mode::erf), {{f32({-1, 0, 1})}}),
              {-0.15865525393145707, 0, 0.8413447460685429});
  check_close(run(ops::Gelu(ops::gelu_approximation_mode::tanh), {{f32({-1, 0, 1})}}),
              {-0.15880800939172324, 0, 0.8411919906082768});
  check_close(run(ops::Swish{}, {{f32({1, 0, -1})}}), {0.7310585786300049, 0, -1 + 0.7310585786300049});
  check_close(run(ops::Swish{}, {{f32({1, 0})}, konst(tensor::scalar(2.0f))}), {0.8807970779778823, 0});
}

TEST_CASE("kernels: Round halves to even or away from zero; integers are unchanged") {
  const auto x = f32({-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4f, 2.6f, -2.6f, static_cast<float>(inf)});
  check_close(run(ops::Round(ops::round_mode::half_to_even), {{x}}), {-2, -2, 0, 0, 2, 2, 2, 3, -3, inf});
  check_close(run(ops::Round(ops::round_mode::half_away_from_zero), {{x}}), {-3, -2, -1, 1, 2, 3, 2, 3, -3, inf});
  CHECK(values_of<std::int32_t>(run(ops::Round{}, {{ints<std::int32_t>({-3, 7})}})) == std::vector<std::int32_t>{-3, 7});
}

// ---- Convert -------------------------------------------------------------------------

TEST_CASE("kernels: Convert float -> integer truncates towards zero, saturates, and maps NaN to 0") {
  constexpr auto i32_min = std::numeric_limits<std::int32_t>::min(), i32_max = std::numeric_limits<std::int32_t>::max();
  const auto x = f32({3.9f, -3.9f, 2.5f, -0.5f, 1e10f, -1e10f, static_cast<float>(nan), static_cast<float>(inf)});
  CHECK(values_of<std::int32_t>(run(ops::Convert(element_type::i32), {{x}})) ==
        std::vector<std::int32_t>{3, -3, 2, 0, i32_max, i32_min, 0, i32_max});
  CHECK(values_of<std::uint8_t>(run(ops::Convert(element_type::u8), {{f32({-1.5f, 255.9f, 300, 7.7f})}})) ==
        std::vector<std::uint8_t>{0, 255, 255, 7});
  CHECK(values_of<std::int64_t>(run(ops::Convert(element_type::i64), {{tensor::from_values<double>({2}, {1e19, -2.5})}})) ==
        std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::max(), -2});
  CHECK(values_of<std::uint64_t>(run(ops::Convert(element_type::u64), {{f32({1e19f, -1})}})) ==
        std::vector<std::uint64_t>{static_cast<std::uint64_t>(1e19f), 0});
}

TEST_CASE("kernels: Convert integer -> integer keeps the value modulo 2^N") {
  CHECK(values_of<std::uint8_t>(run(ops::Convert(element_type::u8), {{ints<std::int32_t>({-1, 256, 257, 255})}})) ==
        std::vector<std::uint8_t>{255, 0, 1, 255});
  CHECK(values_of<std::int8_t>(run(ops::Convert(element_type::i8), {{ints<std::int64_t>({128, -129, 5})}})) ==
        std::vector<std::int8_t>{-128, 127, 5});
  CHECK(values_of<std::uint32_t>(run(ops::Convert(element_type::u32), {{ints<std::int32_t>({-1})}})) ==
        std::vector<std::uint32_t>{4294967295u});
  // a Constant input: the converted value is also known to shape inference, and agrees
  CHECK(values_of<std::int64_t>(run(ops::Convert(element_type::i64), {konst(ints<std::int32_t>({-7, 9}))})) ==
        std::vector<std::int64_t>{-7, 9});
}

TEST_CASE("kernels: Convert to and from boolean, f16 and bf16") {
  CHECK(values_of<std::uint8_t>(run(ops::Convert(element_type::boolean), {{f32({0, -0.0f, 0.5f, static_cast<float>(nan)})}})) ==
        std::vector<std::uint8_t>{0, 0, 1, 1});
  CHECK(values_of<std::uint8_t>(run(ops::Convert(element_type::boolean), {{ints<std::int32_t>({0, -3})}})) ==
        std::vector<std::uint8_t>{0, 1});
  check_close(run(ops::Convert(element_type::f32), {{booleans({true, false})}}), {1, 0});
  CHECK(values_of<std::int64_t>(run(ops::Convert(element_type::i64), {{booleans({true, false})}})) == std::vector<std::int64_t>{1, 0});

  const tensor h = run(ops::Convert(element_type::f16), {{f32({1.0f, 65504.0f, 1e6f, 0.1f, -1e6f})}});
  CHECK(h.type() == element_type::f16);
  CHECK(h.values<std::uint16_t>() == std::vector<std::uint16_t>{0x3c00, 0x7bff, 0x7c00, 0x2e66, 0xfc00});
  check_close(run(ops::Convert(element_type::f32), {{h}}), {1, 65504, inf, 0.0999755859375, -inf});
  // bf16: round to nearest even (1 + 2^-8 is a tie: down to 1; 1 + 3 * 2^-8: up to 1 + 2^-6)
  const tensor b = run(ops::Convert(element_type::bf16), {{f32({1.00390625f, 1.01171875f, 0.478515625f + 0.001f})}});
  check_close(b, {1.0, 1.015625, 0.48046875});
  check_close(run(ops::Convert(element_type::f16), {{b}}), {1.0, 1.015625, 0.48046875}); // bf16 -> f16 via f32
  CHECK(values_of<std::int32_t>(run(ops::Convert(element_type::i32), {{f16({-2.75f, 7.5f})}})) == std::vector<std::int32_t>{-2, 7});
  check_close(run(ops::Convert(element_type::f16), {{ints<std::int32_t>({3, 70000})}}), {3, inf});
}

TEST_CASE("kernels: Convert f64 -> f32 overflows to infinity, large integers round to nearest") {
  check_close(run(ops::Convert(element_type::f32), {{tensor::from_values<double>({3}, {1e300, -1e300, 0.1})}}),
              {inf, -inf, static_cast<double>(0.1f)});
  const tensor u = run(ops::Convert(element_type::f32), {{ints<std::uint64_t>({18446744073709551615ull})}});
  CHECK(u.values<float>() == std::vector<float>{18446744073709551616.0f});
}

TEST_CASE("kernels: Convert packs and unpacks u4, i4 and u1") {
  const tensor u4 = run(ops::Convert(element_type::u4), {{ints<std::int32_t>({1, 2, 17, -1, 5})}});
  CHECK(u4.type() == element_type::u4);
  REQUIRE(u4.bytes().size() == 3);
  CHECK(u4.bytes()[0] == std::byte{0x21}); // the first element in the low nibble
  CHECK(u4.bytes()[1] == std::byte{0xF1});
  CHECK(u4.bytes()[2] == std::byte{0x05});
  CHECK(values_of<std::int32_t>(run(ops::Convert(element_type::i32), {{u4}})) == std::vector<std::int32_t>{1, 2, 1, 15, 5});

  const tensor i4 = run(ops::Convert(element_type::i4), {{f32({-9.5f, 7.9f, -1, 100})}}); // floats saturate to [-8, 7]
  CHECK(values_of<std::int8_t>(run(ops::Convert(element_type::i8), {{i4}})) == std::vector<std::int8_t>{-8, 7, -1, 7});
  check_close(run(ops::Convert(element_type::f32), {{i4}}), {-8, 7, -1, 7});

  const tensor u1 = run(ops::Convert(element_type::u1), {{f32({1, 0, 2, -1, 0, 0, 0, 0, 0.5f})}});
  REQUIRE(u1.bytes().size() == 2);
  CHECK(u1.bytes()[0] == std::byte{0xB0}); // the first element in the most significant bit
  CHECK(u1.bytes()[1] == std::byte{0x80});
  CHECK(values_of<std::uint8_t>(run(ops::Convert(element_type::u8), {{u1}})) ==
        std::vector<std::uint8_t>{1, 0, 1, 1, 0, 0, 0, 0, 1});
  const tensor back = run(ops::Convert(element_type::u4), {{u1}}); // packed -> packed
  CHECK(values_of<std::uint8_t>(run(ops::Convert(element_type::u8), {{back}})) ==
        std::vector<std::uint8_t>{1, 0, 1, 1, 0, 0, 0, 0, 1});
}

TEST_CASE("kernels: ConvertLike converts to the type of its second input; empty and scalar tensors") {
  const tensor y = run(ops::ConvertLike{}, {{ints<std::int32_t>({3, -2})}, {f16({0})}});
  CHECK(y.type() == element_type::f16);
  check_close(y, {3, -2});
  const tensor e = run(ops::Convert(element_type::i8), {{f32({0, 2}, {})}});
  CHECK(e.type() == element_type::i8);
  CHECK(e.dims() == shape{0, 2});
  CHECK(values_of<std::int16_t>(run(ops::Convert(element_type::i16), {{tensor::scalar<float>(-4.5f)}})) ==
        std::vector<std::int16_t>{-4});
}

// ---- Select --------------------------------------------------------------------------

TEST_CASE("kernels: Select broadcasts condition, then and else together (NumPy rules)") {
  // condition [2,1], then [1,3], else scalar -> [2,3]
  const tensor y = run(ops::Select{}, {{tensor::from_values<bool>({2, 1}, {true, false})}, {f32({1, 3}, {1, 2, 3})},
                                        {tensor::scalar<float>(-1.0f)}});
  CHECK(y.dims() == shape{2, 3});
  check_close(y, {1, 2, 3, -1, -1, -1});
  // equal shapes, 8-byte elements
  CHECK(values_of<std::int64_t>(run(ops::Select{}, {{booleans({true, false, true})}, {ints<std::int64_t>({1, 2, 3})},
                                                     {ints<std::int64_t>({-1, -2, -3})}})) ==
        std::vector<std::int64_t>{1, -2, 3});
  // boolean values, 2-byte f16 values
  CHECK(values_of<std::uint8_t>(run(ops::Select{}, {{booleans({true, false})}, {booleans({false, false})}, {booleans({true, true})}})) ==
        std::vector<std::uint8_t>{0, 1});
  check_close(run(ops::Select{}, {{booleans({false, true})}, {f16({1.5f, 2.5f})}, {f16({-1, -2})}}), {-1, 2.5});
  // empty output
  CHECK(run(ops::Select{}, {{tensor::from_values<bool>({0}, {})}, {f32({1})}, {f32({2})}}).dims() == shape{0});
}

TEST_CASE("kernels: Select with auto_broadcast pdpd (onto then) and none (equal shapes)") {
  const tensor y = run(ops::Select(ops::broadcast_type::pdpd),
                       {{tensor::from_values<bool>({2, 1}, {false, true})}, {f32({2, 3}, {1, 2, 3, 4, 5, 6})}, {f32({3}, {7, 8, 9})}});
  CHECK(y.dims() == shape{2, 3});
  check_close(y, {7, 8, 9, 4, 5, 6});
  check_close(run(ops::Select(ops::broadcast_type::none), {{booleans({true, false})}, {f32({1, 2})}, {f32({3, 4})}}), {1, 4});
  CHECK_THROWS_WITH_AS(run_kernel(ops::Select{}, {booleans({true, false, true}), f32({1, 2}), f32({1, 2})}, element_type::f32, {2}),
                       doctest::Contains("input 0 shape [3] does not broadcast onto [2]"), error);
}

} // namespace test_kernels_elementwise_tests
