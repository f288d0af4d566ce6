// Ops, part 2: reductions, LRN/MVN/NormalizeL2, ShapeOf, Range, TopK, CumSum,
// OneHot, NonZero. Shapes and types from the opset specifications, IR attribute
// lists, errors, attribute text round trips.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/cumsum.hpp"
#include "irforge/ops/non_zero.hpp"
#include "irforge/ops/normalization.hpp"
#include "irforge/ops/one_hot.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/range.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/topk.hpp"

using namespace irforge;
using attr_list = std::vector<std::pair<std::string, std::string>>;

namespace test_ops_misc_tests {  // unity-build scope: file-local helpers stay apart

namespace {
constexpr element_type f32 = element_type::f32;
constexpr element_type i64 = element_type::i64;

node_id param(graph& g, partial_shape s, element_type t = f32) {
  return g.add(ops::Parameter{std::move(s), t}, {}, "p" + std::to_string(g.id_bound()));
}
template <class T> node_id konst(graph& g, shape s, std::vector<T> v) {
  return g.add(ops::Constant(tensor::from_values<T>(std::move(s), v)), {}, "c" + std::to_string(g.id_bound()));
}
node_id axes(graph& g, std::vector<std::int64_t> v) {
  const auto n = static_cast<std::int64_t>(v.size());
  return konst<std::int64_t>(g, {n}, std::move(v));
}
template <class T> node_id apply(graph& g, T op, std::vector<node_id> ins) {
  std::vector<output_ref> refs;
  for (auto i : ins) refs.push_back({i, 0});
  return g.add(std::move(op), std::move(refs), "op");
}
const value_info& out(const graph& g, node_id n, std::uint32_t i = 0) { return g.info({n, i}); }

template <class F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e.what();
  }
  return "";
}

/// The error text of adding `op` on `ins` to g, or "" when that works.
template <class T> std::string add_error(graph& g, T op, std::vector<node_id> ins) {
  return error_of([&] { apply(g, std::move(op), std::move(ins)); });
}

template <class T> void check_round_trip(const T& op) {
  any_op written = op;
  any_op read = T{};
  for (const auto& [name, text] : written.attributes()) CHECK(read.set_attribute(name, text));
  CHECK(read.attributes() == written.attributes());
  CHECK(read.same_as(written));
}

template <class T> void check_identity(std::string_view type, std::string_view version) {
  CHECK(T::type_name == type);
  CHECK(T::version == version);
}
} // namespace

static_assert(check_layer<ops::ReduceMean>() && check_layer<ops::ReduceSum>() && check_layer<ops::ReduceMax>() &&
              check_layer<ops::ReduceMin>() && check_layer<ops::ReduceProd>() && check_layer<ops::ReduceL1>() &&
              check_layer<ops::ReduceL2>() && check_layer<ops::ReduceLogicalAnd>() &&
              check_layer<ops::ReduceLogicalOr>());
static_assert(check_layer<ops::LRN>() && check_layer<ops::MVN>() && check_layer<ops::NormalizeL2>() &&
              check_layer<ops::ShapeOf>() && check_layer<ops::v1::ShapeOf>() && check_layer<ops::Range>() &&
              check_layer<ops::TopK>() && check_layer<ops::v3::TopK>() && check_layer<ops::v1::TopK>() &&
              check_layer<ops::CumSum>() && check_layer<ops::OneHot>() && check_layer<ops::NonZero>());

// ---- reductions ---------------------------------------------------------------------

namespace {
template <class T> void check_reduction(std::string_view version, element_type data_type) {
  CAPTURE(T::type_name);
  check_identity<T>(T::type_name, version);
  CHECK(any_op(T{}).attributes() == attr_list{{"keep_dims", "false"}});
  CHECK(any_op(T{true}).attributes() == attr_list{{"keep_dims", "true"}});
  check_round_trip(T{true});
  graph g;
  const auto data = param(g, {6, 12, 10, 24}, data_type);
  const auto kept = apply(g, T{true}, {data, axes(g, {2, 3})});
  CHECK(out(g, kept).type == data_type);
  CHECK(out(g, kept).shape == partial_shape{6, 12, 1, 1});
  CHECK(out(g, apply(g, T{false}, {data, axes(g, {2, 3})})).shape == partial_shape{6, 12});
  CHECK(out(g, apply(g, T{false}, {data, axes(g, {-2})})).shape == partial_shape{6, 12, 24});
}
} // namespace

