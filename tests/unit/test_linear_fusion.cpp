// The LinearFusion pass (passes/linear_fusion.hpp): BatchNormInference,
// Multiply and Add fold into the weights of the Convolution-like op or MatMul
// before them, preprocessing (per-channel scale, shift, channel permutation)
// folds into the Convolution after it. Every graph evaluates to the same
// outputs before and after (reference evaluator), the conv keeps its name and
// records the fused layers, and every near miss leaves the graph as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "irforge/core/half.hpp"
#include "irforge/ops/standard.hpp"
#include "irforge/passes/dead_code_elimination.hpp"
#include "irforge/passes/linear_fusion.hpp"
#include "irforge/passes/standard.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "support/checks.hpp"

using namespace irforge;

namespace test_linear_fusion_tests { // unity-build scope

namespace {

constexpr double eps = 1e-5;

/// A graph under construction. Every op carries its own name as source name,
/// as the frontends do; constants are deterministic pseudo-random.
struct net {
  graph g;
  std::mt19937 rng;
  int constants = 0;

  explicit net(unsigned seed = 1234) : rng(seed) {}

  output_ref param(const std::string& name, partial_shape s, element_type t = element_type::f32) {
    const node_id p = g.add(ops::Parameter{std::move(s), t}, {}, name);
    g.node(p).source_names = {name};
    return {p, 0};
  }
  /// A Const of `values` (as f32, or f16 when `t` says so).
  output_ref c(const std::vector<float>& values, shape dims, element_type t = element_type::f32) {
    tensor v = tensor::from_values<float>(dims, values);
    if (t == element_type::f16) {
      std::vector<std::uint16_t> bits;
      for (float f : values) bits.push_back(f32_to_f16_bits(f));
      v = tensor::from_values<std::uint16_t>(dims, bits).reinterpreted(element_type::f16);
    }
    const std::string name = "c" + std::to_string(constants++);
    const node_id n = g.add(ops::Constant(std::move(v)), {}, name);
    g.node(n).source_names = {name};
    return {n, 0};
  }
  std::vector<float> uniform(std::size_t n, float lo, float hi) {
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = dist(rng);
    return v;
  }
  output_ref random(shape dims, float lo, float hi, element_type t = element_type::f32) {
    return c(uniform(static_cast<std::size_t>(element_count(dims)), lo, hi), dims, t);
  }
  output_ref indices(std::vector<std::int64_t> v, shape dims) {
    const std::string name = "i" + std::to_string(constants++);
    return {g.add(ops::Constant(tensor::from_values<std::int64_t>(std::move(dims), v)), {}, name), 0};
  }
  template <class Op> output_ref op(Op o, std::vector<output_ref> in, const std::string& name) {
    const node_id n = g.add(std::move(o), std::move(in), name);
    g.node(n).source_names = {name};
    return {n, 0};
  }
  /// A model output; the first one's tensor is named "y".
  void result(output_ref r, const std::string& name = "out") {
    if (g.results().empty()) g.port(r).names = {"y"};
    const node_id n = g.add(ops::Result{}, {r}, name);
    g.node(n).source_names = {name};
  }
};

using irforge::test::op_counts;

int count_of(const graph& g, std::string_view type) {
  int k = 0;
  for (node_id n : g.nodes())
    if (g.node(n).op.type_name() == type) ++k;
  return k;
}

std::optional<node_id> named(const graph& g, const std::string& name) {
  for (node_id n : g.nodes())
    if (g.node(n).name == name) return n;
  return std::nullopt;
}

/// The only node of type `type`.
node_id only(const graph& g, std::string_view type) {
  std::optional<node_id> found;
  for (node_id n : g.nodes())
    if (g.node(n).op.type_name() == type) {
      if (found) throw error("more than one " + std::string(type));
      found = n;
    }
  if (!found) throw error("no " + std::string(type));
  return *found;
}

std::set<std::string> sources(const graph& g, node_id n) {
  const auto& s = g.node(n).source_names;
  return {s.begin(), s.end()};
}

/// "a, b, c" (doctest prints a std::set as {?}).
std::string joined(const std::set<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::vector<double> value_of(const graph& g, output_ref r) {
  const auto& v = g.info(r).value;
  REQUIRE(v);
  return v->as_f64();
}

/// Inputs in [-2, 2] (f32 or f16, as the parameter says).
std::vector<tensor> inputs_for(const graph& g) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-2.f, 2.f);
  std::vector<tensor> out;
  for (node_id p : g.parameters()) {
    const shape dims = g.info({p, 0}).shape.to_shape();
    std::vector<float> v(static_cast<std::size_t>(element_count(dims)));
    for (auto& x : v) x = dist(rng);
    if (g.info({p, 0}).type == element_type::f16) {
      std::vector<std::uint16_t> bits;
      for (float f : v) bits.push_back(f32_to_f16_bits(f));
      out.push_back(tensor::from_values<std::uint16_t>(dims, bits).reinterpreted(element_type::f16));
    } else {
      out.push_back(tensor::from_values<float>(dims, v));
    }
  }
  return out;
}

std::size_t fired(const passes::pass_report& r, std::string_view rule) {
  for (const auto& [name, count] : r.rules)
    if (name == rule) return count;
  FAIL("no rule " << rule);
  return 0;
}

/// Runs LinearFusion then DeadCodeElimination; the outputs must agree with
/// the graph's outputs before. atol: fused weights round w * s once where the
/// original rounds conv(x, w) then scales, so results that cancel to ~0 differ
/// by a few ulps of the summed magnitudes (~1e-6), where rtol alone is meaningless.
passes::pass_report fuse(net& t, double rtol = 1e-5, double atol = 1e-6) {
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto report = passes::linear_fusion.run(t.g);
  passes::dead_code_elimination.run(t.g);
  const auto after = reference::evaluate(t.g, in);
  REQUIRE(after.size() == before.size());
  for (std::size_t k = 0; k < after.size(); ++k) {
    const auto c = reference::compare(after[k], before[k], rtol, atol);
    CHECK_MESSAGE(c.ok(), "output " << k << ": " << c.describe());
  }
  return report;
}

/// LinearFusion declines: no rule fires, same nodes, bit-identical outputs.
void expect_untouched(net& t) {
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto nodes = t.g.nodes();
  const auto report = passes::linear_fusion.run(t.g);
  CHECK(report.changes == 0);
  CHECK(t.g.nodes() == nodes);
  const auto after = reference::evaluate(t.g, in);
  REQUIRE(after.size() == before.size());
  for (std::size_t k = 0; k < after.size(); ++k) CHECK(reference::compare(after[k], before[k], 0, 0).ok());
}

ops::Convolution conv2d(std::int64_t pad = 1) { return ops::Convolution({1, 1}, {1, 1}, {pad, pad}, {pad, pad}); }

/// x [2, 3, 5, 5] -> Convolution (3x3, pads 1, weights [4, 3, 3, 3]) named "conv".
output_ref conv_of_input(net& t, std::int64_t pad = 1, std::int64_t size = 5) {
  const output_ref x = t.param("x", {2, 3, size, size});
  return t.op(conv2d(pad), {x, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv");
}

/// BatchNorm parameters of `c` channels: gamma, beta, mean, variance (> 0).
struct bn_params {
  std::vector<float> gamma, beta, mean, var;
  bn_params(net& t, std::size_t c)
      : gamma(t.uniform(c, 0.5f, 1.5f)), beta(t.uniform(c, -1.f, 1.f)), mean(t.uniform(c, -1.f, 1.f)),
        var(t.uniform(c, 0.1f, 2.f)) {
    gamma[0] = -gamma[0]; // a negative scale too
  }
  [[nodiscard]] double scale(std::size_t i) const { return gamma[i] / std::sqrt(static_cast<double>(var[i]) + eps); }
  [[nodiscard]] double shift(std::size_t i) const { return beta[i] - mean[i] * scale(i); }
};

/// BatchNormInference-5 (or -1) of `x` with channels `c`, named "bn".
output_ref batch_norm(net& t, output_ref x, const bn_params& p, bool v1 = false, element_type type = element_type::f32) {
  const shape d{static_cast<std::int64_t>(p.gamma.size())};
  const output_ref gamma = t.c(p.gamma, d, type), beta = t.c(p.beta, d, type), mean = t.c(p.mean, d, type),
                   var = t.c(p.var, d, type);
  if (v1) return t.op(ops::v1::BatchNormInference(eps), {gamma, beta, x, mean, var}, "bn");
  return t.op(ops::BatchNormInference(eps), {x, gamma, beta, mean, var}, "bn");
}

/// After a BatchNorm folded into `producer` (named "conv"): the producer and one bias Add remain,
/// the Add's shift is per channel, the conv keeps its name and records the BatchNorm.
void expect_bn_folded(net& t, const std::string& producer_type, const bn_params& p, const shape& shift_dims) {
  CHECK(op_counts(t.g) == std::map<std::string, int>{{producer_type, 1}, {"Add", 1}});
  const node_id conv = only(t.g, producer_type);
  CHECK(t.g.node(conv).name == "conv");
  CHECK(sources(t.g, conv) == std::set<std::string>{"conv", "bn"});
  const node_id add = only(t.g, "Add");
  CHECK(t.g.node(add).inputs[0] == output_ref{conv, 0});
  CHECK(sources(t.g, add) == std::set<std::string>{"bn"});
  CHECK(t.g.port({add, 0}).names == std::vector<std::string>{"y"}); // the output keeps its name
  CHECK(t.g.info(t.g.node(add).inputs[1]).shape.to_shape() == shift_dims);
  const auto shift = value_of(t.g, t.g.node(add).inputs[1]);
  REQUIRE(shift.size() == p.gamma.size());
  for (std::size_t i = 0; i < shift.size(); ++i) CHECK(shift[i] == doctest::Approx(p.shift(i)).epsilon(1e-6));
  CHECK(count_of(t.g, "Const") == 2); // new weights and the shift; the old ones are gone after DCE
}

} // namespace

// ---- BatchNormInference ------------------------------------------------------------------------

TEST_CASE("LinearFusion: BatchNormInference-5 after Convolution folds into the weights, the shift stays as an Add") {
  net t;
  const output_ref conv = conv_of_input(t);
  const auto old_w = value_of(t.g, t.g.node(conv.node).inputs[1]);
  const bn_params p(t, 4);
  t.result(batch_norm(t, conv, p));
  const auto report = fuse(t);
  CHECK(fired(report, "BatchNormDecomposition") == 1);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  CHECK(fired(report, "BatchNormDecompositionV1") == 0);
  expect_bn_folded(t, "Convolution", p, {1, 4, 1, 1});
  CHECK(count_of(t.g, "BatchNormInference") == 0);
  CHECK(count_of(t.g, "Multiply") == 0);
  // The new weights are w[o] * gamma[o] / sqrt(var[o] + eps), same shape and type.
  const node_id c = only(t.g, "Convolution");
  const output_ref w = t.g.node(c).inputs[1];
  CHECK(t.g.info(w).shape.to_shape() == shape{4, 3, 3, 3});
  CHECK(t.g.info(w).type == element_type::f32);
  const auto new_w = value_of(t.g, w);
  REQUIRE(new_w.size() == old_w.size());
  for (std::size_t i = 0; i < new_w.size(); ++i)
    CHECK(new_w[i] == doctest::Approx(old_w[i] * p.scale(i / 27)).epsilon(1e-6));
  CHECK(t.g.info({c, 0}).shape.to_shape() == shape{2, 4, 5, 5});
}

TEST_CASE("LinearFusion: BatchNormInference-1 (gamma, beta, data, mean, variance) after Convolution folds too") {
  net t;
  const output_ref conv = conv_of_input(t);
  const bn_params p(t, 4);
  t.result(batch_norm(t, conv, p, true));
  const auto report = fuse(t);
  CHECK(fired(report, "BatchNormDecompositionV1") == 1);
  CHECK(fired(report, "BatchNormDecomposition") == 0);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  expect_bn_folded(t, "Convolution", p, {1, 4, 1, 1});
}

TEST_CASE("LinearFusion: a BatchNorm with nothing to fold into becomes Multiply + Add") {
  net t;
  const output_ref x = t.param("x", {2, 4, 3, 3});
  const bn_params p(t, 4);
  t.result(batch_norm(t, x, p));
  const auto report = fuse(t);
  CHECK(fired(report, "BatchNormDecomposition") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Multiply", 1}, {"Add", 1}});
  const node_id mul = only(t.g, "Multiply");
  CHECK(t.g.node(mul).inputs[0] == x);
  const auto scale = value_of(t.g, t.g.node(mul).inputs[1]);
  REQUIRE(scale.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(scale[i] == doctest::Approx(p.scale(i)).epsilon(1e-6));
  CHECK(sources(t.g, mul) == std::set<std::string>{"bn"});
  CHECK(t.g.port({only(t.g, "Add"), 0}).names == std::vector<std::string>{"y"});
}

TEST_CASE("LinearFusion: BatchNorm after GroupConvolution folds per group and output channel") {
  net t;
  const output_ref x = t.param("x", {2, 4, 5, 5});
  // 2 groups of 2 input and 3 output channels: weights [2, 3, 2, 3, 3], 6 output channels.
  const output_ref conv = t.op(ops::GroupConvolution({1, 1}, {1, 1}, {1, 1}, {1, 1}),
                               {x, t.random({2, 3, 2, 3, 3}, -0.5f, 0.5f)}, "conv");
  const auto old_w = value_of(t.g, t.g.node(conv.node).inputs[1]);
  const bn_params p(t, 6);
  t.result(batch_norm(t, conv, p));
  const auto report = fuse(t);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  expect_bn_folded(t, "GroupConvolution", p, {1, 6, 1, 1});
  const node_id c = only(t.g, "GroupConvolution");
  CHECK(t.g.info(t.g.node(c).inputs[1]).shape.to_shape() == shape{2, 3, 2, 3, 3});
  const auto new_w = value_of(t.g, t.g.node(c).inputs[1]);
  for (std::size_t i = 0; i < new_w.size(); ++i) // output channel g * 3 + o: 18 weights each
    CHECK(new_w[i] == doctest::Approx(old_w[i] * p.scale(i / 18)).epsilon(1e-6));
}

TEST_CASE("LinearFusion: BatchNorm after ConvolutionBackpropData scales weight axis 1") {
  net t;
  const output_ref x = t.param("x", {2, 3, 4, 4});
  ops::ConvolutionBackpropData op;
  op.strides = {2, 2};
  op.dilations = {1, 1};
  op.pads_begin = {1, 1};
  op.pads_end = {1, 1};
  op.output_padding = {1, 1};
  const output_ref conv = t.op(op, {x, t.random({3, 4, 3, 3}, -0.5f, 0.5f)}, "conv"); // [I, O, k, k]
  CHECK(t.g.info(conv).shape.to_shape() == shape{2, 4, 8, 8});
  const auto old_w = value_of(t.g, t.g.node(conv.node).inputs[1]);
  const bn_params p(t, 4);
  t.result(batch_norm(t, conv, p));
  const auto report = fuse(t);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  expect_bn_folded(t, "ConvolutionBackpropData", p, {1, 4, 1, 1});
  const auto new_w = value_of(t.g, t.g.node(only(t.g, "ConvolutionBackpropData")).inputs[1]);
  for (std::size_t i = 0; i < new_w.size(); ++i) // output channel (i / 9) % 4
    CHECK(new_w[i] == doctest::Approx(old_w[i] * p.scale((i / 9) % 4)).epsilon(1e-6));
}

TEST_CASE("LinearFusion: BatchNorm after GroupConvolutionBackpropData folds") {
  net t;
  const output_ref x = t.param("x", {2, 4, 4, 4});
  ops::GroupConvolutionBackpropData op;
  op.strides = {1, 1};
  op.dilations = {1, 1};
  op.pads_begin = {0, 0};
  op.pads_end = {0, 0};
  op.output_padding = {0, 0};
  // 2 groups, 2 input and 3 output channels each: weights [2, 2, 3, 3, 3], 6 output channels.
  const output_ref conv = t.op(op, {x, t.random({2, 2, 3, 3, 3}, -0.5f, 0.5f)}, "conv");
  CHECK(t.g.info(conv).shape.to_shape() == shape{2, 6, 6, 6});
  const bn_params p(t, 6);
  t.result(batch_norm(t, conv, p));
  const auto report = fuse(t);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  expect_bn_folded(t, "GroupConvolutionBackpropData", p, {1, 6, 1, 1});
}

TEST_CASE("LinearFusion: BatchNorm after a 2-D MatMul folds into B, with and without transpose_b") {
  for (const bool transpose_b : {false, true}) {
    CAPTURE(transpose_b);
    net t;
    const output_ref x = t.param("x", {6, 5});
    const shape bd = transpose_b ? shape{4, 5} : shape{5, 4};
    const output_ref mm = t.op(ops::MatMul(false, transpose_b), {x, t.random(bd, -0.5f, 0.5f)}, "conv");
    const auto old_w = value_of(t.g, t.g.node(mm.node).inputs[1]);
    const bn_params p(t, 4);
    t.result(batch_norm(t, mm, p));
    const auto report = fuse(t);
    CHECK(fired(report, "MultiplyIntoWeights") == 1);
    expect_bn_folded(t, "MatMul", p, {1, 4});
    const output_ref w = t.g.node(only(t.g, "MatMul")).inputs[1];
    CHECK(t.g.info(w).shape.to_shape() == bd);
    const auto new_w = value_of(t.g, w);
    for (std::size_t i = 0; i < new_w.size(); ++i)
      CHECK(new_w[i] == doctest::Approx(old_w[i] * p.scale(transpose_b ? i / 5 : i % 4)).epsilon(1e-6));
  }
}

TEST_CASE("LinearFusion: BatchNorm over axis 1 of a 3-D MatMul does not fold (its channel is the last axis)") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5});
  const output_ref mm = t.op(ops::MatMul{}, {x, t.random({5, 4}, -0.5f, 0.5f)}, "conv"); // [2, 3, 4]
  const auto old_w = value_of(t.g, t.g.node(mm.node).inputs[1]);
  const bn_params p(t, 3);
  t.result(batch_norm(t, mm, p));
  const auto report = fuse(t);
  CHECK(fired(report, "BatchNormDecomposition") == 1);
  CHECK(fired(report, "MultiplyIntoWeights") == 0);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"MatMul", 1}, {"Multiply", 1}, {"Add", 1}});
  CHECK(value_of(t.g, t.g.node(only(t.g, "MatMul")).inputs[1]) == old_w);
}

