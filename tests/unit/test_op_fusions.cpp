// The OpFusion pass (passes/op_fusions.hpp): every decomposed form becomes the
// one OpenVINO op, the graph evaluates to the same outputs before and after
// (reference evaluator), fused names are kept, and every near miss (a constant
// off, an intermediate used twice, two different x) leaves the graph as it was.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/ops/standard.hpp"
#include "irforge/passes/constant_folding.hpp"
#include "irforge/passes/dead_code_elimination.hpp"
#include "irforge/passes/nop_elimination.hpp"
#include "irforge/passes/op_fusions.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/reference/inputs.hpp"
#include "support/checks.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_op_fusions_tests { // unity-build scope

namespace {

constexpr double sqrt2 = 1.4142135;      // as exporters write it
constexpr double inv_sqrt2 = 0.70710678; // 1 / sqrt(2)
constexpr double sqrt_2_over_pi = 0.7978845608;
constexpr double float_max = std::numeric_limits<float>::max();

/// A graph under construction: x (f32), named ops, named constants.
struct net {
  graph g;
  output_ref x;
  /// Names of the ops the fusion should swallow (every op added with op()).
  std::vector<std::string> fused;
  int constants = 0;

  explicit net(partial_shape s = {2, 3, 4}) { x = param("x", std::move(s)); }

  output_ref param(const std::string& name, partial_shape s) {
    return {g.add(ops::Parameter{std::move(s), element_type::f32}, {}, name), 0};
  }
  output_ref c(double v, shape dims = {}) {
    std::vector<float> values(static_cast<std::size_t>(element_count(dims)), static_cast<float>(v));
    return {g.add(ops::Constant(tensor::from_values<float>(dims, values)), {}, "c" + std::to_string(constants++)), 0};
  }
  output_ref axes(std::vector<std::int64_t> a) {
    const auto n = static_cast<std::int64_t>(a.size());
    return {g.add(ops::Constant(tensor::from_values<std::int64_t>({n}, a)), {}, "axes" + std::to_string(constants++)),
            0};
  }
  /// An op that belongs to the pattern.
  template <class Op> output_ref op(Op o, std::vector<output_ref> in, const std::string& name) {
    fused.push_back(name);
    return {g.add(std::move(o), std::move(in), name), 0};
  }
  /// An op outside the pattern (LayerNorm's gamma and beta).
  template <class Op> output_ref keep(Op o, std::vector<output_ref> in, const std::string& name) {
    return {g.add(std::move(o), std::move(in), name), 0};
  }
  /// The model output, tensor name "y".
  void result(output_ref r, const std::string& name = "out") {
    g.port(r).names = {"y"};
    g.add(ops::Result{}, {r}, name);
  }
};

using irforge::test::op_counts;

/// Inputs in [-4, 4]; the first one starts with the corners of the activations (0, +-3, +-6, ...).
std::vector<tensor> inputs_for(const graph& g) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-4.f, 4.f);
  const std::vector<float> corners = {0.f, -3.f, 3.f, -6.f, 6.f, 0.5f, -0.5f, 1.f, -1.f, -2.5f, 2.5f};
  std::vector<tensor> out;
  for (node_id p : g.parameters()) {
    const shape dims = g.info({p, 0}).shape.to_shape();
    std::vector<float> v(static_cast<std::size_t>(element_count(dims)));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = out.empty() && i < corners.size() ? corners[i] : dist(rng);
    out.push_back(tensor::from_values<float>(dims, v));
  }
  return out;
}

/// The op fusion fires and turns the graph into the op `type` (plus `others`),
/// named after `last`, standing for every op of the pattern; outputs agree.
void expect_fused(net& t, const std::string& type, const std::string& last, std::map<std::string, int> others = {}) {
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto report = passes::op_fusion.run(t.g);
  CHECK(report.changes >= 1);
  ++others[type];
  CHECK(op_counts(t.g) == others);
  node_id fused = 0;
  for (node_id n : t.g.nodes())
    if (t.g.node(n).op.type_name() == type) fused = n;
  REQUIRE(fused != 0);
  CHECK(t.g.node(fused).name == last);
  const auto& names = t.g.node(fused).source_names;
  CHECK(std::set<std::string>(names.begin(), names.end()) == std::set<std::string>(t.fused.begin(), t.fused.end()));
  CHECK(names.size() == t.fused.size());
  if (others.size() == 1)
    CHECK(t.g.port({fused, 0}).names == std::vector<std::string>{"y"}); // the output keeps its name
  const auto after = reference::evaluate(t.g, in);
  REQUIRE(after.size() == before.size());
  for (std::size_t k = 0; k < after.size(); ++k) {
    // rtol 1e-5; atol 1e-6 for results near 0, where the decomposed f32 formula itself cancels.
    const auto c = reference::compare(after[k], before[k], 1e-5, 1e-6);
    CHECK_MESSAGE(c.ok(), type << ": " << c.describe());
  }
}

/// The op fusion declines: same nodes, same outputs.
void expect_untouched(net& t) {
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto nodes = t.g.nodes();
  const auto counts = op_counts(t.g);
  const auto report = passes::op_fusion.run(t.g);
  CHECK(report.changes == 0);
  CHECK(t.g.nodes() == nodes);
  CHECK(op_counts(t.g) == counts);
  const auto after = reference::evaluate(t.g, in);
  for (std::size_t k = 0; k < after.size(); ++k) CHECK(reference::compare(after[k], before[k], 0, 0).ok());
}

const ops::Gelu& gelu_of(const graph& g) {
  for (node_id n : g.nodes())
    if (const auto* p = g.node(n).op.get_if<ops::Gelu>()) return *p;
  throw error("no Gelu");
}

// ---- builders of the decomposed forms ------------------------------------------------------

/// erf(x / sqrt2) (or x * 1/sqrt2), in t.
output_ref erf_part(net& t, bool multiply, output_ref x) {
  const output_ref s = multiply ? t.op(ops::Multiply{}, {x, t.c(inv_sqrt2)}, "erf_scale")
                                : t.op(ops::Divide{}, {x, t.c(sqrt2)}, "erf_scale");
  return t.op(ops::Erf{}, {s}, "erf");
}

/// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) pieces: 1 + tanh(...).
output_ref one_plus_tanh(net& t, bool power, double kappa = 0.044715) {
  const output_ref cube = power ? t.op(ops::Power{}, {t.x, t.c(3)}, "cube")
                                : t.op(ops::Multiply{}, {t.x, t.op(ops::Multiply{}, {t.x, t.x}, "square")}, "cube");
  const output_ref inner = t.op(ops::Add{}, {t.x, t.op(ops::Multiply{}, {t.c(kappa), cube}, "cubic")}, "inner");
  const output_ref th = t.op(ops::Tanh{}, {t.op(ops::Multiply{}, {t.c(sqrt_2_over_pi), inner}, "tanh_scale")}, "tanh");
  return t.op(ops::Add{}, {t.c(1), th}, "one_plus");
}

