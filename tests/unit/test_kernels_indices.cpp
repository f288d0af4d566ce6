// Reference kernels of the index and sequence ops: TopK (v1, v3, v11), Range,
// OneHot and NonZero — values computed by hand or taken from the
// specifications' examples: modes, sort orders, ties (stable), NaN, k = 0,
// float and integer ranges, negative one-hot indices, empty inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "support/checks.hpp"
#include "irforge/core/op.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/reference/kernels/indices.hpp"

using namespace irforge;

namespace test_kernels_indices_tests {  // unity-build scope

namespace {
using ints_t = std::vector<std::int64_t>;
using floats_t = std::vector<float>;

template <class Op> std::vector<tensor> run(const Op& op, const std::vector<tensor>& in) {
  return irforge::test::run_kernel(op, in);
}
template <class Op> tensor run1(const Op& op, const std::vector<tensor>& in) { return run(op, in).at(0); }

tensor f32(shape dims, const floats_t& v) { return tensor::from_values<float>(std::move(dims), v); }
tensor f32(const floats_t& v) { return f32({static_cast<std::int64_t>(v.size())}, v); }
tensor i64(shape dims, const ints_t& v) { return tensor::from_values<std::int64_t>(std::move(dims), v); }
tensor i64(const ints_t& v) { return i64({static_cast<std::int64_t>(v.size())}, v); }
tensor k_of(std::int64_t k) { return tensor::scalar<std::int64_t>(k); }
floats_t floats(const tensor& t) { return t.values<float>(); }
ints_t ints(const tensor& t) { return t.as_i64(); }

using ops::topk_mode;
using ops::topk_sort_type;
const float nan = std::numeric_limits<float>::quiet_NaN();
} // namespace

// ---- TopK --------------------------------------------------------------------------------------

TEST_CASE("kernels: TopK max/min with sort by value and by index") {
  const tensor x = f32({1, 3, 2, 3, 0});
  auto out = run(ops::TopK(0, topk_mode::max, topk_sort_type::value), {x, k_of(3)});
  REQUIRE(out.size() == 2);
  CHECK(floats(out[0]) == floats_t{3, 3, 2});
  CHECK(out[1].type() == element_type::i32);
  CHECK(ints(out[1]) == ints_t{1, 3, 2}); // equal values: the lower index first
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::index), {x, k_of(3)});
  CHECK(floats(out[0]) == floats_t{3, 2, 3});
  CHECK(ints(out[1]) == ints_t{1, 2, 3});
  out = run(ops::TopK(0, topk_mode::min, topk_sort_type::value, element_type::i64), {x, k_of(2)});
  CHECK(floats(out[0]) == floats_t{0, 1});
  CHECK(out[1].type() == element_type::i64);
  CHECK(ints(out[1]) == ints_t{4, 0});
  // sort none: the k extremes (this implementation keeps them in value order)
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::none), {x, k_of(1)});
  CHECK(floats(out[0]) == floats_t{3});
  CHECK(ints(out[1]) == ints_t{1});
}