TEST_CASE("LinearFusion: BatchNorm on f16 folds through a converted scale") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5, 5}, element_type::f16);
  const output_ref conv =
      t.op(conv2d(), {x, t.random({4, 3, 3, 3}, -0.5f, 0.5f, element_type::f16)}, "conv");
  const bn_params p(t, 4);
  t.result(batch_norm(t, conv, p, false, element_type::f16));
  // f16 keeps 11 bits: the fused weights are rounded once more than the original path (~5e-4 relative
  // per product over 27 products of |w x| <= 1), so the tolerance is that of f16 arithmetic.
  const auto report = fuse(t, 1e-2, 1e-2);
  CHECK(fired(report, "BatchNormDecomposition") == 1);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}}); // the Convert folded
  const node_id c = only(t.g, "Convolution");
  CHECK(t.g.info(t.g.node(c).inputs[1]).type == element_type::f16);
  const node_id add = only(t.g, "Add");
  CHECK(t.g.info(t.g.node(add).inputs[1]).type == element_type::f16);
  CHECK(t.g.info({add, 0}).type == element_type::f16);
  CHECK(sources(t.g, c) == std::set<std::string>{"conv", "bn"});
}

TEST_CASE("LinearFusion: without source names the conv records the BatchNorm's own name") {
  net t;
  const output_ref conv = conv_of_input(t);
  const bn_params p(t, 4);
  t.result(batch_norm(t, conv, p));
  for (node_id n : t.g.nodes()) t.g.node(n).source_names.clear(); // a graph built by hand
  fuse(t);
  const node_id c = only(t.g, "Convolution");
  // A node without source names stands for itself: the conv records "bn",
  // never "bn/mul", the made-up name of the Multiply the BatchNorm became.
  CHECK_MESSAGE(sources(t.g, c) == std::set<std::string>{"bn"}, "conv source names: " << joined(sources(t.g, c)));
}