enum class relu6_form { clamp, min_relu, min_max, max_min };
/// Relu6(x + 3) in one of its forms.
output_ref relu6(net& t, relu6_form f, double three = 3, double six = 6) {
  const output_ref a = t.op(ops::Add{}, {t.x, t.c(three)}, "add3");
  switch (f) {
  case relu6_form::clamp: return t.op(ops::Clamp(0, six), {a}, "relu6");
  case relu6_form::min_relu: return t.op(ops::Minimum{}, {t.op(ops::Relu{}, {a}, "relu"), t.c(six)}, "relu6");
  case relu6_form::min_max:
    return t.op(ops::Minimum{}, {t.c(six), t.op(ops::Maximum{}, {a, t.c(0)}, "lower")}, "relu6");
  case relu6_form::max_min:
    return t.op(ops::Maximum{}, {t.op(ops::Minimum{}, {a, t.c(six)}, "lower"), t.c(0)}, "relu6");
  }
  return a;
}

/// ReduceSum(x^2, axes, keep_dims) as Power(x, 2) or x * x.
output_ref sum_of_squares(net& t, bool power, std::vector<std::int64_t> axes, bool keep = true) {
  const output_ref sq =
      power ? t.op(ops::Power{}, {t.x, t.c(2)}, "square") : t.op(ops::Multiply{}, {t.x, t.x}, "square");
  return t.op(ops::ReduceSum(keep), {sq, t.axes(std::move(axes))}, "sum");
}

/// x - ReduceMean(x, axes).
output_ref centered(net& t, std::vector<std::int64_t> axes, const std::string& suffix = "") {
  const output_ref mean = t.op(ops::ReduceMean(true), {t.x, t.axes(std::move(axes))}, "mean" + suffix);
  return t.op(ops::Subtract{}, {t.x, mean}, "sub" + suffix);
}

} // namespace

// ---- Gelu ------------------------------------------------------------------------------------