TEST_CASE("reductions: the spec examples, for every reduce op") {
  check_reduction<ops::ReduceMean>("opset1", f32);
  check_reduction<ops::ReduceSum>("opset1", element_type::i32);
  check_reduction<ops::ReduceMax>("opset1", f32);
  check_reduction<ops::ReduceMin>("opset1", f32);
  check_reduction<ops::ReduceProd>("opset1", i64);
  check_reduction<ops::ReduceL1>("opset4", f32);
  check_reduction<ops::ReduceL2>("opset4", f32);
  check_reduction<ops::ReduceLogicalAnd>("opset1", element_type::boolean);
  check_reduction<ops::ReduceLogicalOr>("opset1", element_type::boolean);
}

TEST_CASE("reductions: scalar, empty, repeated and unknown axes") {
  graph g;
  const auto data = param(g, {6, dimension(), 1, 24});
  CHECK(out(g, apply(g, ops::ReduceSum{}, {data, konst<std::int32_t>(g, {}, {1})})).shape == partial_shape{6, 1, 24});
  CHECK(out(g, apply(g, ops::ReduceSum{}, {data, axes(g, {})})).shape == partial_shape{6, dimension(), 1, 24});
  CHECK(out(g, apply(g, ops::ReduceSum{}, {data, axes(g, {1, -3})})).shape == partial_shape{6, 1, 24});
  // Axes not known: rank only with keep_dims (dims that are 1 stay 1) or for a single axis.
  const auto unknown2 = param(g, {2}, i64);
  const auto unknown1 = param(g, {1}, i64);
  CHECK(out(g, apply(g, ops::ReduceMax{true}, {data, unknown2})).shape ==
        partial_shape{dimension(), dimension(), 1, dimension()});
  CHECK_FALSE(out(g, apply(g, ops::ReduceMax{false}, {data, unknown2})).shape.rank_is_static());
  CHECK(out(g, apply(g, ops::ReduceMax{false}, {data, unknown1})).shape == partial_shape::dynamic_of_rank(3));
  CHECK_FALSE(out(g, apply(g, ops::ReduceMax{true}, {param(g, partial_shape::dynamic_rank()), unknown1}))
                  .shape.rank_is_static());
}

TEST_CASE("reductions: errors") {
  graph g;
  const auto data = param(g, {6, 12, 10, 24});
  CHECK(add_error(g, ops::ReduceMean{}, {data, axes(g, {1, 4})}) ==
        "node 'op' (ReduceMean): axis 4 is out of range for data shape [6,12,10,24] (axes 1, 4)");
  CHECK(add_error(g, ops::ReduceMean{}, {data, axes(g, {-5})}) ==
        "node 'op' (ReduceMean): axis -5 is out of range for data shape [6,12,10,24] (axes -5)");
  CHECK(add_error(g, ops::ReduceMean{}, {data, konst<float>(g, {1}, {1})}) ==
        "node 'op' (ReduceMean): input 1 (axes) must have an integer element type, got f32");
  CHECK(add_error(g, ops::ReduceMean{}, {data, konst<std::int64_t>(g, {1, 1}, {1})}) ==
        "node 'op' (ReduceMean): input 1 (axes) must be a scalar or 1-D, got shape [1,1]");
  CHECK(add_error(g, ops::ReduceLogicalOr{}, {data, axes(g, {1})}) ==
        "node 'op' (ReduceLogicalOr): input 0 (data) must have the boolean element type, got f32");
  CHECK(add_error(g, ops::ReduceSum{}, {param(g, {2}, element_type::boolean), axes(g, {0})}) ==
        "node 'op' (ReduceSum): input 0 (data) must have a numeric element type, got boolean");
}

// ---- LRN, MVN, NormalizeL2 ----------------------------------------------------------