TEST_CASE("LinearFusion: BatchNorm, Multiply and Add after a conv end as one conv and one Add") {
  net t;
  const output_ref conv = conv_of_input(t);
  const bn_params p(t, 4);
  const output_ref bn = batch_norm(t, conv, p);
  const output_ref mul = t.op(ops::Multiply{}, {bn, t.random({1, 4, 1, 1}, 0.5f, 2.f)}, "mul");
  t.result(t.op(ops::Add{}, {mul, t.random({1, 4, 1, 1}, -1.f, 1.f)}, "add"));
  const auto report = fuse(t);
  CHECK(fired(report, "MultiplyThroughAdd") == 1);
  CHECK(fired(report, "MergeAdds") == 1);
  CHECK(fired(report, "MultiplyIntoWeights") + fired(report, "MergeMultiplies") == 2);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}});
  const node_id c = only(t.g, "Convolution");
  CHECK(t.g.node(c).name == "conv");
  CHECK(sources(t.g, c).count("bn") == 1);
  CHECK(sources(t.g, c).count("mul") == 1);
  CHECK(t.g.port({only(t.g, "Add"), 0}).names == std::vector<std::string>{"y"});
}

// ---- Multiply into the weights -----------------------------------------------------------------

TEST_CASE("LinearFusion: Multiply by a per-output-channel constant after Convolution folds") {
  struct form {
    shape dims;
    bool constant_first;
  };
  for (const form& f : {form{{1, 4, 1, 1}, false}, form{{1, 4, 1, 1}, true}, form{{4, 1, 1}, false}}) {
    CAPTURE(f.dims);
    CAPTURE(f.constant_first);
    net t;
    const output_ref conv = conv_of_input(t);
    const auto old_w = value_of(t.g, t.g.node(conv.node).inputs[1]);
    const auto s = t.uniform(4, -2.f, 2.f);
    const output_ref sc = t.c(s, f.dims);
    t.result(t.op(ops::Multiply{}, f.constant_first ? std::vector{sc, conv} : std::vector{conv, sc}, "scale"));
    const auto report = fuse(t);
    CHECK(report.changes == 1);
    CHECK(fired(report, "MultiplyIntoWeights") == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}});
    const node_id c = only(t.g, "Convolution");
    CHECK(t.g.node(c).name == "conv");
    CHECK(sources(t.g, c) == std::set<std::string>{"conv", "scale"});
    CHECK(t.g.port({c, 0}).names == std::vector<std::string>{"y"});
    CHECK(t.g.node(t.g.results()[0]).inputs[0] == output_ref{c, 0});
    const auto new_w = value_of(t.g, t.g.node(c).inputs[1]);
    for (std::size_t i = 0; i < new_w.size(); ++i)
      CHECK(new_w[i] == doctest::Approx(old_w[i] * s[i / 27]).epsilon(1e-6));
  }
}

