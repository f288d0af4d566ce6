// Spatial ops: convolutions, pooling, Interpolate, DepthToSpace/SpaceToDepth —
// shape and type inference (spec examples), attribute lists and round trips,
// and the errors for bad inputs.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/convolution.hpp"
#include "irforge/ops/depth_to_space.hpp"
#include "irforge/ops/interpolate.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/pooling.hpp"
#include "irforge/ops/spatial.hpp"

using namespace irforge;
using namespace irforge::ops;

namespace test_ops_spatial_tests {  // unity-build scope: file-local helpers stay apart

static_assert(check_layer<Convolution>() && check_layer<GroupConvolution>() && check_layer<ConvolutionBackpropData>() &&
              check_layer<GroupConvolutionBackpropData>());
static_assert(check_layer<MaxPool>() && check_layer<v8::MaxPool>() && check_layer<v1::MaxPool>() &&
              check_layer<AvgPool>() && check_layer<v1::AvgPool>());
static_assert(check_layer<Interpolate>() && check_layer<v4::Interpolate>() && check_layer<DepthToSpace>() &&
              check_layer<SpaceToDepth>());

namespace {
using attrs = std::vector<std::pair<std::string, std::string>>;

output_ref param(graph& g, partial_shape s, element_type t = element_type::f32) {
  return {g.add(Parameter{std::move(s), t}, {}, "p" + std::to_string(g.id_bound())), 0};
}
output_ref ints(graph& g, shape dims, const std::vector<std::int64_t>& v) {
  return {
      g.add(Constant(tensor::from_values<std::int64_t>(std::move(dims), v)), {}, "c" + std::to_string(g.id_bound())),
      0};
}
output_ref ints(graph& g, const std::vector<std::int64_t>& v) {
  return ints(g, {static_cast<std::int64_t>(v.size())}, v);
}
output_ref floats(graph& g, const std::vector<float>& v) {
  return {g.add(Constant(tensor::from_values<float>({static_cast<std::int64_t>(v.size())}, v)), {},
                "c" + std::to_string(g.id_bound())),
          0};
}
/// Adds the op and returns output 0's shape.
template <class T> partial_shape shape_of(graph& g, T op, std::vector<output_ref> in, std::uint32_t port = 0) {
  const node_id n = g.add(std::move(op), std::move(in), "op");
  return g.info({n, port}).shape;
}
/// Sets every attribute of a default T from `op`'s texts; both must then agree.
template <class T> void check_round_trip(const T& op) {
  const any_op original = op;
  any_op copy = T{};
  for (const auto& a : original.attributes()) CHECK_MESSAGE(copy.set_attribute(a.first, a.second), a.first);
  CHECK(copy.attributes() == original.attributes());
  CHECK(copy.same_as(original));
}
} // namespace

// ---- window arithmetic ----------------------------------------------------------------------

TEST_CASE("window arithmetic: floor, ceil and ceil_torch") {
  using spatial::window_count;
  // input 5, kernel 2, stride 2
  CHECK(*window_count(5, 2, 2, 0, 0, rounding_type::floor) == 2);
  CHECK(*window_count(5, 2, 2, 0, 0, rounding_type::ceil) == 3);
  CHECK(*window_count(5, 2, 2, 0, 0, rounding_type::ceil_torch) == 3); // window 3 starts at 4, inside the data
  CHECK(*window_count(5, 2, 2, 1, 1, rounding_type::floor) == 3);
  CHECK(*window_count(5, 2, 2, 1, 1, rounding_type::ceil) == 4);
  CHECK(*window_count(5, 2, 2, 1, 1, rounding_type::ceil_torch) == 3); // window 4 would start in the end padding
  // input 4, pads 0/1: ceil keeps a last window that starts in the end padding, ceil_torch drops it
  CHECK(*window_count(4, 2, 2, 0, 1, rounding_type::floor) == 2);
  CHECK(*window_count(4, 2, 2, 0, 1, rounding_type::ceil) == 3);
  CHECK(*window_count(4, 2, 2, 0, 1, rounding_type::ceil_torch) == 2);
  CHECK_FALSE(window_count(2, 3, 1, 0, 0, rounding_type::floor)); // kernel larger than the input
  CHECK(spatial::same_padding(224, 7, 2, pad_type::same_upper) == std::pair<std::int64_t, std::int64_t>{2, 3});
  CHECK(spatial::same_padding(224, 7, 2, pad_type::same_lower) == std::pair<std::int64_t, std::int64_t>{3, 2});
  CHECK(spatial::same_padding(5, 1, 2, pad_type::same_upper) == std::pair<std::int64_t, std::int64_t>{0, 0});
}

// ---- Convolution ---------------------------------------------------------------------------

TEST_CASE("Convolution: 1-D, 2-D and 3-D examples from the specification") {
  graph g;
  // 1-D, valid, stride 2: (128 - 4) / 2 + 1 = 63
  CHECK(shape_of(g, Convolution({2}, {1}, {0}, {0}, pad_type::valid), {param(g, {1, 5, 128}), param(g, {16, 5, 4})}) ==
        partial_shape{1, 16, 63});
  // 2-D, explicit pads 2 keep 224
  CHECK(shape_of(g, Convolution({1, 1}, {1, 1}, {2, 2}, {2, 2}),
                 {param(g, {1, 3, 224, 224}), param(g, {64, 3, 5, 5})}) == partial_shape{1, 64, 224, 224});
  // 3-D, dilation 2, stride 3: (320 - 5) / 3 + 1 = 106
  CHECK(shape_of(g, Convolution({3, 3, 3}, {2, 2, 2}, {0, 0, 0}, {0, 0, 0}),
                 {param(g, {1, 7, 320, 320, 320}), param(g, {32, 7, 3, 3, 3})}) == partial_shape{1, 32, 106, 106, 106});
  // the output type is the input type
  const node_id n = g.add(Convolution({1}, {1}, {0}, {0}),
                          {param(g, {1, 2, 8}, element_type::f16), param(g, {4, 2, 3}, element_type::f16)}, "h");
  CHECK(g.info({n, 0}).type == element_type::f16);
}

TEST_CASE("Convolution: auto_pad same_upper, same_lower, valid; empty attributes are defaults") {
  graph g;
  auto x = param(g, {1, 3, 224, 224});
  auto w = param(g, {64, 3, 7, 7});
  // pads given with same_* are ignored: output ceil(224 / 2)
  CHECK(shape_of(g, Convolution({2, 2}, {1, 1}, {9, 9}, {9, 9}, pad_type::same_upper), {x, w}) ==
        partial_shape{1, 64, 112, 112});
  CHECK(shape_of(g, Convolution({2, 2}, {1, 1}, {0, 0}, {0, 0}, pad_type::same_lower), {x, w}) ==
        partial_shape{1, 64, 112, 112});
  CHECK(shape_of(g, Convolution({2, 2}, {1, 1}, {3, 3}, {3, 3}, pad_type::valid), {x, w}) ==
        partial_shape{1, 64, 109, 109});
  CHECK(shape_of(g, Convolution({2, 2}, {1, 1}, {3, 3}, {3, 3}), {x, w}) == partial_shape{1, 64, 112, 112});
  CHECK(shape_of(g, Convolution{}, {x, w}) == partial_shape{1, 64, 218, 218}); // strides 1, no pads
}

TEST_CASE("Convolution: dynamic dimensions stay dynamic") {
  graph g;
  auto w = param(g, {8, 3, 3, 3});
  CHECK(shape_of(g, Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), {param(g, {dimension(), 3, dimension(), 10}), w}) ==
        partial_shape{dimension(), 8, dimension(), 8});
  CHECK(shape_of(g, Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), {param(g, {1, 3, dimension(10, 20), 10}), w}) ==
        partial_shape{1, 8, dimension(8, 18), 8});
  // unknown data rank: the weights give the rank
  CHECK(shape_of(g, Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), {param(g, partial_shape::dynamic_rank()), w}) ==
        partial_shape{dimension(), 8, dimension(), dimension()});
  // unknown ranks: the attributes give the rank
  CHECK(shape_of(g, Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}),
                 {param(g, partial_shape::dynamic_rank()), param(g, partial_shape::dynamic_rank())}) ==
        partial_shape::dynamic_of_rank(4));
  CHECK(
      shape_of(g, Convolution{}, {param(g, partial_shape::dynamic_rank()), param(g, partial_shape::dynamic_rank())}) ==
      partial_shape::dynamic_rank());
}