TEST_CASE("op fusion: Gelu, erf form, in the operand orders exporters write") {
  SUBCASE("(x * 0.5) * (1 + erf(x / sqrt2))  (Keras, BERT)") {
    net t;
    const auto half_x = t.op(ops::Multiply{}, {t.x, t.c(0.5)}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
    CHECK(gelu_of(t.g).approximation_mode == ops::gelu_approximation_mode::erf);
  }
  SUBCASE("(1 + erf(x * 1/sqrt2)) * (0.5 * x)") {
    net t;
    const auto one_plus = t.op(ops::Add{}, {t.c(1), erf_part(t, true, t.x)}, "one_plus");
    const auto half_x = t.op(ops::Multiply{}, {t.c(0.5), t.x}, "half_x");
    t.result(t.op(ops::Multiply{}, {one_plus, half_x}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
  }
  SUBCASE("x * ((1 + erf(x / sqrt2)) * 0.5)") {
    net t;
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    const auto rest = t.op(ops::Multiply{}, {one_plus, t.c(0.5)}, "half_rest");
    t.result(t.op(ops::Multiply{}, {t.x, rest}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
  }
  SUBCASE("(x * (1 + erf(x / sqrt2))) * 0.5  (PyTorch)") {
    net t;
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    const auto xr = t.op(ops::Multiply{}, {t.x, one_plus}, "x_rest");
    t.result(t.op(ops::Multiply{}, {xr, t.c(0.5)}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
  }
  SUBCASE("0.5 * ((1 + erf(x * 1/sqrt2)) * x)") {
    net t;
    const auto one_plus = t.op(ops::Add{}, {t.c(1), erf_part(t, true, t.x)}, "one_plus");
    const auto xr = t.op(ops::Multiply{}, {one_plus, t.x}, "x_rest");
    t.result(t.op(ops::Multiply{}, {t.c(0.5), xr}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
  }
  SUBCASE("x * (0.5 + 0.5 * erf(x * 1/sqrt2))") {
    net t;
    const auto half_erf = t.op(ops::Multiply{}, {t.c(0.5), erf_part(t, true, t.x)}, "half_erf");
    const auto sum = t.op(ops::Add{}, {half_erf, t.c(0.5)}, "half_sum");
    t.result(t.op(ops::Multiply{}, {sum, t.x}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
  }
  SUBCASE("a dynamic batch dimension") {
    net t(partial_shape{dimension(), 3});
    const auto half_x = t.op(ops::Multiply{}, {t.x, t.c(0.5)}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    const auto y = t.op(ops::Multiply{}, {half_x, one_plus}, "gelu");
    t.result(y);
    passes::op_fusion.run(t.g);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Gelu", 1}});
    CHECK(t.g.info(t.g.node(t.g.results()[0]).inputs[0]).shape == partial_shape{dimension(), 3});
  }
}

TEST_CASE("op fusion: Gelu, tanh form") {
  SUBCASE("0.5 * (x * (1 + tanh(...))), x^3 = x * (x * x)  (PyTorch approximate='tanh')") {
    net t;
    const auto xr = t.op(ops::Multiply{}, {t.x, one_plus_tanh(t, false)}, "x_rest");
    t.result(t.op(ops::Multiply{}, {t.c(0.5), xr}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
    CHECK(gelu_of(t.g).approximation_mode == ops::gelu_approximation_mode::tanh);
  }
  SUBCASE("(0.5 * x) * (1 + tanh(...)), x^3 = Power(x, 3)  (gelu_new)") {
    net t;
    const auto half_x = t.op(ops::Multiply{}, {t.c(0.5), t.x}, "half_x");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus_tanh(t, true)}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
    CHECK(gelu_of(t.g).approximation_mode == ops::gelu_approximation_mode::tanh);
  }
  SUBCASE("x * ((1 + tanh(...)) * 0.5)") {
    net t;
    const auto rest = t.op(ops::Multiply{}, {one_plus_tanh(t, true), t.c(0.5)}, "half_rest");
    t.result(t.op(ops::Multiply{}, {rest, t.x}, "gelu"));
    expect_fused(t, "Gelu", "gelu");
    CHECK(gelu_of(t.g).approximation_mode == ops::gelu_approximation_mode::tanh);
  }
}

TEST_CASE("op fusion: Gelu near misses are left alone") {
  SUBCASE("0.6 instead of 0.5") {
    net t;
    const auto half_x = t.op(ops::Multiply{}, {t.x, t.c(0.6)}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus}, "gelu"));
    expect_untouched(t);
  }
  SUBCASE("sqrt(3) instead of sqrt(2)") {
    net t;
    const auto erf = t.op(ops::Erf{}, {t.op(ops::Divide{}, {t.x, t.c(std::sqrt(3.0))}, "s")}, "erf");
    const auto one_plus = t.op(ops::Add{}, {erf, t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {t.op(ops::Multiply{}, {t.x, t.c(0.5)}, "half_x"), one_plus}, "gelu"));
    expect_untouched(t);
  }
  SUBCASE("0.04 instead of 0.044715 (tanh form)") {
    net t;
    const auto xr = t.op(ops::Multiply{}, {t.x, one_plus_tanh(t, false, 0.04)}, "x_rest");
    t.result(t.op(ops::Multiply{}, {t.c(0.5), xr}, "gelu"));
    expect_untouched(t);
  }
  SUBCASE("erf of another tensor") {
    net t;
    const auto y = t.param("other", {2, 3, 4});
    const auto half_x = t.op(ops::Multiply{}, {t.x, t.c(0.5)}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, y), t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus}, "gelu"));
    expect_untouched(t);
  }
  SUBCASE("the erf is also a model output") {
    net t;
    const auto erf = erf_part(t, false, t.x);
    const auto half_x = t.op(ops::Multiply{}, {t.x, t.c(0.5)}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf, t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus}, "gelu"));
    t.g.add(ops::Result{}, {erf}, "erf_out");
    expect_untouched(t);
  }
  SUBCASE("a constant that broadcasts the result to a larger shape") {
    net t;
    const auto half_x = t.op(ops::Multiply{}, {t.x, t.c(0.5, {1, 1, 1, 1})}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus}, "gelu"));
    expect_untouched(t);
  }
  SUBCASE("a per-element constant that is not one value") {
    net t;
    auto v = tensor::from_values<float>({4}, {0.5f, 0.5f, 0.5f, 0.25f});
    const output_ref c{t.g.add(ops::Constant(v), {}, "halves"), 0};
    const auto half_x = t.op(ops::Multiply{}, {t.x, c}, "half_x");
    const auto one_plus = t.op(ops::Add{}, {erf_part(t, false, t.x), t.c(1)}, "one_plus");
    t.result(t.op(ops::Multiply{}, {half_x, one_plus}, "gelu"));
    expect_untouched(t);
  }
}

// ---- Swish -----------------------------------------------------------------------------------

TEST_CASE("op fusion: Swish") {
  SUBCASE("x * Sigmoid(x)") {
    net t;
    t.result(t.op(ops::Multiply{}, {t.x, t.op(ops::Sigmoid{}, {t.x}, "sigmoid")}, "swish"));
    expect_fused(t, "Swish", "swish");
    CHECK(t.g.node(t.g.node(t.g.results()[0]).inputs[0].node).inputs.size() == 1); // no beta
  }
  SUBCASE("Sigmoid(x) * x") {
    net t;
    t.result(t.op(ops::Multiply{}, {t.op(ops::Sigmoid{}, {t.x}, "sigmoid"), t.x}, "swish"));
    expect_fused(t, "Swish", "swish");
  }
  SUBCASE("x * Sigmoid(x * 1.702): beta becomes a scalar input") {
    net t;
    const auto s = t.op(ops::Sigmoid{}, {t.op(ops::Multiply{}, {t.x, t.c(1.702)}, "scale")}, "sigmoid");
    t.result(t.op(ops::Multiply{}, {s, t.x}, "swish"));
    expect_fused(t, "Swish", "swish");
    const auto& swish = t.g.node(t.g.node(t.g.results()[0]).inputs[0].node);
    REQUIRE(swish.inputs.size() == 2);
    const auto& beta = *t.g.info(swish.inputs[1]).value;
    CHECK(beta.dims() == shape{});
    CHECK(beta.values<float>() == std::vector<float>{1.702f});
  }
  SUBCASE("beta given as a [1] constant before x") {
    net t;
    const auto s = t.op(ops::Sigmoid{}, {t.op(ops::Multiply{}, {t.c(0.75, {1}), t.x}, "scale")}, "sigmoid");
    t.result(t.op(ops::Multiply{}, {t.x, s}, "swish"));
    expect_fused(t, "Swish", "swish");
  }
  SUBCASE("GLU-like: a * Sigmoid(b) stays") {
    net t;
    const auto b = t.param("b", {2, 3, 4});
    t.result(t.op(ops::Multiply{}, {t.x, t.op(ops::Sigmoid{}, {b}, "sigmoid")}, "glu"));
    expect_untouched(t);
  }
  SUBCASE("beta that is not one value stays") {
    net t;
    const output_ref beta{t.g.add(ops::Constant(tensor::from_values<float>({4}, {1.f, 2.f, 1.f, 1.f})), {}, "beta"), 0};
    const auto s = t.op(ops::Sigmoid{}, {t.op(ops::Multiply{}, {t.x, beta}, "scale")}, "sigmoid");
    t.result(t.op(ops::Multiply{}, {t.x, s}, "swish"));
    expect_untouched(t);
  }
  SUBCASE("the sigmoid also feeds something else") {
    net t;
    const auto s = t.op(ops::Sigmoid{}, {t.x}, "sigmoid");
    t.result(t.op(ops::Multiply{}, {t.x, s}, "swish"));
    t.g.add(ops::Result{}, {s}, "gate");
    expect_untouched(t);
  }
}

// ---- HSigmoid and HSwish ------------------------------------------------------------------

TEST_CASE("op fusion: HSigmoid") {
  SUBCASE("Clamp(x + 3, 0, 6) / 6") {
    net t;
    t.result(t.op(ops::Divide{}, {relu6(t, relu6_form::clamp), t.c(6)}, "hsigmoid"));
    expect_fused(t, "HSigmoid", "hsigmoid");
  }
  SUBCASE("Minimum(Relu(x + 3), 6) * (1/6)") {
    net t;
    t.result(t.op(ops::Multiply{}, {relu6(t, relu6_form::min_relu), t.c(1.0 / 6)}, "hsigmoid"));
    expect_fused(t, "HSigmoid", "hsigmoid");
  }
  SUBCASE("(1/6) * Minimum(6, Maximum(x + 3, 0))") {
    net t;
    t.result(t.op(ops::Multiply{}, {t.c(0.16666667), relu6(t, relu6_form::min_max)}, "hsigmoid"));
    expect_fused(t, "HSigmoid", "hsigmoid");
  }
  SUBCASE("Maximum(Minimum(x + 3, 6), 0) / 6") {
    net t;
    t.result(t.op(ops::Divide{}, {relu6(t, relu6_form::max_min), t.c(6)}, "hsigmoid"));
    expect_fused(t, "HSigmoid", "hsigmoid");
  }
  SUBCASE("HardSigmoid(x, 1/6, 0.5)  (PyTorch hardsigmoid)") {
    net t;
    t.result(t.op(ops::HardSigmoid{}, {t.x, t.c(1.0 / 6), t.c(0.5)}, "hsigmoid"));
    expect_fused(t, "HSigmoid", "hsigmoid");
  }
  SUBCASE("near misses") {
    net a;
    a.result(a.op(ops::Divide{}, {relu6(a, relu6_form::clamp), a.c(5)}, "hsigmoid"));
    expect_untouched(a);
    net b;
    b.result(b.op(ops::Divide{}, {relu6(b, relu6_form::clamp, 3, 5), b.c(6)}, "hsigmoid"));
    expect_untouched(b);
    net c;
    c.result(c.op(ops::Divide{}, {relu6(c, relu6_form::min_relu, 2.9), c.c(6)}, "hsigmoid"));
    expect_untouched(c);
    net d;
    d.result(d.op(ops::HardSigmoid{}, {d.x, d.c(0.2), d.c(0.5)}, "hard_sigmoid")); // ONNX's default alpha
    expect_untouched(d);
  }
}

TEST_CASE("op fusion: HSwish") {
  SUBCASE("(x * Clamp(x + 3, 0, 6)) / 6") {
    net t;
    const auto xr = t.op(ops::Multiply{}, {t.x, relu6(t, relu6_form::clamp)}, "x_relu6");
    t.result(t.op(ops::Divide{}, {xr, t.c(6)}, "hswish"));
    expect_fused(t, "HSwish", "hswish");
  }
  SUBCASE("(Minimum(Relu(x + 3), 6) * x) * (1/6)") {
    net t;
    const auto xr = t.op(ops::Multiply{}, {relu6(t, relu6_form::min_relu), t.x}, "x_relu6");
    t.result(t.op(ops::Multiply{}, {xr, t.c(1.0 / 6)}, "hswish"));
    expect_fused(t, "HSwish", "hswish");
  }
  SUBCASE("x * (Clamp(x + 3, 0, 6) / 6): HSigmoid first, then HSwish") {
    net t;
    const auto hs = t.op(ops::Divide{}, {relu6(t, relu6_form::clamp), t.c(6)}, "div6");
    t.result(t.op(ops::Multiply{}, {t.x, hs}, "hswish"));
    expect_fused(t, "HSwish", "hswish");
  }
  SUBCASE("(Maximum(Minimum(x + 3, 6), 0) * (1/6)) * x") {
    net t;
    const auto hs = t.op(ops::Multiply{}, {relu6(t, relu6_form::max_min), t.c(1.0 / 6)}, "mul6");
    t.result(t.op(ops::Multiply{}, {hs, t.x}, "hswish"));
    expect_fused(t, "HSwish", "hswish");
  }
  SUBCASE("x * HardSigmoid(x, 1/6, 0.5)  (ONNX HardSwish body)") {
    net t;
    const auto hs = t.op(ops::HardSigmoid{}, {t.x, t.c(1.0 / 6), t.c(0.5)}, "hard_sigmoid");
    t.result(t.op(ops::Multiply{}, {t.x, hs}, "hswish"));
    expect_fused(t, "HSwish", "hswish");
  }
  SUBCASE("near misses") {
    net a; // x * Relu6(x + 3) / 6 with another x outside
    const auto y = a.param("other", {2, 3, 4});
    a.result(a.op(ops::Divide{}, {a.op(ops::Multiply{}, {y, relu6(a, relu6_form::clamp)}, "m"), a.c(6)}, "hswish"));
    expect_untouched(a);
    net b; // divided by 7
    b.result(b.op(ops::Divide{}, {b.op(ops::Multiply{}, {b.x, relu6(b, relu6_form::clamp)}, "m"), b.c(7)}, "hswish"));
    expect_untouched(b);
    net c; // x * Relu6(x + 3) is also an output
    const auto m = c.op(ops::Multiply{}, {c.x, relu6(c, relu6_form::min_relu)}, "m");
    c.result(c.op(ops::Divide{}, {m, c.c(6)}, "hswish"));
    c.g.add(ops::Result{}, {m}, "m_out");
    expect_untouched(c);
  }
}

// ---- SoftPlus and Mish ----------------------------------------------------------------------

TEST_CASE("op fusion: SoftPlus and Mish") {
  SUBCASE("log(exp(x) + 1)") {
    net t;
    const auto e = t.op(ops::Exp{}, {t.x}, "exp");
    t.result(t.op(ops::Log{}, {t.op(ops::Add{}, {e, t.c(1)}, "plus_one")}, "softplus"));
    expect_fused(t, "SoftPlus", "softplus");
  }
  SUBCASE("log(1 + exp(x))") {
    net t;
    const auto e = t.op(ops::Exp{}, {t.x}, "exp");
    t.result(t.op(ops::Log{}, {t.op(ops::Add{}, {t.c(1), e}, "plus_one")}, "softplus"));
    expect_fused(t, "SoftPlus", "softplus");
  }
  SUBCASE("x * tanh(SoftPlus(x))") {
    net t;
    const auto th = t.op(ops::Tanh{}, {t.op(ops::SoftPlus{}, {t.x}, "softplus")}, "tanh");
    t.result(t.op(ops::Multiply{}, {t.x, th}, "mish"));
    expect_fused(t, "Mish", "mish");
  }
  SUBCASE("tanh(log(exp(x) + 1)) * x: SoftPlus first, then Mish") {
    net t;
    const auto e = t.op(ops::Exp{}, {t.x}, "exp");
    const auto sp = t.op(ops::Log{}, {t.op(ops::Add{}, {e, t.c(1)}, "plus_one")}, "log");
    t.result(t.op(ops::Multiply{}, {t.op(ops::Tanh{}, {sp}, "tanh"), t.x}, "mish"));
    expect_fused(t, "Mish", "mish");
  }
  SUBCASE("the direct Mish rule matches the log/exp form too (SoftPlusFusion disabled)") {
    net t;
    const auto e = t.op(ops::Exp{}, {t.x}, "exp");
    const auto sp = t.op(ops::Log{}, {t.op(ops::Add{}, {e, t.c(1)}, "plus_one")}, "log");
    t.result(t.op(ops::Multiply{}, {t.x, t.op(ops::Tanh{}, {sp}, "tanh")}, "mish"));
    const auto report = passes::op_fusion.run(t.g, {.disabled = {"SoftPlusFusion"}});
    CHECK(report.changes == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Mish", 1}});
  }
  SUBCASE("near misses") {
    net a; // log(exp(x) + 2)
    a.result(a.op(ops::Log{}, {a.op(ops::Add{}, {a.op(ops::Exp{}, {a.x}, "exp"), a.c(2)}, "p")}, "l"));
    expect_untouched(a);
    net b; // x * tanh(SoftPlus(y))
    const auto y = b.param("other", {2, 3, 4});
    b.result(b.op(ops::Multiply{}, {b.x, b.op(ops::Tanh{}, {b.op(ops::SoftPlus{}, {y}, "sp")}, "th")}, "m"));
    expect_untouched(b);
    net c; // exp(x) also an output
    const auto e = c.op(ops::Exp{}, {c.x}, "exp");
    c.result(c.op(ops::Log{}, {c.op(ops::Add{}, {e, c.c(1)}, "p")}, "l"));
    c.g.add(ops::Result{}, {e}, "exp_out");
    expect_untouched(c);
  }
}

// ---- NormalizeL2 ---------------------------------------------------------------------------

const ops::NormalizeL2& normalize_of(const graph& g, std::vector<std::int64_t>* axes = nullptr) {
  for (node_id n : g.nodes())
    if (const auto* p = g.node(n).op.get_if<ops::NormalizeL2>()) {
      if (axes) *axes = g.info(g.node(n).inputs[1]).value->as_i64();
      return *p;
    }
  throw error("no NormalizeL2");
}

TEST_CASE("op fusion: NormalizeL2") {
  std::vector<std::int64_t> axes;
  SUBCASE("x / sqrt(max(ReduceSum(x^2, -1), eps))") {
    net t;
    const auto m = t.op(ops::Maximum{}, {sum_of_squares(t, true, {-1}), t.c(1e-12)}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Sqrt{}, {m}, "norm")}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
    const auto& n = normalize_of(t.g, &axes);
    CHECK(n.eps_mode == ops::eps_mode::max);
    CHECK(n.eps == doctest::Approx(1e-12));
    CHECK(axes == std::vector<std::int64_t>{2});
  }
  SUBCASE("x / sqrt(eps + ReduceSum(x * x, [1, 2]))") {
    net t;
    const auto a = t.op(ops::Add{}, {t.c(1e-6), sum_of_squares(t, false, {1, 2})}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Sqrt{}, {a}, "norm")}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
    const auto& n = normalize_of(t.g, &axes);
    CHECK(n.eps_mode == ops::eps_mode::add);
    CHECK(n.eps == doctest::Approx(1e-6));
    CHECK(axes == std::vector<std::int64_t>{1, 2});
  }
  SUBCASE("x / Power(max(...), 0.5)") {
    net t;
    const auto m = t.op(ops::Maximum{}, {sum_of_squares(t, true, {1}), t.c(1e-10)}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Power{}, {m, t.c(0.5)}, "norm")}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
  }
  SUBCASE("x * Power(ReduceSum + eps, -0.5)") {
    net t;
    const auto a = t.op(ops::Add{}, {sum_of_squares(t, false, {-1}), t.c(1e-6)}, "with_eps");
    t.result(t.op(ops::Multiply{}, {t.x, t.op(ops::Power{}, {a, t.c(-0.5)}, "inv_norm")}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
    CHECK(normalize_of(t.g).eps_mode == ops::eps_mode::add);
  }
  SUBCASE("(1 / sqrt(max(...))) * x") {
    net t;
    const auto m = t.op(ops::Maximum{}, {sum_of_squares(t, true, {0, 2}), t.c(1e-12)}, "with_eps");
    const auto inv = t.op(ops::Divide{}, {t.c(1), t.op(ops::Sqrt{}, {m}, "norm")}, "inv_norm");
    t.result(t.op(ops::Multiply{}, {inv, t.x}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
  }
  SUBCASE("x / Expand(Clip(ReduceL2(x, 1), min=eps), shape)  (PyTorch F.normalize)") {
    net t;
    const auto l2 = t.op(ops::ReduceL2(true), {t.x, t.axes({1})}, "l2");
    const auto clip = t.op(ops::Clamp(1e-12, float_max), {l2}, "clip");
    const output_ref target{t.g.add(ops::Constant(tensor::from_values<std::int64_t>({3}, {2, 3, 4})), {}, "target"), 0};
    const auto expand = t.op(ops::Broadcast(ops::broadcast_mode::bidirectional), {clip, target}, "expand");
    t.result(t.op(ops::Divide{}, {t.x, expand}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
    const auto& n = normalize_of(t.g, &axes);
    CHECK(n.eps_mode == ops::eps_mode::max);
    CHECK(n.eps == doctest::Approx(1e-24));
    CHECK(axes == std::vector<std::int64_t>{1});
  }
  SUBCASE("x / Maximum(ReduceL2(x, -1), eps)") {
    net t;
    const auto l2 = t.op(ops::ReduceL2(true), {t.x, t.axes({-1})}, "l2");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Maximum{}, {l2, t.c(0.5)}, "clip")}, "l2norm"));
    expect_fused(t, "NormalizeL2", "l2norm");
    CHECK(normalize_of(t.g).eps == doctest::Approx(0.25));
  }
}

TEST_CASE("op fusion: NormalizeL2 near misses are left alone") {
  SUBCASE("ReduceSum without keep_dims") {
    net t({3, 3});
    const auto m = t.op(ops::Maximum{}, {sum_of_squares(t, true, {1}, false), t.c(1e-12)}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Sqrt{}, {m}, "norm")}, "l2norm"));
    expect_untouched(t);
  }
  SUBCASE("x^3 instead of x^2") {
    net t;
    const auto sq = t.op(ops::Power{}, {t.x, t.c(3)}, "cube");
    const auto s = t.op(ops::ReduceSum(true), {sq, t.axes({1})}, "sum");
    const auto m = t.op(ops::Maximum{}, {s, t.c(1e-12)}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Sqrt{}, {m}, "norm")}, "l2norm"));
    expect_untouched(t);
  }
  SUBCASE("the norm of another tensor") {
    net t;
    const auto y = t.param("other", {2, 3, 4});
    const auto sq = t.op(ops::Multiply{}, {y, y}, "square");
    const auto s = t.op(ops::ReduceSum(true), {sq, t.axes({1})}, "sum");
    const auto m = t.op(ops::Maximum{}, {s, t.c(1e-12)}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Sqrt{}, {m}, "norm")}, "l2norm"));
    expect_untouched(t);
  }
  SUBCASE("the sum of squares is also an output") {
    net t;
    const auto s = sum_of_squares(t, true, {1});
    const auto m = t.op(ops::Maximum{}, {s, t.c(1e-12)}, "with_eps");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Sqrt{}, {m}, "norm")}, "l2norm"));
    t.g.add(ops::Result{}, {s}, "energy");
    expect_untouched(t);
  }
  SUBCASE("Clip with an upper bound") {
    net t;
    const auto l2 = t.op(ops::ReduceL2(true), {t.x, t.axes({1})}, "l2");
    t.result(t.op(ops::Divide{}, {t.x, t.op(ops::Clamp(1e-12, 10), {l2}, "clip")}, "l2norm"));
    expect_untouched(t);
  }
}

