// The built-in cleanup passes: constant folding (with its size cap), dead-code
// elimination, no-op elimination (every rule of passes/nop_elimination.hpp and
// its near miss) and common-subexpression elimination. Each test checks the
// exact structure after the pass (which node survives, its tensor names and
// source names) and that the reference evaluator gives the same outputs before
// and after (bit for bit where no arithmetic changes).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "irforge/ops/standard.hpp"
#include "irforge/passes/common_subexpressions.hpp"
#include "irforge/passes/constant_folding.hpp"
#include "irforge/passes/dead_code_elimination.hpp"
#include "irforge/passes/nop_elimination.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"

namespace test_passes_tests { // unity-build scope

namespace {

using namespace irforge;
using strings = std::vector<std::string>;

/// A graph under construction. Every node gets source_names = {its name} (as
/// the frontends do) and every op output the tensor name "<name>_t".
struct net {
  graph g;
  output_ref x;

  explicit net(partial_shape s = {2, 3, 4}) { x = param("x", std::move(s)); }

  output_ref param(const std::string& name, partial_shape s, element_type t = element_type::f32) {
    const node_id id = g.add(ops::Parameter{std::move(s), t}, {}, name);
    g.node(id).source_names = {name};
    g.port({id, 0}).names = {name};
    return {id, 0};
  }
  output_ref constant(tensor v, const std::string& name) {
    const node_id id = g.add(ops::Constant(std::move(v)), {}, name);
    g.node(id).source_names = {name};
    return {id, 0};
  }
  output_ref f32(std::vector<float> v, shape dims, const std::string& name) {
    return constant(tensor::from_values<float>(std::move(dims), v), name);
  }
  output_ref i64(std::vector<std::int64_t> v, const std::string& name) {
    const auto n = static_cast<std::int64_t>(v.size());
    return constant(tensor::from_values<std::int64_t>({n}, v), name);
  }
  template <class Op> output_ref op(Op o, std::vector<output_ref> in, const std::string& name) {
    const node_id id = g.add(std::move(o), std::move(in), name);
    g.node(id).source_names = {name};
    for (std::uint32_t k = 0; k < g.node(id).outputs.size(); ++k)
      g.port({id, k}).names = {g.node(id).outputs.size() == 1 ? name + "_t" : name + "_t" + std::to_string(k)};
    return {id, 0};
  }
  node_id result(output_ref r, const std::string& name = "out") { return g.add(ops::Result{}, {r}, name); }
};

/// Op types and counts, leaving out Parameter, Result and Const: "ReLU:1 Reshape:1".
std::string op_counts(const graph& g) {
  std::map<std::string, int> counts;
  for (node_id n : g.nodes()) {
    const std::string type(g.node(n).op.type_name());
    if (type != "Parameter" && type != "Result" && type != "Const") ++counts[type];
  }
  std::string text;
  for (const auto& [type, n] : counts) text += (text.empty() ? "" : " ") + type + ":" + std::to_string(n);
  return text;
}

int count_of(const graph& g, std::string_view type) {
  int n = 0;
  for (node_id id : g.nodes()) n += g.node(id).op.type_name() == type ? 1 : 0;
  return n;
}

bool has(const graph& g, const std::string& name) {
  for (node_id id : g.nodes())
    if (g.node(id).name == name) return true;
  return false;
}

node_id find(const graph& g, const std::string& name) {
  for (node_id id : g.nodes())
    if (g.node(id).name == name) return id;
  throw error("no node named " + name);
}

strings names_of(const graph& g) {
  strings out;
  for (node_id id : g.nodes()) out.push_back(g.node(id).name);
  std::sort(out.begin(), out.end());
  return out;
}

strings sorted(strings s) {
  std::sort(s.begin(), s.end());
  return s;
}

/// Every live node is used, or is a Parameter or a Result: the pass left nothing dangling.
bool nothing_dangling(const graph& g) {
  for (node_id id : g.nodes()) {
    const auto type = g.node(id).op.type_name();
    if (type != "Parameter" && type != "Result" && g.consumer_count(id) == 0) return false;
  }
  return true;
}

std::size_t fired(const passes::pass_report& r, std::string_view rule) {
  for (const auto& [name, count] : r.rules)
    if (name == rule) return count;
  return 0;
}

/// f32 inputs in [-4, 4] (dynamic dimensions become 2); integer inputs 1, 2, 3, ...
std::vector<tensor> inputs_for(const graph& g) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-4.f, 4.f);
  std::vector<tensor> out;
  for (node_id p : g.parameters()) {
    const auto& param = g.node(p).op.get<ops::Parameter>();
    shape dims;
    for (std::size_t i = 0; i < param.shape.rank(); ++i)
      dims.push_back(param.shape[i].is_static() ? param.shape[i].min() : 2);
    const auto n = static_cast<std::size_t>(element_count(dims));
    if (param.element_type == element_type::f32) {
      std::vector<float> v(n);
      for (auto& e : v) e = dist(rng);
      out.push_back(tensor::from_values<float>(dims, v));
    } else {
      std::vector<std::int32_t> v(n);
      for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i + 1);
      out.push_back(tensor::from_values<std::int32_t>(dims, v));
    }
  }
  return out;
}

/// The same outputs: bit for bit (`exact`), else within 1e-6 relative.
void check_same(const std::vector<tensor>& after, const std::vector<tensor>& before, bool exact = true) {
  REQUIRE(after.size() == before.size());
  for (std::size_t k = 0; k < after.size(); ++k) {
    if (exact) {
      CHECK_MESSAGE(after[k].same_content(before[k]), "output " << k << " is not bit-exact: "
                                                                  << reference::compare(after[k], before[k], 0, 0).describe());
    } else {
      const auto c = reference::compare(after[k], before[k], 1e-6, 1e-7);
      CHECK_MESSAGE(c.ok(), "output " << k << ": " << c.describe());
    }
  }
}

// ---- no-op elimination helpers ---------------------------------------------------------------

/// x -> Relu "relu" -> (the op under test, added by the caller) -> Result.
struct nop_net : net {
  output_ref relu;
  explicit nop_net(partial_shape s = {2, 3, 4}) : net(std::move(s)) { relu = op(ops::Relu{}, {x}, "relu"); }
};