TEST_CASE("Convolution: errors name the node and show the shapes") {
  graph g;
  auto x = param(g, {1, 3, 224, 224});
  CHECK_THROWS_WITH_AS(g.add(Convolution({2, 2}, {1, 1}, {3, 3}, {3, 3}), {x, param(g, {64, 4, 7, 7})}, "conv1"),
                       "node 'conv1' (Convolution): channel mismatch: data [1,3,224,224] has 3 channels, but weights "
                       "[64,4,7,7] expect 4 input channels",
                       error);
  CHECK_THROWS_WITH_AS(g.add(Convolution{}, {x, param(g, {64, 3, 7, 7}, element_type::f16)}, "c"),
                       "node 'c' (Convolution): data and weights must have the same element type, got f32 and f16",
                       error);
  CHECK_THROWS_WITH_AS(g.add(Convolution{}, {x, param(g, {64, 3, 7})}, "c"),
                       "node 'c' (Convolution): weights must have rank 4 for data [1,3,224,224], got [64,3,7]", error);
  CHECK_THROWS_WITH_AS(g.add(Convolution({1}, {1, 1}, {0, 0}, {0, 0}), {x, param(g, {64, 3, 7, 7})}, "c"),
                       "node 'c' (Convolution): strides has 1 values, but the op has 2 spatial axes", error);
  CHECK_THROWS_WITH_AS(g.add(Convolution({0, 1}, {1, 1}, {0, 0}, {0, 0}), {x, param(g, {64, 3, 7, 7})}, "c"),
                       "node 'c' (Convolution): strides[0] is 0, it must be in [1, 2147483648]", error);
  CHECK_THROWS_AS(g.add(Convolution{}, {param(g, {1, 3, 4, 4}), param(g, {8, 3, 5, 5})}, "c"), error); // kernel > input
  CHECK_THROWS_AS(g.add(Convolution{}, {param(g, {1, 3}), param(g, {8, 3})}, "c"), error); // no spatial axis
}