// ---- MVN -------------------------------------------------------------------------------------

const ops::MVN& mvn_of(const graph& g, std::vector<std::int64_t>* axes = nullptr) {
  for (node_id n : g.nodes())
    if (const auto* p = g.node(n).op.get_if<ops::MVN>()) {
      if (axes) *axes = g.info(g.node(n).inputs[1]).value->as_i64();
      return *p;
    }
  throw error("no MVN");
}

TEST_CASE("op fusion: MVN") {
  std::vector<std::int64_t> axes;
  SUBCASE("PyTorch LayerNorm: (x - mean) / sqrt(mean((x - mean)^2) + eps) * gamma + beta") {
    net t;
    const auto d = centered(t, {-1});
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Power{}, {d, t.c(2)}, "pow"), t.axes({-1})}, "var");
    const auto std_ = t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "var_eps")}, "std");
    const auto n = t.op(ops::Divide{}, {d, std_}, "normalized");
    const output_ref gamma{t.g.add(ops::Constant(tensor::from_values<float>({4}, {1.f, -2.f, 0.5f, 3.f})), {}, "gamma"),
                           0};
    const output_ref beta{t.g.add(ops::Constant(tensor::from_values<float>({4}, {0.f, 1.f, -1.f, 2.f})), {}, "beta"),
                          0};
    t.result(t.keep(ops::Add{}, {t.keep(ops::Multiply{}, {n, gamma}, "scaled"), beta}, "biased"));
    expect_fused(t, "MVN", "normalized", {{"Multiply", 1}, {"Add", 1}});
    const auto& m = mvn_of(t.g, &axes);
    CHECK(m.normalize_variance);
    CHECK(m.eps == doctest::Approx(1e-5));
    CHECK(m.eps_mode == ops::mvn_eps_mode::inside_sqrt);
    CHECK(axes == std::vector<std::int64_t>{2});
  }
  SUBCASE("two x - mean nodes, SquaredDifference, eps outside the sqrt") {
    net t;
    const auto d = centered(t, {1, 2});
    const auto mean2 = t.op(ops::ReduceMean(true), {t.x, t.axes({2, 1})}, "mean2");
    const auto var =
        t.op(ops::ReduceMean(true), {t.op(ops::SquaredDifference{}, {mean2, t.x}, "sqdiff"), t.axes({-2, -1})}, "var");
    const auto std_ = t.op(ops::Add{}, {t.op(ops::Sqrt{}, {var}, "std"), t.c(1e-3)}, "std_eps");
    t.result(t.op(ops::Divide{}, {d, std_}, "mvn"));
    expect_fused(t, "MVN", "mvn");
    const auto& m = mvn_of(t.g, &axes);
    CHECK(m.eps_mode == ops::mvn_eps_mode::outside_sqrt);
    CHECK(m.eps == doctest::Approx(1e-3));
    CHECK(axes == std::vector<std::int64_t>{1, 2});
  }
  SUBCASE("d * d, Power(var + eps, 0.5)") {
    net t;
    const auto d = centered(t, {2});
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {d, d}, "sq"), t.axes({2})}, "var");
    const auto std_ = t.op(ops::Power{}, {t.op(ops::Add{}, {t.c(1e-6), var}, "var_eps"), t.c(0.5)}, "std");
    t.result(t.op(ops::Divide{}, {d, std_}, "mvn"));
    expect_fused(t, "MVN", "mvn");
    CHECK(mvn_of(t.g).eps_mode == ops::mvn_eps_mode::inside_sqrt);
  }
  SUBCASE("d * Power(var + eps, -0.5)") {
    net t;
    const auto d = centered(t, {-1});
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {d, d}, "sq"), t.axes({-1})}, "var");
    const auto inv = t.op(ops::Power{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "var_eps"), t.c(-0.5)}, "inv_std");
    t.result(t.op(ops::Multiply{}, {d, inv}, "mvn"));
    expect_fused(t, "MVN", "mvn");
  }
  SUBCASE("(1 / (sqrt(var) + eps)) * d  (Reciprocal)") {
    net t;
    const auto d = centered(t, {-1});
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Power{}, {d, t.c(2)}, "sq"), t.axes({-1})}, "var");
    const auto std_ = t.op(ops::Add{}, {t.op(ops::Power{}, {var, t.c(0.5)}, "std"), t.c(1e-4)}, "std_eps");
    const auto inv = t.op(ops::Divide{}, {t.c(1), std_}, "inv_std");
    t.result(t.op(ops::Multiply{}, {inv, d}, "mvn"));
    expect_fused(t, "MVN", "mvn");
    CHECK(mvn_of(t.g).eps_mode == ops::mvn_eps_mode::outside_sqrt);
  }
  SUBCASE("ONNX MeanVarianceNormalization body: var = mean(x^2) - mean(x)^2") {
    net t({2, 3, 2, 2});
    const auto mean = t.op(ops::ReduceMean(true), {t.x, t.axes({0, 2, 3})}, "mean");
    const auto sq_of_mean = t.op(ops::Power{}, {mean, t.c(2)}, "sq_of_mean");
    const auto mean_of_sq =
        t.op(ops::ReduceMean(true), {t.op(ops::Power{}, {t.x, t.c(2)}, "x_sq"), t.axes({0, 2, 3})}, "mean_of_sq");
    const auto var = t.op(ops::Subtract{}, {mean_of_sq, sq_of_mean}, "var");
    const auto std_ = t.op(ops::Add{}, {t.op(ops::Sqrt{}, {var}, "std"), t.c(1e-9)}, "std_eps");
    t.result(t.op(ops::Divide{}, {t.op(ops::Subtract{}, {t.x, mean}, "sub"), std_}, "mvn"));
    expect_fused(t, "MVN", "mvn");
    const auto& m = mvn_of(t.g, &axes);
    CHECK(m.eps_mode == ops::mvn_eps_mode::outside_sqrt);
    CHECK(axes == std::vector<std::int64_t>{0, 2, 3});
  }
  SUBCASE("ONNX LayerNormalization body: x*x, mean*mean, eps inside") {
    net t({4, 6});
    const auto mean = t.op(ops::ReduceMean(true), {t.x, t.axes({1})}, "mean");
    const auto sq_of_mean = t.op(ops::Multiply{}, {mean, mean}, "sq_of_mean");
    const auto mean_of_sq =
        t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {t.x, t.x}, "x_sq"), t.axes({1})}, "mean_of_sq");
    const auto var = t.op(ops::Subtract{}, {mean_of_sq, sq_of_mean}, "var");
    const auto std_ = t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "var_eps")}, "std");
    t.result(t.op(ops::Divide{}, {t.op(ops::Subtract{}, {t.x, mean}, "sub"), std_}, "mvn"));
    expect_fused(t, "MVN", "mvn");
    CHECK(mvn_of(t.g).eps_mode == ops::mvn_eps_mode::inside_sqrt);
  }
}