/// NopElimination removes the ops `removed` (by the rules `rules`): the Result
/// reads the Relu, which stands for the removed layers and carries their tensor
/// names; their constants are gone; outputs are bit-exact.
void expect_bypassed(nop_net& t, const strings& removed, const strings& rules) {
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto report = passes::nop_elimination.run(t.g);
  CHECK(report.name == "NopElimination");
  CHECK(report.changes == rules.size());
  for (const auto& r : rules) CHECK_MESSAGE(fired(report, r) == static_cast<std::size_t>(std::count(rules.begin(), rules.end(), r)), r);
  for (const auto& r : removed) CHECK_MESSAGE(!has(t.g, r), r << " is still there");
  CHECK(op_counts(t.g) == "ReLU:1");
  CHECK(count_of(t.g, "Const") == 0);
  CHECK(t.g.size() == 3); // x, relu, out
  CHECK(nothing_dangling(t.g));
  const node_id out = t.g.results().at(0);
  CHECK(t.g.node(out).inputs.at(0) == t.relu);
  strings sources{"relu"}, tensor_names{"relu_t"};
  for (const auto& r : removed) {
    sources.push_back(r);
    tensor_names.push_back(r + "_t");
  }
  CHECK(t.g.node(t.relu.node).source_names == sources);
  CHECK(sorted(t.g.port(t.relu).names) == sorted(tensor_names));
  CHECK(t.g.info(t.relu).shape == partial_shape(t.g.info(t.x).shape));
  check_same(reference::evaluate(t.g, in), before);
}

/// NopElimination leaves the graph as it was: same nodes, same inputs, same outputs.
void expect_untouched(net& t, bool evaluate = true) {
  const auto in = inputs_for(t.g);
  const auto before = evaluate ? reference::evaluate(t.g, in) : std::vector<tensor>{};
  const auto nodes = t.g.nodes();
  std::vector<std::vector<output_ref>> inputs;
  for (node_id n : nodes) inputs.push_back(t.g.node(n).inputs);
  const auto report = passes::nop_elimination.run(t.g);
  CHECK(report.changes == 0);
  CHECK(t.g.nodes() == nodes);
  for (std::size_t i = 0; i < nodes.size(); ++i) CHECK(t.g.node(nodes[i]).inputs == inputs[i]);
  if (evaluate) check_same(reference::evaluate(t.g, in), before);
}

// ---- NopElimination: shape ops -------------------------------------------------------------

TEST_CASE("NopElimination: Reshape to the shape the tensor already has") {
  SUBCASE("explicit target shape") {
    nop_net t;
    t.result(t.op(ops::Reshape(false), {t.relu, t.i64({2, 3, 4}, "shape")}, "reshape"));
    expect_bypassed(t, {"reshape"}, {"EliminateReshape"});
  }
  SUBCASE("special_zero copies and -1") {
    nop_net t;
    t.result(t.op(ops::Reshape(true), {t.relu, t.i64({0, 0, -1}, "shape")}, "reshape"));
    expect_bypassed(t, {"reshape"}, {"EliminateReshape"});
  }
  SUBCASE("the output feeds two consumers: both move to the producer") {
    nop_net t;
    const auto r = t.op(ops::Reshape(false), {t.relu, t.i64({2, 3, 4}, "shape")}, "reshape");
    const auto s = t.op(ops::Sigmoid{}, {r}, "sigmoid");
    t.result(r, "out0");
    t.result(s, "out1");
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::nop_elimination.run(t.g).changes == 1);
    CHECK(!has(t.g, "reshape"));
    CHECK(!has(t.g, "shape"));
    CHECK(t.g.node(find(t.g, "out0")).inputs.at(0) == t.relu);
    CHECK(t.g.node(s.node).inputs.at(0) == t.relu);
    CHECK(t.g.port(t.relu).names == strings{"relu_t", "reshape_t"});
    check_same(reference::evaluate(t.g, in), before);
  }
}

TEST_CASE("NopElimination: a Reshape that changes the shape, or of a dynamic shape, stays") {
  SUBCASE("different shape, same element count") {
    nop_net t;
    t.result(t.op(ops::Reshape(false), {t.relu, t.i64({6, 4}, "shape")}, "reshape"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "reshape"), 0}).shape == partial_shape{6, 4});
  }
  SUBCASE("same rank, permuted sizes") {
    nop_net t;
    t.result(t.op(ops::Reshape(false), {t.relu, t.i64({4, 3, 2}, "shape")}, "reshape"));
    expect_untouched(t);
  }
  SUBCASE("dynamic input shape: [?,3] -> [-1,3] is the same partial shape, but not provably a no-op") {
    nop_net t(partial_shape{dimension::dynamic(), 3});
    t.result(t.op(ops::Reshape(false), {t.relu, t.i64({-1, 3}, "shape")}, "reshape"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: Squeeze and Unsqueeze that change nothing; near misses stay") {
  SUBCASE("Squeeze with empty axes of a tensor without 1s") {
    nop_net t;
    t.result(t.op(ops::Squeeze{}, {t.relu, t.constant(tensor::from_values<std::int64_t>({0}, {}), "axes")}, "squeeze"));
    expect_bypassed(t, {"squeeze"}, {"EliminateSqueeze"});
  }
  SUBCASE("Squeeze of a 1 stays") {
    nop_net t({2, 1, 3});
    t.result(t.op(ops::Squeeze{}, {t.relu, t.i64({1}, "axes")}, "squeeze"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "squeeze"), 0}).shape == partial_shape{2, 3});
  }
  SUBCASE("Unsqueeze with empty axes") {
    nop_net t;
    t.result(
        t.op(ops::Unsqueeze{}, {t.relu, t.constant(tensor::from_values<std::int64_t>({0}, {}), "axes")}, "unsqueeze"));
    expect_bypassed(t, {"unsqueeze"}, {"EliminateUnsqueeze"});
  }
  SUBCASE("Unsqueeze adding an axis stays") {
    nop_net t;
    t.result(t.op(ops::Unsqueeze{}, {t.relu, t.i64({0}, "axes")}, "unsqueeze"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "unsqueeze"), 0}).shape == partial_shape{1, 2, 3, 4});
  }
}