TEST_CASE("kernels: TopK stable ties (the spec's example), axes, NaN, k = 0, integer data, v1/v3") {
  // mode min, sort index, k 4 on [5, 3, 1, 2, 5, 5]: the stable answer is indices 0..3
  const tensor x = f32({5, 3, 1, 2, 5, 5});
  auto out = run(ops::TopK(0, topk_mode::min, topk_sort_type::index, element_type::i32, true), {x, k_of(4)});
  CHECK(floats(out[0]) == floats_t{5, 3, 1, 2});
  CHECK(ints(out[1]) == ints_t{0, 1, 2, 3});
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::value, element_type::i32, true), {x, k_of(3)});
  CHECK(ints(out[1]) == ints_t{0, 4, 5});
  // [3, 2] along axis 0 and along axis -1
  const tensor m = f32({3, 2}, {1, 4, 3, 2, 5, 0});
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::value), {m, k_of(1)});
  CHECK(out[0].dims() == shape{1, 2});
  CHECK(floats(out[0]) == floats_t{5, 4});
  CHECK(ints(out[1]) == ints_t{2, 0});
  out = run(ops::TopK(-1, topk_mode::min, topk_sort_type::value), {m, k_of(1)});
  CHECK(out[0].dims() == shape{3, 1});
  CHECK(floats(out[0]) == floats_t{1, 2, 0});
  CHECK(ints(out[1]) == ints_t{0, 1, 1});
  // NaN is larger than every number
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::value), {f32({1, nan, 3}), k_of(2)});
  CHECK(std::isnan(floats(out[0])[0]));
  CHECK(floats(out[0])[1] == 3);
  CHECK(ints(out[1]) == ints_t{1, 2});
  out = run(ops::TopK(0, topk_mode::min, topk_sort_type::value), {f32({1, nan, 3}), k_of(3)});
  CHECK(ints(out[1]) == ints_t{0, 2, 1});
  // k = 0
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::value), {x, k_of(0)});
  CHECK(out[0].dims() == shape{0});
  CHECK(out[1].dims() == shape{0});
  // integer data, TopK-3 with an i32 k, TopK-1
  const tensor xi = tensor::from_values<std::int32_t>({4}, {-7, 9, 0, 9});
  out = run(ops::v3::TopK(0, topk_mode::max, topk_sort_type::value, element_type::i64),
            {xi, tensor::scalar<std::int32_t>(3)});
  CHECK(out[0].values<std::int32_t>() == std::vector<std::int32_t>{9, 9, 0});
  CHECK(ints(out[1]) == ints_t{1, 3, 2});
  out = run(ops::v1::TopK(0, topk_mode::min, topk_sort_type::value), {xi, k_of(1)});
  CHECK(out[0].values<std::int32_t>() == std::vector<std::int32_t>{-7});
  CHECK(ints(out[1]) == ints_t{0});
  // f16 data keeps its bits
  const tensor h = tensor::from_values<float>({3}, {0.5f, -2.0f, 8.0f});
  std::vector<std::uint16_t> bits;
  for (float v : h.values<float>()) bits.push_back(f32_to_f16_bits(v));
  const tensor hf = tensor::from_values<std::uint16_t>({3}, bits).reinterpreted(element_type::f16);
  out = run(ops::TopK(0, topk_mode::max, topk_sort_type::value), {hf, k_of(2)});
  CHECK(out[0].type() == element_type::f16);
  CHECK(out[0].as_f64() == std::vector<double>{8.0, 0.5});
}

// ---- Range -------------------------------------------------------------------------------------

TEST_CASE("kernels: Range with integer and float outputs, negative steps, empty results") {
  CHECK(ints(run1(ops::Range(element_type::i64), {k_of(0), k_of(5), k_of(1)})) == ints_t{0, 1, 2, 3, 4});
  const auto s = [](std::int32_t v) { return tensor::scalar<std::int32_t>(v); };
  const tensor down = run1(ops::Range(element_type::i32), {s(10), s(4), s(-3)});
  CHECK(down.type() == element_type::i32);
  CHECK(down.values<std::int32_t>() == std::vector<std::int32_t>{10, 7});
  CHECK(run1(ops::Range(element_type::i64), {k_of(5), k_of(5), k_of(1)}).dims() == shape{0});
  CHECK(run1(ops::Range(element_type::i64), {k_of(5), k_of(1), k_of(1)}).dims() == shape{0});
  const auto f = [](float v) { return tensor::scalar<float>(v); };
  const floats_t r = floats(run1(ops::Range(element_type::f32), {f(1.0f), f(2.0f), f(0.3f)}));
  REQUIRE(r.size() == 4);
  CHECK(r[0] == 1.0f);
  CHECK(r[1] == doctest::Approx(1.3));
  CHECK(r[3] == doctest::Approx(1.9));
  CHECK(floats(run1(ops::Range(element_type::f32), {f(1.0f), f(-1.0f), f(-0.5f)})) == floats_t{1, 0.5f, 0, -0.5f});
  // an integer output truncates float inputs: 0.5, 5.9, 1.7 -> 0, 5, 1
  CHECK(ints(run1(ops::Range(element_type::i64), {f(0.5f), f(5.9f), f(1.7f)})) == ints_t{0, 1, 2, 3, 4});
  const tensor half = run1(ops::Range(element_type::f16), {f(0.0f), f(2.0f), f(0.5f)});
  CHECK(half.type() == element_type::f16);
  CHECK(half.as_f64() == std::vector<double>{0, 0.5, 1, 1.5});
  const tensor bytes = run1(ops::Range(element_type::u8), {k_of(250), k_of(256), k_of(2)});
  CHECK(ints(bytes) == ints_t{250, 252, 254});
}