TEST_CASE("GroupConvolution: weights [G, O/G, I/G, k...]") {
  graph g;
  CHECK(shape_of(g, GroupConvolution({1, 1}, {1, 1}, {0, 0}, {0, 0}),
                 {param(g, {1, 12, 10, 10}), param(g, {3, 8, 4, 3, 3})}) == partial_shape{1, 24, 8, 8});
  // depthwise, same_upper
  CHECK(shape_of(g, GroupConvolution({2, 2}, {1, 1}, {}, {}, pad_type::same_upper),
                 {param(g, {1, 32, 15, 15}), param(g, {32, 1, 1, 3, 3})}) == partial_shape{1, 32, 8, 8});
  CHECK_THROWS_WITH_AS(g.add(GroupConvolution{}, {param(g, {1, 12, 10, 10}), param(g, {3, 8, 5, 3, 3})}, "gc"),
                       "node 'gc' (GroupConvolution): channel mismatch: data [1,12,10,10] has 12 channels, but weights "
                       "[3,8,5,3,3] expect 3 groups x 5 input channels = 15",
                       error);
}

TEST_CASE("ConvolutionBackpropData: specification examples, output_shape, auto_pad") {
  graph g;
  ConvolutionBackpropData op;
  op.strides = {2, 2};
  op.dilations = {1, 1};
  op.pads_begin = {1, 1};
  op.pads_end = {1, 1};
  auto x = param(g, {1, 20, 224, 224});
  auto w = param(g, {20, 10, 3, 3});
  CHECK(shape_of(g, op, {x, w}) == partial_shape{1, 10, 447, 447});

  ConvolutionBackpropData padded;
  padded.strides = {3, 3};
  padded.output_padding = {2, 2};
  CHECK(shape_of(g, padded, {param(g, {1, 20, 2, 2}), w}) == partial_shape{1, 10, 8, 8});

  ConvolutionBackpropData with_shape;
  with_shape.strides = {1, 1};
  with_shape.pads_begin = {1, 1};
  with_shape.pads_end = {1, 1};
  with_shape.auto_pad = pad_type::valid;
  CHECK(shape_of(g, with_shape, {x, w, ints(g, {450, 450})}) == partial_shape{1, 10, 450, 450});
  CHECK(shape_of(g, with_shape, {x, w, param(g, {2}, element_type::i64)}) ==
        partial_shape{1, 10, dimension(), dimension()});

  // without output_shape, same_upper means no padding: 2 * 223 + 3 = 449
  op.auto_pad = pad_type::same_upper;
  CHECK(shape_of(g, op, {x, w}) == partial_shape{1, 10, 449, 449});

  CHECK_THROWS_WITH_AS(g.add(op, {x, param(g, {10, 20, 3, 3})}, "d"),
                       "node 'd' (ConvolutionBackpropData): channel mismatch: data [1,20,224,224] has 20 channels, but "
                       "weights [10,20,3,3] expect 10 input channels",
                       error);
  CHECK_THROWS_AS(g.add(with_shape, {x, w, ints(g, {450, 450, 450})}, "d"), error);
  CHECK_THROWS_AS(g.add(with_shape, {x, w, floats(g, {450, 450})}, "d"), error); // output_shape must be integers
}

TEST_CASE("GroupConvolutionBackpropData: specification examples") {
  graph g;
  GroupConvolutionBackpropData op;
  op.strides = {2};
  op.dilations = {1};
  op.pads_begin = {1};
  op.pads_end = {1};
  CHECK(shape_of(g, op, {param(g, {1, 20, 224}), param(g, {4, 5, 2, 3})}) == partial_shape{1, 8, 447});
  op.strides = {2, 2, 2};
  op.dilations = {1, 1, 1};
  op.pads_begin = {1, 1, 1};
  op.pads_end = {1, 1, 1};
  CHECK(shape_of(g, op, {param(g, {1, 20, 224, 224, 224}), param(g, {4, 5, 2, 3, 3, 3})}) ==
        partial_shape{1, 8, 447, 447, 447});
  CHECK_THROWS_AS(g.add(op, {param(g, {1, 21, 9, 9, 9}), param(g, {4, 5, 2, 3, 3, 3})}, "d"), error);
}