TEST_CASE("NopElimination: Broadcast to the shape the tensor has; a growing Broadcast stays") {
  SUBCASE("numpy, target = own shape") {
    nop_net t;
    t.result(t.op(ops::Broadcast{}, {t.relu, t.i64({2, 3, 4}, "target")}, "broadcast"));
    expect_bypassed(t, {"broadcast"}, {"EliminateBroadcast"});
  }
  SUBCASE("bidirectional, target [1, 4] leaves the shape") {
    nop_net t;
    t.result(t.op(ops::Broadcast(ops::broadcast_mode::bidirectional), {t.relu, t.i64({1, 4}, "target")}, "broadcast"));
    expect_bypassed(t, {"broadcast"}, {"EliminateBroadcast"});
  }
  SUBCASE("to a larger shape stays") {
    nop_net t;
    t.result(t.op(ops::Broadcast{}, {t.relu, t.i64({2, 2, 3, 4}, "target")}, "broadcast"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: Convert to the type the tensor has; to another type it stays") {
  SUBCASE("f32 -> f32") {
    nop_net t;
    t.result(t.op(ops::Convert(element_type::f32), {t.relu}, "convert"));
    expect_bypassed(t, {"convert"}, {"EliminateConvert"});
  }
  SUBCASE("f32 -> f16 stays") {
    nop_net t;
    t.result(t.op(ops::Convert(element_type::f16), {t.relu}, "convert"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "convert"), 0}).type == element_type::f16);
  }
  SUBCASE("f32 -> i32 stays") {
    nop_net t;
    t.result(t.op(ops::Convert(element_type::i32), {t.relu}, "convert"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: identity Transpose; a real permutation stays") {
  SUBCASE("order [0, 1, 2]") {
    nop_net t;
    t.result(t.op(ops::Transpose{}, {t.relu, t.i64({0, 1, 2}, "order")}, "transpose"));
    expect_bypassed(t, {"transpose"}, {"EliminateTranspose"});
  }
  SUBCASE("order [0, 2, 1] stays") {
    nop_net t;
    t.result(t.op(ops::Transpose{}, {t.relu, t.i64({0, 2, 1}, "order")}, "transpose"));
    expect_untouched(t);
  }
  SUBCASE("a square matrix transposed keeps its shape but moves data: stays") {
    nop_net t({3, 3});
    t.result(t.op(ops::Transpose{}, {t.relu, t.i64({1, 0}, "order")}, "transpose"));
    expect_untouched(t);
  }
  SUBCASE("an empty order (reverse the axes) stays") {
    nop_net t;
    t.result(t.op(ops::Transpose{}, {t.relu, t.constant(tensor::from_values<std::int64_t>({0}, {}), "order")},
                  "transpose"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "transpose"), 0}).shape == partial_shape{4, 3, 2});
  }
}

// ---- NopElimination: arithmetic with a neutral element ---------------------------------------

TEST_CASE("NopElimination: Multiply by 1") {
  SUBCASE("x * 1 (scalar)") {
    nop_net t;
    t.result(t.op(ops::Multiply{}, {t.relu, t.f32({1}, {}, "one")}, "mul"));
    expect_bypassed(t, {"mul"}, {"EliminateMultiplyByOne"});
  }
  SUBCASE("1 * x (the constant first)") {
    nop_net t;
    t.result(t.op(ops::Multiply{}, {t.f32({1}, {}, "one"), t.relu}, "mul"));
    expect_bypassed(t, {"mul"}, {"EliminateMultiplyByOne"});
  }
  SUBCASE("ones of a shape that broadcasts into x's shape") {
    nop_net t;
    t.result(t.op(ops::Multiply{}, {t.relu, t.f32({1, 1, 1, 1}, {1, 4}, "ones")}, "mul"));
    expect_bypassed(t, {"mul"}, {"EliminateMultiplyByOne"});
  }
  SUBCASE("ones that broadcast the output to a larger shape stay") {
    nop_net t;
    t.result(t.op(ops::Multiply{}, {t.relu, t.f32(std::vector<float>(48, 1.f), {2, 2, 3, 4}, "ones")}, "mul"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "mul"), 0}).shape == partial_shape{2, 2, 3, 4});
  }
  SUBCASE("not every element 1: stays") {
    nop_net t;
    t.result(t.op(ops::Multiply{}, {t.relu, t.f32({1, 1, 1, 2}, {4}, "c")}, "mul"));
    expect_untouched(t);
  }
  SUBCASE("x * 2 stays") {
    nop_net t;
    t.result(t.op(ops::Multiply{}, {t.relu, t.f32({2}, {}, "two")}, "mul"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: Divide by 1") {
  SUBCASE("x / 1") {
    nop_net t;
    t.result(t.op(ops::Divide{}, {t.relu, t.f32({1}, {}, "one")}, "div"));
    expect_bypassed(t, {"div"}, {"EliminateDivideByOne"});
  }
  SUBCASE("1 / x is a reciprocal: stays") {
    nop_net t;
    t.result(t.op(ops::Divide{}, {t.f32({1}, {}, "one"), t.relu}, "div"));
    expect_untouched(t);
  }
  SUBCASE("x / ones of a larger shape stays") {
    nop_net t;
    t.result(t.op(ops::Divide{}, {t.relu, t.f32(std::vector<float>(48, 1.f), {2, 2, 3, 4}, "ones")}, "div"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: Add 0") {
  SUBCASE("x + 0") {
    nop_net t;
    t.result(t.op(ops::Add{}, {t.relu, t.f32({0}, {}, "zero")}, "add"));
    expect_bypassed(t, {"add"}, {"EliminateAddZero"});
  }
  SUBCASE("0 + x (the constant first), zeros of shape [3, 1]") {
    nop_net t;
    t.result(t.op(ops::Add{}, {t.f32({0, 0, 0}, {3, 1}, "zeros"), t.relu}, "add"));
    expect_bypassed(t, {"add"}, {"EliminateAddZero"});
  }
  SUBCASE("zeros that broadcast [1, 3] to [2, 3] stay") {
    nop_net t({1, 3});
    t.result(t.op(ops::Add{}, {t.relu, t.f32({0, 0, 0, 0, 0, 0}, {2, 3}, "zeros")}, "add"));
    expect_untouched(t);
    CHECK(t.g.info({find(t.g, "add"), 0}).shape == partial_shape{2, 3});
  }
  SUBCASE("x + 1 stays") {
    nop_net t;
    t.result(t.op(ops::Add{}, {t.relu, t.f32({1}, {}, "one")}, "add"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: Subtract 0") {
  SUBCASE("x - 0") {
    nop_net t;
    t.result(t.op(ops::Subtract{}, {t.relu, t.f32({0, 0, 0, 0}, {4}, "zeros")}, "sub"));
    expect_bypassed(t, {"sub"}, {"EliminateSubtractZero"});
  }
  SUBCASE("0 - x is a negation: stays") {
    nop_net t;
    t.result(t.op(ops::Subtract{}, {t.f32({0}, {}, "zero"), t.relu}, "sub"));
    expect_untouched(t);
  }
  SUBCASE("x - zeros of a larger shape stays") {
    nop_net t;
    t.result(t.op(ops::Subtract{}, {t.relu, t.f32(std::vector<float>(48, 0.f), {2, 2, 3, 4}, "zeros")}, "sub"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: a neutral element of an integer tensor") {
  // The constant's value is compared as a number, whatever its element type.
  SUBCASE("i32 x * 1") {
    net t({2, 3});
    t.g.remove(t.x.node);
    t.x = t.param("xi", {2, 3}, element_type::i32);
    const auto a = t.op(ops::Add{}, {t.x, t.x}, "double");
    t.result(t.op(ops::Multiply{}, {a, t.constant(tensor::scalar<std::int32_t>(1), "one")}, "mul"));
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::nop_elimination.run(t.g).changes == 1);
    CHECK(op_counts(t.g) == "Add:1");
    CHECK(t.g.node(t.g.results().at(0)).inputs.at(0) == a);
    check_same(reference::evaluate(t.g, in), before);
  }
}

TEST_CASE("NopElimination: Concat of one input; of two it stays") {
  SUBCASE("one input") {
    nop_net t;
    t.result(t.op(ops::Concat(1), {t.relu}, "concat"));
    expect_bypassed(t, {"concat"}, {"EliminateSingleConcat"});
  }
  SUBCASE("two inputs stay") {
    nop_net t;
    t.result(t.op(ops::Concat(1), {t.relu, t.relu}, "concat"));
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: a chain of no-ops all goes, the producer stands for every one") {
  nop_net t;
  auto r = t.op(ops::Reshape(false), {t.relu, t.i64({2, 3, 4}, "shape")}, "reshape");
  r = t.op(ops::Convert(element_type::f32), {r}, "convert");
  r = t.op(ops::Multiply{}, {r, t.f32({1}, {}, "one")}, "mul");
  r = t.op(ops::Transpose{}, {r, t.i64({0, 1, 2}, "order")}, "transpose");
  r = t.op(ops::Concat(0), {r}, "concat");
  t.result(r);
  expect_bypassed(t, {"reshape", "convert", "mul", "transpose", "concat"},
                  {"EliminateReshape", "EliminateConvert", "EliminateMultiplyByOne", "EliminateTranspose",
                   "EliminateSingleConcat"});
}

TEST_CASE("NopElimination: a no-op between a Parameter and a Result") {
  net t({2, 3});
  t.result(t.op(ops::Convert(element_type::f32), {t.x}, "convert"));
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::nop_elimination.run(t.g).changes == 1);
  CHECK(names_of(t.g) == strings{"out", "x"});
  CHECK(t.g.node(t.g.results().at(0)).inputs.at(0) == t.x);
  CHECK(t.g.port(t.x).names == strings{"x", "convert_t"});
  CHECK(t.g.node(t.x.node).source_names == strings{"x", "convert"});
  check_same(reference::evaluate(t.g, in), before);
}

// ---- NopElimination: merges ------------------------------------------------------------------

TEST_CASE("NopElimination: MergeReshapes") {
  SUBCASE("Reshape(Reshape(x, [6, 4]), [4, 6]) -> one Reshape to [4, 6]") {
    nop_net t;
    const auto inner = t.op(ops::Reshape(false), {t.relu, t.i64({6, 4}, "s1")}, "inner");
    const auto outer = t.op(ops::Reshape(false), {inner, t.i64({4, -1}, "s2")}, "outer");
    t.result(outer);
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    const auto report = passes::nop_elimination.run(t.g);
    CHECK(report.changes == 1);
    CHECK(fired(report, "MergeReshapes") == 1);
    CHECK(op_counts(t.g) == "ReLU:1 Reshape:1");
    CHECK(!has(t.g, "inner"));
    CHECK(!has(t.g, "s1"));
    CHECK(!has(t.g, "s2"));
    CHECK(count_of(t.g, "Const") == 1);
    CHECK(nothing_dangling(t.g));
    const auto& n = t.g.node(outer.node);
    CHECK(n.inputs.at(0) == t.relu);
    const auto& shape_const = t.g.node(n.inputs.at(1).node);
    CHECK(shape_const.name == "outer/shape");
    CHECK(shape_const.op.get<ops::Constant>().value.as_i64() == std::vector<std::int64_t>{4, 6});
    CHECK(shape_const.source_names == strings{"outer"});
    CHECK(n.source_names == strings{"outer", "inner"});
    CHECK(t.g.port(outer).names == strings{"outer_t"});
    CHECK(t.g.info(outer).shape == partial_shape{4, 6});
    CHECK(n.op.get<ops::Reshape>().special_zero == false);
    check_same(reference::evaluate(t.g, in), before);
  }
  SUBCASE("merged back to the input's shape: the merged Reshape is then removed") {
    nop_net t;
    const auto inner = t.op(ops::Reshape(false), {t.relu, t.i64({6, 4}, "s1")}, "inner");
    t.result(t.op(ops::Reshape(false), {inner, t.i64({2, 3, 4}, "s2")}, "outer"));
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    const auto report = passes::nop_elimination.run(t.g);
    CHECK(fired(report, "MergeReshapes") == 1);
    CHECK(fired(report, "EliminateReshape") == 1);
    CHECK(report.changes == 2);
    CHECK(names_of(t.g) == strings{"out", "relu", "x"});
    CHECK(t.g.node(t.relu.node).source_names == strings{"relu", "outer", "inner"});
    CHECK(t.g.port(t.relu).names == strings{"relu_t", "outer_t"}); // the inner tensor's name went with its tensor
    check_same(reference::evaluate(t.g, in), before);
  }
  SUBCASE("the inner Reshape has a second consumer: nothing merges") {
    nop_net t;
    const auto inner = t.op(ops::Reshape(false), {t.relu, t.i64({6, 4}, "s1")}, "inner");
    t.result(t.op(ops::Reshape(false), {inner, t.i64({4, 6}, "s2")}, "outer"), "out0");
    t.result(inner, "out1");
    expect_untouched(t);
  }
}

TEST_CASE("NopElimination: MergeReshapes clears special_zero when adding a node moved every node (regression)") {
  // The rewrite adds a Const, which grows the node storage. With 8 nodes
  // before the pass the storage is full (capacity 8) and moves on that add; a
  // former bug wrote `special_zero = false` through a reference taken before
  // it. The final shape [2, 2, 0, 1] holds a 0 and has a higher rank than x:
  // with special_zero left true the merged Reshape would read its 0s as
  // "copy the input dimension" (and fail: x has rank 2).
  net t(partial_shape{4, 0});
  const auto inner = t.op(ops::Reshape(false), {t.x, t.i64({2, 2, 0}, "s1")}, "inner");
  const auto outer = t.op(ops::Reshape(true), {inner, t.i64({0, 0, 0, 1}, "s2")}, "outer");
  t.result(outer);
  const auto other = t.param("other", {3});
  t.result(other, "other_out");
  REQUIRE(t.g.id_bound() == 8);
  REQUIRE(t.g.size() == 8);
  REQUIRE(t.g.info(outer).shape == partial_shape{2, 2, 0, 1});
  const auto address_before = reinterpret_cast<std::uintptr_t>(&t.g.node(outer.node));
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  REQUIRE(before.at(0).dims() == shape{2, 2, 0, 1});

  const auto report = passes::nop_elimination.run(t.g);
  // The storage did move (else the test would not exercise the bug).
  WARN(reinterpret_cast<std::uintptr_t>(&t.g.node(outer.node)) != address_before);
  CHECK(fired(report, "MergeReshapes") == 1);
  CHECK(report.changes == 1);
  CHECK(op_counts(t.g) == "Reshape:1");
  const auto& n = t.g.node(outer.node);
  CHECK(n.op.get<ops::Reshape>().special_zero == false); // the regression check
  CHECK(n.inputs.at(0) == t.x);
  CHECK(t.g.node(n.inputs.at(1).node).op.get<ops::Constant>().value.as_i64() == std::vector<std::int64_t>{2, 2, 0, 1});
  CHECK(t.g.info(outer).shape == partial_shape{2, 2, 0, 1});
  CHECK(n.source_names == strings{"outer", "inner"});
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("NopElimination: MergeTransposes") {
  SUBCASE("[1, 2, 0] then [1, 2, 0] -> one Transpose [2, 0, 1]") {
    nop_net t;
    const auto inner = t.op(ops::Transpose{}, {t.relu, t.i64({1, 2, 0}, "p1")}, "inner");
    const auto outer = t.op(ops::Transpose{}, {inner, t.i64({1, 2, 0}, "p2")}, "outer");
    t.result(outer);
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    const auto report = passes::nop_elimination.run(t.g);
    CHECK(report.changes == 1);
    CHECK(fired(report, "MergeTransposes") == 1);
    CHECK(op_counts(t.g) == "ReLU:1 Transpose:1");
    CHECK(!has(t.g, "inner"));
    CHECK(count_of(t.g, "Const") == 1);
    const auto& n = t.g.node(outer.node);
    CHECK(n.inputs.at(0) == t.relu);
    const auto& order = t.g.node(n.inputs.at(1).node);
    CHECK(order.name == "outer/order");
    CHECK(order.op.get<ops::Constant>().value.as_i64() == std::vector<std::int64_t>{2, 0, 1});
    CHECK(n.source_names == strings{"outer", "inner"});
    CHECK(t.g.info(outer).shape == partial_shape{4, 2, 3});
    CHECK(nothing_dangling(t.g));
    check_same(reference::evaluate(t.g, in), before);
  }
  SUBCASE("[0, 2, 1] twice is the identity: both go") {
    nop_net t;
    const auto inner = t.op(ops::Transpose{}, {t.relu, t.i64({0, 2, 1}, "p1")}, "inner");
    t.result(t.op(ops::Transpose{}, {inner, t.i64({0, 2, 1}, "p2")}, "outer"));
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    const auto report = passes::nop_elimination.run(t.g);
    CHECK(fired(report, "MergeTransposes") == 1);
    CHECK(fired(report, "EliminateTranspose") == 1);
    CHECK(names_of(t.g) == strings{"out", "relu", "x"});
    CHECK(t.g.node(t.relu.node).source_names == strings{"relu", "outer", "inner"});
    CHECK(t.g.port(t.relu).names == strings{"relu_t", "outer_t"});
    check_same(reference::evaluate(t.g, in), before);
  }
  SUBCASE("the inner Transpose has a second consumer: nothing merges") {
    nop_net t;
    const auto inner = t.op(ops::Transpose{}, {t.relu, t.i64({1, 2, 0}, "p1")}, "inner");
    t.result(t.op(ops::Transpose{}, {inner, t.i64({1, 2, 0}, "p2")}, "outer"), "out0");
    t.result(inner, "out1");
    expect_untouched(t);
  }
  SUBCASE("an empty inner order (reverse) is left alone") {
    nop_net t;
    const auto inner =
        t.op(ops::Transpose{}, {t.relu, t.constant(tensor::from_values<std::int64_t>({0}, {}), "p1")}, "inner");
    t.result(t.op(ops::Transpose{}, {inner, t.i64({1, 0, 2}, "p2")}, "outer"));
    expect_untouched(t);
  }
}

// ---- common-subexpression elimination --------------------------------------------------------

TEST_CASE("CSE: identical ops on identical inputs are computed once") {
  net t({2, 3});
  const auto a = t.op(ops::Relu{}, {t.x}, "a");
  const auto b = t.op(ops::Relu{}, {t.x}, "b");
  const node_id out_a = t.result(a, "out_a");
  const node_id out_b = t.result(b, "out_b");
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto report = passes::common_subexpression_elimination.run(t.g);
  CHECK(report.name == "CommonSubexpressionElimination");
  CHECK(report.changes == 1);
  CHECK(names_of(t.g) == strings{"a", "out_a", "out_b", "x"});
  CHECK(t.g.node(out_a).inputs.at(0) == a);
  CHECK(t.g.node(out_b).inputs.at(0) == a);
  CHECK(t.g.results() == std::vector<node_id>{out_a, out_b});
  CHECK(t.g.node(a.node).source_names == strings{"a", "b"});
  CHECK(t.g.port(a).names == strings{"a_t", "b_t"});
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("CSE: merging cascades to consumers that became identical") {
  net t({2, 3});
  const auto a = t.op(ops::Relu{}, {t.x}, "a");
  const auto b = t.op(ops::Relu{}, {t.x}, "b");
  const auto sa = t.op(ops::Sigmoid{}, {a}, "sa");
  const auto sb = t.op(ops::Sigmoid{}, {b}, "sb");
  t.result(t.op(ops::Subtract{}, {sa, sb}, "diff"));
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::eliminate_common_subexpressions(t.g) == 2);
  CHECK(op_counts(t.g) == "ReLU:1 Sigmoid:1 Subtract:1");
  const node_id diff = find(t.g, "diff");
  CHECK(t.g.node(diff).inputs == std::vector<output_ref>{sa, sa});
  CHECK(t.g.node(sa.node).inputs.at(0) == a);
  CHECK(t.g.node(sa.node).source_names == strings{"sa", "sb"});
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("CSE: identical constants are stored once, and their users then merge") {
  net t({2, 3});
  const auto c1 = t.f32({1, 2, 3}, {3}, "c1");
  const auto c2 = t.f32({1, 2, 3}, {3}, "c2");
  const auto add1 = t.op(ops::Add{}, {t.x, c1}, "add1");
  const auto add2 = t.op(ops::Add{}, {t.x, c2}, "add2");
  t.result(add1, "out1");
  t.result(add2, "out2");
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::common_subexpression_elimination.run(t.g).changes == 2);
  CHECK(names_of(t.g) == strings{"add1", "c1", "out1", "out2", "x"});
  CHECK(t.g.node(add1.node).inputs == std::vector<output_ref>{t.x, c1});
  CHECK(t.g.node(c1.node).source_names == strings{"c1", "c2"});
  CHECK(t.g.node(find(t.g, "out2")).inputs.at(0) == add1);
  CHECK(t.g.port(add1).names == strings{"add1_t", "add2_t"});
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("CSE: constants with the same bytes but another type, shape or value stay apart") {
  net t({2, 2});
  const std::uint32_t one_bits = 0x3f800000u; // 1.0f
  t.result(t.f32({1, 1}, {2}, "f32_ones"), "o1");
  t.result(t.constant(tensor::from_values<std::int32_t>({2}, {static_cast<std::int32_t>(one_bits),
                                                             static_cast<std::int32_t>(one_bits)}),
                      "i32_same_bytes"),
           "o2");
  t.result(t.f32({1, 1}, {1, 2}, "f32_ones_1x2"), "o3");
  t.result(t.f32({1, 2}, {2}, "f32_other_value"), "o4");
  t.result(t.x, "o5");
  const auto nodes = t.g.nodes();
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::common_subexpression_elimination.run(t.g).changes == 0);
  CHECK(t.g.nodes() == nodes);
  CHECK(count_of(t.g, "Const") == 4);
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("CSE: ops that differ in an attribute, in rt_info, or in input order stay apart") {
  const auto expect_none_merged = [](net& t) {
    const auto nodes = t.g.nodes();
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::common_subexpression_elimination.run(t.g).changes == 0);
    CHECK(t.g.nodes() == nodes);
    check_same(reference::evaluate(t.g, in), before);
  };
  SUBCASE("Clamp(0, 6) vs Clamp(0, 5)") {
    net t({2, 3});
    t.result(t.op(ops::Clamp(0, 6), {t.x}, "a"), "o1");
    t.result(t.op(ops::Clamp(0, 5), {t.x}, "b"), "o2");
    expect_none_merged(t);
  }
  SUBCASE("Reshape special_zero true vs false (same output here, different op)") {
    net t({2, 3});
    const auto s = t.i64({2, 3}, "s");
    t.result(t.op(ops::Reshape(true), {t.x, s}, "a"), "o1");
    t.result(t.op(ops::Reshape(false), {t.x, s}, "b"), "o2");
    expect_none_merged(t);
  }
  SUBCASE("Convert to f16 vs to i32") {
    net t({2, 3});
    t.result(t.op(ops::Convert(element_type::f16), {t.x}, "a"), "o1");
    t.result(t.op(ops::Convert(element_type::i32), {t.x}, "b"), "o2");
    expect_none_merged(t);
  }
  SUBCASE("node rt_info differs") {
    net t({2, 3});
    const auto a = t.op(ops::Relu{}, {t.x}, "a");
    const auto b = t.op(ops::Relu{}, {t.x}, "b");
    t.g.node(b.node).rt_info = {{"decompression", ""}};
    t.result(a, "o1");
    t.result(b, "o2");
    expect_none_merged(t);
  }
  SUBCASE("same node rt_info values but a different value") {
    net t({2, 3});
    const auto a = t.op(ops::Relu{}, {t.x}, "a");
    const auto b = t.op(ops::Relu{}, {t.x}, "b");
    t.g.node(a.node).rt_info = {{"tag", "1"}};
    t.g.node(b.node).rt_info = {{"tag", "2"}};
    t.result(a, "o1");
    t.result(b, "o2");
    expect_none_merged(t);
  }
  SUBCASE("Subtract(x, y) vs Subtract(y, x)") {
    net t({2, 3});
    const auto y = t.param("y", {2, 3});
    t.result(t.op(ops::Subtract{}, {t.x, y}, "a"), "o1");
    t.result(t.op(ops::Subtract{}, {y, t.x}, "b"), "o2");
    expect_none_merged(t);
  }
  SUBCASE("the same op on different outputs of one node") {
    net t({4, 3});
    const auto split = t.op(ops::Split(2), {t.x, t.constant(tensor::scalar<std::int64_t>(0), "axis")}, "split");
    t.result(t.op(ops::Relu{}, {split}, "a"), "o1");
    t.result(t.op(ops::Relu{}, {output_ref{split.node, 1}}, "b"), "o2");
    expect_none_merged(t);
  }
}

TEST_CASE("CSE: equal node rt_info merges") {
  net t({2, 3});
  const auto a = t.op(ops::Relu{}, {t.x}, "a");
  const auto b = t.op(ops::Relu{}, {t.x}, "b");
  t.g.node(a.node).rt_info = {{"tag", "1"}};
  t.g.node(b.node).rt_info = {{"tag", "1"}};
  t.result(a, "o1");
  t.result(b, "o2");
  CHECK(passes::common_subexpression_elimination.run(t.g).changes == 1);
  CHECK(!has(t.g, "b"));
}

TEST_CASE("CSE: Parameters and Results are never merged") {
  net t({2, 3});
  const auto y = t.param("y", {2, 3}); // the same type and shape as x
  const auto rx = t.op(ops::Relu{}, {t.x}, "rx");
  const auto ry = t.op(ops::Relu{}, {y}, "ry");
  const node_id o1 = t.result(rx, "o1");
  const node_id o2 = t.result(rx, "o2"); // two Results of one tensor
  const node_id o3 = t.result(ry, "o3");
  const node_id o4 = t.result(t.x, "o4");
  const node_id o5 = t.result(y, "o5");
  const auto nodes = t.g.nodes();
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::common_subexpression_elimination.run(t.g).changes == 0);
  CHECK(t.g.nodes() == nodes);
  CHECK(t.g.parameters() == std::vector<node_id>{t.x.node, y.node});
  CHECK(t.g.results() == std::vector<node_id>{o1, o2, o3, o4, o5});
  CHECK(t.g.node(o2).inputs.at(0) == rx);
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("CSE: a duplicate multi-output op is merged output by output") {
  net t({4, 3});
  const auto axis = t.constant(tensor::scalar<std::int64_t>(0), "axis");
  const auto s1 = t.op(ops::Split(2), {t.x, axis}, "split1");
  const auto s2 = t.op(ops::Split(2), {t.x, axis}, "split2");
  const auto d = t.op(ops::Subtract{}, {output_ref{s2.node, 1}, output_ref{s2.node, 0}}, "d");
  t.result(t.op(ops::Add{}, {output_ref{s1.node, 0}, d}, "sum"));
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::common_subexpression_elimination.run(t.g).changes == 1);
  CHECK(!has(t.g, "split2"));
  CHECK(t.g.node(d.node).inputs == std::vector<output_ref>{{s1.node, 1}, {s1.node, 0}});
  CHECK(t.g.port({s1.node, 0}).names == strings{"split1_t0", "split2_t0"});
  CHECK(t.g.port({s1.node, 1}).names == strings{"split1_t1", "split2_t1"});
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("CSE: many distinct nodes (the table grows past its first size) are all kept") {
  net t({2, 3});
  std::vector<node_id> outs;
  for (int i = 0; i < 40; ++i)
    outs.push_back(t.result(t.op(ops::Clamp(-i, i), {t.x}, "clamp" + std::to_string(i)), "o" + std::to_string(i)));
  // ... and one duplicate of each
  for (int i = 0; i < 40; ++i)
    t.result(t.op(ops::Clamp(-i, i), {t.x}, "dup" + std::to_string(i)), "d" + std::to_string(i));
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::common_subexpression_elimination.run(t.g).changes == 40);
  CHECK(count_of(t.g, "Clamp") == 40);
  for (int i = 0; i < 40; ++i) {
    CHECK(has(t.g, "clamp" + std::to_string(i)));
    CHECK(t.g.node(find(t.g, "d" + std::to_string(i))).inputs.at(0).node == find(t.g, "clamp" + std::to_string(i)));
  }
  check_same(reference::evaluate(t.g, in), before);
}

// ---- constant folding ------------------------------------------------------------------------

TEST_CASE("ConstantFolding: a chain of known ops becomes one Const with the last op's name") {
  net t({3});
  const auto add = t.op(ops::Add{}, {t.f32({1, 2, 3}, {3}, "c1"), t.f32({10, 20, 30}, {3}, "c2")}, "add");
  const auto mul = t.op(ops::Multiply{}, {add, t.f32({2}, {}, "c3")}, "mul");
  t.g.port(mul).rt_info = {{"layout", "C"}};
  const auto use = t.op(ops::Add{}, {t.x, mul}, "use");
  t.result(use);
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto report = passes::constant_folding.run(t.g);
  CHECK(report.name == "ConstantFolding");
  CHECK(report.changes == 2);
  CHECK(names_of(t.g) == strings{"mul", "out", "use", "x"});
  const node_id c = find(t.g, "mul");
  CHECK(t.g.node(c).op.is<ops::Constant>());
  CHECK(t.g.node(c).op.get<ops::Constant>().value.same_content(tensor::from_values<float>({3}, {22, 44, 66})));
  CHECK(t.g.node(c).source_names == strings{"mul"});
  CHECK(t.g.port({c, 0}).names == strings{"mul_t"});
  CHECK(t.g.port({c, 0}).rt_info == std::vector<std::pair<std::string, std::string>>{{"layout", "C"}});
  CHECK(t.g.node(use.node).inputs.at(1) == output_ref{c, 0});
  CHECK(nothing_dangling(t.g));
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("ConstantFolding: values shape inference already knows (Reshape of a Const)") {
  net t({2, 3});
  const auto r = t.op(ops::Reshape(false), {t.f32({1, 2, 3, 4, 5, 6}, {6}, "c"), t.i64({2, 3}, "s")}, "reshape");
  t.result(t.op(ops::Add{}, {t.x, r}, "use"));
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::constant_folding.run(t.g).changes == 1);
  const node_id c = find(t.g, "reshape");
  REQUIRE(t.g.node(c).op.is<ops::Constant>());
  CHECK(t.g.node(c).op.get<ops::Constant>().value.same_content(tensor::from_values<float>({2, 3}, {1, 2, 3, 4, 5, 6})));
  CHECK(!has(t.g, "c"));
  CHECK(!has(t.g, "s"));
  check_same(reference::evaluate(t.g, in), before);
}

TEST_CASE("ConstantFolding: a multi-output op gives one Const per used output") {
  SUBCASE("both outputs used") {
    net t({2});
    const auto split =
        t.op(ops::Split(2), {t.f32({1, 2, 3, 4}, {4}, "c"), t.constant(tensor::scalar<std::int64_t>(0), "axis")},
             "split");
    t.result(t.op(ops::Subtract{}, {output_ref{split.node, 1}, output_ref{split.node, 0}}, "d"));
    CHECK(passes::constant_folding.run(t.g).changes == 2); // the Split, then the Subtract of two Consts
    CHECK(!has(t.g, "split"));
    const node_id c = find(t.g, "d");
    REQUIRE(t.g.node(c).op.is<ops::Constant>());
    CHECK(t.g.node(c).op.get<ops::Constant>().value.same_content(tensor::from_values<float>({2}, {2, 2})));
  }
  SUBCASE("one output used, the Subtract has a Parameter input") {
    net t({2});
    const auto split =
        t.op(ops::Split(2), {t.f32({1, 2, 3, 4}, {4}, "c"), t.constant(tensor::scalar<std::int64_t>(0), "axis")},
             "split");
    t.result(t.op(ops::Subtract{}, {output_ref{split.node, 1}, t.x}, "d"));
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::constant_folding.run(t.g).changes == 1);
    CHECK(names_of(t.g) == strings{"d", "out", "split/out1", "x"});
    const node_id c = find(t.g, "split/out1");
    CHECK(t.g.node(c).op.get<ops::Constant>().value.same_content(tensor::from_values<float>({2}, {3, 4})));
    CHECK(t.g.node(c).source_names == strings{"split"});
    CHECK(t.g.port({c, 0}).names == strings{"split_t1"});
    check_same(reference::evaluate(t.g, in), before);
  }
}

TEST_CASE("ConstantFolding: what is not folded") {
  const auto expect_none = [](net& t) {
    const auto nodes = t.g.nodes();
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::constant_folding.run(t.g).changes == 0);
    CHECK(t.g.nodes() == nodes);
    check_same(reference::evaluate(t.g, in), before);
  };
  SUBCASE("an input comes from a Parameter") {
    net t({3});
    t.result(t.op(ops::Add{}, {t.x, t.f32({1, 2, 3}, {3}, "c")}, "add"));
    expect_none(t);
  }
  SUBCASE("weight decompression (a Convert marked decompression) is kept") {
    net t({3});
    const auto w = t.constant(tensor::from_values<std::int8_t>({3}, {1, -2, 3}), "w");
    const auto cvt = t.op(ops::Convert(element_type::f32), {w}, "decompress");
    t.g.node(cvt.node).rt_info = {{"decompression", ""}};
    t.result(t.op(ops::Multiply{}, {t.x, cvt}, "mul"));
    expect_none(t);
    CHECK(t.g.node(cvt.node).op.is<ops::Convert>());
  }
  SUBCASE("the same Convert without the mark folds") {
    net t({3});
    const auto w = t.constant(tensor::from_values<std::int8_t>({3}, {1, -2, 3}), "w");
    t.result(t.op(ops::Multiply{}, {t.x, t.op(ops::Convert(element_type::f32), {w}, "convert")}, "mul"));
    CHECK(passes::constant_folding.run(t.g).changes == 1);
    const node_id c = find(t.g, "convert");
    REQUIRE(t.g.node(c).op.is<ops::Constant>());
    CHECK(t.g.node(c).op.get<ops::Constant>().value.same_content(tensor::from_values<float>({3}, {1, -2, 3})));
  }
  SUBCASE("an op whose kernel fails (integer division by zero) is left for the runtime") {
    net t({2});
    const auto div = t.op(ops::Divide{},
                          {t.constant(tensor::from_values<std::int32_t>({2}, {1, 2}), "a"),
                           t.constant(tensor::from_values<std::int32_t>({2}, {0, 1}), "b")},
                          "div");
    t.result(div);
    const auto nodes = t.g.nodes();
    CHECK(passes::constant_folding.run(t.g).changes == 0);
    CHECK(t.g.nodes() == nodes);
    CHECK(t.g.node(div.node).op.is<ops::Divide>());
  }
  SUBCASE("an op nobody uses") {
    net t({3});
    t.op(ops::Add{}, {t.f32({1}, {1}, "a"), t.f32({2}, {1}, "b")}, "dead");
    t.result(t.x);
    const auto nodes = t.g.nodes();
    CHECK(passes::constant_folding.run(t.g).changes == 0);
    CHECK(t.g.nodes() == nodes);
  }
}

TEST_CASE("ConstantFolding: the size cap keeps a growing result unfolded") {
  // Broadcast of a [4] f32 constant (16 bytes) with an i64 [2] target (16
  // bytes): 32 input bytes, so a result up to 32 bytes always folds.
  const auto make = [](std::int64_t rows) {
    net t({rows, 4});
    const auto b =
        t.op(ops::Broadcast{}, {t.f32({1, 2, 3, 4}, {4}, "c"), t.i64({rows, 4}, "target")}, "broadcast");
    t.result(t.op(ops::Add{}, {t.x, b}, "use"));
    return t;
  };
  const auto folded = [](const graph& g) { return g.node(find(g, "broadcast")).op.is<ops::Constant>(); };
  SUBCASE("no larger than the inputs: folds even with cap 0") {
    net t = make(2); // 32 bytes
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::fold_constants(t.g, {.cap_bytes = 0}) == 1);
    CHECK(folded(t.g));
    CHECK(t.g.node(find(t.g, "broadcast"))
              .op.get<ops::Constant>()
              .value.same_content(tensor::from_values<float>({2, 4}, {1, 2, 3, 4, 1, 2, 3, 4})));
    check_same(reference::evaluate(t.g, in), before);
  }
  SUBCASE("larger than the inputs, above the cap: stays") {
    net t = make(3); // 48 bytes
    const auto nodes = t.g.nodes();
    CHECK(passes::fold_constants(t.g, {.cap_bytes = 47}) == 0);
    CHECK(t.g.nodes() == nodes);
    CHECK(t.g.node(find(t.g, "broadcast")).op.is<ops::Broadcast>());
  }
  SUBCASE("larger than the inputs, exactly the cap: folds") {
    net t = make(3);
    const auto in = inputs_for(t.g);
    const auto before = reference::evaluate(t.g, in);
    CHECK(passes::fold_constants(t.g, {.cap_bytes = 48}) == 1);
    CHECK(folded(t.g));
    check_same(reference::evaluate(t.g, in), before);
  }
  SUBCASE("the pass's default cap is 1 MiB") {
    CHECK(passes::constant_folding_options{}.cap_bytes == (1u << 20));
    {
      net t = make(65536); // 65536 * 4 * 4 bytes = 1 MiB exactly
      CHECK(passes::constant_folding.run(t.g).changes == 1);
      CHECK(folded(t.g));
    }
    {
      net t = make(65537); // 16 bytes over
      CHECK(passes::constant_folding.run(t.g).changes == 0);
      CHECK(!folded(t.g));
    }
  }
}

// ---- dead-code elimination -------------------------------------------------------------------

TEST_CASE("DeadCodeElimination: removes what no Result needs, keeps every Parameter") {
  net t({2, 3});
  const auto unused = t.param("unused", {5});
  const auto c = t.f32({1, 2, 3}, {3}, "c"); // used by live and dead nodes
  const auto live = t.op(ops::Add{}, {t.x, c}, "live");
  t.result(live);
  const auto d1 = t.op(ops::Sigmoid{}, {live}, "dead1"); // consumes a live node
  t.op(ops::Tanh{}, {d1}, "dead2");
  t.op(ops::Multiply{}, {t.x, t.f32({2}, {}, "dead_c")}, "dead3");
  t.op(ops::Relu{}, {unused}, "dead4");
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  const auto report = passes::dead_code_elimination.run(t.g);
  CHECK(report.name == "DeadCodeElimination");
  CHECK(report.changes == 5);
  CHECK(names_of(t.g) == strings{"c", "live", "out", "unused", "x"});
  CHECK(t.g.parameters() == std::vector<node_id>{t.x.node, unused.node});
  CHECK(t.g.consumer_count(live) == 1);
  CHECK(t.g.consumer_count(unused) == 0);
  check_same(reference::evaluate(t.g, in), before);
  // A second run finds nothing.
  CHECK(passes::eliminate_dead_code(t.g) == 0);
  CHECK(names_of(t.g) == strings{"c", "live", "out", "unused", "x"});
}

TEST_CASE("DeadCodeElimination: a node with one used output stays whole") {
  net t({4, 3});
  const auto split = t.op(ops::Split(2), {t.x, t.constant(tensor::scalar<std::int64_t>(0), "axis")}, "split");
  t.result(split); // output 0 only
  const auto nodes = t.g.nodes();
  CHECK(passes::eliminate_dead_code(t.g) == 0);
  CHECK(t.g.nodes() == nodes);
  CHECK(t.g.node(split.node).outputs.size() == 2);
}

TEST_CASE("DeadCodeElimination: a graph without dead code is left as it was") {
  net t({2, 3});
  const auto a = t.op(ops::Relu{}, {t.x}, "a");
  t.result(a, "o1");
  t.result(t.op(ops::Sigmoid{}, {a}, "b"), "o2");
  const auto nodes = t.g.nodes();
  const auto in = inputs_for(t.g);
  const auto before = reference::evaluate(t.g, in);
  CHECK(passes::dead_code_elimination.run(t.g).changes == 0);
  CHECK(t.g.nodes() == nodes);
  check_same(reference::evaluate(t.g, in), before);
}

} // namespace
} // namespace test_passes_tests