TEST_CASE("LRN-1, MVN-6, NormalizeL2-1: attributes") {
  check_identity<ops::LRN>("LRN", "opset1");
  check_identity<ops::MVN>("MVN", "opset6");
  check_identity<ops::NormalizeL2>("NormalizeL2", "opset1");
  CHECK(any_op(ops::LRN{}).attributes() == attr_list{{"alpha", "0"}, {"beta", "0"}, {"bias", "0"}, {"size", "0"}});
  CHECK(any_op(ops::LRN{1e-4, 0.75, 1, 5}).attributes() ==
        attr_list{{"alpha", "0.0001"}, {"beta", "0.75"}, {"bias", "1"}, {"size", "5"}});
  CHECK(any_op(ops::MVN{}).attributes() ==
        attr_list{{"eps", "0"}, {"normalize_variance", "false"}, {"eps_mode", "INSIDE_SQRT"}});
  // eps is a float in OpenVINO: its text is the float's exact value.
  CHECK(any_op(ops::MVN{true, 1e-9f, ops::mvn_eps_mode::outside_sqrt}).attributes() ==
        attr_list{{"eps", "9.9999997171806854e-10"}, {"normalize_variance", "true"}, {"eps_mode", "OUTSIDE_SQRT"}});
  CHECK(any_op(ops::NormalizeL2{}).attributes() == attr_list{{"eps", "0"}, {"eps_mode", "add"}});
  CHECK(any_op(ops::NormalizeL2{1e-8f, ops::eps_mode::max}).attributes() ==
        attr_list{{"eps", "9.9999999392252903e-09"}, {"eps_mode", "max"}});
  check_round_trip(ops::LRN{1e-4, 0.75, 2, 5});
  check_round_trip(ops::MVN{true, 1e-9f, ops::mvn_eps_mode::outside_sqrt});
  check_round_trip(ops::NormalizeL2{1e-8f, ops::eps_mode::max});
  any_op mvn = ops::MVN{};
  CHECK(mvn.set_attribute("eps_mode", "outside_sqrt")); // the spec's spelling
  CHECK(mvn.get<ops::MVN>().eps_mode == ops::mvn_eps_mode::outside_sqrt);
}

TEST_CASE("LRN-1, MVN-6, NormalizeL2-1: shapes (spec examples) and errors") {
  graph g;
  const auto data = param(g, {6, 12, 10, 24});
  const auto lrn = apply(g, ops::LRN{1e-4, 0.75, 1, 5}, {data, axes(g, {1})});
  CHECK(out(g, lrn).type == f32);
  CHECK(out(g, lrn).shape == partial_shape{6, 12, 10, 24});
  CHECK(out(g, apply(g, ops::MVN{true, 1e-9f, ops::mvn_eps_mode::inside_sqrt}, {data, axes(g, {0, 2, 3})})).shape ==
        partial_shape{6, 12, 10, 24});
  CHECK(out(g, apply(g, ops::NormalizeL2{1e-8f, ops::eps_mode::add}, {data, axes(g, {1})})).shape ==
        partial_shape{6, 12, 10, 24});
  CHECK(out(g, apply(g, ops::NormalizeL2{}, {data, axes(g, {1, 2, 3})})).shape == partial_shape{6, 12, 10, 24});
  CHECK(out(g, apply(g, ops::NormalizeL2{}, {data, konst<std::int64_t>(g, {}, {-1})})).shape ==
        partial_shape{6, 12, 10, 24});
  CHECK(out(g, apply(g, ops::MVN{}, {data, param(g, {2}, i64)})).shape == partial_shape{6, 12, 10, 24});

  CHECK(add_error(g, ops::MVN{}, {data, axes(g, {0, 1, 2, 3, 0})}) ==
        "node 'op' (MVN): axes shape [5] lists more axes than data shape [6,12,10,24] has");
  CHECK(add_error(g, ops::NormalizeL2{}, {data, axes(g, {4})}) ==
        "node 'op' (NormalizeL2): axis 4 is out of range for data shape [6,12,10,24] (axes 4)");
  CHECK(add_error(g, ops::LRN{}, {data, konst<std::int64_t>(g, {}, {1})}) ==
        "node 'op' (LRN): input 1 (axes) must be 1-D, got shape []");
  CHECK(add_error(g, ops::MVN{}, {param(g, {2, 3}, element_type::i32), axes(g, {1})}) ==
        "node 'op' (MVN): input 0 (data) must have a floating-point element type, got i32");
}

// ---- ShapeOf ------------------------------------------------------------------------