TEST_CASE("op fusion: MVN near misses are left alone") {
  SUBCASE("variance over other axes than the mean") {
    net t;
    const auto d = centered(t, {-1});
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {d, d}, "sq"), t.axes({1, 2})}, "var");
    t.result(t.op(ops::Divide{}, {d, t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "ve")}, "std")}, "mvn"));
    expect_untouched(t);
  }
  SUBCASE("the mean is also an output (LayerNormalization with its statistics)") {
    net t;
    const auto mean = t.op(ops::ReduceMean(true), {t.x, t.axes({-1})}, "mean");
    const auto d = t.op(ops::Subtract{}, {t.x, mean}, "sub");
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {d, d}, "sq"), t.axes({-1})}, "var");
    t.result(t.op(ops::Divide{}, {d, t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "ve")}, "std")}, "mvn"));
    t.g.add(ops::Result{}, {mean}, "mean_out");
    expect_untouched(t);
  }
  SUBCASE("x - mean also feeds something else") {
    net t;
    const auto d = centered(t, {-1});
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {d, d}, "sq"), t.axes({-1})}, "var");
    t.result(t.op(ops::Divide{}, {d, t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "ve")}, "std")}, "mvn"));
    const output_ref relu{t.g.add(ops::Relu{}, {d}, "relu"), 0};
    t.g.add(ops::Result{}, {relu}, "relu_out");
    expect_untouched(t);
  }
  SUBCASE("the variance of another tensor") {
    net t;
    const auto y = t.param("other", {2, 3, 4});
    const auto d = centered(t, {-1});
    const auto my = t.op(ops::ReduceMean(true), {y, t.axes({-1})}, "mean_y");
    const auto dy = t.op(ops::Subtract{}, {y, my}, "sub_y");
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {dy, dy}, "sq"), t.axes({-1})}, "var");
    t.result(t.op(ops::Divide{}, {d, t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "ve")}, "std")}, "mvn"));
    expect_untouched(t);
  }
  SUBCASE("Power 3 instead of 2, and -0.4 instead of -0.5") {
    net a;
    const auto d = centered(a, {-1});
    const auto var = a.op(ops::ReduceMean(true), {a.op(ops::Power{}, {d, a.c(3)}, "sq"), a.axes({-1})}, "var");
    a.result(a.op(ops::Divide{}, {d, a.op(ops::Sqrt{}, {a.op(ops::Add{}, {var, a.c(1e-5)}, "ve")}, "std")}, "mvn"));
    expect_untouched(a);
    net b;
    const auto db = centered(b, {-1});
    const auto varb = b.op(ops::ReduceMean(true), {b.op(ops::Multiply{}, {db, db}, "sq"), b.axes({-1})}, "var");
    const auto inv = b.op(ops::Power{}, {b.op(ops::Add{}, {varb, b.c(1e-5)}, "ve"), b.c(-0.4)}, "inv_std");
    b.result(b.op(ops::Multiply{}, {db, inv}, "mvn"));
    expect_untouched(b);
  }
  SUBCASE("a mean without keep_dims") {
    net t({3, 3});
    const auto mean = t.op(ops::ReduceMean(false), {t.x, t.axes({0})}, "mean");
    const auto d = t.op(ops::Subtract{}, {t.x, mean}, "sub");
    const auto var = t.op(ops::ReduceMean(true), {t.op(ops::Multiply{}, {d, d}, "sq"), t.axes({0})}, "var");
    t.result(t.op(ops::Divide{}, {d, t.op(ops::Sqrt{}, {t.op(ops::Add{}, {var, t.c(1e-5)}, "ve")}, "std")}, "mvn"));
    expect_untouched(t);
  }
}