TEST_CASE("convolutions: attribute lists, defaults and round trips") {
  CHECK(any_op(Convolution{}).attributes() ==
        attrs{{"strides", ""}, {"dilations", ""}, {"pads_begin", ""}, {"pads_end", ""}, {"auto_pad", "explicit"}});
  const Convolution conv({2, 2}, {1, 1}, {3, 3}, {3, 3});
  CHECK(any_op(conv).attributes() == attrs{{"strides", "2, 2"},
                                           {"dilations", "1, 1"},
                                           {"pads_begin", "3, 3"},
                                           {"pads_end", "3, 3"},
                                           {"auto_pad", "explicit"}});
  CHECK(any_op(GroupConvolution{}).attributes() == any_op(Convolution{}).attributes());
  CHECK(any_op(ConvolutionBackpropData{}).attributes() == attrs{{"strides", ""},
                                                                {"dilations", ""},
                                                                {"pads_begin", ""},
                                                                {"pads_end", ""},
                                                                {"auto_pad", "explicit"},
                                                                {"output_padding", ""}});
  CHECK(any_op(GroupConvolutionBackpropData{}).attributes() == any_op(ConvolutionBackpropData{}).attributes());
  CHECK(any_op(Convolution{}).type_name() == "Convolution");
  CHECK(any_op(GroupConvolutionBackpropData{}).version() == "opset1");

  check_round_trip(Convolution({2, 1}, {1, 2}, {0, 1}, {1, 0}, pad_type::same_lower));
  check_round_trip(GroupConvolution({1, 1}, {1, 1}, {}, {}, pad_type::valid));
  ConvolutionBackpropData d;
  d.strides = {2, 2};
  d.output_padding = {1, 1};
  d.auto_pad = pad_type::same_upper;
  check_round_trip(d);
  GroupConvolutionBackpropData gd;
  gd.dilations = {2};
  check_round_trip(gd);

  any_op op = Convolution{};
  CHECK(op.set_attribute("auto_pad", "notset")); // older IR spelling
  CHECK(op.get<Convolution>().auto_pad == pad_type::explicit_);
  CHECK_THROWS_AS(op.set_attribute("auto_pad", "sideways"), error);
  CHECK_THROWS_AS(op.set_attribute("strides", "1, x"), error);
}

// ---- pooling -------------------------------------------------------------------------------

TEST_CASE("MaxPool: specification examples (explicit, same_upper, valid)") {
  graph g;
  auto x = param(g, {1, 3, 32, 32});
  v1::MaxPool p;
  p.kernel = {2, 2};
  p.strides = {2, 2};
  p.pads_begin = {1, 1};
  p.pads_end = {1, 1};
  CHECK(shape_of(g, p, {x}) == partial_shape{1, 3, 17, 17});
  p.auto_pad = pad_type::same_upper;
  CHECK(shape_of(g, p, {x}) == partial_shape{1, 3, 16, 16});
  p.auto_pad = pad_type::valid;
  CHECK(shape_of(g, p, {x}) == partial_shape{1, 3, 16, 16});
  // example 2: 1-D, valid, kernel 3
  v1::MaxPool q;
  q.kernel = {3};
  q.strides = {1};
  q.auto_pad = pad_type::valid;
  CHECK(shape_of(g, q, {param(g, {1, 1, 7})}) == partial_shape{1, 1, 5});
  // 3-D kernel
  v1::MaxPool r;
  r.kernel = {2, 2, 2};
  r.strides = {2, 2, 2};
  CHECK(shape_of(g, r, {param(g, {2, 4, 8, 9, 10})}) == partial_shape{2, 4, 4, 4, 5});
}