TEST_CASE("ShapeOf-3 and ShapeOf-1: shape, type and value") {
  check_identity<ops::ShapeOf>("ShapeOf", "opset3");
  check_identity<ops::v1::ShapeOf>("ShapeOf", "opset1");
  CHECK(any_op(ops::ShapeOf{}).attributes() == attr_list{{"output_type", "i64"}});
  CHECK(any_op(ops::v1::ShapeOf{}).attributes().empty());
  check_round_trip(ops::ShapeOf{element_type::i32});

  graph g;
  const auto x = param(g, {2, 3, 224, 224});
  const auto s = apply(g, ops::ShapeOf{}, {x});
  CHECK(out(g, s).type == i64);
  CHECK(out(g, s).shape == partial_shape{4});
  REQUIRE(out(g, s).value != nullptr);
  CHECK(out(g, s).value->values<std::int64_t>() == std::vector<std::int64_t>{2, 3, 224, 224});
  const auto s32 = apply(g, ops::ShapeOf{element_type::i32}, {x});
  CHECK(out(g, s32).type == element_type::i32);
  REQUIRE(out(g, s32).value != nullptr);
  CHECK(out(g, s32).value->values<std::int32_t>() == std::vector<std::int32_t>{2, 3, 224, 224});
  const auto s1 = apply(g, ops::v1::ShapeOf{}, {param(g, {}, element_type::boolean)}); // a scalar: empty shape
  CHECK(out(g, s1).type == i64);
  CHECK(out(g, s1).shape == partial_shape{0});
  REQUIRE(out(g, s1).value != nullptr);
  CHECK(out(g, s1).value->element_count() == 0);

  const auto dyn = apply(g, ops::ShapeOf{}, {param(g, {dimension(), 3})});
  CHECK(out(g, dyn).shape == partial_shape{2});
  CHECK(out(g, dyn).value == nullptr);
  CHECK(out(g, apply(g, ops::v1::ShapeOf{}, {param(g, partial_shape::dynamic_rank())})).shape ==
        partial_shape{dimension()});
  CHECK(add_error(g, ops::ShapeOf{f32}, {x}) ==
        "node 'op' (ShapeOf): attribute 'output_type' must be i64 or i32, got f32");
}

// ---- Range --------------------------------------------------------------------------

TEST_CASE("Range-4: length and values from known inputs (the spec examples)") {
  check_identity<ops::Range>("Range", "opset4");
  CHECK(any_op(ops::Range{}).attributes() == attr_list{{"output_type", "dynamic"}});
  CHECK(any_op(ops::Range{element_type::i32}).attributes() == attr_list{{"output_type", "i32"}});
  check_round_trip(ops::Range{element_type::f32});

  graph g;
  const auto up =
      apply(g, ops::Range{element_type::i32},
            {konst<std::int64_t>(g, {}, {2}), konst<std::int64_t>(g, {}, {23}), konst<std::int64_t>(g, {}, {3})});
  CHECK(out(g, up).type == element_type::i32);
  CHECK(out(g, up).shape == partial_shape{7});
  REQUIRE(out(g, up).value != nullptr);
  CHECK(out(g, up).value->values<std::int32_t>() == std::vector<std::int32_t>{2, 5, 8, 11, 14, 17, 20});
  const auto down =
      apply(g, ops::Range{element_type::i32},
            {konst<std::int32_t>(g, {}, {23}), konst<std::int32_t>(g, {}, {2}), konst<std::int32_t>(g, {}, {-3})});
  REQUIRE(out(g, down).value != nullptr);
  CHECK(out(g, down).value->values<std::int32_t>() == std::vector<std::int32_t>{23, 20, 17, 14, 11, 8, 5});
  const auto fp =
      apply(g, ops::Range{f32}, {konst<float>(g, {}, {1}), konst<float>(g, {}, {2.5f}), konst<float>(g, {}, {0.5f})});
  CHECK(out(g, fp).type == f32);
  CHECK(out(g, fp).shape == partial_shape{3});
  // Integer output: inputs are truncated first (0.5, 3.7, 1 -> 0, 3, 1).
  const auto trunc =
      apply(g, ops::Range{i64}, {konst<float>(g, {}, {0.5f}), konst<float>(g, {}, {3.7f}), konst<float>(g, {}, {1})});
  REQUIRE(out(g, trunc).value != nullptr);
  CHECK(out(g, trunc).value->values<std::int64_t>() == std::vector<std::int64_t>{0, 1, 2});
  const auto empty =
      apply(g, ops::Range{i64},
            {konst<std::int64_t>(g, {}, {5}), konst<std::int64_t>(g, {}, {1}), konst<std::int64_t>(g, {}, {1})});
  CHECK(out(g, empty).shape == partial_shape{0});
  const auto unknown =
      apply(g, ops::Range{i64}, {konst<std::int64_t>(g, {}, {0}), param(g, {}, i64), konst<std::int64_t>(g, {}, {1})});
  CHECK(out(g, unknown).shape == partial_shape{dimension()});
  CHECK(out(g, unknown).value == nullptr);
}

