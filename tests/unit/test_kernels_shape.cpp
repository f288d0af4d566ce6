// Reference kernels of the shape and data-movement ops: ShapeOf, Reshape,
// Squeeze, Unsqueeze, Transpose, Concat, Split, VariadicSplit, StridedSlice,
// Slice, Gather*, Broadcast, Tile, Pad, DepthToSpace, SpaceToDepth and the
// Scatter*Update ops — values computed by hand or taken from the
// specifications' examples, edge cases (empty tensors, negative axes and
// indices, every StridedSlice mask, reflect vs symmetric) and errors.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "support/checks.hpp"
#include "irforge/core/op.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/reference/kernels/broadcast.hpp"
#include "irforge/reference/kernels/depth_to_space.hpp"
#include "irforge/reference/kernels/gather.hpp"
#include "irforge/reference/kernels/pad.hpp"
#include "irforge/reference/kernels/scatter.hpp"
#include "irforge/reference/kernels/shape.hpp"
#include "irforge/reference/kernels/slice.hpp"

using namespace irforge;

namespace test_kernels_shape_tests {  // unity-build scope

namespace {
using ints_t = std::vector<std::int64_t>;
using floats_t = std::vector<float>;

template <class Op> std::vector<tensor> run(const Op& op, const std::vector<tensor>& in) {
  return irforge::test::run_kernel(op, in);
}
template <class Op> tensor run1(const Op& op, const std::vector<tensor>& in) { return run(op, in).at(0); }

tensor f32(shape dims, const floats_t& v) { return tensor::from_values<float>(std::move(dims), v); }
tensor i64(shape dims, const ints_t& v) { return tensor::from_values<std::int64_t>(std::move(dims), v); }
tensor i64(const ints_t& v) { return i64({static_cast<std::int64_t>(v.size())}, v); }
tensor i32(const std::vector<std::int32_t>& v) {
  return tensor::from_values<std::int32_t>({static_cast<std::int64_t>(v.size())}, v);
}
tensor scalar(std::int64_t v) { return tensor::scalar<std::int64_t>(v); }
/// 0, 1, 2, ... as f32 of the given shape.
tensor iota(shape dims) {
  floats_t v(static_cast<std::size_t>(element_count(dims)));
  std::iota(v.begin(), v.end(), 0.0f);
  return f32(std::move(dims), v);
}
floats_t floats(const tensor& t) { return t.values<float>(); }
ints_t ints(const tensor& t) { return t.as_i64(); }
constexpr std::int64_t min64 = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();
} // namespace

// ---- ShapeOf, Reshape, Squeeze, Unsqueeze ---------------------------------------------------

TEST_CASE("kernels: ShapeOf v3 (i64, i32) and v1, scalars and empty tensors") {
  const tensor x = iota({2, 3, 4});
  const tensor s64 = run1(ops::ShapeOf{}, {x});
  CHECK(s64.type() == element_type::i64);
  CHECK(s64.dims() == shape{3});
  CHECK(ints(s64) == ints_t{2, 3, 4});
  const tensor s32 = run1(ops::ShapeOf(element_type::i32), {x});
  CHECK(s32.type() == element_type::i32);
  CHECK(s32.values<std::int32_t>() == std::vector<std::int32_t>{2, 3, 4});
  CHECK(ints(run1(ops::v1::ShapeOf{}, {f32({0, 5}, {})})) == ints_t{0, 5});
  const tensor scalar_shape = run1(ops::ShapeOf{}, {f32({}, {1.0f})});
  CHECK(scalar_shape.dims() == shape{0});
}

TEST_CASE("kernels: Reshape, Squeeze and Unsqueeze keep the bytes, change the shape") {
  const tensor x = iota({2, 3});
  const tensor r = run1(ops::Reshape(false), {x, i64({3, -1})});
  CHECK(r.dims() == shape{3, 2});
  CHECK(floats(r) == floats(x));
  CHECK(run1(ops::Reshape(true), {x, i64({0, 1, 3})}).dims() == shape{2, 1, 3}); // special_zero copies dim 0
  CHECK(run1(ops::Reshape(false), {f32({0, 3}, {}), i64({3, 0})}).dims() == shape{3, 0});
  CHECK(run1(ops::Reshape(false), {f32({1, 1}, {7.0f}), i64({})}).dims() == shape{});
  const tensor sq = run1(ops::Squeeze{}, {iota({1, 3, 1}), i64({-1})});
  CHECK(sq.dims() == shape{1, 3});
  CHECK(floats(sq) == floats_t{0, 1, 2});
  CHECK(run1(ops::Squeeze{}, {iota({1, 3, 1})}).dims() == shape{3});
  const tensor un = run1(ops::Unsqueeze{}, {iota({2, 2}), i64({0, -1})});
  CHECK(un.dims() == shape{1, 2, 2, 1});
  CHECK(floats(un) == floats_t{0, 1, 2, 3});
}

// ---- Transpose ---------------------------------------------------------------------------------

TEST_CASE("kernels: Transpose permutes values; an empty order reverses; any element size") {
  CHECK(floats(run1(ops::Transpose{}, {iota({2, 3}), i64({1, 0})})) == floats_t{0, 3, 1, 4, 2, 5});
  // [2,3,4] with order [2,0,1]: out[k,i,j] = in[i,j,k] = 12i + 4j + k
  const tensor t = run1(ops::Transpose{}, {iota({2, 3, 4}), i64({2, 0, 1})});
  CHECK(t.dims() == shape{4, 2, 3});
  const floats_t v = floats(t);
  CHECK(v[0] == 0);
  CHECK(v[1] == 4);   // [0,0,1] = in[0,1,0]
  CHECK(v[3] == 12);  // [0,1,0] = in[1,0,0]
  CHECK(v[6] == 1);   // [1,0,0] = in[0,0,1]
  CHECK(v[23] == 23); // [3,1,2] = in[1,2,3]
  CHECK(floats(run1(ops::Transpose{}, {iota({2, 3}), i64({})})) == floats_t{0, 3, 1, 4, 2, 5});
  const tensor bytes = tensor::from_values<std::int8_t>({2, 2}, {1, -2, 3, -4});
  CHECK(run1(ops::Transpose{}, {bytes, i64({1, 0})}).values<std::int8_t>() == std::vector<std::int8_t>{1, 3, -2, -4});
  const tensor wide = tensor::from_values<double>({1, 3}, {0.5, 1.5, 2.5});
  CHECK(run1(ops::Transpose{}, {wide, i32({1, 0})}).values<double>() == std::vector<double>{0.5, 1.5, 2.5});
  const tensor empty = run1(ops::Transpose{}, {f32({0, 2}, {}), i64({1, 0})});
  CHECK(empty.dims() == shape{2, 0});
  CHECK(floats(run1(ops::Transpose{}, {f32({}, {4.0f}), i64({})})) == floats_t{4});
}

// ---- Concat, Split, VariadicSplit ---------------------------------------------------------------

TEST_CASE("kernels: Concat along a negative axis, with an empty input and booleans") {
  const tensor a = iota({2, 2}), b = f32({2, 1}, {10, 11}), none = f32({2, 0}, {});
  const tensor c = run1(ops::Concat(-1), {a, none, b});
  CHECK(c.dims() == shape{2, 3});
  CHECK(floats(c) == floats_t{0, 1, 10, 2, 3, 11});
  CHECK(floats(run1(ops::Concat(0), {a, f32({1, 2}, {7, 8})})) == floats_t{0, 1, 2, 3, 7, 8});
  const tensor t = tensor::from_values<bool>({2}, {true, false}), f = tensor::from_values<bool>({1}, {true});
  const tensor bc = run1(ops::Concat(0), {t, f});
  CHECK(bc.type() == element_type::boolean);
  CHECK(ints(bc) == ints_t{1, 0, 1});
}

TEST_CASE("kernels: Split into equal parts, VariadicSplit with -1 and an empty part") {
  const auto parts = run(ops::Split(3), {iota({2, 6}), scalar(-1)});
  REQUIRE(parts.size() == 3);
  CHECK(floats(parts[0]) == floats_t{0, 1, 6, 7});
  CHECK(floats(parts[1]) == floats_t{2, 3, 8, 9});
  CHECK(floats(parts[2]) == floats_t{4, 5, 10, 11});
  const auto var = run(ops::VariadicSplit{}, {iota({5, 2}), scalar(0), i64({1, 0, -1})});
  REQUIRE(var.size() == 3);
  CHECK(var[0].dims() == shape{1, 2});
  CHECK(floats(var[0]) == floats_t{0, 1});
  CHECK(var[1].dims() == shape{0, 2});
  CHECK(var[2].dims() == shape{4, 2});
  CHECK(floats(var[2]) == floats_t{2, 3, 4, 5, 6, 7, 8, 9});
}

// ---- StridedSlice ------------------------------------------------------------------------------

namespace {
ops::StridedSlice strided(ints_t begin_mask = {}, ints_t end_mask = {}, ints_t new_axis = {}, ints_t shrink = {},
                          ints_t ellipsis = {}) {
  ops::StridedSlice s;
  s.begin_mask = std::move(begin_mask);
  s.end_mask = std::move(end_mask);
  s.new_axis_mask = std::move(new_axis);
  s.shrink_axis_mask = std::move(shrink);
  s.ellipsis_mask = std::move(ellipsis);
  return s;
}
} // namespace

TEST_CASE("kernels: StridedSlice begin/end/stride, begin_mask and end_mask, negative strides") {
  const tensor x = iota({2, 3, 4}); // x[i,j,k] = 12i + 4j + k
  const tensor a = run1(strided(), {x, i64({0, 1, 1}), i64({2, 3, 3}), i64({1, 1, 1})});
  CHECK(a.dims() == shape{2, 2, 2});
  CHECK(floats(a) == floats_t{5, 6, 9, 10, 17, 18, 21, 22});
  // begin_mask on axis 0 ignores begin 1; end_mask on axis 2 ignores end 1; stride 2 on axis 2
  const tensor b = run1(strided({1, 0, 0}, {0, 0, 1}), {x, i64({1, 2, 1}), i64({1, 3, 1}), i64({1, 1, 2})});
  CHECK(b.dims() == shape{1, 1, 2});
  CHECK(floats(b) == floats_t{9, 11});
  // everything reversed: x[::-1, ::-1, ::-1]
  const tensor c = run1(strided({1, 1, 1}, {1, 1, 1}), {x, i64({0, 0, 0}), i64({0, 0, 0}), i64({-1, -1, -1})});
  CHECK(c.dims() == shape{2, 3, 4});
  const floats_t cv = floats(c);
  CHECK(cv.front() == 23);
  CHECK(cv[1] == 22);
  CHECK(cv[4] == 19);
  CHECK(cv.back() == 0);
  // x[-1:0:-2] on axis 2 (indices 3, 1), fewer entries than axes (the rest kept whole)
  const tensor d = run1(strided(), {iota({4}), i64({-1}), i64({0}), i64({-2})});
  CHECK(floats(d) == floats_t{3, 1});
  // clamping: begin -100 and end 100 take the whole axis; without stride input steps are 1
  CHECK(run1(strided(), {x, i64({-100}), i64({100})}).dims() == shape{2, 3, 4});
  // an empty slice
  CHECK(run1(strided(), {x, i64({2}), i64({1})}).dims() == shape{0, 3, 4});
}

TEST_CASE("kernels: StridedSlice new_axis_mask, shrink_axis_mask and ellipsis_mask") {
  const tensor x = iota({2, 3, 4});
  // x[0:1, None]
  const tensor n = run1(strided({}, {}, {0, 1}), {x, i64({0, 0}), i64({1, 0}), i64({1, 1})});
  CHECK(n.dims() == shape{1, 1, 3, 4});
  CHECK(floats(n) == floats(iota({12})));
  // x[:, 1, 0:4]
  const tensor s = run1(strided({}, {}, {}, {0, 1, 0}), {x, i64({0, 1, 0}), i64({2, 2, 4}), i64({1, 1, 1})});
  CHECK(s.dims() == shape{2, 4});
  CHECK(floats(s) == floats_t{4, 5, 6, 7, 16, 17, 18, 19});
  // x[-1] (a negative shrink index)
  const tensor last = run1(strided({}, {}, {}, {1}), {x, i64({-1}), i64({0}), i64({1})});
  CHECK(last.dims() == shape{3, 4});
  CHECK(floats(last).front() == 12);
  CHECK(floats(last).back() == 23);
  // x[1, ..., 2:4]: the ellipsis stands for axis 1
  const tensor e =
      run1(strided({}, {}, {}, {1, 0, 0}, {0, 1, 0}), {x, i64({1, 0, 2}), i64({2, 0, 4}), i64({1, 1, 1})});
  CHECK(e.dims() == shape{3, 2});
  CHECK(floats(e) == floats_t{14, 15, 18, 19, 22, 23});
  // x[..., None]
  const tensor en = run1(strided({}, {}, {0, 1}, {}, {1, 0}), {x, i64({0, 0}), i64({0, 0}), i64({1, 1})});
  CHECK(en.dims() == shape{2, 3, 4, 1});
  CHECK(floats(en) == floats(x));
  // shrinking an index outside the axis is an error (raised by infer or the kernel)
  CHECK_THROWS_AS(run1(strided({}, {}, {}, {1}), {x, i64({2}), i64({3}), i64({1})}), error);
}

// ---- Slice -------------------------------------------------------------------------------------

TEST_CASE("kernels: Slice with negative steps, clamping, axes, int64 extremes, empty results") {
  const tensor x = iota({10});
  CHECK(floats(run1(ops::Slice{}, {x, i64({8}), i64({2}), i64({-2})})) == floats_t{8, 6, 4});
  CHECK(floats(run1(ops::Slice{}, {x, i64({-1}), i64({min64}), i64({-1})})) ==
        floats_t{9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  CHECK(floats(run1(ops::Slice{}, {x, i64({-100}), i64({100}), i64({3})})) == floats_t{0, 3, 6, 9});
  CHECK(floats(run1(ops::Slice{}, {x, i64({7}), i64({max64}), i64({1})})) == floats_t{7, 8, 9});
  CHECK(floats(run1(ops::Slice{}, {x, i64({5}), i64({max64}), i64({max64})})) == floats_t{5});
  CHECK(run1(ops::Slice{}, {x, i64({5}), i64({5}), i64({1})}).dims() == shape{0});
  CHECK(run1(ops::Slice{}, {x, i64({2}), i64({5}), i64({-1})}).dims() == shape{0});
  const tensor m = iota({3, 4});
  CHECK(floats(run1(ops::Slice{}, {m, i64({1}), i64({3}), i64({1}), i64({-1})})) == floats_t{1, 2, 5, 6, 9, 10});
  // axes [1, 0]: columns 3, 2, 1 and rows 2, 1, 0 (stop -4 is clamped to "before the first")
  const tensor r = run1(ops::Slice{}, {m, i64({3, 2}), i64({0, -4}), i64({-1, -1}), i64({1, 0})});
  CHECK(r.dims() == shape{3, 3});
  CHECK(floats(r) == floats_t{11, 10, 9, 7, 6, 5, 3, 2, 1});
  CHECK_THROWS_AS(run1(ops::Slice{}, {x, i64({0}), i64({5}), i64({0})}), error); // zero step
}

// ---- Gather, GatherElements, GatherND -----------------------------------------------------------

TEST_CASE("kernels: Gather-8 spec examples (batch_dims, negative and out-of-range indices)") {
  const tensor data = f32({5}, {1, 2, 3, 4, 5});
  CHECK(floats(run1(ops::Gather(0), {data, i64({0, 0, 4}), scalar(0)})) == floats_t{1, 1, 5}); // example 1
  const tensor d2 = f32({2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  const tensor i2 = i64({2, 3}, {0, 0, 4, 4, 0, 0});
  CHECK(floats(run1(ops::Gather(1), {d2, i2, scalar(1)})) == floats_t{1, 1, 5, 10, 6, 6});  // example 2
  CHECK(floats(run1(ops::Gather(-1), {d2, i2, scalar(1)})) == floats_t{1, 1, 5, 10, 6, 6}); // example 5
  // example 3: batch_dims 2
  const tensor d3 = iota({2, 2, 5});
  const tensor i3 = i64({2, 2, 3}, {0, 0, 4, 4, 0, 0, 1, 2, 4, 4, 3, 2});
  CHECK(floats(run1(ops::Gather(2), {d3, i3, scalar(2)})) == floats_t{0, 0, 4, 9, 5, 5, 11, 12, 14, 19, 18, 17});
  // example 4: batch_dims 1 < axis 2
  const tensor d4 = iota({2, 1, 5, 4});
  const tensor g4 = run1(ops::Gather(1), {d4, i64({2, 3}, {1, 2, 4, 4, 3, 2}), scalar(2)});
  CHECK(g4.dims() == shape{2, 1, 3, 4});
  CHECK(floats(g4) == floats_t{4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 36, 37, 38, 39, 32, 33, 34, 35, 28, 29, 30, 31});
  CHECK(floats(run1(ops::Gather(0), {data, i64({0, -2, -1}), scalar(0)})) == floats_t{1, 4, 5});  // example 6
  CHECK(floats(run1(ops::Gather(0), {data, i64({3, 10, -20}), scalar(0)})) == floats_t{4, 0, 0}); // example 7
  // a scalar index removes the axis; a negative axis; i32 indices; an empty index list
  const tensor col = run1(ops::Gather(0), {iota({2, 3}), tensor::scalar<std::int32_t>(2), scalar(-1)});
  CHECK(col.dims() == shape{2});
  CHECK(floats(col) == floats_t{2, 5});
  CHECK(run1(ops::Gather(0), {iota({2, 3}), i64({}), scalar(0)}).dims() == shape{0, 3});
}

TEST_CASE("kernels: Gather-7 and Gather-1 reject negative and out-of-range indices") {
  const tensor data = f32({3}, {1, 2, 3});
  CHECK(floats(run1(ops::v7::Gather(0), {data, i64({2, 0}), scalar(0)})) == floats_t{3, 1});
  CHECK(floats(run1(ops::v1::Gather{}, {data, i64({1}), scalar(0)})) == floats_t{2});
  CHECK_THROWS_AS(run1(ops::v7::Gather(0), {data, i64({-1}), scalar(0)}), error);
  CHECK_THROWS_AS(run1(ops::v1::Gather{}, {data, i64({3}), scalar(0)}), error);
  const tensor d2 = f32({2, 2}, {1, 2, 3, 4});
  CHECK(floats(run1(ops::v7::Gather(1), {d2, i64({2, 1}, {1, 0}), scalar(1)})) == floats_t{2, 3});
}

TEST_CASE("kernels: GatherElements (ONNX examples, negative indices, errors)") {
  const tensor a = f32({2, 2}, {1, 2, 3, 4});
  CHECK(floats(run1(ops::GatherElements(1), {a, i64({2, 2}, {0, 0, 1, 0})})) == floats_t{1, 1, 4, 3});
  const tensor b = f32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(floats(run1(ops::GatherElements(0), {b, i64({2, 3}, {1, 2, 0, 2, 0, 0})})) == floats_t{4, 8, 3, 7, 2, 3});
  CHECK(floats(run1(ops::GatherElements(-2), {a, i64({1, 2}, {-1, -2})})) == floats_t{3, 2});
  CHECK_THROWS_AS(run1(ops::GatherElements(0), {a, i64({1, 2}, {2, 0})}), error);
}

TEST_CASE("kernels: GatherND-8 (elements, slices, batch_dims, negative indices)") {
  const tensor d = f32({2, 2}, {0, 1, 2, 3});
  CHECK(floats(run1(ops::GatherND(0), {d, i64({2, 2}, {0, 0, 1, 1})})) == floats_t{0, 3});
  const tensor rows = run1(ops::GatherND(0), {d, i64({2, 1}, {1, 0})});
  CHECK(rows.dims() == shape{2, 2});
  CHECK(floats(rows) == floats_t{2, 3, 0, 1});
  const tensor batched = run1(ops::GatherND(1), {iota({2, 2, 2}), i64({2, 1}, {1, 0})});
  CHECK(batched.dims() == shape{2, 2});
  CHECK(floats(batched) == floats_t{2, 3, 4, 5});
  CHECK(floats(run1(ops::GatherND(0), {d, i64({1, 2}, {-1, -1})})) == floats_t{3});
  CHECK_THROWS_AS(run1(ops::GatherND(0), {d, i64({1, 2}, {0, 2})}), error);
}

// ---- Broadcast, Tile ---------------------------------------------------------------------------

TEST_CASE("kernels: Broadcast numpy, bidirectional and explicit (v3 and v1)") {
  using ops::broadcast_mode;
  const tensor row = f32({3}, {1, 2, 3});
  CHECK(floats(run1(ops::Broadcast(broadcast_mode::numpy), {row, i64({2, 3})})) == floats_t{1, 2, 3, 1, 2, 3});
  const tensor col = f32({3, 1}, {1, 2, 3});
  const tensor bi = run1(ops::Broadcast(broadcast_mode::bidirectional), {col, i64({1, 4})});
  CHECK(bi.dims() == shape{3, 4});
  CHECK(floats(bi) == floats_t{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
  CHECK(run1(ops::Broadcast(broadcast_mode::bidirectional), {col, i64({2, 1, 1})}).dims() == shape{2, 3, 1});
  const tensor ex = run1(ops::Broadcast(broadcast_mode::explicit_), {row, i64({3, 2}), i64({0})});
  CHECK(floats(ex) == floats_t{1, 1, 2, 2, 3, 3});
  const tensor ex1 = run1(ops::v1::Broadcast(ops::broadcast_type::explicit_), {row, i64({2, 3}), i64({1})});
  CHECK(floats(ex1) == floats_t{1, 2, 3, 1, 2, 3});
  CHECK(floats(run1(ops::v1::Broadcast{}, {f32({}, {7}), i64({2, 2})})) == floats_t{7, 7, 7, 7});
  CHECK(run1(ops::Broadcast{}, {row, i64({0, 3})}).dims() == shape{0, 3});
  const tensor b = run1(ops::Broadcast{}, {tensor::from_values<bool>({}, {true}), i64({2})});
  CHECK(ints(b) == ints_t{1, 1});
}

TEST_CASE("kernels: Tile repeats each axis; repeats longer than the rank add axes") {
  const tensor x = f32({2, 2}, {1, 2, 3, 4});
  CHECK(floats(run1(ops::Tile{}, {x, i64({1, 2})})) == floats_t{1, 2, 1, 2, 3, 4, 3, 4});
  CHECK(floats(run1(ops::Tile{}, {x, i64({2, 1})})) == floats_t{1, 2, 3, 4, 1, 2, 3, 4});
  const tensor t = run1(ops::Tile{}, {f32({2}, {5, 6}), i64({2, 2})});
  CHECK(t.dims() == shape{2, 4});
  CHECK(floats(t) == floats_t{5, 6, 5, 6, 5, 6, 5, 6});
  CHECK(run1(ops::Tile{}, {x, i64({0, 3})}).dims() == shape{0, 6});
}

// ---- Pad ---------------------------------------------------------------------------------------

TEST_CASE("kernels: Pad modes on the spec's positive pads example") {
  const tensor x = f32({3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const tensor b = i64({0, 1}), e = i64({2, 3});
  using ops::pad_mode;
  CHECK(floats(run1(ops::v1::Pad(pad_mode::constant), {x, b, e})) ==
        floats_t{0, 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0, 9, 10, 11, 12, 0, 0, 0,
                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(floats(run1(ops::v1::Pad(pad_mode::edge), {x, b, e})) ==
        floats_t{1, 1, 2, 3, 4, 4, 4, 4, 5, 5, 6, 7, 8, 8, 8, 8, 9, 9, 10, 11, 12, 12, 12, 12,
                 9, 9, 10, 11, 12, 12, 12, 12, 9, 9, 10, 11, 12, 12, 12, 12});
  CHECK(floats(run1(ops::v1::Pad(pad_mode::reflect), {x, b, e})) ==
        floats_t{2, 1, 2, 3, 4, 3, 2, 1, 6, 5, 6, 7, 8, 7, 6, 5, 10, 9, 10, 11, 12, 11, 10, 9,
                 6, 5, 6, 7, 8, 7, 6, 5, 2, 1, 2, 3, 4, 3, 2, 1});
  CHECK(floats(run1(ops::v1::Pad(pad_mode::symmetric), {x, b, e})) ==
        floats_t{1, 1, 2, 3, 4, 4, 3, 2, 5, 5, 6, 7, 8, 8, 7, 6, 9, 9, 10, 11, 12, 12, 11, 10,
                 9, 9, 10, 11, 12, 12, 11, 10, 5, 5, 6, 7, 8, 8, 7, 6});
  // the pad value input; ignored by the other modes
  CHECK(floats(run1(ops::Pad(pad_mode::constant), {f32({2}, {1, 2}), i64({1}), i64({2}), f32({}, {-1})})) ==
        floats_t{-1, 1, 2, -1, -1});
  CHECK(floats(run1(ops::v1::Pad(pad_mode::edge), {f32({2}, {1, 2}), i64({1}), i64({1}), f32({}, {-1})})) ==
        floats_t{1, 1, 2, 2});
}

TEST_CASE("kernels: Pad-12 negative pads crop; mixed pads mirror about the original edges") {
  const tensor x = f32({3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  using ops::pad_mode;
  for (auto mode : {pad_mode::constant, pad_mode::edge, pad_mode::reflect, pad_mode::symmetric}) {
    const tensor crop = run1(ops::Pad(mode), {x, i64({-1, -1}), i64({-1, -1})});
    CHECK(crop.dims() == shape{1, 2});
    CHECK(floats(crop) == floats_t{6, 7});
  }
  const tensor b = i64({2, -1}), e = i64({-1, 3});
  CHECK(floats(run1(ops::Pad(pad_mode::constant), {x, b, e})) ==
        floats_t{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 4, 0, 0, 0, 6, 7, 8, 0, 0, 0});
  CHECK(floats(run1(ops::Pad(pad_mode::edge), {x, b, e})) ==
        floats_t{2, 3, 4, 4, 4, 4, 2, 3, 4, 4, 4, 4, 2, 3, 4, 4, 4, 4, 6, 7, 8, 8, 8, 8});
  CHECK(floats(run1(ops::Pad(pad_mode::reflect), {x, b, e})) ==
        floats_t{10, 11, 12, 11, 10, 9, 6, 7, 8, 7, 6, 5, 2, 3, 4, 3, 2, 1, 6, 7, 8, 7, 6, 5});
  CHECK(floats(run1(ops::Pad(pad_mode::symmetric), {x, b, e})) ==
        floats_t{6, 7, 8, 8, 7, 6, 2, 3, 4, 4, 3, 2, 2, 3, 4, 4, 3, 2, 6, 7, 8, 8, 7, 6});
  // cropping everything, padding an empty axis with a constant, integer data
  CHECK(run1(ops::Pad(pad_mode::constant), {x, i64({-3, 0}), i64({0, 0})}).dims() == shape{0, 4});
  CHECK(floats(run1(ops::v1::Pad(pad_mode::constant), {f32({0}, {}), i64({1}), i64({1}), f32({}, {3})})) ==
        floats_t{3, 3});
  const tensor ints16 = tensor::from_values<std::int16_t>({3}, {1, 2, 3});
  CHECK(run1(ops::v1::Pad(pad_mode::reflect), {ints16, i64({2}), i64({2})}).values<std::int16_t>() ==
        std::vector<std::int16_t>{3, 2, 1, 2, 3, 2, 1});
  CHECK_THROWS_AS(run1(ops::v1::Pad(pad_mode::constant), {x, i64({-1, 0}), i64({0, 0})}), error); // Pad-1
  CHECK_THROWS_AS(run1(ops::v1::Pad(pad_mode::reflect), {x, i64({3, 0}), i64({0, 0})}), error);   // pad > n - 1
}

// ---- DepthToSpace, SpaceToDepth ------------------------------------------------------------------

TEST_CASE("kernels: DepthToSpace blocks_first and depth_first") {
  using ops::depth_space_mode;
  const tensor x = iota({1, 8, 1, 1}); // channel c holds c
  const tensor bf = run1(ops::DepthToSpace(depth_space_mode::blocks_first, 2), {x});
  CHECK(bf.dims() == shape{1, 2, 2, 2});
  CHECK(floats(bf) == floats_t{0, 2, 4, 6, 1, 3, 5, 7});
  const tensor df = run1(ops::DepthToSpace(depth_space_mode::depth_first, 2), {x});
  CHECK(floats(df) == floats_t{0, 1, 2, 3, 4, 5, 6, 7});
  // ONNX's DCR example (a [1,8,2,3] input): first output row
  const tensor onnx = run1(ops::DepthToSpace(depth_space_mode::blocks_first, 2), {iota({1, 8, 2, 3})});
  CHECK(onnx.dims() == shape{1, 2, 4, 6});
  const floats_t v = floats(onnx);
  // out[0,0,0,:] = in[c,0,w] for c = 0, 2 alternating: 0, 12, 1, 13, 2, 14
  CHECK(floats_t(v.begin(), v.begin() + 6) == floats_t{0, 12, 1, 13, 2, 14});
  // out[0,0,1,:] = channels 4 and 6: 24, 36, 25, 37, 26, 38
  CHECK(floats_t(v.begin() + 6, v.begin() + 12) == floats_t{24, 36, 25, 37, 26, 38});
  // one spatial axis: [1, 4, 2] -> [1, 2, 4] (blocks_first: channel b * 2 + c)
  const tensor one = run1(ops::DepthToSpace(depth_space_mode::blocks_first, 2), {iota({1, 4, 2})});
  CHECK(floats(one) == floats_t{0, 4, 1, 5, 2, 6, 3, 7});
}

TEST_CASE("kernels: SpaceToDepth modes, and the inverse of DepthToSpace in 1, 2 and 3 spatial axes") {
  using ops::depth_space_mode;
  const tensor x = iota({1, 2, 2, 2});
  CHECK(floats(run1(ops::SpaceToDepth(depth_space_mode::blocks_first, 2), {x})) == floats_t{0, 4, 1, 5, 2, 6, 3, 7});
  CHECK(floats(run1(ops::SpaceToDepth(depth_space_mode::depth_first, 2), {x})) == floats_t{0, 1, 2, 3, 4, 5, 6, 7});
  for (auto mode : {depth_space_mode::blocks_first, depth_space_mode::depth_first}) {
    for (const shape& s : {shape{2, 3, 4}, shape{1, 2, 4, 6}, shape{1, 1, 2, 4, 2}}) {
      const tensor in = iota(s);
      const tensor deep = run1(ops::SpaceToDepth(mode, 2), {in});
      const tensor back = run1(ops::DepthToSpace(mode, 2), {deep});
      CHECK(back.dims() == s);
      CHECK(floats(back) == floats(in));
    }
  }
  const tensor wide = run1(ops::SpaceToDepth(depth_space_mode::blocks_first, 3), {iota({1, 1, 3})});
  CHECK(wide.dims() == shape{1, 3, 1});
  CHECK(floats(wide) == floats_t{0, 1, 2});
}

// ---- Scatter*Update ------------------------------------------------------------------------------

TEST_CASE("kernels: ScatterUpdate (spec example, negative indices, errors)") {
  const tensor data = f32({3, 5}, {-1, 1, -1, 3, 4, -1, 6, -1, 8, 9, -1, 11, 1, 13, 14});
  const tensor upd = f32({3, 2}, {1, 1, 1, 1, 1, 2});
  CHECK(floats(run1(ops::ScatterUpdate{}, {data, i64({0, 2}), upd, scalar(1)})) ==
        floats_t{1, 1, 1, 3, 4, 1, 6, 1, 8, 9, 1, 11, 2, 13, 14});
  CHECK(floats(run1(ops::ScatterUpdate{}, {data, i64({0, -3}), upd, scalar(-1)})) ==
        floats_t{1, 1, 1, 3, 4, 1, 6, 1, 8, 9, 1, 11, 2, 13, 14});
  // axis 0, a scalar index: one row
  CHECK(floats(run1(ops::ScatterUpdate{}, {iota({2, 2}), scalar(1), f32({2}, {7, 8}), scalar(0)})) ==
        floats_t{0, 1, 7, 8});
  CHECK_THROWS_AS(run1(ops::ScatterUpdate{}, {data, i64({0, 5}), upd, scalar(1)}), error);
}

TEST_CASE("kernels: ScatterElementsUpdate (ONNX examples, smaller indices, negative indices)") {
  const tensor zeros = f32({3, 3}, floats_t(9, 0));
  const tensor upd = f32({2, 3}, {1.0f, 1.1f, 1.2f, 2.0f, 2.1f, 2.2f});
  CHECK(floats(run1(ops::ScatterElementsUpdate{}, {zeros, i64({2, 3}, {1, 0, 2, 0, 2, 1}), upd, scalar(0)})) ==
        floats_t{2.0f, 1.1f, 0, 1.0f, 0, 2.2f, 0, 2.1f, 1.2f});
  const tensor row = f32({1, 5}, {1, 2, 3, 4, 5});
  CHECK(floats(run1(ops::ScatterElementsUpdate{}, {row, i64({1, 2}, {1, 3}), f32({1, 2}, {1.1f, 2.1f}), scalar(1)})) ==
        floats_t{1, 1.1f, 3, 2.1f, 5});
  CHECK(floats(run1(ops::ScatterElementsUpdate{}, {row, i64({1, 2}, {1, -3}), f32({1, 2}, {1.1f, 2.1f}), scalar(-1)})) ==
        floats_t{1, 1.1f, 2.1f, 4, 5});
  // indices smaller than the data on the other axis: only column 0 changes
  CHECK(floats(run1(ops::ScatterElementsUpdate{}, {iota({2, 3}), i64({1, 1}, {1}), f32({1, 1}, {9}), scalar(0)})) ==
        floats_t{0, 1, 2, 9, 4, 5});
  CHECK_THROWS_AS(run1(ops::ScatterElementsUpdate{}, {row, i64({1, 1}, {5}), f32({1, 1}, {0}), scalar(1)}), error);
}

TEST_CASE("kernels: ScatterNDUpdate (spec examples, negative indices)") {
  const tensor data = f32({8}, {1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(floats(run1(ops::ScatterNDUpdate{}, {data, i64({4, 1}, {4, 3, 1, 7}), f32({4}, {9, 10, 11, 12})})) ==
        floats_t{1, 11, 3, 10, 9, 6, 7, 12});
  CHECK(floats(run1(ops::ScatterNDUpdate{}, {data, i64({1, 1}, {-1}), f32({1}, {0})})) ==
        floats_t{1, 2, 3, 4, 5, 6, 7, 0});
  // slices: rows 0 and 2 of a [3, 2] tensor
  CHECK(floats(run1(ops::ScatterNDUpdate{}, {iota({3, 2}), i64({2, 1}, {0, 2}), f32({2, 2}, {7, 7, 9, 9})})) ==
        floats_t{7, 7, 2, 3, 9, 9});
  // full index tuples on 2-D data
  CHECK(floats(run1(ops::ScatterNDUpdate{}, {iota({2, 2}), i64({1, 2}, {1, 0}), f32({1}, {-5})})) ==
        floats_t{0, 1, -5, 3});
  CHECK_THROWS_AS(run1(ops::ScatterNDUpdate{}, {data, i64({1, 1}, {8}), f32({1}, {0})}), error);
}

} // namespace test_kernels_shape_tests