// ---- OneHot ------------------------------------------------------------------------------------

TEST_CASE("kernels: OneHot spec examples, negative axis and negative indices (off_value)") {
  const tensor on = k_of(1), two = k_of(2), zero = k_of(0);
  const tensor a = run1(ops::OneHot(-1), {i64({0, 3, 1, 2}), k_of(3), on, two});
  CHECK(a.dims() == shape{4, 3});
  CHECK(ints(a) == ints_t{1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1});
  const tensor b = run1(ops::OneHot(1), {i64({2, 3}, {0, 3, 1, 1, 2, 4}), k_of(3), on, zero});
  CHECK(b.dims() == shape{2, 3, 3});
  CHECK(ints(b) == ints_t{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0});
  // OneHot-1 ignores negative indices (OneHot-16's default "ignore-negative")
  const tensor c =
      run1(ops::OneHot(0), {tensor::from_values<std::int32_t>({2}, {-1, 1}), k_of(3), f32({}, {5}), f32({}, {0})});
  CHECK(c.type() == element_type::f32);
  CHECK(c.dims() == shape{3, 2});
  CHECK(floats(c) == floats_t{0, 0, 0, 5, 0, 0});
  // a scalar index, an empty index tensor, depth 0
  CHECK(ints(run1(ops::OneHot(0), {k_of(1), k_of(2), on, zero})) == ints_t{0, 1});
  CHECK(run1(ops::OneHot(-1), {i64({0}, {}), k_of(4), on, zero}).dims() == shape{0, 4});
  CHECK(run1(ops::OneHot(-1), {i64({1, 2}), k_of(0), on, zero}).dims() == shape{2, 0});
}

// ---- NonZero -----------------------------------------------------------------------------------

TEST_CASE("kernels: NonZero coordinates in row-major order, [rank, count]") {
  const tensor m = f32({2, 2}, {1, 0, 1, 1});
  const tensor n = run1(ops::NonZero{}, {m});
  CHECK(n.type() == element_type::i64);
  CHECK(n.dims() == shape{2, 3});
  CHECK(ints(n) == ints_t{0, 1, 1, 0, 0, 1});
  const tensor b = run1(ops::NonZero(element_type::i32), {tensor::from_values<bool>({3}, {false, true, true})});
  CHECK(b.type() == element_type::i32);
  CHECK(ints(b) == ints_t{1, 2});
  // -0.0 is zero, NaN is not
  CHECK(ints(run1(ops::NonZero{}, {f32({-0.0f, 0.0f, nan, 2.0f})})) == ints_t{2, 3});
  CHECK(run1(ops::NonZero{}, {f32({}, {5})}).dims() == shape{1, 1});
  CHECK(run1(ops::NonZero{}, {f32({}, {0})}).dims() == shape{0, 0});
  CHECK(run1(ops::NonZero{}, {f32({0, 3}, {})}).dims() == shape{2, 0});
}

TEST_CASE("kernels: NonZero replaces its output when the count was unknown to infer") {
  // Over 4096 elements infer gives [1, 0..5000]; the kernel sizes the output itself.
  std::vector<std::int32_t> v(5000, 0);
  v[7] = 3;
  v[4999] = -1;
  const std::vector<tensor> in{tensor::from_values<std::int32_t>({5000}, v)};
  reference::kernel_context ctx(in, {value_info{element_type::i64, partial_shape{1, 0}, nullptr}}, "n", "NonZero");
  reference::kernel<ops::NonZero>::run(ops::NonZero{}, ctx);
  const tensor out = ctx.take_outputs().at(0);
  CHECK(out.dims() == shape{1, 2});
  CHECK(ints(out) == ints_t{7, 4999});
}

} // namespace test_kernels_indices_tests