TEST_CASE("Range-4: errors") {
  graph g;
  const auto zero = konst<std::int64_t>(g, {}, {0});
  const auto ten = konst<std::int64_t>(g, {}, {10});
  CHECK(add_error(g, ops::Range{i64}, {zero, ten, zero}) ==
        "node 'op' (Range): 'step' is zero after truncation to an integer");
  CHECK(add_error(g, ops::Range{i64}, {zero, ten, konst<float>(g, {}, {0.5f})}) ==
        "node 'op' (Range): 'step' is zero after truncation to an integer");
  CHECK(add_error(g, ops::Range{i64}, {konst<std::int64_t>(g, {1}, {0}), ten, ten}) ==
        "node 'op' (Range): input 0 (start) must be a scalar, got shape [1]");
  CHECK(add_error(g, ops::Range{}, {zero, ten, ten}) ==
        "node 'op' (Range): attribute 'output_type' must be a numeric type, got dynamic");
  CHECK(add_error(g, ops::Range{f32}, {zero, konst<float>(g, {}, {std::numeric_limits<float>::infinity()}), ten}) ==
        "node 'op' (Range): 'stop' must be finite, got inf");
}

// ---- TopK ---------------------------------------------------------------------------

TEST_CASE("TopK-11, TopK-3, TopK-1: attributes") {
  check_identity<ops::TopK>("TopK", "opset11");
  check_identity<ops::v3::TopK>("TopK", "opset3");
  check_identity<ops::v1::TopK>("TopK", "opset1");
  CHECK(
      any_op(ops::TopK{}).attributes() ==
      attr_list{{"axis", "0"}, {"mode", "max"}, {"sort", "none"}, {"index_element_type", "i32"}, {"stable", "false"}});
  const attr_list old{{"axis", "0"}, {"mode", "max"}, {"sort", "none"}, {"index_element_type", "i32"}};
  CHECK(any_op(ops::v3::TopK{}).attributes() == old);
  CHECK(any_op(ops::v1::TopK{}).attributes() == old);
  check_round_trip(ops::TopK{3, ops::topk_mode::min, ops::topk_sort_type::value, i64, true});
  check_round_trip(ops::v3::TopK{-1, ops::topk_mode::min, ops::topk_sort_type::index, i64});
  check_round_trip(ops::v1::TopK{2, ops::topk_mode::max, ops::topk_sort_type::value});
}

TEST_CASE("TopK: two outputs; the axis dimension becomes k") {
  graph g;
  const auto data = param(g, {1, 3, 224, 224});
  const auto k = konst<std::int64_t>(g, {}, {10});
  const auto t = apply(g, ops::TopK{3, ops::topk_mode::max, ops::topk_sort_type::value, i64, true}, {data, k});
  CHECK(out(g, t, 0).type == f32);
  CHECK(out(g, t, 0).shape == partial_shape{1, 3, 224, 10});
  CHECK(out(g, t, 1).type == i64);
  CHECK(out(g, t, 1).shape == partial_shape{1, 3, 224, 10});
  const auto v1 = apply(g, ops::v1::TopK{-3, ops::topk_mode::min, ops::topk_sort_type::index},
                        {data, konst<std::int32_t>(g, {}, {2})});
  CHECK(out(g, v1, 0).shape == partial_shape{1, 2, 224, 224});
  CHECK(out(g, v1, 1).type == element_type::i32);
  // k not known: 0..dim.
  const auto unknown =
      apply(g, ops::v3::TopK{2, ops::topk_mode::max, ops::topk_sort_type::none}, {data, param(g, {}, i64)});
  CHECK(out(g, unknown, 0).shape == partial_shape{1, 3, dimension(0, 224), 224});
  const auto dyn =
      apply(g, ops::TopK{0, ops::topk_mode::max, ops::topk_sort_type::value}, {param(g, {dimension(), 5}), k});
  CHECK(out(g, dyn, 1).shape == partial_shape{10, 5});
  // TopK-3 takes k of any integer type; TopK-1 does not.
  const auto k8 = konst<std::uint8_t>(g, {}, {2});
  CHECK(out(g, apply(g, ops::v3::TopK{1, ops::topk_mode::max, ops::topk_sort_type::none}, {data, k8})).shape ==
        partial_shape{1, 2, 224, 224});
  CHECK(add_error(g, ops::v1::TopK{1, ops::topk_mode::max, ops::topk_sort_type::none}, {data, k8}) ==
        "node 'op' (TopK): input 1 (k) must be i8, i32 or i64 in TopK-1, got u8");
}