TEST_CASE("MaxPool: floor, ceil and ceil_torch (input 5, kernel 2, stride 2)") {
  graph g;
  auto x = param(g, {1, 1, 5});
  auto y = param(g, {1, 1, 4});
  MaxPool p; // opset14
  p.kernel = {2};
  p.strides = {2};
  auto run = [&](output_ref in, std::int64_t pb, std::int64_t pe, rounding_type r) {
    p.pads_begin = {pb};
    p.pads_end = {pe};
    p.rounding_type = r;
    return shape_of(g, p, {in})[2].value();
  };
  CHECK(run(x, 0, 0, rounding_type::floor) == 2);
  CHECK(run(x, 0, 0, rounding_type::ceil) == 3);
  CHECK(run(x, 0, 0, rounding_type::ceil_torch) == 3);
  CHECK(run(x, 1, 1, rounding_type::floor) == 3);
  CHECK(run(x, 1, 1, rounding_type::ceil) == 4);
  CHECK(run(x, 1, 1, rounding_type::ceil_torch) == 3);
  CHECK(run(y, 0, 1, rounding_type::ceil) == 3);
  CHECK(run(y, 0, 1, rounding_type::ceil_torch) == 2);
  // specification example 5: [1,1,3,3], kernel 2, stride 2, pads 1 -> [1,1,2,2] with ceil_torch
  MaxPool e;
  e.kernel = {2, 2};
  e.strides = {2, 2};
  e.pads_begin = {1, 1};
  e.pads_end = {1, 1};
  e.rounding_type = rounding_type::ceil_torch;
  CHECK(shape_of(g, e, {param(g, {1, 1, 3, 3})}) == partial_shape{1, 1, 2, 2});
  e.rounding_type = rounding_type::ceil;
  CHECK(shape_of(g, e, {param(g, {1, 1, 3, 3})}) == partial_shape{1, 1, 3, 3});
  // example 6: valid with ceil
  e.auto_pad = pad_type::valid;
  CHECK(shape_of(g, e, {param(g, {1, 1, 3, 3})}) == partial_shape{1, 1, 2, 2});
}

TEST_CASE("MaxPool-8/14: dilations, the indices output and its element type") {
  graph g;
  v8::MaxPool p;
  p.kernel = {2, 2};
  p.strides = {1, 1};
  p.dilations = {2, 2};
  p.pads_begin = {1, 1};
  p.pads_end = {1, 1};
  p.index_element_type = element_type::i32;
  const node_id n = g.add(p, {param(g, {1, 1, 3, 3})}, "mp");
  CHECK(g.node(n).outputs.size() == 2);
  CHECK(g.info({n, 0}).shape == partial_shape{1, 1, 3, 3});
  CHECK(g.info({n, 0}).type == element_type::f32);
  CHECK(g.info({n, 1}).shape == partial_shape{1, 1, 3, 3});
  CHECK(g.info({n, 1}).type == element_type::i32);
  p.rounding_type = rounding_type::ceil_torch;
  CHECK_THROWS_WITH_AS(
      g.add(p, {param(g, {1, 1, 3, 3})}, "m8"),
      "node 'm8' (MaxPool): rounding_type ceil_torch needs opset14 of this op; opset1/opset8 know floor "
      "and ceil",
      error);
  MaxPool q;
  q.kernel = {2, 2};
  q.axis = -4;
  CHECK(shape_of(g, q, {param(g, {1, 2, 3, 3})}, 1) == partial_shape{1, 2, 2, 2});
  q.axis = 4;
  CHECK_THROWS_WITH_AS(g.add(q, {param(g, {1, 2, 3, 3})}, "m"),
                       "node 'm' (MaxPool): axis 4 is out of range for rank 4 (allowed: -4 to 3)", error);
  q.axis = 0;
  q.index_element_type = element_type::f32;
  CHECK_THROWS_AS(g.add(q, {param(g, {1, 2, 3, 3})}, "m"), error);
}

TEST_CASE("pooling: dynamic dimensions and errors") {
  graph g;
  AvgPool p;
  p.kernel = {3, 3};
  p.strides = {2, 2};
  CHECK(shape_of(g, p, {param(g, {dimension(), 3, dimension(), 9})}) == partial_shape{dimension(), 3, dimension(), 4});
  CHECK(shape_of(g, p, {param(g, partial_shape::dynamic_rank())}) == partial_shape::dynamic_of_rank(4));
  p.auto_pad = pad_type::same_upper;
  CHECK(shape_of(g, p, {param(g, {1, 3, dimension(10, 20), 9})}) == partial_shape{1, 3, dimension(5, 10), 5});
  p.auto_pad = pad_type::explicit_;
  CHECK_THROWS_WITH_AS(g.add(p, {param(g, {1, 3, 2, 9})}, "ap"),
                       "node 'ap' (AvgPool): spatial axis 0: the kernel (3 once dilated) is larger than the padded "
                       "input (2 + 0 + 0)",
                       error);
  CHECK_THROWS_WITH_AS(g.add(p, {param(g, {1, 3, 9})}, "ap"),
                       "node 'ap' (AvgPool): data [1,3,9] must have rank 4 for a 2-D kernel", error);
  CHECK_THROWS_AS(g.add(AvgPool{}, {param(g, {1, 3, 9})}, "ap"), error); // empty kernel
  CHECK_THROWS_AS(g.add(p, {param(g, {1, 3, 9, 9}, element_type::boolean)}, "ap"), error);
}