TEST_CASE("LinearFusion: Multiply by a scalar folds into every weight") {
  for (const shape& dims : {shape{}, shape{1}, shape{1, 1, 1, 1}}) {
    CAPTURE(dims);
    net t;
    const output_ref conv = conv_of_input(t);
    const auto old_w = value_of(t.g, t.g.node(conv.node).inputs[1]);
    t.result(t.op(ops::Multiply{}, {conv, t.c({-1.75f}, dims)}, "scale"));
    const auto report = fuse(t);
    CHECK(fired(report, "MultiplyIntoWeights") == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}});
    const node_id c = only(t.g, "Convolution");
    CHECK(t.g.info(t.g.node(c).inputs[1]).shape.to_shape() == shape{4, 3, 3, 3});
    const auto new_w = value_of(t.g, t.g.node(c).inputs[1]);
    for (std::size_t i = 0; i < new_w.size(); ++i) CHECK(new_w[i] == doctest::Approx(old_w[i] * -1.75).epsilon(1e-6));
  }
}

TEST_CASE("LinearFusion: Multiply by a constant that varies along another axis does not fold") {
  SUBCASE("along W") {
    net t;
    t.result(t.op(ops::Multiply{}, {conv_of_input(t), t.random({1, 1, 1, 5}, -2.f, 2.f)}, "scale"));
    expect_untouched(t);
  }
  SUBCASE("rank 1 of the size of the channels, aligned with W") {
    net t; // output [2, 4, 4, 4]: a [4] constant broadcasts along W, not along the channels
    t.result(t.op(ops::Multiply{}, {conv_of_input(t, 1, 4), t.random({4}, -2.f, 2.f)}, "scale"));
    expect_untouched(t);
  }
  SUBCASE("per channel and per batch") {
    net t;
    t.result(t.op(ops::Multiply{}, {conv_of_input(t), t.random({2, 4, 1, 1}, -2.f, 2.f)}, "scale"));
    expect_untouched(t);
  }
  SUBCASE("broadcasting the output up to rank 5") {
    net t;
    t.result(t.op(ops::Multiply{}, {conv_of_input(t), t.random({3, 1, 4, 1, 1}, -2.f, 2.f)}, "scale"));
    expect_untouched(t);
  }
  SUBCASE("a scalar broadcasting the output up to rank 5") {
    net t;
    t.result(t.op(ops::Multiply{}, {conv_of_input(t), t.c({2.f}, {1, 1, 1, 1, 1})}, "scale"));
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: Multiply after a conv whose output has two consumers does not fold") {
  net t;
  const output_ref conv = conv_of_input(t);
  t.result(t.op(ops::Multiply{}, {conv, t.random({1, 4, 1, 1}, -2.f, 2.f)}, "scale"));
  t.result(conv, "conv_out");
  expect_untouched(t);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Multiply", 1}});
}

TEST_CASE("LinearFusion: Multiply after a conv with weights that are not constant does not fold") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5, 5});
  const output_ref w = t.param("w", {4, 3, 3, 3});
  const output_ref conv = t.op(conv2d(), {x, w}, "conv");
  t.result(t.op(ops::Multiply{}, {conv, t.random({1, 4, 1, 1}, -2.f, 2.f)}, "scale"));
  expect_untouched(t);
}