TEST_CASE("TopK: errors") {
  graph g;
  const auto data = param(g, {1, 3, 224, 224});
  const auto k = konst<std::int64_t>(g, {}, {10});
  using ops::topk_mode, ops::topk_sort_type;
  CHECK(add_error(g, ops::TopK{1, topk_mode::max, topk_sort_type::value}, {data, k}) ==
        "node 'op' (TopK): k = 10 exceeds dimension 1 of data shape [1,3,224,224]");
  CHECK(add_error(g, ops::TopK{4, topk_mode::max, topk_sort_type::value}, {data, k}) ==
        "node 'op' (TopK): attribute 'axis' 4 is out of range for data shape [1,3,224,224]");
  CHECK(add_error(g, ops::TopK{3, topk_mode::max, topk_sort_type::value, f32}, {data, k}) ==
        "node 'op' (TopK): attribute 'index_element_type' must be i32 or i64, got f32");
  CHECK(add_error(g, ops::TopK{3, topk_mode::max, topk_sort_type::value}, {data, konst<std::int64_t>(g, {1}, {2})}) ==
        "node 'op' (TopK): input 1 (k) must be a scalar, got shape [1]");
  CHECK(add_error(g, ops::TopK{0, topk_mode::max, topk_sort_type::value}, {param(g, {}), k}) ==
        "node 'op' (TopK): input 0 (data) must have rank 1 or more, got shape []");
  CHECK(add_error(g, ops::TopK{3, topk_mode::max, topk_sort_type::value}, {data, konst<std::int64_t>(g, {}, {-1})}) ==
        "node 'op' (TopK): k must be 0 or more, got -1");
}

// ---- CumSum -------------------------------------------------------------------------

TEST_CASE("CumSum-3") {
  check_identity<ops::CumSum>("CumSum", "opset3");
  CHECK(any_op(ops::CumSum{}).attributes() == attr_list{{"exclusive", "false"}, {"reverse", "false"}});
  CHECK(any_op(ops::CumSum{true, true}).attributes() == attr_list{{"exclusive", "true"}, {"reverse", "true"}});
  check_round_trip(ops::CumSum{true, false});
  check_round_trip(ops::CumSum{false, true});

  graph g;
  const auto x = param(g, {5});
  const auto c = apply(g, ops::CumSum{true, false}, {x, konst<std::int64_t>(g, {}, {0})});
  CHECK(out(g, c).type == f32);
  CHECK(out(g, c).shape == partial_shape{5});
  CHECK(out(g, apply(g, ops::CumSum{}, {param(g, {2, dimension()}, element_type::i32)})).shape ==
        partial_shape{2, dimension()}); // axis omitted: 0
  CHECK(out(g, apply(g, ops::CumSum{}, {param(g, {2, 3}), konst<std::int32_t>(g, {1}, {-1})})).shape ==
        partial_shape{2, 3}); // a one-element 1-D axis is accepted
  CHECK(add_error(g, ops::CumSum{}, {x, konst<std::int64_t>(g, {}, {1})}) ==
        "node 'op' (CumSum): axis 1 is out of range for data shape [5]");
  CHECK(add_error(g, ops::CumSum{}, {x, konst<std::int8_t>(g, {}, {0})}) ==
        "node 'op' (CumSum): input 1 (axis) must be i32 or i64, got i8");
  CHECK(add_error(g, ops::CumSum{}, {param(g, {})}) ==
        "node 'op' (CumSum): input 0 (data) must have rank 1 or more, got shape []");
}

// ---- OneHot -------------------------------------------------------------------------