// ---- helpers -------------------------------------------------------------------------------

TEST_CASE("op fusion: constants are compared with the tolerance of their type") {
  using passes::fusion::close_to;
  CHECK(close_to(1.4142135, std::sqrt(2.0), element_type::f32));
  CHECK(close_to(0.7978846, std::sqrt(2 / 3.14159265358979), element_type::f32));
  CHECK_FALSE(close_to(0.6, 0.5, element_type::f32));
  CHECK_FALSE(close_to(0.7075, 0.70710678, element_type::f32));
  CHECK(close_to(0.70703125, 0.70710678, element_type::f16)); // 1/sqrt(2) rounded to f16
  CHECK_FALSE(close_to(0.70703125, 0.70710678, element_type::f32));
  CHECK(close_to(0.0, 0.0, element_type::f32));
  CHECK_FALSE(close_to(1e-3, 0.0, element_type::f32));
  CHECK_FALSE(close_to(std::nan(""), 0.5, element_type::f32));
  CHECK(passes::fusion::uniform_value(tensor::from_values<float>({2, 2}, {3, 3, 3, 3})) == 3.0);
  CHECK_FALSE(passes::fusion::uniform_value(tensor::from_values<float>({2}, {3, 4})));
  CHECK_FALSE(passes::fusion::uniform_value(tensor::from_values<float>({0}, {})));
}