TEST_CASE("LinearFusion: Multiply after a conv whose weights another conv shares leaves the other conv alone") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5, 5});
  const output_ref w = t.random({4, 3, 3, 3}, -0.5f, 0.5f);
  const auto old_w = value_of(t.g, w);
  const output_ref a = t.op(conv2d(), {x, w}, "conv");
  const output_ref b = t.op(conv2d(), {x, w}, "other");
  t.result(t.op(ops::Multiply{}, {a, t.random({1, 4, 1, 1}, -2.f, 2.f)}, "scale"));
  t.result(b, "other_out");
  const auto report = fuse(t);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 2}});
  const auto other = named(t.g, "other");
  REQUIRE(other);
  CHECK(t.g.node(*other).inputs[1] == w);
  CHECK(value_of(t.g, w) == old_w);
  CHECK(t.g.node(*named(t.g, "conv")).inputs[1] != w);
}

TEST_CASE("LinearFusion: Multiply after MatMul folds along the last axis") {
  for (const bool transpose_b : {false, true}) {
    CAPTURE(transpose_b);
    net t;
    const output_ref x = t.param("x", {2, 3, 5});
    const shape bd = transpose_b ? shape{4, 5} : shape{5, 4};
    const output_ref mm = t.op(ops::MatMul(false, transpose_b), {x, t.random(bd, -0.5f, 0.5f)}, "conv");
    const auto old_w = value_of(t.g, t.g.node(mm.node).inputs[1]);
    const auto s = t.uniform(4, -2.f, 2.f);
    t.result(t.op(ops::Multiply{}, {mm, t.c(s, {4})}, "scale"));
    const auto report = fuse(t);
    CHECK(fired(report, "MultiplyIntoWeights") == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"MatMul", 1}});
    const node_id m = only(t.g, "MatMul");
    CHECK(t.g.node(m).name == "conv");
    CHECK(sources(t.g, m) == std::set<std::string>{"conv", "scale"});
    const auto new_w = value_of(t.g, t.g.node(m).inputs[1]);
    for (std::size_t i = 0; i < new_w.size(); ++i)
      CHECK(new_w[i] == doctest::Approx(old_w[i] * s[transpose_b ? i / 5 : i % 4]).epsilon(1e-6));
  }
}

TEST_CASE("LinearFusion: Multiply after MatMul by a constant along the rows does not fold") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5});
  const output_ref mm = t.op(ops::MatMul{}, {x, t.random({5, 4}, -0.5f, 0.5f)}, "conv");
  t.result(t.op(ops::Multiply{}, {mm, t.random({3, 1}, -2.f, 2.f)}, "scale"));
  expect_untouched(t);
}

// ---- Multiply through Add, merged chains -------------------------------------------------------

TEST_CASE("LinearFusion: Multiply after a bias Add moves before it and folds into the conv") {
  net t;
  const output_ref conv = conv_of_input(t);
  const auto b = t.uniform(4, -1.f, 1.f), s = t.uniform(4, 0.5f, 2.f);
  const output_ref add = t.op(ops::Add{}, {conv, t.c(b, {1, 4, 1, 1})}, "bias");
  t.result(t.op(ops::Multiply{}, {t.c(s, {1, 4, 1, 1}), add}, "scale"));
  const auto report = fuse(t);
  CHECK(fired(report, "MultiplyThroughAdd") == 1);
  CHECK(fired(report, "MultiplyIntoWeights") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}});
  const node_id c = only(t.g, "Convolution"), a = only(t.g, "Add");
  CHECK(t.g.node(c).name == "conv");
  CHECK(sources(t.g, c).count("scale") == 1);
  CHECK(t.g.node(a).inputs[0] == output_ref{c, 0});
  CHECK(t.g.port({a, 0}).names == std::vector<std::string>{"y"});
  const auto shift = value_of(t.g, t.g.node(a).inputs[1]);
  REQUIRE(shift.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(shift[i] == doctest::Approx(double(b[i]) * s[i]).epsilon(1e-6));
}