TEST_CASE("OneHot-1 (the spec examples)") {
  check_identity<ops::OneHot>("OneHot", "opset1");
  CHECK(any_op(ops::OneHot{}).attributes() == attr_list{{"axis", "0"}});
  CHECK(any_op(ops::OneHot{-1}).attributes() == attr_list{{"axis", "-1"}});
  check_round_trip(ops::OneHot{-1});

  graph g;
  const auto depth = konst<std::int64_t>(g, {}, {3});
  const auto on = konst<float>(g, {}, {1});
  const auto off = konst<float>(g, {}, {2});
  const auto a = apply(g, ops::OneHot{-1}, {param(g, {4}, i64), depth, on, off});
  CHECK(out(g, a).type == f32);
  CHECK(out(g, a).shape == partial_shape{4, 3});
  const auto indices23 = param(g, {2, 3}, element_type::i32);
  CHECK(out(g, apply(g, ops::OneHot{1}, {indices23, depth, on, off})).shape == partial_shape{2, 3, 3});
  CHECK(out(g, apply(g, ops::OneHot{0}, {indices23, depth, on, off})).shape == partial_shape{3, 2, 3});
  CHECK(out(g, apply(g, ops::OneHot{1}, {indices23, param(g, {}, i64), on, off})).shape ==
        partial_shape{2, dimension(), 3});
  CHECK_FALSE(out(g, apply(g, ops::OneHot{1}, {param(g, partial_shape::dynamic_rank(), i64), depth, on, off}))
                  .shape.rank_is_static());

  CHECK(add_error(g, ops::OneHot{3}, {indices23, depth, on, off}) ==
        "node 'op' (OneHot): attribute 'axis' 3 is out of range for indices shape [2,3] (the output has rank 3)");
  CHECK(add_error(g, ops::OneHot{1}, {indices23, depth, on, konst<std::int32_t>(g, {}, {0})}) ==
        "node 'op' (OneHot): input 2 (on_value) and input 3 (off_value) must have the same element type, got f32 and "
        "i32");
  CHECK(add_error(g, ops::OneHot{1}, {indices23, konst<std::int64_t>(g, {}, {-2}), on, off}) ==
        "node 'op' (OneHot): depth must be 0 or more, got -2");
  CHECK(add_error(g, ops::OneHot{1}, {indices23, konst<std::int64_t>(g, {1}, {3}), on, off}) ==
        "node 'op' (OneHot): input 1 (depth) must be a scalar, got shape [1]");
  CHECK(add_error(g, ops::OneHot{1}, {param(g, {2}), depth, on, off}) ==
        "node 'op' (OneHot): input 0 (indices) must have an integer element type, got f32");
}

// ---- NonZero ------------------------------------------------------------------------

TEST_CASE("NonZero-3") {
  check_identity<ops::NonZero>("NonZero", "opset3");
  CHECK(any_op(ops::NonZero{}).attributes() == attr_list{{"output_type", "i64"}});
  check_round_trip(ops::NonZero{element_type::i32});

  graph g;
  const auto n = apply(g, ops::NonZero{}, {param(g, {3, 10, 100, 200})});
  CHECK(out(g, n).type == i64);
  CHECK(out(g, n).shape == partial_shape{4, dimension(0, 600000)});
  CHECK(out(g, n).value == nullptr);
  CHECK(out(g, apply(g, ops::NonZero{element_type::i32}, {param(g, {dimension(), 4})})).shape ==
        partial_shape{2, dimension()});
  CHECK(out(g, apply(g, ops::NonZero{}, {param(g, partial_shape::dynamic_rank())})).shape ==
        partial_shape{dimension(), dimension()});
  CHECK(out(g, apply(g, ops::NonZero{}, {param(g, {})})).shape == partial_shape{dimension(0, 1), dimension(0, 1)});

  // The spec example: [[1, 0], [1, 1]] -> [[0, 1, 1], [0, 0, 1]].
  const auto known = apply(g, ops::NonZero{element_type::i32}, {konst<float>(g, {2, 2}, {1, 0, 1, 1})});
  CHECK(out(g, known).shape == partial_shape{2, 3});
  REQUIRE(out(g, known).value != nullptr);
  CHECK(out(g, known).value->values<std::int32_t>() == std::vector<std::int32_t>{0, 1, 1, 0, 0, 1});
  const auto scalar = apply(g, ops::NonZero{}, {konst<std::int64_t>(g, {}, {7})});
  CHECK(out(g, scalar).shape == partial_shape{1, 1});
  CHECK(add_error(g, ops::NonZero{element_type::u8}, {param(g, {2})}) ==
        "node 'op' (NonZero): attribute 'output_type' must be i64 or i32, got u8");
}

} // namespace test_ops_misc_tests