TEST_CASE("op fusion: the pass reports per rule and rules can be switched off") {
  net t;
  const auto hs = t.op(ops::Divide{}, {relu6(t, relu6_form::clamp), t.c(6)}, "div6");
  t.result(t.op(ops::Multiply{}, {t.x, hs}, "hswish"));
  const auto report = passes::op_fusion.run(t.g);
  CHECK(report.name == "OpFusion");
  std::map<std::string, std::size_t> fired;
  for (const auto& [rule, count] : report.rules)
    if (count) fired[rule] = count;
  CHECK(fired == std::map<std::string, std::size_t>{{"HSigmoidFusionDivide", 1}, {"HSwishFusionWithHSigmoid", 1}});
  // The HSigmoid keeps its source names, and the HSwish collects them.
  net u;
  const auto hs2 = u.op(ops::Divide{}, {relu6(u, relu6_form::clamp), u.c(6)}, "div6");
  u.result(u.op(ops::Multiply{}, {u.x, hs2}, "hswish"));
  CHECK(passes::op_fusion.run(u.g, {.disabled = {"HSwishFusionWithHSigmoid"}}).changes == 1);
  CHECK(op_counts(u.g) == std::map<std::string, int>{{"HSigmoid", 1}, {"Multiply", 1}});
}

// ---- models --------------------------------------------------------------------------------

