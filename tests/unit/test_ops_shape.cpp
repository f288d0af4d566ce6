// Shape and data-movement ops: MatMul, Concat, Reshape, Transpose, Squeeze,
// Unsqueeze, Gather*, StridedSlice, Slice, Split, VariadicSplit, Broadcast,
// Tile, Pad and the Scatter*Update ops — shape/type inference (spec
// examples), known-value propagation, attribute lists and round trips, errors.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/broadcast.hpp"
#include "irforge/ops/concat.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/gather.hpp"
#include "irforge/ops/matmul.hpp"
#include "irforge/ops/pad.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/reshape.hpp"
#include "irforge/ops/scatter.hpp"
#include "irforge/ops/slice.hpp"
#include "irforge/ops/split.hpp"
#include "irforge/ops/squeeze.hpp"
#include "irforge/ops/transpose.hpp"

using namespace irforge;
using namespace irforge::ops;

namespace test_ops_shape_tests {  // unity-build scope: file-local helpers stay apart

static_assert(check_layer<MatMul>() && check_layer<Concat>() && check_layer<Reshape>() && check_layer<Transpose>() &&
              check_layer<Squeeze>() && check_layer<Unsqueeze>());
static_assert(check_layer<Gather>() && check_layer<v7::Gather>() && check_layer<v1::Gather>() &&
              check_layer<GatherElements>() && check_layer<GatherND>());
static_assert(check_layer<StridedSlice>() && check_layer<Slice>() && check_layer<Split>() &&
              check_layer<VariadicSplit>());
static_assert(check_layer<Broadcast>() && check_layer<v1::Broadcast>() && check_layer<Tile>() && check_layer<Pad>() &&
              check_layer<v1::Pad>());
static_assert(check_layer<ScatterUpdate>() && check_layer<ScatterElementsUpdate>() && check_layer<ScatterNDUpdate>());

namespace {
using attrs = std::vector<std::pair<std::string, std::string>>;
using ints_t = std::vector<std::int64_t>;
const dimension dyn = dimension::dynamic();

output_ref param(graph& g, partial_shape s, element_type t = element_type::f32) {
  return {g.add(Parameter{std::move(s), t}, {}, "p" + std::to_string(g.id_bound())), 0};
}
output_ref ints(graph& g, shape dims, const ints_t& v) {
  return {
      g.add(Constant(tensor::from_values<std::int64_t>(std::move(dims), v)), {}, "c" + std::to_string(g.id_bound())),
      0};
}
output_ref ints(graph& g, const ints_t& v) { return ints(g, {static_cast<std::int64_t>(v.size())}, v); }
output_ref scalar(graph& g, std::int64_t v) { return ints(g, {}, {v}); }
output_ref i32s(graph& g, const std::vector<std::int32_t>& v) {
  return {g.add(Constant(tensor::from_values<std::int32_t>({static_cast<std::int64_t>(v.size())}, v)), {},
                "c" + std::to_string(g.id_bound())),
          0};
}
template <class T> node_id add(graph& g, T op, std::vector<output_ref> in, const std::string& name = "op") {
  return g.add(std::move(op), std::move(in), name);
}
template <class T> partial_shape shape_of(graph& g, T op, std::vector<output_ref> in, std::uint32_t port = 0) {
  return g.info({add(g, std::move(op), std::move(in)), port}).shape;
}
/// The known value of output 0 as int64 (empty optional when unknown).
template <class T> std::optional<ints_t> value_of(graph& g, T op, std::vector<output_ref> in, std::uint32_t port = 0) {
  const auto& info = g.info({add(g, std::move(op), std::move(in)), port});
  if (!info.value) return std::nullopt;
  return info.value->as_i64();
}
template <class T> void check_round_trip(const T& op) {
  const any_op original = op;
  any_op copy = T{};
  for (const auto& a : original.attributes()) CHECK_MESSAGE(copy.set_attribute(a.first, a.second), a.first);
  CHECK(copy.attributes() == original.attributes());
  CHECK(copy.same_as(original));
}
} // namespace

// ---- MatMul --------------------------------------------------------------------------------

TEST_CASE("MatMul: transposes, 1-D operands, batch broadcasting") {
  graph g;
  CHECK(shape_of(g, MatMul{}, {param(g, {2, 3}), param(g, {3, 4})}) == partial_shape{2, 4});
  CHECK(shape_of(g, MatMul(true, false), {param(g, {3, 2}), param(g, {3, 4})}) == partial_shape{2, 4});
  CHECK(shape_of(g, MatMul(false, true), {param(g, {2, 3}), param(g, {4, 3})}) == partial_shape{2, 4});
  CHECK(shape_of(g, MatMul{}, {param(g, {3}), param(g, {3, 4})}) == partial_shape{4});
  CHECK(shape_of(g, MatMul{}, {param(g, {2, 3}), param(g, {3})}) == partial_shape{2});
  CHECK(shape_of(g, MatMul(true, true), {param(g, {3}), param(g, {3})}) ==
        partial_shape{}); // transposes ignored for 1-D
  CHECK(shape_of(g, MatMul{}, {param(g, {5, 1, 2, 3}), param(g, {4, 3, 6})}) == partial_shape{5, 4, 2, 6});
  CHECK(shape_of(g, MatMul{}, {param(g, {dyn, 2, 3}), param(g, {3, dyn})}) == partial_shape{dyn, 2, dyn});
  CHECK(shape_of(g, MatMul{}, {param(g, partial_shape::dynamic_rank()), param(g, {3, 4})}) ==
        partial_shape::dynamic_rank());
  CHECK_THROWS_WITH_AS(add(g, MatMul{}, {param(g, {2, 3}), param(g, {4, 5})}, "mm"),
                       "node 'mm' (MatMul): inner dimensions differ: [2,3] x [4,5] multiplies K=3 by K=4", error);
  CHECK_THROWS_AS(add(g, MatMul{}, {param(g, {2, 2, 3}), param(g, {3, 3, 4})}), error);              // batch 2 vs 3
  CHECK_THROWS_AS(add(g, MatMul{}, {param(g, {2, 3}), param(g, {3, 4}, element_type::f16)}), error); // types
  CHECK(any_op(MatMul{}).attributes() == attrs{{"transpose_a", "false"}, {"transpose_b", "false"}});
  check_round_trip(MatMul(true, false));
}

// ---- Concat --------------------------------------------------------------------------------

TEST_CASE("Concat: axis (negative too), variadic inputs, dynamic dims, errors") {
  graph g;
  CHECK(shape_of(g, Concat(1), {param(g, {1, 2, 3}), param(g, {1, 5, 3}), param(g, {1, 1, 3})}) ==
        partial_shape{1, 8, 3});
  CHECK(shape_of(g, Concat(-2), {param(g, {1, 2, 3}), param(g, {1, 5, 3})}) == partial_shape{1, 7, 3});
  CHECK(shape_of(g, Concat(0), {param(g, {4})}) == partial_shape{4});
  CHECK(shape_of(g, Concat(0), {param(g, {dyn, 3}), param(g, {2, dyn})}) ==
        partial_shape{dimension(2, dimension::unbounded), 3}); // at least 2
  CHECK(shape_of(g, Concat(0), {param(g, {dimension(1, 4), 3}), param(g, {2, 3})}) ==
        partial_shape{dimension(3, 6), 3});
  CHECK(shape_of(g, Concat(1), {param(g, partial_shape::dynamic_rank()), param(g, {2, 3})}) ==
        partial_shape{2, dimension(3, dimension::unbounded)});
  CHECK_THROWS_WITH_AS(
      add(g, Concat(0), {param(g, {1, 2}), param(g, {1, 2, 3})}, "cat"),
      "node 'cat' (Concat): inputs have different ranks ([1,2], [1,2,3]); input 1 has rank 3, the ones "
      "before it 2",
      error);
  CHECK_THROWS_WITH_AS(add(g, Concat(0), {param(g, {1, 2}), param(g, {1, 3})}, "cat"),
                       "node 'cat' (Concat): inputs differ in dimension 1 (only axis 0 may differ): [1,2], [1,3]",
                       error);
  CHECK_THROWS_WITH_AS(add(g, Concat(2), {param(g, {1, 2}), param(g, {1, 2})}, "cat"),
                       "node 'cat' (Concat): axis 2 is out of range for rank 2 (allowed: -2 to 1)", error);
  CHECK_THROWS_AS(add(g, Concat(0), {param(g, {1}), param(g, {1}, element_type::i64)}), error);
  CHECK(any_op(Concat{}).attributes() == attrs{{"axis", "0"}});
  check_round_trip(Concat(-1));
}

TEST_CASE("Concat: known inputs give a known output") {
  graph g;
  CHECK(value_of(g, Concat(0), {ints(g, {2, 3}), ints(g, {4}), ints(g, {0}, {})}) == ints_t{2, 3, 4});
  CHECK(value_of(g, Concat(1), {ints(g, {2, 2}, {1, 2, 3, 4}), ints(g, {2, 1}, {5, 6})}) == ints_t{1, 2, 5, 3, 4, 6});
  CHECK(value_of(g, Concat(0), {ints(g, {2, 3}), param(g, {1}, element_type::i64)}) == std::nullopt);
}

// ---- Reshape -------------------------------------------------------------------------------

TEST_CASE("Reshape: special_zero, -1, element counts") {
  graph g;
  auto x = param(g, {2, 3, 4});
  CHECK(shape_of(g, Reshape(true), {x, ints(g, {0, -1})}) == partial_shape{2, 12});
  CHECK(shape_of(g, Reshape(false), {x, ints(g, {4, -1})}) == partial_shape{4, 6});
  CHECK(shape_of(g, Reshape(false), {x, ints(g, {-1})}) == partial_shape{24});
  CHECK(shape_of(g, Reshape(true), {x, ints(g, {0, 0, 2, 2})}) == partial_shape{2, 3, 2, 2});
  CHECK(shape_of(g, Reshape(false), {param(g, {0, 3}), ints(g, {0, 5})}) == partial_shape{0, 5}); // 0 is a size
  CHECK(shape_of(g, Reshape(false), {x, i32s(g, {6, 4})}) == partial_shape{6, 4});
  // a dynamic batch copied by special_zero does not stop the -1
  CHECK(shape_of(g, Reshape(true), {param(g, {dyn, 3, 4}), ints(g, {0, -1})}) == partial_shape{dyn, 12});
  CHECK(shape_of(g, Reshape(false), {param(g, {dyn, 3, 4}), ints(g, {-1, 12})}) == partial_shape{dyn, 12});
  // unknown target: its length is the rank
  CHECK(shape_of(g, Reshape(false), {x, param(g, {3}, element_type::i64)}) == partial_shape::dynamic_of_rank(3));
  CHECK(shape_of(g, Reshape(false), {x, param(g, {dyn}, element_type::i64)}) == partial_shape::dynamic_rank());

  CHECK_THROWS_WITH_AS(add(g, Reshape(false), {param(g, {2, 3}), ints(g, {4, 2})}, "r"),
                       "node 'r' (Reshape): cannot reshape [2,3] (6 elements) to [4, 2] (8 elements)", error);
  CHECK_THROWS_WITH_AS(add(g, Reshape(false), {x, ints(g, {5, -1})}, "r"),
                       "node 'r' (Reshape): cannot reshape [2,3,4] (24 elements) to [5, -1]: 24 is not divisible by 5",
                       error);
  CHECK_THROWS_WITH_AS(add(g, Reshape(false), {x, ints(g, {-1, -1})}, "r"),
                       "node 'r' (Reshape): target shape [-1, -1] has more than one -1", error);
  CHECK_THROWS_AS(add(g, Reshape(true), {x, ints(g, {0, 0, 0, 0})}), error);          // copies past the data rank
  CHECK_THROWS_AS(add(g, Reshape(false), {x, ints(g, {-2, 12})}), error);             // invalid value
  CHECK_THROWS_AS(add(g, Reshape(false), {x, ints(g, {2, 2}, {2, 3, 4, 1})}), error); // 2-D target
  CHECK(any_op(Reshape{}).attributes() == attrs{{"special_zero", "false"}});
  check_round_trip(Reshape(true));
}

TEST_CASE("shape sub-graph: Gather + Concat values feed Reshape") {
  graph g;
  // shape [2, 3, 4] as a constant (what ShapeOf gives for a static input)
  auto shp = ints(g, {2, 3, 4});
  auto dim0 = add(g, Gather{}, {shp, ints(g, {1}, {0}), scalar(g, 0)});
  auto target = add(g, Concat(0), {{dim0, 0}, ints(g, {-1})});
  CHECK(g.info({target, 0}).value->as_i64() == ints_t{2, -1});
  CHECK(shape_of(g, Reshape(false), {param(g, {2, 3, 4}), {target, 0}}) == partial_shape{2, 12});
}

// ---- Transpose, Squeeze, Unsqueeze -----------------------------------------------------------

TEST_CASE("Transpose: order, empty order, errors") {
  graph g;
  auto x = param(g, {2, 3, 4});
  CHECK(shape_of(g, Transpose{}, {x, ints(g, {2, 0, 1})}) == partial_shape{4, 2, 3});
  CHECK(shape_of(g, Transpose{}, {x, ints(g, {0}, {})}) == partial_shape{4, 3, 2});
  CHECK(shape_of(g, Transpose{}, {param(g, {dyn, 3}), ints(g, {1, 0})}) == partial_shape{3, dyn});
  CHECK(shape_of(g, Transpose{}, {x, param(g, {3}, element_type::i64)}) == partial_shape::dynamic_of_rank(3));
  CHECK(value_of(g, Transpose{}, {ints(g, {2, 2}, {1, 2, 3, 4}), ints(g, {1, 0})}) == ints_t{1, 3, 2, 4});
  CHECK_THROWS_WITH_AS(add(g, Transpose{}, {x, ints(g, {0, 0, 1})}, "t"),
                       "node 't' (Transpose): order [0, 0, 1] is not a permutation of 0..2 (data [2,3,4])", error);
  CHECK_THROWS_AS(add(g, Transpose{}, {x, ints(g, {1, 0})}), error);    // wrong length
  CHECK_THROWS_AS(add(g, Transpose{}, {x, ints(g, {0, 1, 3})}), error); // out of range
  CHECK(any_op(Transpose{}).attributes().empty());
}

TEST_CASE("Squeeze and Unsqueeze: axes (negative too), no axes, errors") {
  graph g;
  auto x = param(g, {1, 3, 1, 2});
  CHECK(shape_of(g, Squeeze{}, {x}) == partial_shape{3, 2});
  CHECK(shape_of(g, Squeeze{}, {x, ints(g, {-2})}) == partial_shape{1, 3, 2});
  CHECK(shape_of(g, Squeeze{}, {x, scalar(g, 0)}) == partial_shape{3, 1, 2});
  CHECK(shape_of(g, Squeeze{}, {x, ints(g, {0}, {})}) == partial_shape{3, 2}); // empty axes: all size-1 axes
  CHECK(shape_of(g, Squeeze{}, {param(g, {dyn, 1, 3}), ints(g, {0})}) == partial_shape{1, 3});
  CHECK(shape_of(g, Squeeze{}, {param(g, {dyn, 1, 3})}) == partial_shape::dynamic_rank()); // ? may be 1
  CHECK(shape_of(g, Squeeze{}, {param(g, {dimension(2, 5), 1, 3})}) == partial_shape{dimension(2, 5), 3});
  CHECK(shape_of(g, Squeeze{}, {x, param(g, {1}, element_type::i64)}) == partial_shape::dynamic_rank());
  CHECK_THROWS_WITH_AS(add(g, Squeeze{}, {x, ints(g, {1})}, "sq"),
                       "node 'sq' (Squeeze): cannot squeeze axis 1 of [1,3,1,2]: its size is 3, not 1", error);
  CHECK_THROWS_WITH_AS(add(g, Squeeze{}, {x, ints(g, {4})}, "sq"),
                       "node 'sq' (Squeeze): squeeze axis 4 is out of range for rank 4 (allowed: -4 to 3)", error);

  auto y = param(g, {3, 4});
  CHECK(shape_of(g, Unsqueeze{}, {y, ints(g, {0, -1})}) == partial_shape{1, 3, 4, 1});
  CHECK(shape_of(g, Unsqueeze{}, {y, scalar(g, 1)}) == partial_shape{3, 1, 4});
  CHECK(shape_of(g, Unsqueeze{}, {y, ints(g, {3, 1})}) == partial_shape{3, 1, 4, 1});
  CHECK(shape_of(g, Unsqueeze{}, {y, param(g, {2}, element_type::i64)}) == partial_shape::dynamic_of_rank(4));
  CHECK(value_of(g, Unsqueeze{}, {scalar(g, 7), ints(g, {0})}) == ints_t{7});
  CHECK_THROWS_WITH_AS(add(g, Unsqueeze{}, {y, ints(g, {1, -3})}, "us"),
                       "node 'us' (Unsqueeze): axes [1, -3] name output axis 1 twice", error);
  CHECK_THROWS_AS(add(g, Unsqueeze{}, {y, ints(g, {4})}), error); // out of range for rank 3
  CHECK(any_op(Squeeze{}).attributes().empty());
  CHECK(any_op(Unsqueeze{}).attributes().empty());
}

// ---- Gather --------------------------------------------------------------------------------

TEST_CASE("Gather-8/7/1: axis, negative axis, batch_dims") {
  graph g;
  auto data = param(g, {5, 6, 7});
  auto idx = param(g, {2, 3}, element_type::i32);
  CHECK(shape_of(g, Gather{}, {data, idx, scalar(g, 1)}) == partial_shape{5, 2, 3, 7});
  CHECK(shape_of(g, Gather{}, {data, idx, scalar(g, -1)}) == partial_shape{5, 6, 2, 3});
  CHECK(shape_of(g, Gather{}, {data, param(g, {}, element_type::i64), scalar(g, 0)}) == partial_shape{6, 7});
  CHECK(shape_of(g, v1::Gather{}, {data, idx, ints(g, {2})}) == partial_shape{5, 6, 2, 3});
  // batch_dims 1: data [2, 5, 7], indices [2, 3], axis 1 -> [2, 3, 7]
  CHECK(shape_of(g, Gather(1), {param(g, {2, 5, 7}), idx, scalar(g, 1)}) == partial_shape{2, 3, 7});
  CHECK(shape_of(g, v7::Gather(-1), {param(g, {2, 5, 7}), idx, scalar(g, 2)}) == partial_shape{2, 5, 3});
  // unknown axis: only the rank is known
  CHECK(shape_of(g, Gather{}, {data, idx, param(g, {}, element_type::i64)}) == partial_shape::dynamic_of_rank(4));
  CHECK_THROWS_WITH_AS(add(g, Gather{}, {data, idx, scalar(g, 3)}, "gather"),
                       "node 'gather' (Gather): axis 3 is out of range for rank 3 (allowed: -3 to 2)", error);
  CHECK_THROWS_WITH_AS(add(g, Gather(2), {param(g, {2, 5, 7}), idx, scalar(g, 1)}, "gather"),
                       "node 'gather' (Gather): batch_dims 2 must not exceed the axis 1", error);
  CHECK_THROWS_AS(add(g, Gather(1), {param(g, {3, 5, 7}), idx, scalar(g, 1)}), error); // batch 3 vs 2
  CHECK_THROWS_AS(add(g, Gather{}, {data, param(g, {2}), scalar(g, 0)}), error);       // float indices
  CHECK_THROWS_AS(add(g, Gather{}, {data, idx, ints(g, {0, 1})}), error);              // two axes

  CHECK(any_op(Gather{}).attributes() == attrs{{"batch_dims", "0"}});
  CHECK(any_op(v7::Gather{}).attributes() == attrs{{"batch_dims", "0"}});
  CHECK(any_op(v1::Gather{}).attributes().empty());
  CHECK(any_op(Gather{}).version() == "opset8");
  CHECK(any_op(v7::Gather{}).version() == "opset7");
  CHECK(any_op(v1::Gather{}).version() == "opset1");
  check_round_trip(Gather(-1));
  check_round_trip(v7::Gather(1));
}

TEST_CASE("Gather: known values (negative indices in opset8 only)") {
  graph g;
  auto shp = ints(g, {2, 3, 4});
  CHECK(value_of(g, Gather{}, {shp, scalar(g, 1), scalar(g, 0)}) == ints_t{3});
  CHECK(value_of(g, Gather{}, {shp, ints(g, {2, 0}), scalar(g, 0)}) == ints_t{4, 2});
  CHECK(value_of(g, Gather{}, {shp, scalar(g, -1), scalar(g, 0)}) == ints_t{4});
  CHECK(value_of(g, v7::Gather{}, {shp, scalar(g, -1), scalar(g, 0)}) == std::nullopt);
  CHECK(value_of(g, Gather{}, {ints(g, {2, 3}, {1, 2, 3, 4, 5, 6}), ints(g, {2}), scalar(g, 1)}) == ints_t{3, 6});
  CHECK(value_of(g, Gather(1), {ints(g, {2, 3}, {1, 2, 3, 4, 5, 6}), ints(g, {2, 1}, {0, 2}), scalar(g, 1)}) ==
        ints_t{1, 6});
}

TEST_CASE("GatherElements-6 and GatherND-8") {
  graph g;
  CHECK(shape_of(g, GatherElements(1), {param(g, {3, 4}), param(g, {3, 2}, element_type::i64)}) == partial_shape{3, 2});
  CHECK(shape_of(g, GatherElements(-2), {param(g, {3, 4}), param(g, {7, 4}, element_type::i64)}) ==
        partial_shape{7, 4});
  CHECK(shape_of(g, GatherElements(0), {param(g, {3, 4}), param(g, {5, dyn}, element_type::i64)}) ==
        partial_shape{5, 4});
  CHECK_THROWS_WITH_AS(add(g, GatherElements(1), {param(g, {3, 4}), param(g, {2, 2}, element_type::i64)}, "ge"),
                       "node 'ge' (GatherElements): data [3,4] and indices [2,2] differ in axis 0 (only axis 1 may "
                       "differ)",
                       error);
  CHECK_THROWS_AS(add(g, GatherElements(2), {param(g, {3, 4}), param(g, {3, 4}, element_type::i64)}), error);
  CHECK_THROWS_AS(add(g, GatherElements(0), {param(g, {3, 4}), param(g, {3}, element_type::i64)}), error);

  CHECK(shape_of(g, GatherND{}, {param(g, {2, 3, 4}), param(g, {5, 2}, element_type::i64)}) == partial_shape{5, 4});
  CHECK(shape_of(g, GatherND{}, {param(g, {2, 3, 4}), param(g, {5, 3}, element_type::i64)}) == partial_shape{5});
  CHECK(shape_of(g, GatherND(1), {param(g, {2, 3, 4}), param(g, {2, 5, 1}, element_type::i64)}) ==
        partial_shape{2, 5, 4});
  CHECK(shape_of(g, GatherND{}, {param(g, {2, 3, 4}), param(g, {5, dyn}, element_type::i64)}) ==
        partial_shape::dynamic_rank());
  CHECK_THROWS_AS(add(g, GatherND{}, {param(g, {2, 3}), param(g, {5, 3}, element_type::i64)}), error);
  CHECK_THROWS_AS(add(g, GatherND(1), {param(g, {2, 3, 4}), param(g, {3, 5, 1}, element_type::i64)}), error);

  CHECK(any_op(GatherElements{}).attributes() == attrs{{"axis", "0"}});
  CHECK(any_op(GatherND{}).attributes() == attrs{{"batch_dims", "0"}});
  check_round_trip(GatherElements(-1));
  check_round_trip(GatherND(2));
}

// ---- StridedSlice and Slice ----------------------------------------------------------------

TEST_CASE("StridedSlice: strides, negative indices, clamping, masks") {
  graph g;
  // array[0:4, 1:4, 0:4:2, 1:4:2, 3:0:-1, 3:0:-2] on a 4^6 array (Python semantics)
  CHECK(shape_of(g, StridedSlice{},
                 {param(g, {4, 4, 4, 4, 4, 4}), ints(g, {0, 1, 0, 1, 3, 3}), ints(g, {4, 4, 4, 4, 0, 0}),
                  ints(g, {1, 1, 2, 2, -1, -2})}) == partial_shape{4, 3, 2, 2, 3, 2});
  // out-of-range indices are clamped: [1234:1234] and [2:4321:-1] on size 2 are both empty (Python and
  // OpenVINO's implementation; the specification's example text claims sizes 1)
  CHECK(shape_of(g, StridedSlice{}, {param(g, {2, 2}), ints(g, {1234, 2}), ints(g, {1234, 4321}), ints(g, {1, -1})}) ==
        partial_shape{0, 0});
  CHECK(shape_of(g, StridedSlice{}, {param(g, {2, 3}), ints(g, {1, 2}), ints(g, {2, 0}), ints(g, {1, -1})}) ==
        partial_shape{1, 2});
  // array[0:2, 0:2, 0:-1]
  CHECK(shape_of(g, StridedSlice{}, {param(g, {2, 3, 4}), ints(g, {0, 0, 0}), ints(g, {2, 2, -1})}) ==
        partial_shape{2, 2, 3});
  // array[1:, :, ::-1] with begin_mask 0,1,1 end_mask 1,1,1
  StridedSlice masks;
  masks.begin_mask = {0, 1, 1};
  masks.end_mask = {1, 1, 1};
  CHECK(shape_of(g, masks, {param(g, {2, 3, 4}), ints(g, {1, 1, 123}), ints(g, {0, 0, 2}), ints(g, {1, 1, -1})}) ==
        partial_shape{1, 3, 4});
  // array[np.newaxis, 0:2, np.newaxis, 0:4]
  StridedSlice new_axis;
  new_axis.new_axis_mask = {1, 0, 1, 0};
  CHECK(shape_of(g, new_axis, {param(g, {2, 4}), ints(g, {0, 0, 0, 0}), ints(g, {0, 2, 0, 4})}) ==
        partial_shape{1, 2, 1, 4});
  // array[1, :, 2:4] with shrink on axis 0
  StridedSlice shrink;
  shrink.shrink_axis_mask = {1};
  shrink.begin_mask = {0, 1};
  shrink.end_mask = {0, 1};
  CHECK(shape_of(g, shrink, {param(g, {2, 3, 4}), ints(g, {1, 0, 2}), ints(g, {2, 0, 4})}) == partial_shape{3, 2});
  // array[0:2, ..., 1:3] on rank 4 with the ellipsis in the middle
  StridedSlice ellipsis;
  ellipsis.ellipsis_mask = {0, 1};
  CHECK(shape_of(g, ellipsis, {param(g, {5, 6, 7, 8}), ints(g, {0, 0, 1}), ints(g, {2, 0, 3})}) ==
        partial_shape{2, 6, 7, 2});
  // fewer entries than axes: the rest are whole
  CHECK(shape_of(g, StridedSlice{}, {param(g, {5, 6, 7}), ints(g, {1}), ints(g, {3})}) == partial_shape{2, 6, 7});
}

TEST_CASE("StridedSlice: unknown indices, dynamic dims, known values, errors") {
  graph g;
  auto b = param(g, {3}, element_type::i64);
  CHECK(shape_of(g, StridedSlice{}, {param(g, {2, 3, 4}), b, b}) ==
        partial_shape{dimension(0, 2), dimension(0, 3), dimension(0, 4)});
  StridedSlice whole;
  whole.begin_mask = {1, 0};
  whole.end_mask = {1, 0};
  CHECK(shape_of(g, whole, {param(g, {dyn, 10}), ints(g, {0, 2}), ints(g, {0, 5})}) == partial_shape{dyn, 3});
  CHECK(shape_of(g, StridedSlice{},
                 {param(g, {dyn}), ints(g, {0}), ints(g, {std::numeric_limits<std::int64_t>::max()})}) ==
        partial_shape{dyn});
  CHECK(shape_of(g, StridedSlice{}, {param(g, {dyn}), ints(g, {1}), ints(g, {3})}) == partial_shape{dimension(0, 2)});
  CHECK(shape_of(g, StridedSlice{}, {param(g, partial_shape::dynamic_rank()), ints(g, {1}), ints(g, {3})}) ==
        partial_shape::dynamic_rank());
  // the TensorFlow shape[1:3] pattern
  CHECK(value_of(g, StridedSlice{}, {ints(g, {2, 3, 4, 5}), ints(g, {1}), ints(g, {3}), ints(g, {1})}) == ints_t{3, 4});
  StridedSlice take;
  take.shrink_axis_mask = {1};
  CHECK(value_of(g, take, {ints(g, {2, 3, 4, 5}), ints(g, {-1}), ints(g, {0})}) == ints_t{5});
  CHECK(shape_of(g, take, {ints(g, {2, 3, 4, 5}), ints(g, {-1}), ints(g, {0})}) == partial_shape{});

  CHECK_THROWS_WITH_AS(add(g, StridedSlice{}, {param(g, {4}), ints(g, {0}), ints(g, {4}), ints(g, {0})}, "ss"),
                       "node 'ss' (StridedSlice): stride [0] has a zero at index 0", error);
  CHECK_THROWS_WITH_AS(add(g, StridedSlice{}, {param(g, {4}), ints(g, {0, 0}), ints(g, {4})}, "ss"),
                       "node 'ss' (StridedSlice): begin has 2 values but end has 1; they must have the same length",
                       error);
  CHECK_THROWS_AS(add(g, StridedSlice{}, {param(g, {4}), ints(g, {0, 0}), ints(g, {4, 4})}), error); // > rank
  StridedSlice two_ellipses;
  two_ellipses.ellipsis_mask = {1, 1};
  CHECK_THROWS_AS(add(g, two_ellipses, {param(g, {4, 4}), ints(g, {0, 0}), ints(g, {1, 1})}), error);
  CHECK_THROWS_AS(add(g, take, {param(g, {4}), ints(g, {4}), ints(g, {5})}), error); // shrink index out of range
}

TEST_CASE("StridedSlice: attributes") {
  CHECK(any_op(StridedSlice{}).attributes() == attrs{{"begin_mask", ""},
                                                     {"end_mask", ""},
                                                     {"new_axis_mask", ""},
                                                     {"shrink_axis_mask", ""},
                                                     {"ellipsis_mask", ""}});
  StridedSlice s;
  s.begin_mask = {0, 1, 1};
  s.end_mask = {1, 1, 1};
  s.new_axis_mask = {0, 0, 0, 0, 0};
  s.shrink_axis_mask = {0, 0};
  s.ellipsis_mask = {0};
  CHECK(any_op(s).attributes() == attrs{{"begin_mask", "0, 1, 1"},
                                        {"end_mask", "1, 1, 1"},
                                        {"new_axis_mask", "0, 0, 0, 0, 0"},
                                        {"shrink_axis_mask", "0, 0"},
                                        {"ellipsis_mask", "0"}});
  check_round_trip(s);
  any_op op = StridedSlice{};
  CHECK(op.set_attribute("begin_mask", "0,1,1")); // Python-written IR has no spaces
  CHECK(op.get<StridedSlice>().begin_mask == ints_t{0, 1, 1});
}

TEST_CASE("Slice-8: specification examples") {
  graph g;
  auto x = param(g, {10});
  auto slice = [&](ints_t start, ints_t stop, ints_t step) {
    return shape_of(g, Slice{}, {x, ints(g, start), ints(g, stop), ints(g, step), ints(g, {0})});
  };
  CHECK(slice({1}, {8}, {1}) == partial_shape{7});
  CHECK(slice({1}, {8}, {2}) == partial_shape{4});
  CHECK(slice({-100}, {100}, {1}) == partial_shape{10});
  CHECK(slice({9}, {-11}, {-1}) == partial_shape{10});
  CHECK(slice({9}, {0}, {-1}) == partial_shape{9});
  CHECK(slice({9}, {-10}, {-1}) == partial_shape{9});
  CHECK(slice({9}, {-11}, {-2}) == partial_shape{5});
  CHECK(slice({100}, {-100}, {-1}) == partial_shape{10});
  CHECK(shape_of(g, Slice{}, {x, ints(g, {1}), ints(g, {8}), ints(g, {1})}) == partial_shape{7}); // default axes
  CHECK(shape_of(g, Slice{}, {param(g, {2, 5}), ints(g, {0, 1}), ints(g, {2, 4}), ints(g, {1, 2}), ints(g, {0, 1})}) ==
        partial_shape{2, 2});
  CHECK(shape_of(g, Slice{}, {param(g, {20, 10, 5}), ints(g, {0, 0}), ints(g, {4, 10}), ints(g, {1, 1})}) ==
        partial_shape{4, 10, 5});
  CHECK(shape_of(g, Slice{}, {param(g, {20, 10, 5}), ints(g, {1}), ints(g, {3}), ints(g, {1}), ints(g, {-1})}) ==
        partial_shape{20, 10, 2});
}

TEST_CASE("Slice-8: unknown inputs, dynamic dims, values, errors") {
  graph g;
  auto x = param(g, {20, 10, 5});
  auto unknown = param(g, {1}, element_type::i64);
  CHECK(shape_of(g, Slice{}, {x, unknown, ints(g, {3}), ints(g, {1}), ints(g, {1})}) ==
        partial_shape{20, dimension(0, 10), 5});
  CHECK(shape_of(g, Slice{}, {x, ints(g, {0}), ints(g, {3}), ints(g, {1}), unknown}) ==
        partial_shape{dimension(0, 20), dimension(0, 10), dimension(0, 5)});
  const auto big = std::numeric_limits<std::int64_t>::max();
  CHECK(shape_of(g, Slice{}, {param(g, {dyn, 4}), ints(g, {0}), ints(g, {big}), ints(g, {1}), ints(g, {0})}) ==
        partial_shape{dyn, 4});
  CHECK(shape_of(g, Slice{}, {param(g, {dyn, 4}), ints(g, {-3}), ints(g, {big}), ints(g, {1}), ints(g, {0})}) ==
        partial_shape{dimension(0, 3), 4});
  CHECK(value_of(g, Slice{}, {ints(g, {2, 3, 4, 5}), ints(g, {-1}), ints(g, {-5}), ints(g, {-2})}) == ints_t{5, 3});
  CHECK_THROWS_WITH_AS(add(g, Slice{}, {x, ints(g, {0, 0}), ints(g, {1, 1}), ints(g, {1, 1}), ints(g, {1, -2})}, "sl"),
                       "node 'sl' (Slice): axes [1, -2] name axis 1 twice", error);
  CHECK_THROWS_WITH_AS(add(g, Slice{}, {x, ints(g, {0}), ints(g, {1}), ints(g, {0})}, "sl"),
                       "node 'sl' (Slice): step [0] has a zero at index 0", error);
  CHECK_THROWS_WITH_AS(add(g, Slice{}, {x, ints(g, {0}), ints(g, {1}), ints(g, {1}), ints(g, {3})}, "sl"),
                       "node 'sl' (Slice): slice axis 3 is out of range for rank 3 (allowed: -3 to 2)", error);
  CHECK_THROWS_AS(add(g, Slice{}, {x, ints(g, {0}), ints(g, {1, 2}), ints(g, {1})}), error); // lengths differ
  CHECK(any_op(Slice{}).attributes().empty());
}

// ---- Split and VariadicSplit -------------------------------------------------------------------

TEST_CASE("Split-1 and VariadicSplit-1") {
  graph g;
  auto x = param(g, {2, 6, 4});
  const node_id s = add(g, Split(3), {x, scalar(g, 1)});
  CHECK(g.node(s).outputs.size() == 3);
  for (std::uint32_t k = 0; k < 3; ++k) CHECK(g.info({s, k}).shape == partial_shape{2, 2, 4});
  const node_id s2 = add(g, Split(2), {x, scalar(g, -1)});
  CHECK(g.info({s2, 1}).shape == partial_shape{2, 6, 2});
  const node_id s3 = add(g, Split(2), {param(g, {dyn, 8}), param(g, {}, element_type::i64)});
  CHECK(g.info({s3, 1}).shape == partial_shape::dynamic_of_rank(2));
  CHECK_THROWS_WITH_AS(add(g, Split(4), {x, scalar(g, 1)}, "split"),
                       "node 'split' (Split): axis 1 of [2,6,4] has size 6, which does not split into 4 equal parts",
                       error);
  CHECK_THROWS_WITH_AS(add(g, Split(2), {x, scalar(g, 3)}, "split"),
                       "node 'split' (Split): axis 3 is out of range for rank 3 (allowed: -3 to 2)", error);
  CHECK_THROWS_AS(add(g, Split{}, {x, scalar(g, 1)}), error); // num_splits 0
  const node_id sv = add(g, Split(2), {ints(g, {1, 2, 3, 4}), scalar(g, 0)});
  CHECK(g.info({sv, 1}).value->as_i64() == ints_t{3, 4});
  CHECK(any_op(Split{}).attributes() == attrs{{"num_splits", "0"}});
  check_round_trip(Split(5));

  auto y = param(g, {2, 10});
  const node_id v = add(g, VariadicSplit{}, {y, scalar(g, 1), ints(g, {2, -1, 3})});
  CHECK(g.node(v).outputs.size() == 3);
  CHECK(g.info({v, 0}).shape == partial_shape{2, 2});
  CHECK(g.info({v, 1}).shape == partial_shape{2, 5});
  CHECK(g.info({v, 2}).shape == partial_shape{2, 3});
  const node_id vd = add(g, VariadicSplit{}, {param(g, {dyn}), scalar(g, 0), ints(g, {2, -1})});
  CHECK(g.info({vd, 0}).shape == partial_shape{2});
  CHECK(g.info({vd, 1}).shape == partial_shape{dyn});
  const node_id vu = add(g, VariadicSplit{}, {y, scalar(g, 0), param(g, {2}, element_type::i64)});
  CHECK(g.info({vu, 1}).shape == partial_shape{dimension(0, 2), 10});
  const node_id vv = add(g, VariadicSplit{}, {ints(g, {1, 2, 3, 4}), scalar(g, 0), ints(g, {1, -1})});
  CHECK(g.info({vv, 1}).value->as_i64() == ints_t{2, 3, 4});
  CHECK_THROWS_WITH_AS(add(g, VariadicSplit{}, {y, scalar(g, 1), ints(g, {2, 3})}, "vs"),
                       "node 'vs' (VariadicSplit): split_lengths [2, 3] do not add up to the size 10 of axis 1 of "
                       "[2,10]",
                       error);
  CHECK_THROWS_AS(add(g, VariadicSplit{}, {y, scalar(g, 1), ints(g, {-1, -1})}), error);
  CHECK_THROWS_AS(add(g, VariadicSplit{}, {y, scalar(g, 1), ints(g, {4, 9, -1})}), error);
  CHECK_THROWS_AS(add(g, VariadicSplit{}, {y, scalar(g, 1), param(g, {dyn}, element_type::i64)}), error);
  CHECK(any_op(VariadicSplit{}).attributes().empty());
}

// ---- Broadcast and Tile --------------------------------------------------------------------

TEST_CASE("Broadcast-3: numpy, bidirectional, explicit") {
  graph g;
  CHECK(shape_of(g, Broadcast{}, {param(g, {3, 1}), ints(g, {2, 3, 4})}) == partial_shape{2, 3, 4});
  CHECK(shape_of(g, Broadcast{}, {param(g, {16, 1, 1}), ints(g, {1, 16, 50, 50})}) == partial_shape{1, 16, 50, 50});
  CHECK(shape_of(g, Broadcast(broadcast_mode::bidirectional), {param(g, {3, 1}), ints(g, {1, 4})}) ==
        partial_shape{3, 4});
  CHECK(shape_of(g, Broadcast(broadcast_mode::bidirectional), {param(g, {2, 1, 6}), ints(g, {4, 1})}) ==
        partial_shape{2, 4, 6});
  CHECK(shape_of(g, Broadcast(broadcast_mode::explicit_), {param(g, {16}), ints(g, {1, 16, 50, 50}), ints(g, {1})}) ==
        partial_shape{1, 16, 50, 50});
  CHECK(shape_of(g, Broadcast(broadcast_mode::explicit_),
                 {param(g, {50, 50}), ints(g, {1, 50, 50, 16}), ints(g, {1, 2})}) == partial_shape{1, 50, 50, 16});
  // unknown target: its length is the rank; bidirectional keeps data dims other than 1
  CHECK(shape_of(g, Broadcast{}, {param(g, {3, 1}), param(g, {3}, element_type::i64)}) ==
        partial_shape::dynamic_of_rank(3));
  CHECK(shape_of(g, Broadcast(broadcast_mode::bidirectional), {param(g, {3, 1}), param(g, {3}, element_type::i64)}) ==
        partial_shape{dyn, 3, dyn});
  CHECK_THROWS_WITH_AS(add(g, Broadcast{}, {param(g, {3, 2}), ints(g, {2, 3, 4})}, "b"),
                       "node 'b' (Broadcast): data [3,2] does not broadcast to [2, 3, 4] (numpy): axis 1 has size 2, "
                       "allowed are 1 and 4",
                       error);
  CHECK_THROWS_AS(add(g, Broadcast{}, {param(g, {2, 3, 4}), ints(g, {3, 4})}), error); // smaller rank
  CHECK_THROWS_AS(add(g, Broadcast(broadcast_mode::bidirectional), {param(g, {3}), ints(g, {4})}), error);
  CHECK_THROWS_AS(add(g, Broadcast(broadcast_mode::explicit_), {param(g, {16}), ints(g, {1, 16})}), error); // no axes
  CHECK_THROWS_AS(add(g, Broadcast{}, {param(g, {16}), ints(g, {1, 16}), ints(g, {1})}), error); // axes w/o explicit
  CHECK_THROWS_AS(add(g, Broadcast(broadcast_mode::explicit_), {param(g, {2, 3}), ints(g, {3, 2}), ints(g, {1, 0})}),
                  error); // axes_mapping must increase
  CHECK(any_op(Broadcast{}).attributes() == attrs{{"mode", "numpy"}});
  check_round_trip(Broadcast(broadcast_mode::bidirectional));
  any_op op = Broadcast{};
  CHECK(op.set_attribute("mode", "none"));
  CHECK(op.get<Broadcast>().mode == broadcast_mode::explicit_);
  CHECK(op.attributes() == attrs{{"mode", "explicit"}});
}

TEST_CASE("Broadcast-1 and Tile-1") {
  graph g;
  CHECK(shape_of(g, v1::Broadcast{}, {param(g, {3, 1}), ints(g, {2, 3, 6})}) == partial_shape{2, 3, 6});
  CHECK(shape_of(g, v1::Broadcast(broadcast_type::explicit_), {param(g, {3}), ints(g, {2, 3}), ints(g, {1})}) ==
        partial_shape{2, 3});
  CHECK(shape_of(g, v1::Broadcast(broadcast_type::none), {param(g, {3}), ints(g, {3, 2}), ints(g, {0})}) ==
        partial_shape{3, 2});
  CHECK_THROWS_AS(add(g, v1::Broadcast(broadcast_type::explicit_), {param(g, {3}), ints(g, {2, 3})}), error);
  CHECK_THROWS_AS(add(g, v1::Broadcast(broadcast_type::pdpd), {param(g, {3}), ints(g, {2, 3})}), error);
  CHECK(any_op(v1::Broadcast{}).attributes() == attrs{{"mode", "numpy"}});
  CHECK(any_op(v1::Broadcast{}).version() == "opset1");
  check_round_trip(v1::Broadcast(broadcast_type::explicit_));

  CHECK(shape_of(g, Tile{}, {param(g, {2, 3}), ints(g, {2, 1, 3})}) == partial_shape{2, 2, 9});
  CHECK(shape_of(g, Tile{}, {param(g, {2, 3, 4}), ints(g, {2})}) == partial_shape{2, 3, 8});
  CHECK(shape_of(g, Tile{}, {param(g, {dyn, 3}), ints(g, {2, 0})}) == partial_shape{dyn, 0});
  CHECK(shape_of(g, Tile{}, {param(g, {2, 3}), param(g, {3}, element_type::i64)}) == partial_shape::dynamic_of_rank(3));
  CHECK_THROWS_AS(add(g, Tile{}, {param(g, {2, 3}), ints(g, {-1, 2})}), error);
  CHECK(any_op(Tile{}).attributes().empty());
}

// ---- Pad -----------------------------------------------------------------------------------

TEST_CASE("Pad-12 and Pad-1") {
  graph g;
  auto x = param(g, {1, 3, 32, 40});
  CHECK(shape_of(g, Pad{}, {x, ints(g, {0, 5, 2, 1}), ints(g, {1, 0, 3, 7}), param(g, {})}) ==
        partial_shape{2, 8, 37, 48});
  CHECK(shape_of(g, v1::Pad(pad_mode::edge), {x, ints(g, {0, 5, 2, 1}), ints(g, {1, 0, 3, 7})}) ==
        partial_shape{2, 8, 37, 48});
  CHECK(shape_of(g, Pad{}, {param(g, {2, 5}), ints(g, {0, -1}), ints(g, {0, -2})}) == partial_shape{2, 2});
  CHECK(shape_of(g, Pad{}, {param(g, {dyn, 5}), ints(g, {1, 1}), ints(g, {1, 1})}) ==
        partial_shape{dimension(2, -1), 7});
  CHECK(shape_of(g, Pad{}, {param(g, {2, 5}), param(g, {2}, element_type::i64), ints(g, {1, 1})}) ==
        partial_shape::dynamic_of_rank(2));
  CHECK(shape_of(g, Pad(pad_mode::symmetric), {param(g, {2, 3}), ints(g, {2, 3}), ints(g, {0, 3})}) ==
        partial_shape{4, 9});
  CHECK_THROWS_WITH_AS(add(g, v1::Pad{}, {param(g, {2, 5}), ints(g, {0, -1}), ints(g, {0, 0})}, "pad"),
                       "node 'pad' (Pad): Pad-1 does not allow negative pads (Pad-12 does), got [0, -1]", error);
  CHECK_THROWS_WITH_AS(add(g, Pad(pad_mode::reflect), {param(g, {2, 3}), ints(g, {0, 3}), ints(g, {0, 0})}, "pad"),
                       "node 'pad' (Pad): pad_mode reflect allows pads up to 2 on axis 1 of [2,3], got 3 and 0", error);
  CHECK_THROWS_AS(add(g, Pad{}, {param(g, {2, 5}), ints(g, {0, -3}), ints(g, {0, -3})}), error);     // crops past zero
  CHECK_THROWS_AS(add(g, Pad{}, {param(g, {2, 5}), ints(g, {0, 1, 1}), ints(g, {0, 1, 1})}), error); // rank
  CHECK_THROWS_AS(add(g, Pad{}, {param(g, {2, 5}), ints(g, {1, 1}), ints(g, {1, 1}), param(g, {1})}), error);
  CHECK_THROWS_AS(add(g, Pad{}, {param(g, {2, 5}), ints(g, {1, 1}), ints(g, {1, 1}), param(g, {}, element_type::i32)}),
                  error);
  CHECK(any_op(Pad{}).attributes() == attrs{{"pad_mode", "constant"}});
  CHECK(any_op(v1::Pad{}).attributes() == attrs{{"pad_mode", "constant"}});
  CHECK(any_op(Pad{}).version() == "opset12");
  check_round_trip(Pad(pad_mode::reflect));
  check_round_trip(v1::Pad(pad_mode::symmetric));
}

// ---- Scatter ---------------------------------------------------------------------------------

TEST_CASE("ScatterUpdate, ScatterElementsUpdate, ScatterNDUpdate: output = data") {
  graph g;
  auto idx2 = param(g, {2}, element_type::i64);
  const node_id su = add(g, ScatterUpdate{}, {param(g, {4, 5}), idx2, param(g, {2, 5}), scalar(g, 0)});
  CHECK(g.info({su, 0}).shape == partial_shape{4, 5});
  CHECK(g.info({su, 0}).type == element_type::f32);
  CHECK(shape_of(g, ScatterUpdate{},
                 {param(g, {4, 5}), param(g, {2, 3}, element_type::i32), param(g, {4, 2, 3}), scalar(g, -1)}) ==
        partial_shape{4, 5});
  CHECK_THROWS_WITH_AS(add(g, ScatterUpdate{}, {param(g, {4, 5}), idx2, param(g, {2, 4}), scalar(g, 0)}, "su"),
                       "node 'su' (ScatterUpdate): updates [2,4] must have the shape [2,5] (data[:axis] + indices + "
                       "data[axis+1:], axis 0)",
                       error);
  CHECK_THROWS_AS(add(g, ScatterUpdate{}, {param(g, {4, 5}), idx2, param(g, {2, 5, 1}), scalar(g, 0)}), error);
  CHECK_THROWS_AS(add(g, ScatterUpdate{}, {param(g, {4, 5}), idx2, param(g, {2, 5}, element_type::f16), scalar(g, 0)}),
                  error);

  CHECK(shape_of(g, ScatterElementsUpdate{},
                 {param(g, {3, 3}), param(g, {2, 3}, element_type::i64), param(g, {2, 3}), scalar(g, 1)}) ==
        partial_shape{3, 3});
  CHECK_THROWS_AS(add(g, ScatterElementsUpdate{},
                      {param(g, {3, 3}), param(g, {2, 3}, element_type::i64), param(g, {2, 2}), scalar(g, 1)}),
                  error);
  CHECK_THROWS_AS(add(g, ScatterElementsUpdate{},
                      {param(g, {3, 3}), param(g, {6}, element_type::i64), param(g, {6}), scalar(g, 0)}),
                  error);
  CHECK_THROWS_AS(add(g, ScatterElementsUpdate{},
                      {param(g, {3, 3}), param(g, {2, 3}, element_type::i64), param(g, {2, 3}), scalar(g, 2)}),
                  error);

  CHECK(
      shape_of(g, ScatterNDUpdate{}, {param(g, {4, 4, 4}), param(g, {2, 1}, element_type::i64), param(g, {2, 4, 4})}) ==
      partial_shape{4, 4, 4});
  CHECK(shape_of(g, ScatterNDUpdate{}, {param(g, {8}), param(g, {4, 1}, element_type::i64), param(g, {4})}) ==
        partial_shape{8});
  CHECK_THROWS_WITH_AS(
      add(g, ScatterNDUpdate{}, {param(g, {4, 4, 4}), param(g, {2, 1}, element_type::i64), param(g, {2, 4})}, "snd"),
      "node 'snd' (ScatterNDUpdate): updates [2,4] must have the shape [2,4,4] (indices[:-1] + "
      "data[K:])",
      error);
  CHECK_THROWS_AS(add(g, ScatterNDUpdate{}, {param(g, {4}), param(g, {2, 2}, element_type::i64), param(g, {2})}),
                  error);

  CHECK(any_op(ScatterUpdate{}).attributes().empty());
  CHECK(any_op(ScatterElementsUpdate{}).attributes().empty());
  CHECK(any_op(ScatterNDUpdate{}).attributes().empty());
  CHECK(any_op(ScatterNDUpdate{}).version() == "opset3");
}

TEST_CASE("ops without attributes: empty lists that round-trip, IR names and versions") {
  check_round_trip(Transpose{});
  check_round_trip(Squeeze{});
  check_round_trip(Unsqueeze{});
  check_round_trip(v1::Gather{});
  check_round_trip(Slice{});
  check_round_trip(VariadicSplit{});
  check_round_trip(Tile{});
  check_round_trip(ScatterUpdate{});
  check_round_trip(ScatterElementsUpdate{});
  check_round_trip(ScatterNDUpdate{});
  CHECK_FALSE(any_op(Transpose{}).set_attribute("order", "0, 1"));
  const std::vector<std::pair<any_op, std::string>> names{{MatMul{}, "MatMul/opset1"},
                                                          {Concat{}, "Concat/opset1"},
                                                          {Reshape{}, "Reshape/opset1"},
                                                          {Transpose{}, "Transpose/opset1"},
                                                          {Squeeze{}, "Squeeze/opset1"},
                                                          {Unsqueeze{}, "Unsqueeze/opset1"},
                                                          {GatherElements{}, "GatherElements/opset6"},
                                                          {GatherND{}, "GatherND/opset8"},
                                                          {StridedSlice{}, "StridedSlice/opset1"},
                                                          {Slice{}, "Slice/opset8"},
                                                          {Split{}, "Split/opset1"},
                                                          {VariadicSplit{}, "VariadicSplit/opset1"},
                                                          {Broadcast{}, "Broadcast/opset3"},
                                                          {Tile{}, "Tile/opset1"},
                                                          {ScatterUpdate{}, "ScatterUpdate/opset3"},
                                                          {ScatterElementsUpdate{}, "ScatterElementsUpdate/opset3"}};
  for (const auto& n : names)
    CHECK(std::string(n.first.type_name()) + "/" + std::string(n.first.version()) == n.second);
}

} // namespace test_ops_shape_tests