TEST_CASE("AvgPool: exclude-pad keeps its hyphen and the IR order") {
  CHECK(any_op(AvgPool{}).attributes() == attrs{{"kernel", ""},
                                                {"strides", ""},
                                                {"pads_begin", ""},
                                                {"pads_end", ""},
                                                {"exclude-pad", "true"},
                                                {"auto_pad", "explicit"},
                                                {"rounding_type", "floor"}});
  CHECK(any_op(v1::AvgPool{}).attributes() == any_op(AvgPool{}).attributes());
  CHECK(any_op(v1::AvgPool{}).version() == "opset1");
  CHECK(any_op(AvgPool{}).version() == "opset14");

  any_op op = AvgPool{};
  CHECK(op.set_attribute("exclude-pad", "false"));
  CHECK_FALSE(op.get<AvgPool>().exclude_pad);
  CHECK_FALSE(op.set_attribute("exclude_pad", "true")); // the C++ name is not an IR name
  CHECK_FALSE(op.set_attribute("dilations", "1"));
  CHECK_THROWS_WITH_AS(op.set_attribute("exclude-pad", "maybe"),
                       "attribute 'exclude-pad': cannot read 'maybe' as a boolean", error);
  CHECK_THROWS_WITH_AS(op.set_attribute("rounding_type", "up"),
                       "attribute 'rounding_type': 'up' is not one of: floor, ceil, ceil_torch", error);

  AvgPool a;
  a.kernel = {3, 3};
  a.strides = {2, 2};
  a.pads_begin = {1, 1};
  a.pads_end = {0, 0};
  a.exclude_pad = false;
  a.rounding_type = rounding_type::ceil_torch;
  CHECK(any_op(a).attributes() == attrs{{"kernel", "3, 3"},
                                        {"strides", "2, 2"},
                                        {"pads_begin", "1, 1"},
                                        {"pads_end", "0, 0"},
                                        {"exclude-pad", "false"},
                                        {"auto_pad", "explicit"},
                                        {"rounding_type", "ceil_torch"}});
  check_round_trip(a);
  v1::AvgPool b;
  b.kernel = {2};
  b.auto_pad = pad_type::same_lower;
  check_round_trip(b);

  graph g; // AvgPool-14 ceil_torch: ceil((7 + 1 - 3) / 2) + 1 = 4; window 4 starts at 6 < 7 + 1: kept
  CHECK(shape_of(g, a, {param(g, {1, 1, 7, 8})}) == partial_shape{1, 1, 4, 4});
  v1::AvgPool c;
  c.kernel = {2};
  c.rounding_type = rounding_type::ceil_torch;
  CHECK_THROWS_AS(g.add(c, {param(g, {1, 1, 4})}, "c"), error);
}

TEST_CASE("MaxPool: attribute lists, defaults and round trips") {
  CHECK(any_op(v1::MaxPool{}).attributes() == attrs{{"strides", ""},
                                                    {"pads_begin", ""},
                                                    {"pads_end", ""},
                                                    {"kernel", ""},
                                                    {"rounding_type", "floor"},
                                                    {"auto_pad", "explicit"}});
  const attrs v8_defaults{
      {"strides", ""}, {"dilations", ""},          {"pads_begin", ""},       {"pads_end", ""},
      {"kernel", ""},  {"rounding_type", "floor"}, {"auto_pad", "explicit"}, {"index_element_type", "i64"},
      {"axis", "0"}};
  CHECK(any_op(v8::MaxPool{}).attributes() == v8_defaults);
  CHECK(any_op(MaxPool{}).attributes() == v8_defaults);
  CHECK(any_op(v8::MaxPool{}).version() == "opset8");
  CHECK(any_op(MaxPool{}).version() == "opset14");
  v1::MaxPool a;
  a.kernel = {3, 3};
  a.strides = {2, 2};
  a.rounding_type = rounding_type::ceil;
  check_round_trip(a);
  v8::MaxPool b;
  b.kernel = {2};
  b.dilations = {2};
  b.index_element_type = element_type::i32;
  b.axis = 2;
  check_round_trip(b);
  MaxPool c;
  c.kernel = {2, 2};
  c.rounding_type = rounding_type::ceil_torch;
  c.auto_pad = pad_type::valid;
  check_round_trip(c);
}

// ---- Interpolate -----------------------------------------------------------------------------