namespace {
/// Converts, folds constants and removes no-ops, as the standard pipeline does before fusing.
graph prepared(const fs::path& model) {
  graph g = onnx::load(model.string());
  passes::constant_folding.run(g);
  passes::nop_elimination.run(g);
  return g;
}
} // namespace

TEST_CASE("op fusion: ONNX corpus models evaluate the same before and after the pass" * doctest::test_suite("corpus")) {
  const fs::path root = fs::path(IRFORGE_SOURCE_DIR) / ".." / "shared" / "corpus" / "onnx";
  if (!fs::exists(root)) {
    MESSAGE("skipped: " << root.string() << " is absent");
    return;
  }
  std::vector<fs::path> models;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().extension() == ".onnx") models.push_back(e.path());
  std::sort(models.begin(), models.end());
  std::size_t converted = 0, evaluated = 0, fused = 0, with_candidates = 0;
  for (const auto& path : models) {
    graph g;
    try {
      g = prepared(path);
    } catch (const error&) {
      continue; // unsupported ops: the converter's tests account for these
    }
    ++converted;
    // Ops a fusion starts from: a rule may look at them and must decline.
    const auto counts = op_counts(g);
    for (const char* t : {"Sigmoid", "Tanh", "Erf", "Exp", "Log", "ReduceMean", "ReduceSum", "ReduceL2", "HardSigmoid",
                          "Clamp", "Sqrt", "Power"})
      if (counts.count(t)) {
        ++with_candidates;
        break;
      }
    std::vector<tensor> inputs, before;
    bool can_evaluate = true;
    try {
      inputs = reference::gather_inputs(g, {}, 42);
      before = reference::evaluate(g, inputs);
    } catch (const std::exception&) {
      can_evaluate = false;
    }
    const auto report = passes::op_fusion.run(g);
    fused += report.changes;
    // No model of this corpus holds a decomposed activation or normalization
    // (test_GLU's a * Sigmoid(b) has two different tensors).
    CHECK_MESSAGE(report.changes == 0, path.string());
    CHECK_MESSAGE(op_counts(g) == counts, path.string());
    if (!can_evaluate) continue;
    ++evaluated;
    const auto after = reference::evaluate(g, inputs);
    REQUIRE(after.size() == before.size());
    for (std::size_t k = 0; k < after.size(); ++k)
      CHECK_MESSAGE(reference::compare(after[k], before[k], 1e-5, 1e-6).ok(), path.string() << " output " << k);
  }
  MESSAGE("op fusion on the ONNX corpus: " << models.size() << " models, " << converted << " converted, "
                                           << with_candidates << " with ops a fusion starts from, " << evaluated
                                           << " evaluated before and after, " << fused << " fusions");
  CHECK(converted > 100);
}

TEST_CASE("op fusion: ONNX function bodies (backend *_expanded tests) fuse and keep the expected outputs" *
          doctest::test_suite("backend")) {
  const auto root = test::onnx_backend_dir() / "node";
  if (!fs::exists(root)) {
    MESSAGE("skipped: " << root.string() << " is absent (apt-get install libonnx-testdata)");
    return;
  }
  struct expectation {
    std::string op;  // the fused op
    bool only_first; // keep the first output only (LayerNormalization's Mean and InvStdDev are outputs too)
  };
  std::map<std::string, expectation> cases = {{"test_hardswish_expanded", {"HSwish", false}},
                                              {"test_mvn_expanded", {"MVN", false}}};
  for (const auto& e : fs::directory_iterator(root)) {
    const auto name = e.path().filename().string();
    if (name.rfind("test_layer_normalization_", 0) == 0 && name.ends_with("_expanded")) cases[name] = {"MVN", true};
  }
  std::size_t checked = 0, fusions = 0, declined = 0;
  for (const auto& entry : cases) {
    const std::string& name = entry.first; // (not a structured binding: clang 14 cannot capture those)
    const expectation& want = entry.second;
    const auto dir = root / name;
    if (!fs::exists(dir / "model.onnx")) continue;
    graph g = prepared(dir / "model.onnx");
    std::vector<tensor> inputs;
    for (std::size_t k = 0; k < g.parameters().size(); ++k)
      inputs.push_back(
          onnx::read_tensor_file((dir / "test_data_set_0" / ("input_" + std::to_string(k) + ".pb")).string()));
    const tensor expected = onnx::read_tensor_file((dir / "test_data_set_0" / "output_0.pb").string());
    if (want.only_first) {
      // With every output kept, the statistics are read outside the pattern: nothing fuses.
      graph all = prepared(dir / "model.onnx");
      const auto before_all = reference::evaluate(all, inputs);
      CHECK_MESSAGE(passes::op_fusion.run(all).changes == 0, name);
      const auto after_all = reference::evaluate(all, inputs);
      for (std::size_t k = 0; k < after_all.size(); ++k)
        CHECK(reference::compare(after_all[k], before_all[k], 0, 0).ok());
      ++declined;
      const auto results = g.results();
      for (std::size_t k = 1; k < results.size(); ++k) g.remove(results[k]);
      passes::eliminate_dead_code(g);
    }
    const auto before = reference::evaluate(g, inputs);
    const auto report = passes::op_fusion.run(g);
    fusions += report.changes;
    CHECK_MESSAGE(report.changes >= 1, name);
    CHECK_MESSAGE(op_counts(g).count(want.op) == 1, name);
    const auto after = reference::evaluate(g, inputs);
    const auto same = reference::compare(after[0], before[0], 1e-5, 1e-6);
    CHECK_MESSAGE(same.ok(), name << ": " << same.describe());
    const auto reference_output = reference::compare(after[0], expected, 1e-3, 1e-7); // the suite's tolerance
    CHECK_MESSAGE(reference_output.ok(), name << ": " << reference_output.describe());
    ++checked;
  }
  MESSAGE("op fusion on ONNX function bodies: " << checked << " models fused (" << fusions << " rewrites), " << declined
                                                << " declined while their statistics were outputs");
  CHECK(checked >= 2);
}

} // namespace test_op_fusions_tests
