// Ops, part 1: unary elementwise, activations, Convert/ConvertLike, Select,
// BatchNormInference, Softmax/LogSoftmax. Shapes and types from the opset
// specifications, IR attribute lists, errors, attribute text round trips.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/activations.hpp"
#include "irforge/ops/batch_norm.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/select.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/softmax.hpp"
#include "irforge/ops/unary_elementwise.hpp"

using namespace irforge;
using attr_list = std::vector<std::pair<std::string, std::string>>;

namespace test_ops_elementwise_tests {  // unity-build scope: file-local helpers stay apart

namespace {
constexpr element_type f32 = element_type::f32;

node_id param(graph& g, partial_shape s, element_type t = f32) {
  return g.add(ops::Parameter{std::move(s), t}, {}, "p" + std::to_string(g.id_bound()));
}
template <class T> node_id konst(graph& g, shape s, std::vector<T> v) {
  return g.add(ops::Constant(tensor::from_values<T>(std::move(s), v)), {}, "c" + std::to_string(g.id_bound()));
}
/// Adds `op` on the first outputs of `ins`, named "op".
template <class T> node_id apply(graph& g, T op, std::vector<node_id> ins) {
  std::vector<output_ref> refs;
  for (auto i : ins) refs.push_back({i, 0});
  return g.add(std::move(op), std::move(refs), "op");
}
const value_info& out(const graph& g, node_id n, std::uint32_t i = 0) { return g.info({n, i}); }

/// The error text of an expression, or "" when it does not throw.
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

/// Every attribute written by attributes() reads back into a default op, giving the same op.
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

// Every struct is a layer.
static_assert(check_layer<ops::Relu>() && check_layer<ops::Sigmoid>() && check_layer<ops::Tanh>() &&
              check_layer<ops::Exp>() && check_layer<ops::Log>() && check_layer<ops::Abs>() &&
              check_layer<ops::Negative>() && check_layer<ops::Floor>() && check_layer<ops::Ceiling>() &&
              check_layer<ops::Sqrt>() && check_layer<ops::Erf>() && check_layer<ops::Sin>() &&
              check_layer<ops::Cos>() && check_layer<ops::Tan>() && check_layer<ops::Asin>() &&
              check_layer<ops::Acos>() && check_layer<ops::Atan>() && check_layer<ops::Sinh>() &&
              check_layer<ops::Cosh>() && check_layer<ops::Asinh>() && check_layer<ops::Acosh>() &&
              check_layer<ops::Atanh>() && check_layer<ops::Sign>() && check_layer<ops::SoftPlus>() &&
              check_layer<ops::HSwish>() && check_layer<ops::HSigmoid>() && check_layer<ops::Mish>() &&
              check_layer<ops::SoftSign>() && check_layer<ops::LogicalNot>());
static_assert(check_layer<ops::Elu>() && check_layer<ops::Clamp>() && check_layer<ops::Selu>() &&
              check_layer<ops::HardSigmoid>() && check_layer<ops::PRelu>() && check_layer<ops::Gelu>() &&
              check_layer<ops::Swish>() && check_layer<ops::Round>());
static_assert(check_layer<ops::Convert>() && check_layer<ops::ConvertLike>() && check_layer<ops::Select>() &&
              check_layer<ops::BatchNormInference>() && check_layer<ops::v1::BatchNormInference>() &&
              check_layer<ops::Softmax>() && check_layer<ops::v1::Softmax>() && check_layer<ops::LogSoftmax>());

// ---- unary elementwise --------------------------------------------------------------

namespace {
template <class T> void check_unary(element_type accepted, element_type rejected, std::string_view class_text) {
  CAPTURE(T::type_name);
  graph g;
  const auto p = param(g, {256, 56}, accepted);
  const auto n = apply(g, T{}, {p});
  CHECK(out(g, n).type == accepted);
  CHECK(out(g, n).shape == partial_shape{256, 56});
  const auto d = param(g, {dimension(), 56}, accepted);
  CHECK(out(g, apply(g, T{}, {d})).shape == partial_shape{dimension(), 56}); // dynamic stays dynamic
  const auto bad = param(g, {4}, rejected);
  CHECK(add_error(g, T{}, {bad}) == "node 'op' (" + std::string(T::type_name) + "): input 0 must have " +
                                        std::string(class_text) + " element type, got " +
                                        std::string(to_string(rejected)));
  CHECK(any_op(T{}).attributes().empty());
}
template <class... Ts> void check_unary_all(element_type ok, element_type bad, std::string_view text) {
  (check_unary<Ts>(ok, bad, text), ...);
}
} // namespace

TEST_CASE("unary ops: IR names and versions") {
  check_identity<ops::Relu>("ReLU", "opset1");
  check_identity<ops::Sigmoid>("Sigmoid", "opset1");
  check_identity<ops::Tanh>("Tanh", "opset1");
  check_identity<ops::Exp>("Exp", "opset1");
  check_identity<ops::Log>("Log", "opset1");
  check_identity<ops::Abs>("Abs", "opset1");
  check_identity<ops::Negative>("Negative", "opset1");
  check_identity<ops::Floor>("Floor", "opset1");
  check_identity<ops::Ceiling>("Ceiling", "opset1");
  check_identity<ops::Sqrt>("Sqrt", "opset1");
  check_identity<ops::Erf>("Erf", "opset1");
  check_identity<ops::Sin>("Sin", "opset1");
  check_identity<ops::Cos>("Cos", "opset1");
  check_identity<ops::Tan>("Tan", "opset1");
  check_identity<ops::Asin>("Asin", "opset1");
  check_identity<ops::Acos>("Acos", "opset1");
  check_identity<ops::Atan>("Atan", "opset1");
  check_identity<ops::Sinh>("Sinh", "opset1");
  check_identity<ops::Cosh>("Cosh", "opset1");
  check_identity<ops::Asinh>("Asinh", "opset3");
  check_identity<ops::Acosh>("Acosh", "opset3");
  check_identity<ops::Atanh>("Atanh", "opset3");
  check_identity<ops::Sign>("Sign", "opset1");
  check_identity<ops::SoftPlus>("SoftPlus", "opset4");
  check_identity<ops::HSwish>("HSwish", "opset4");
  check_identity<ops::HSigmoid>("HSigmoid", "opset5");
  check_identity<ops::Mish>("Mish", "opset4");
  check_identity<ops::SoftSign>("SoftSign", "opset9");
  check_identity<ops::LogicalNot>("LogicalNot", "opset1");
}

TEST_CASE("unary ops keep type and shape; element types as the specification lists them") {
  // "any numeric type": integers pass, boolean does not.
  check_unary_all<ops::Relu, ops::Tanh, ops::Log, ops::Abs, ops::Floor, ops::Ceiling, ops::Sqrt, ops::Erf, ops::Sin,
                  ops::Cos, ops::Tan, ops::Asin, ops::Acos, ops::Atan, ops::Sinh, ops::Cosh, ops::Asinh, ops::Acosh,
                  ops::Atanh, ops::Sign>(element_type::i32, element_type::boolean, "a numeric");
  // "any floating-point type".
  check_unary_all<ops::Sigmoid, ops::Exp, ops::SoftPlus, ops::HSwish, ops::HSigmoid, ops::Mish, ops::SoftSign>(
      element_type::f16, element_type::i32, "a floating-point");
  check_unary<ops::Negative>(element_type::i8, element_type::u8, "a signed numeric");
  check_unary<ops::LogicalNot>(element_type::boolean, element_type::f32, "the boolean");

  graph g;
  const auto p = param(g, partial_shape::dynamic_rank(), element_type::dynamic);
  const auto n = apply(g, ops::Sigmoid{}, {p});
  CHECK(out(g, n).type == element_type::dynamic);
  CHECK_FALSE(out(g, n).shape.rank_is_static());
}

// ---- activations --------------------------------------------------------------------

TEST_CASE("Elu and Clamp") {
  check_identity<ops::Elu>("Elu", "opset1");
  check_identity<ops::Clamp>("Clamp", "opset1");
  CHECK(any_op(ops::Elu{}).attributes() == attr_list{{"alpha", "0"}});
  CHECK(any_op(ops::Elu{1.0}).attributes() == attr_list{{"alpha", "1"}});
  CHECK(any_op(ops::Clamp{}).attributes() == attr_list{{"min", "0"}, {"max", "0"}});
  CHECK(any_op(ops::Clamp{10, 50}).attributes() == attr_list{{"min", "10"}, {"max", "50"}});
  check_round_trip(ops::Elu{0.2});
  check_round_trip(ops::Clamp{-1.5, 6.25});

  graph g;
  const auto x = param(g, {1, 128});
  CHECK(out(g, apply(g, ops::Elu{1.0}, {x})).shape == partial_shape{1, 128});
  const auto ints = param(g, {256}, element_type::i32);
  const auto c = apply(g, ops::Clamp{10, 50}, {ints}); // the spec example; integers are allowed
  CHECK(out(g, c).type == element_type::i32);
  CHECK(out(g, c).shape == partial_shape{256});
  CHECK(add_error(g, ops::Clamp{5, 1}, {x}) == "node 'op' (Clamp): attribute 'min' (5) must not exceed 'max' (1)");
  CHECK(add_error(g, ops::Elu{1.0}, {ints}) ==
        "node 'op' (Elu): input 0 must have a floating-point element type, got i32");
}

TEST_CASE("Selu and HardSigmoid take their parameters as inputs") {
  check_identity<ops::Selu>("Selu", "opset1");
  check_identity<ops::HardSigmoid>("HardSigmoid", "opset1");
  CHECK(any_op(ops::Selu{}).attributes().empty());
  CHECK(any_op(ops::HardSigmoid{}).attributes().empty());

  graph g;
  const auto x = param(g, {256, 56});
  const auto one = konst<float>(g, {1}, {1.67f});
  const auto scalar = konst<float>(g, {}, {0.2f});
  const auto s = apply(g, ops::Selu{}, {x, one, one});
  CHECK(out(g, s).type == f32);
  CHECK(out(g, s).shape == partial_shape{256, 56});
  const auto h = apply(g, ops::HardSigmoid{}, {x, scalar, scalar});
  CHECK(out(g, h).shape == partial_shape{256, 56});

  const auto two = konst<float>(g, {2}, {1, 2});
  CHECK(add_error(g, ops::Selu{}, {x, two, one}) ==
        "node 'op' (Selu): input 1 (alpha) must hold one element, got shape [2]");
  const auto half = param(g, {1}, element_type::f16);
  CHECK(add_error(g, ops::Selu{}, {x, half, one}) ==
        "node 'op' (Selu): input 0 (data) and input 1 (alpha) must have the same element type, got f32 and f16");
  CHECK(add_error(g, ops::HardSigmoid{}, {x, one, scalar}) ==
        "node 'op' (HardSigmoid): input 1 (alpha) must be a scalar, got shape [1]");
}

TEST_CASE("PRelu: per-channel or NumPy slope (the spec examples)") {
  check_identity<ops::PRelu>("PReLU", "opset1");
  CHECK(any_op(ops::PRelu{}).attributes().empty());
  struct example {
    partial_shape data, slope;
  };
  const example ok[] = {
      {{128}, {1}},                    // 1-D data, numpy
      {{20, 128}, {128}},              // per channel (= numpy here)
      {{1, 20, 128, 128}, {20}},       // per channel
      {{1, 20, 128, 128}, {128}},      // numpy along the last axis
      {{1, 20, 128, 128}, {20, 1, 1}}, // numpy
      {{1, dimension(), 8, 8}, {20}},  // unknown channel count
      {partial_shape::dynamic_rank(), {20}},
  };
  for (const auto& e : ok) {
    CAPTURE(e.data.to_string());
    CAPTURE(e.slope.to_string());
    graph g;
    const auto n = apply(g, ops::PRelu{}, {param(g, e.data), param(g, e.slope)});
    CHECK(out(g, n).type == f32);
    CHECK(out(g, n).shape == e.data);
  }
  graph g;
  const auto data = param(g, {1, 20, 128, 128});
  CHECK(add_error(g, ops::PRelu{}, {data, param(g, {7})}) ==
        "node 'op' (PReLU): slope shape [7] does not fit data shape [1,20,128,128]: it must be 1-D with the channel "
        "count (dimension 1) or broadcast to data by NumPy rules");
  CHECK(add_error(g, ops::PRelu{}, {data, param(g, {2, 1, 20, 128, 128})}) != "");
  CHECK(add_error(g, ops::PRelu{}, {data, param(g, {})}) ==
        "node 'op' (PReLU): input 1 (slope) must have rank 1 or more, got shape []");
  CHECK(add_error(g, ops::PRelu{}, {data, param(g, {20}, element_type::f16)}) ==
        "node 'op' (PReLU): input 0 (data) and input 1 (slope) must have the same element type, got f32 and f16");
}

TEST_CASE("Gelu-7, Swish-4, Round-5") {
  check_identity<ops::Gelu>("Gelu", "opset7");
  check_identity<ops::Swish>("Swish", "opset4");
  check_identity<ops::Round>("Round", "opset5");
  CHECK(any_op(ops::Gelu{}).attributes() == attr_list{{"approximation_mode", "ERF"}});
  CHECK(any_op(ops::Gelu{ops::gelu_approximation_mode::tanh}).attributes() ==
        attr_list{{"approximation_mode", "TANH"}});
  CHECK(any_op(ops::Swish{}).attributes().empty());
  CHECK(any_op(ops::Round{}).attributes() == attr_list{{"mode", "half_to_even"}});
  check_round_trip(ops::Gelu{ops::gelu_approximation_mode::tanh});
  check_round_trip(ops::Round{ops::round_mode::half_away_from_zero});
  any_op gelu = ops::Gelu{};
  CHECK(gelu.set_attribute("approximation_mode", "tanh")); // the spec's spelling reads too
  CHECK(gelu.get<ops::Gelu>().approximation_mode == ops::gelu_approximation_mode::tanh);
  CHECK_THROWS_AS(gelu.set_attribute("approximation_mode", "sigmoid"), error);

  graph g;
  const auto x = param(g, {1, 128});
  CHECK(out(g, apply(g, ops::Gelu{ops::gelu_approximation_mode::tanh}, {x})).shape == partial_shape{1, 128});
  const auto y = param(g, {256, 56});
  const auto beta = konst<float>(g, {}, {2.0f});
  const auto sw = apply(g, ops::Swish{}, {y, beta});
  CHECK(out(g, sw).shape == partial_shape{256, 56});
  CHECK(out(g, apply(g, ops::Swish{}, {param(g, {128})})).shape == partial_shape{128}); // beta omitted
  CHECK(add_error(g, ops::Swish{}, {y, konst<float>(g, {2}, {1, 2})}) ==
        "node 'op' (Swish): input 1 (beta) must be a scalar, got shape [2]");
  const auto r = apply(g, ops::Round{}, {param(g, {256, 56}, element_type::i64)});
  CHECK(out(g, r).type == element_type::i64);
  CHECK(add_error(g, ops::Gelu{}, {param(g, {3}, element_type::i32)}) ==
        "node 'op' (Gelu): input 0 must have a floating-point element type, got i32");
}

// ---- Convert, ConvertLike -----------------------------------------------------------

TEST_CASE("Convert and ConvertLike") {
  check_identity<ops::Convert>("Convert", "opset1");
  check_identity<ops::ConvertLike>("ConvertLike", "opset1");
  CHECK(any_op(ops::Convert{}).attributes() == attr_list{{"destination_type", "dynamic"}});
  CHECK(any_op(ops::Convert{element_type::f16}).attributes() == attr_list{{"destination_type", "f16"}});
  CHECK(any_op(ops::ConvertLike{}).attributes().empty());
  check_round_trip(ops::Convert{element_type::boolean});

  graph g;
  const auto x = param(g, {2, dimension(), 3});
  const auto c = apply(g, ops::Convert{element_type::f16}, {x});
  CHECK(out(g, c).type == element_type::f16);
  CHECK(out(g, c).shape == partial_shape{2, dimension(), 3});
  CHECK(out(g, c).value == nullptr);
  CHECK(add_error(g, ops::Convert{}, {x}) == "node 'op' (Convert): attribute 'destination_type' is not set");

  // A shape computation stays a known value through an integer cast (ONNX Shape -> Cast).
  const auto shape_i32 = apply(g, ops::Convert{element_type::i32}, {apply(g, ops::ShapeOf{}, {param(g, {2, 3, 5})})});
  REQUIRE(out(g, shape_i32).value != nullptr);
  CHECK(out(g, shape_i32).type == element_type::i32);
  CHECK(out(g, shape_i32).value->values<std::int32_t>() == std::vector<std::int32_t>{2, 3, 5});
  const auto as_bool = apply(g, ops::Convert{element_type::boolean}, {konst<std::int64_t>(g, {3}, {0, 7, -1})});
  REQUIRE(out(g, as_bool).value != nullptr);
  CHECK(out(g, as_bool).value->values<std::uint8_t>() == std::vector<std::uint8_t>{0, 1, 1});
  // A value that does not fit the target type is not propagated (only type and shape are).
  const auto narrow = apply(g, ops::Convert{element_type::u8}, {konst<std::int64_t>(g, {2}, {1, 300})});
  CHECK(out(g, narrow).value == nullptr);
  CHECK(out(g, narrow).shape == partial_shape{2});

  const auto like = apply(g, ops::ConvertLike{}, {param(g, {4}, element_type::i32), param(g, {}, element_type::f32)});
  CHECK(out(g, like).type == f32);
  CHECK(out(g, like).shape == partial_shape{4});
}

// ---- Select -------------------------------------------------------------------------

TEST_CASE("Select broadcasts condition, then and else together") {
  check_identity<ops::Select>("Select", "opset1");
  CHECK(any_op(ops::Select{}).attributes() == attr_list{{"auto_broadcast", "numpy"}});
  check_round_trip(ops::Select{ops::broadcast_type::none});

  graph g;
  const auto cond = param(g, {3, 1}, element_type::boolean);
  const auto n = apply(g, ops::Select{}, {cond, param(g, {1, 4}), param(g, {4})});
  CHECK(out(g, n).type == f32);
  CHECK(out(g, n).shape == partial_shape{3, 4});
  const auto dyn =
      apply(g, ops::Select{}, {param(g, {dimension(), 4}, element_type::boolean), param(g, {4}), param(g, {2, 1, 1})});
  CHECK(out(g, dyn).shape == partial_shape{2, dimension(), 4});
  const auto none =
      apply(g, ops::Select{ops::broadcast_type::none},
            {param(g, {2, dimension()}, element_type::boolean), param(g, {dimension(), 3}), param(g, {2, 3})});
  CHECK(out(g, none).shape == partial_shape{2, 3});
  const auto pdpd = apply(g, ops::Select{ops::broadcast_type::pdpd},
                          {param(g, {5}, element_type::boolean), param(g, {2, 3, 5}), param(g, {3, 1})});
  CHECK(out(g, pdpd).shape == partial_shape{2, 3, 5});

  CHECK(add_error(g, ops::Select{}, {param(g, {3}), param(g, {3}), param(g, {3})}) ==
        "node 'op' (Select): input 0 (condition) must have the boolean element type, got f32");
  CHECK(add_error(g, ops::Select{},
                  {param(g, {3}, element_type::boolean), param(g, {3}), param(g, {3}, element_type::i32)}) ==
        "node 'op' (Select): input 1 (then) and input 2 (else) must have the same element type, got f32 and i32");
  CHECK(add_error(g, ops::Select{}, {param(g, {2}, element_type::boolean), param(g, {3}), param(g, {3})}) ==
        "node 'op' (Select): shapes do not broadcast (numpy rules): condition [2], then [3], else [3]");
  CHECK(add_error(g, ops::Select{ops::broadcast_type::none},
                  {param(g, {3}, element_type::boolean), param(g, {1}), param(g, {3})}) ==
        "node 'op' (Select): shapes must be equal with auto_broadcast 'none': condition [3], then [1], else [3]");
}

// ---- BatchNormInference -------------------------------------------------------------

TEST_CASE("BatchNormInference opset5 and opset1 (different port order)") {
  check_identity<ops::BatchNormInference>("BatchNormInference", "opset5");
  check_identity<ops::v1::BatchNormInference>("BatchNormInference", "opset1");
  CHECK(any_op(ops::BatchNormInference{}).attributes() == attr_list{{"epsilon", "0"}});
  CHECK(any_op(ops::v1::BatchNormInference{9.99e-06}).attributes() == attr_list{{"epsilon", "9.9899999999999992e-06"}});
  check_round_trip(ops::BatchNormInference{1e-5});
  check_round_trip(ops::v1::BatchNormInference{1e-3});

  graph g;
  const auto data = param(g, {1, 3, 224, 224});
  const auto c = param(g, {3});
  const auto v5 = apply(g, ops::BatchNormInference{9.99e-06}, {data, c, c, c, c});
  CHECK(out(g, v5).type == f32);
  CHECK(out(g, v5).shape == partial_shape{1, 3, 224, 224});
  const auto data2d = param(g, {10, 128});
  const auto c128 = param(g, {128});
  const auto v1 = apply(g, ops::v1::BatchNormInference{9.99e-06}, {c128, c128, data2d, c128, c128});
  CHECK(out(g, v1).shape == partial_shape{10, 128});
  // The channel count comes from the parameters when data does not know it.
  const auto refined = apply(g, ops::BatchNormInference{0}, {param(g, {dimension(), dimension(), 5}), c, c, c, c});
  CHECK(out(g, refined).shape == partial_shape{dimension(), 3, 5});

  const auto c4 = param(g, {4});
  CHECK(add_error(g, ops::BatchNormInference{1e-5}, {data, c, c4, c, c}) ==
        "node 'op' (BatchNormInference): input 2 (beta) shape [4] does not match the channel count 3 (from data "
        "shape [1,3,224,224] and the other parameters)");
  // opset1 reads data from input 2: the opset5 port order is an error there.
  CHECK(add_error(g, ops::v1::BatchNormInference{1e-5}, {data, c, c, c, c}) ==
        "node 'op' (BatchNormInference): input 2 (data) must have rank 2 or more, got shape [3]");
  CHECK(add_error(g, ops::v1::BatchNormInference{1e-5}, {data, c, data2d, c, c}) ==
        "node 'op' (BatchNormInference): input 0 (gamma) must be 1-D, got shape [1,3,224,224]");
  CHECK(add_error(g, ops::BatchNormInference{1e-5}, {param(g, {3}), c, c, c, c}) ==
        "node 'op' (BatchNormInference): input 0 (data) must have rank 2 or more, got shape [3]");
  CHECK(add_error(g, ops::BatchNormInference{-1}, {data, c, c, c, c}) ==
        "node 'op' (BatchNormInference): attribute 'epsilon' must be 0 or more, got -1");
  const auto ci = param(g, {3}, element_type::i32);
  CHECK(add_error(g, ops::BatchNormInference{1e-5}, {data, c, c, ci, c}) ==
        "node 'op' (BatchNormInference): input 0 (data) and input 3 (mean) must have the same element type, got "
        "f32 and i32");
}

// ---- Softmax, LogSoftmax ------------------------------------------------------------

TEST_CASE("Softmax-8, SoftMax-1 and LogSoftmax-5") {
  check_identity<ops::Softmax>("Softmax", "opset8");
  check_identity<ops::v1::Softmax>("SoftMax", "opset1");
  check_identity<ops::LogSoftmax>("LogSoftmax", "opset5");
  CHECK(any_op(ops::Softmax{}).attributes() == attr_list{{"axis", "1"}});
  CHECK(any_op(ops::v1::Softmax{}).attributes() == attr_list{{"axis", "1"}});
  CHECK(any_op(ops::LogSoftmax{}).attributes() == attr_list{{"axis", "1"}});
  check_round_trip(ops::Softmax{-1});
  check_round_trip(ops::v1::Softmax{3});
  check_round_trip(ops::LogSoftmax{-2});

  graph g;
  const auto x = param(g, {256, 56});
  CHECK(out(g, apply(g, ops::Softmax{-1}, {x})).shape == partial_shape{256, 56});
  CHECK(out(g, apply(g, ops::v1::Softmax{1}, {x})).shape == partial_shape{256, 56});
  CHECK(out(g, apply(g, ops::LogSoftmax{1}, {x})).shape == partial_shape{256, 56});
  CHECK(out(g, apply(g, ops::Softmax{5}, {param(g, partial_shape::dynamic_rank())})).type == f32);

  CHECK(add_error(g, ops::Softmax{2}, {x}) ==
        "node 'op' (Softmax): attribute 'axis' 2 is out of range for input shape [256,56]");
  CHECK(add_error(g, ops::Softmax{-3}, {x}) ==
        "node 'op' (Softmax): attribute 'axis' -3 is out of range for input shape [256,56]");
  CHECK(add_error(g, ops::v1::Softmax{-1}, {x}) ==
        "node 'op' (SoftMax): attribute 'axis' must be 0 or more in SoftMax-1, got -1");
  CHECK(add_error(g, ops::LogSoftmax{1}, {param(g, {2, 2}, element_type::i32)}) ==
        "node 'op' (LogSoftmax): input 0 must have a floating-point element type, got i32");
}

} // namespace test_ops_elementwise_tests