TEST_CASE("Interpolate-11: scales and sizes, axes, pads") {
  graph g;
  auto x = param(g, {1, 2, 48, 80});
  Interpolate op;
  op.mode = interpolate_mode::bicubic_pillow;
  op.shape_calculation_mode = shape_calculation_mode::scales;
  // specification example: scales [0.5, 2.0] on axes [2, 3]
  CHECK(shape_of(g, op, {x, floats(g, {0.5f, 2.0f}), ints(g, {2, 3})}) == partial_shape{1, 2, 24, 160});
  op.shape_calculation_mode = shape_calculation_mode::sizes;
  CHECK(shape_of(g, op, {x, ints(g, {24, 160}), ints(g, {2, 3})}) == partial_shape{1, 2, 24, 160});
  // no axes input: every axis
  CHECK(shape_of(g, op, {x, ints(g, {1, 2, 7, 9})}) == partial_shape{1, 2, 7, 9});
  // pads grow every axis first; the interpolated one takes its size
  op.pads_begin = {0, 0, 1, 1};
  op.pads_end = {0, 0, 1, 1};
  CHECK(shape_of(g, op, {x, ints(g, {30}), ints(g, {2})}) == partial_shape{1, 2, 30, 82});
  op.shape_calculation_mode = shape_calculation_mode::scales;
  CHECK(shape_of(g, op, {x, floats(g, {0.5f}), ints(g, {3})}) == partial_shape{1, 2, 50, 41});
  op.pads_begin = {1}; // shorter lists are zero-extended
  op.pads_end = {};
  CHECK(shape_of(g, op, {x, floats(g, {2.0f}), ints(g, {2})}) == partial_shape{2, 2, 96, 80});
  // a scale of 1/3 on 3 gives 1 (OpenVINO adds 1e-6 before the floor)
  op.pads_begin = {};
  CHECK(shape_of(g, op, {param(g, {1, 1, 3, 3}), floats(g, {1.0f / 3.0f, 1.0f / 3.0f}), ints(g, {2, 3})}) ==
        partial_shape{1, 1, 1, 1});
}

TEST_CASE("Interpolate: unknown inputs and dynamic data") {
  graph g;
  auto x = param(g, {1, 3, dimension(), 20});
  Interpolate op;
  op.shape_calculation_mode = shape_calculation_mode::scales;
  CHECK(shape_of(g, op, {x, floats(g, {2.0f, 2.0f}), ints(g, {2, 3})}) == partial_shape{1, 3, dimension(), 40});
  CHECK(shape_of(g, op, {x, param(g, {2}), ints(g, {2, 3})}) == partial_shape{1, 3, dimension(), dimension()});
  CHECK(shape_of(g, op, {x, floats(g, {2.0f, 2.0f}), param(g, {2}, element_type::i64)}) ==
        partial_shape::dynamic_of_rank(4));
  CHECK(shape_of(g, op, {param(g, partial_shape::dynamic_rank()), floats(g, {2.0f})}) == partial_shape::dynamic_rank());
}

TEST_CASE("Interpolate-4: sizes, scales and axes inputs") {
  graph g;
  auto x = param(g, {1, 3, 10, 20});
  v4::Interpolate op;
  op.mode = interpolate_mode::linear_onnx;
  // sizes mode: the scales input is ignored
  CHECK(shape_of(g, op, {x, ints(g, {5, 40}), floats(g, {9.0f, 9.0f}), ints(g, {2, 3})}) == partial_shape{1, 3, 5, 40});
  op.shape_calculation_mode = shape_calculation_mode::scales;
  CHECK(shape_of(g, op, {x, ints(g, {5, 40}), floats(g, {1.5f, 0.25f}), ints(g, {2, 3})}) ==
        partial_shape{1, 3, 15, 5});
  CHECK(shape_of(g, op, {x, ints(g, {1, 1, 1, 1}), floats(g, {1.0f, 1.0f, 2.0f, 2.0f})}) ==
        partial_shape{1, 3, 20, 40});
  // errors
  CHECK_THROWS_WITH_AS(g.add(op, {x, ints(g, {5, 40}), floats(g, {2.0f, 2.0f}), ints(g, {2, 4})}, "i"),
                       "node 'i' (Interpolate): axes [2, 4] must be in [0, 4) for data [1,3,10,20]", error);
  CHECK_THROWS_AS(g.add(op, {x, ints(g, {5, 40}), ints(g, {2, 2}), ints(g, {2, 3})}, "i"), error);   // int scales
  CHECK_THROWS_AS(g.add(op, {x, ints(g, {5, 40}), floats(g, {2.0f}), ints(g, {2, 3})}, "i"), error); // too few
  op.mode = interpolate_mode::bilinear_pillow;
  CHECK_THROWS_WITH_AS(g.add(op, {x, ints(g, {5, 40}), floats(g, {2.0f, 2.0f}), ints(g, {2, 3})}, "i"),
                       "node 'i' (Interpolate): mode bilinear_pillow needs Interpolate-11", error);
}