TEST_CASE("LinearFusion: MultiplyThroughAdd near misses") {
  SUBCASE("the Add has a second consumer") {
    net t;
    const output_ref add = t.op(ops::Add{}, {conv_of_input(t), t.random({1, 4, 1, 1}, -1.f, 1.f)}, "bias");
    t.result(t.op(ops::Multiply{}, {add, t.random({1, 4, 1, 1}, 0.5f, 2.f)}, "scale"));
    t.result(add, "bias_out");
    expect_untouched(t);
  }
  SUBCASE("the scale broadcasts the output up") {
    net t;
    const output_ref add = t.op(ops::Add{}, {conv_of_input(t), t.random({1, 4, 1, 1}, -1.f, 1.f)}, "bias");
    t.result(t.op(ops::Multiply{}, {add, t.random({3, 1, 1, 1, 1}, 0.5f, 2.f)}, "scale"));
    expect_untouched(t);
  }
  SUBCASE("the bias is not constant") {
    net t;
    const output_ref conv = conv_of_input(t);
    const output_ref add = t.op(ops::Add{}, {conv, t.param("b", {1, 4, 1, 1})}, "bias");
    t.result(t.op(ops::Multiply{}, {add, t.random({1, 4, 1, 1}, 0.5f, 2.f)}, "scale"));
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: two constant Adds merge into one") {
  net t;
  const output_ref conv = conv_of_input(t);
  const auto a = t.uniform(4, -1.f, 1.f), b = t.uniform(4, -1.f, 1.f);
  const output_ref inner = t.op(ops::Add{}, {conv, t.c(a, {1, 4, 1, 1})}, "inner");
  t.result(t.op(ops::Add{}, {t.c(b, {4, 1, 1}), inner}, "outer"));
  const auto report = fuse(t);
  CHECK(fired(report, "MergeAdds") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}});
  const node_id add = only(t.g, "Add");
  CHECK(t.g.node(add).name == "outer");
  CHECK(sources(t.g, add) == std::set<std::string>{"inner", "outer"});
  CHECK(t.g.node(add).inputs[0] == conv);
  const auto ab = value_of(t.g, t.g.node(add).inputs[1]);
  REQUIRE(ab.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(ab[i] == doctest::Approx(double(a[i]) + b[i]).epsilon(1e-6));
  CHECK(t.g.port({add, 0}).names == std::vector<std::string>{"y"});
}

TEST_CASE("LinearFusion: constant Adds that are not per channel merge too, when they do not broadcast x up") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5});
  const output_ref inner = t.op(ops::Add{}, {x, t.random({5}, -1.f, 1.f)}, "inner");
  t.result(t.op(ops::Add{}, {inner, t.random({3, 1}, -1.f, 1.f)}, "outer"));
  const auto report = fuse(t);
  CHECK(fired(report, "MergeAdds") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Add", 1}});
  const node_id add = only(t.g, "Add");
  CHECK(t.g.node(add).inputs[0] == x);
  CHECK(t.g.info(t.g.node(add).inputs[1]).shape.to_shape() == shape{3, 5});
}

TEST_CASE("LinearFusion: MergeAdds near misses") {
  SUBCASE("the inner Add has a second consumer") {
    net t;
    const output_ref inner = t.op(ops::Add{}, {conv_of_input(t), t.random({1, 4, 1, 1}, -1.f, 1.f)}, "inner");
    t.result(t.op(ops::Add{}, {inner, t.random({1, 4, 1, 1}, -1.f, 1.f)}, "outer"));
    t.result(inner, "inner_out");
    expect_untouched(t);
  }
  SUBCASE("the outer constant broadcasts x up") {
    net t;
    const output_ref x = t.param("x", {3, 5});
    const output_ref inner = t.op(ops::Add{}, {x, t.random({5}, -1.f, 1.f)}, "inner");
    t.result(t.op(ops::Add{}, {inner, t.random({2, 1, 1}, -1.f, 1.f)}, "outer"));
    expect_untouched(t);
  }
  SUBCASE("the inner constant broadcasts x up") {
    net t;
    const output_ref x = t.param("x", {3, 5});
    const output_ref inner = t.op(ops::Add{}, {x, t.random({2, 1, 5}, -1.f, 1.f)}, "inner");
    t.result(t.op(ops::Add{}, {inner, t.random({5}, -1.f, 1.f)}, "outer"));
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: two constant Multiplies merge into one") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5});
  const auto a = t.uniform(3, 0.5f, 2.f), b = t.uniform(5, -2.f, 2.f);
  const output_ref inner = t.op(ops::Multiply{}, {t.c(a, {3, 1}), x}, "inner");
  t.result(t.op(ops::Multiply{}, {inner, t.c(b, {5})}, "outer"));
  const auto report = fuse(t);
  CHECK(fired(report, "MergeMultiplies") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Multiply", 1}});
  const node_id mul = only(t.g, "Multiply");
  CHECK(t.g.node(mul).name == "outer");
  CHECK(sources(t.g, mul) == std::set<std::string>{"inner", "outer"});
  CHECK(t.g.node(mul).inputs[0] == x);
  const auto ab = value_of(t.g, t.g.node(mul).inputs[1]);
  REQUIRE(ab.size() == 15);
  for (std::size_t i = 0; i < 15; ++i) CHECK(ab[i] == doctest::Approx(double(a[i / 5]) * b[i % 5]).epsilon(1e-6));
}

TEST_CASE("LinearFusion: MergeMultiplies near miss: the inner Multiply has a second consumer") {
  net t;
  const output_ref x = t.param("x", {2, 3, 5});
  const output_ref inner = t.op(ops::Multiply{}, {x, t.random({5}, 0.5f, 2.f)}, "inner");
  t.result(t.op(ops::Multiply{}, {inner, t.random({5}, 0.5f, 2.f)}, "outer"));
  t.result(inner, "inner_out");
  expect_untouched(t);
}

// ---- preprocessing before a Convolution --------------------------------------------------------

TEST_CASE("LinearFusion: a per-input-channel scale before a padded Convolution folds into the weights") {
  for (const shape& dims : {shape{1, 3, 1, 1}, shape{3, 1, 1}, shape{}}) {
    CAPTURE(dims);
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const auto s = t.uniform(static_cast<std::size_t>(element_count(dims)), 0.25f, 2.f);
    const output_ref mul = t.op(ops::Multiply{}, {x, t.c(s, dims)}, "input_scale");
    const output_ref w = t.random({4, 3, 3, 3}, -0.5f, 0.5f);
    const auto old_w = value_of(t.g, w);
    t.result(t.op(conv2d(), {mul, w}, "conv"));
    const auto report = fuse(t);
    CHECK(fired(report, "InputScaleIntoWeights") == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}});
    const node_id c = only(t.g, "Convolution");
    CHECK(t.g.node(c).name == "conv");
    CHECK(t.g.node(c).inputs[0] == x);
    CHECK(sources(t.g, c) == std::set<std::string>{"conv", "input_scale"});
    const auto new_w = value_of(t.g, t.g.node(c).inputs[1]);
    for (std::size_t i = 0; i < new_w.size(); ++i) // input channel (i / 9) % 3
      CHECK(new_w[i] == doctest::Approx(old_w[i] * s[s.size() == 1 ? 0 : (i / 9) % 3]).epsilon(1e-6));
  }
}