TEST_CASE("Interpolate: attribute lists, defaults and round trips") {
  const attrs defaults{{"mode", "nearest"},
                       {"shape_calculation_mode", "sizes"},
                       {"coordinate_transformation_mode", "half_pixel"},
                       {"nearest_mode", "round_prefer_floor"},
                       {"antialias", "false"},
                       {"pads_begin", ""},
                       {"pads_end", ""},
                       {"cube_coeff", "-0.75"}};
  CHECK(any_op(Interpolate{}).attributes() == defaults);
  CHECK(any_op(v4::Interpolate{}).attributes() == defaults);
  CHECK(any_op(Interpolate{}).version() == "opset11");
  CHECK(any_op(v4::Interpolate{}).version() == "opset4");
  Interpolate a;
  a.mode = interpolate_mode::cubic;
  a.shape_calculation_mode = shape_calculation_mode::scales;
  a.coordinate_transformation_mode = coordinate_transformation_mode::tf_half_pixel_for_nn;
  a.nearest_mode = nearest_mode::simple;
  a.antialias = true;
  a.pads_begin = {0, 0, 1, 1};
  a.pads_end = {0, 0, 2, 2};
  a.cube_coeff = -0.5;
  CHECK(any_op(a).attributes() == attrs{{"mode", "cubic"},
                                        {"shape_calculation_mode", "scales"},
                                        {"coordinate_transformation_mode", "tf_half_pixel_for_nn"},
                                        {"nearest_mode", "simple"},
                                        {"antialias", "true"},
                                        {"pads_begin", "0, 0, 1, 1"},
                                        {"pads_end", "0, 0, 2, 2"},
                                        {"cube_coeff", "-0.5"}});
  check_round_trip(a);
  v4::Interpolate b;
  b.mode = interpolate_mode::linear;
  b.coordinate_transformation_mode = coordinate_transformation_mode::align_corners;
  b.nearest_mode = nearest_mode::round_prefer_ceil;
  b.cube_coeff = -0.75;
  check_round_trip(b);
}

// ---- DepthToSpace / SpaceToDepth --------------------------------------------------------------

TEST_CASE("DepthToSpace and SpaceToDepth") {
  graph g;
  CHECK(shape_of(g, DepthToSpace(depth_space_mode::blocks_first, 2), {param(g, {1, 12, 2, 3})}) ==
        partial_shape{1, 3, 4, 6});
  CHECK(shape_of(g, DepthToSpace(depth_space_mode::depth_first, 2), {param(g, {1, 16, 2, 2, 2})}) ==
        partial_shape{1, 2, 4, 4, 4});
  CHECK(shape_of(g, DepthToSpace(depth_space_mode::blocks_first, 3), {param(g, {1, 9, 5})}) == partial_shape{1, 3, 15});
  CHECK(shape_of(g, DepthToSpace(depth_space_mode::blocks_first, 2), {param(g, {dimension(), 8, dimension(), 3})}) ==
        partial_shape{dimension(), 2, dimension(), 6});
  CHECK(shape_of(g, SpaceToDepth(depth_space_mode::blocks_first, 2), {param(g, {1, 3, 4, 6})}) ==
        partial_shape{1, 12, 2, 3});
  CHECK(shape_of(g, SpaceToDepth(depth_space_mode::depth_first, 2), {param(g, {1, 2, 4, 4, 4})}) ==
        partial_shape{1, 16, 2, 2, 2});
  CHECK_THROWS_WITH_AS(g.add(DepthToSpace(depth_space_mode::blocks_first, 2), {param(g, {1, 10, 2, 3})}, "d2s"),
                       "node 'd2s' (DepthToSpace): channels 10 of [1,10,2,3] are not divisible by block_size^2 = 4",
                       error);
  CHECK_THROWS_WITH_AS(
      g.add(SpaceToDepth(depth_space_mode::blocks_first, 2), {param(g, {1, 3, 4, 5})}, "s2d"),
      "node 's2d' (SpaceToDepth): spatial size 5 (axis 3 of [1,3,4,5]) is not divisible by block_size 2", error);
  CHECK_THROWS_AS(g.add(SpaceToDepth(depth_space_mode::blocks_first, 0), {param(g, {1, 3, 4, 4})}, "s"), error);
  CHECK_THROWS_AS(g.add(SpaceToDepth{}, {param(g, {1, 3})}, "s"), error);

  CHECK(any_op(DepthToSpace{}).attributes() == attrs{{"block_size", "1"}, {"mode", "blocks_first"}});
  CHECK(any_op(SpaceToDepth{}).attributes() == attrs{{"block_size", "1"}, {"mode", "blocks_first"}});
  check_round_trip(DepthToSpace(depth_space_mode::depth_first, 4));
  check_round_trip(SpaceToDepth(depth_space_mode::depth_first, 3));
}

} // namespace test_ops_spatial_tests