TEST_CASE("LinearFusion: InputScaleIntoWeights near misses") {
  SUBCASE("a scale along H") {
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref mul = t.op(ops::Multiply{}, {x, t.random({1, 1, 5, 1}, 0.5f, 2.f)}, "input_scale");
    t.result(t.op(conv2d(), {mul, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
    expect_untouched(t);
  }
  SUBCASE("the scaled input has a second consumer") {
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref mul = t.op(ops::Multiply{}, {x, t.random({1, 3, 1, 1}, 0.5f, 2.f)}, "input_scale");
    t.result(t.op(conv2d(), {mul, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
    t.result(mul, "scaled");
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: a per-input-channel shift before an unpadded Convolution becomes a bias") {
  struct form {
    bool subtract;
    ops::Convolution conv;
  };
  const ops::Convolution valid({1, 1}, {1, 1}, {1, 1}, {1, 1}, ops::pad_type::valid); // pads ignored
  const ops::Convolution strided({2, 2}, {2, 1}, {0, 0}, {0, 0});
  for (const form& f : {form{true, conv2d(0)}, form{false, conv2d(0)}, form{true, valid}, form{false, strided}}) {
    CAPTURE(f.subtract);
    net t;
    const output_ref x = t.param("x", {2, 3, 7, 7});
    const auto m = t.uniform(3, -1.f, 1.f);
    const output_ref shifted = f.subtract ? t.op(ops::Subtract{}, {x, t.c(m, {1, 3, 1, 1})}, "shift")
                                          : t.op(ops::Add{}, {t.c(m, {3, 1, 1}), x}, "shift");
    const output_ref w = t.random({4, 3, 3, 3}, -0.5f, 0.5f);
    const auto wv = value_of(t.g, w);
    t.result(t.op(f.conv, {shifted, w}, "conv"));
    const auto report = fuse(t);
    CHECK(fired(report, f.subtract ? "InputShiftIntoBias" : "InputAddIntoBias") == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}});
    const node_id c = only(t.g, "Convolution"), add = only(t.g, "Add");
    CHECK(t.g.node(c).name == "conv");
    CHECK(t.g.node(c).inputs[0] == x);
    CHECK(t.g.node(c).inputs[1] == w); // the weights stay
    CHECK(t.g.node(add).inputs[0] == output_ref{c, 0});
    CHECK(sources(t.g, add) == std::set<std::string>{"shift"});
    CHECK(t.g.port({add, 0}).names == std::vector<std::string>{"y"});
    const auto bias = value_of(t.g, t.g.node(add).inputs[1]);
    REQUIRE(bias.size() == 4);
    for (std::size_t o = 0; o < 4; ++o) {
      double expected = 0;
      for (std::size_t i = 0; i < 27; ++i) expected += wv[o * 27 + i] * m[i / 9];
      CHECK(bias[o] == doctest::Approx(f.subtract ? -expected : expected).epsilon(1e-6));
    }
  }
}

TEST_CASE("LinearFusion: InputShiftIntoBias near misses") {
  SUBCASE("a padded conv (the border would see the shift)") {
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref s = t.op(ops::Subtract{}, {x, t.random({1, 3, 1, 1}, -1.f, 1.f)}, "shift");
    t.result(t.op(conv2d(1), {s, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
    expect_untouched(t);
  }
  SUBCASE("auto_pad same_upper") {
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref s = t.op(ops::Add{}, {x, t.random({1, 3, 1, 1}, -1.f, 1.f)}, "shift");
    t.result(t.op(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}, ops::pad_type::same_upper),
                  {s, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
    expect_untouched(t);
  }
  SUBCASE("constant minus x") {
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref s = t.op(ops::Subtract{}, {t.random({1, 3, 1, 1}, -1.f, 1.f), x}, "shift");
    t.result(t.op(conv2d(0), {s, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
    expect_untouched(t);
  }
  SUBCASE("a shift along W") {
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref s = t.op(ops::Subtract{}, {x, t.random({1, 1, 1, 5}, -1.f, 1.f)}, "shift");
    t.result(t.op(conv2d(0), {s, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: a channel permutation before a Convolution moves into the weights") {
  for (const auto& perm : {std::vector<std::int64_t>{2, 0, 1}, std::vector<std::int64_t>{-1, 0, 1},
                           std::vector<std::int64_t>{2, 1, 0}}) {
    CAPTURE(perm);
    net t;
    const output_ref x = t.param("x", {2, 3, 5, 5});
    const output_ref gather = t.op(ops::Gather{}, {x, t.indices(perm, {3}), t.indices({1}, {})}, "reverse");
    const output_ref w = t.random({4, 3, 3, 3}, -0.5f, 0.5f);
    const auto old_w = value_of(t.g, w);
    t.result(t.op(conv2d(), {gather, w}, "conv"));
    const auto report = fuse(t); // the same products, summed in another order by the GEMM
    CHECK(fired(report, "ChannelPermutationIntoWeights") == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}});
    const node_id c = only(t.g, "Convolution");
    CHECK(t.g.node(c).name == "conv");
    CHECK(t.g.node(c).inputs[0] == x);
    CHECK(sources(t.g, c) == std::set<std::string>{"conv", "reverse"});
    // new w[:, i] = old w[:, j] where perm[j] = i
    const auto new_w = value_of(t.g, t.g.node(c).inputs[1]);
    for (std::size_t o = 0; o < 4; ++o)
      for (std::size_t j = 0; j < 3; ++j) {
        const auto i = static_cast<std::size_t>(perm[j] < 0 ? perm[j] + 3 : perm[j]);
        for (std::size_t k = 0; k < 9; ++k) CHECK(new_w[(o * 3 + i) * 9 + k] == old_w[(o * 3 + j) * 9 + k]);
      }
  }
}

TEST_CASE("LinearFusion: ChannelPermutationIntoWeights near misses") {
  auto build = [](net& t, std::vector<std::int64_t> idx, std::int64_t axis) {
    const output_ref x = t.param("x", {2, 3, 3, 3});
    const auto n = static_cast<std::int64_t>(idx.size());
    const output_ref gather = t.op(ops::Gather{}, {x, t.indices(std::move(idx), {n}), t.indices({axis}, {})}, "g");
    t.result(t.op(conv2d(), {gather, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
  };
  SUBCASE("indices that repeat a channel") {
    net t;
    build(t, {0, 0, 1}, 1);
    expect_untouched(t);
  }
  SUBCASE("a permutation of H") {
    net t;
    build(t, {2, 1, 0}, 2);
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: Subtract, Add and Multiply after a channel permutation move before it") {
  struct form {
    std::string type, rule;
  };
  for (const form& f : {form{"Subtract", "PermutationThroughSubtract"}, form{"Add", "PermutationThroughAdd"},
                        form{"Multiply", "PermutationThroughMultiply"}}) {
    CAPTURE(f.type);
    net t;
    const output_ref x = t.param("x", {2, 3, 4, 4});
    const output_ref gather =
        t.op(ops::Gather{}, {x, t.indices({2, 0, 1}, {3}), t.indices({1}, {})}, "reverse");
    const auto c = t.uniform(3, 0.5f, 2.f);
    const output_ref cc = t.c(c, {1, 3, 1, 1});
    output_ref r;
    if (f.type == "Subtract") r = t.op(ops::Subtract{}, {gather, cc}, "pre");
    else if (f.type == "Add") r = t.op(ops::Add{}, {cc, gather}, "pre");
    else r = t.op(ops::Multiply{}, {gather, cc}, "pre");
    t.result(r);
    const auto report = fuse(t, 0, 0); // the same elementwise op on the same values
    CHECK(fired(report, f.rule) == 1);
    CHECK(op_counts(t.g) == std::map<std::string, int>{{"Gather", 1}, {f.type, 1}});
    const node_id gn = only(t.g, "Gather"), op = only(t.g, f.type);
    CHECK(t.g.node(op).inputs[0] == x);
    CHECK(t.g.node(gn).inputs[0] == output_ref{op, 0});
    CHECK(t.g.port({gn, 0}).names == std::vector<std::string>{"y"});
    CHECK(sources(t.g, op) == std::set<std::string>{"pre"});
    CHECK(sources(t.g, gn) == std::set<std::string>{"reverse"});
    // c'[perm[j]] = c[j]: perm = {2, 0, 1}
    const auto moved = value_of(t.g, t.g.node(op).inputs[1]);
    REQUIRE(moved.size() == 3);
    CHECK(moved[2] == doctest::Approx(c[0]));
    CHECK(moved[0] == doctest::Approx(c[1]));
    CHECK(moved[1] == doctest::Approx(c[2]));
  }
  SUBCASE("near miss: a constant along W") {
    net t;
    const output_ref x = t.param("x", {2, 3, 4, 4});
    const output_ref gather =
        t.op(ops::Gather{}, {x, t.indices({2, 0, 1}, {3}), t.indices({1}, {})}, "reverse");
    t.result(t.op(ops::Multiply{}, {gather, t.random({1, 1, 1, 4}, 0.5f, 2.f)}, "pre"));
    expect_untouched(t);
  }
  SUBCASE("near miss: the Gather has a second consumer") {
    net t;
    const output_ref x = t.param("x", {2, 3, 4, 4});
    const output_ref gather =
        t.op(ops::Gather{}, {x, t.indices({2, 0, 1}, {3}), t.indices({1}, {})}, "reverse");
    t.result(t.op(ops::Subtract{}, {gather, t.random({1, 3, 1, 1}, 0.5f, 2.f)}, "pre"));
    t.result(gather, "gathered");
    expect_untouched(t);
  }
}

TEST_CASE("LinearFusion: --reverse_input_channels, --mean_values and --scale_values all fold into the first conv") {
  net t;
  const output_ref x = t.param("x", {2, 3, 6, 6});
  const output_ref gather = t.op(ops::Gather{}, {x, t.indices({2, 1, 0}, {3}), t.indices({1}, {})}, "reverse");
  const output_ref mean = t.op(ops::Subtract{}, {gather, t.random({1, 3, 1, 1}, -1.f, 1.f)}, "mean");
  const output_ref scale = t.op(ops::Multiply{}, {mean, t.random({1, 3, 1, 1}, 0.5f, 2.f)}, "scale");
  t.result(t.op(conv2d(0), {scale, t.random({4, 3, 3, 3}, -0.5f, 0.5f)}, "conv"));
  const auto report = fuse(t);
  CHECK(fired(report, "ChannelPermutationIntoWeights") == 1);
  CHECK(fired(report, "InputScaleIntoWeights") == 1);
  CHECK(fired(report, "InputShiftIntoBias") == 1);
  CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}});
  const node_id c = only(t.g, "Convolution");
  CHECK(t.g.node(c).name == "conv");
  CHECK(t.g.node(c).inputs[0] == x);
  CHECK(sources(t.g, c).count("reverse") == 1);
  CHECK(sources(t.g, c).count("scale") == 1);
  CHECK(t.g.port({only(t.g, "Add"), 0}).names == std::vector<std::string>{"y"});
}

// ---- in the standard pipeline ------------------------------------------------------------------

TEST_CASE("LinearFusion: the standard pipeline folds Conv + BatchNorm; --disable_fusing keeps the BatchNorm") {
  for (const bool disabled : {false, true}) {
    CAPTURE(disabled);
    net t;
    const output_ref conv = conv_of_input(t);
    const bn_params p(t, 4);
    t.result(batch_norm(t, conv, p));
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    passes::run_options options;
    if (disabled) options.disabled = {"LinearFusion"};
    const auto report = passes::standard().run(t.g, options);
    const auto* lf = report.find("LinearFusion");
    REQUIRE(lf != nullptr);
    CHECK(lf->skipped == disabled);
    if (disabled) CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"BatchNormInference", 1}});
    else CHECK(op_counts(t.g) == std::map<std::string, int>{{"Convolution", 1}, {"Add", 1}});
    CHECK(count_of(t.g, "Const") == (disabled ? 5 : 2));
    const auto after = reference::evaluate(t.g, in);
    REQUIRE(after.size() == 1);
    const auto c = reference::compare(after[0], before[0], 1e-5, 1e-6);
    CHECK_MESSAGE(c.ok(), c.describe());
  }
}

} // namespace test_linear_fusion_tests
