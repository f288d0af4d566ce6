// The graph: building, inference on add, consumers, rewiring, removal, order, cycles.
#include <doctest/doctest.h>

#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"

using namespace irforge;

namespace test_graph_tests {  // unity-build scope: file-local helpers stay apart

namespace {
// A tiny test op: elementwise, two inputs of equal shape.
struct TestAdd {
  static constexpr std::string_view type_name = "TestAdd";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(TestAdd, (std::int64_t, tag));
  void infer(infer_context& ctx) const {
    ctx.require(ctx.input_shape(0) == ctx.input_shape(1), "shapes differ");
    ctx.set_output(0, ctx.input_type(0), ctx.input_shape(0));
  }
};
static_assert(check_layer<TestAdd>());
static_assert(Layer<ops::Parameter> && Layer<ops::Result> && Layer<ops::Constant> && Layer<ops::generic_op>);

node_id param(graph& g, const std::string& name, shape s) {
  return g.add(ops::Parameter{partial_shape(s), element_type::f32}, {}, name);
}
} // namespace

TEST_CASE("nodes infer on add; consumers and rewiring") {
  graph g("m");
  auto a = param(g, "a", {2, 3});
  auto b = param(g, "b", {2, 3});
  auto s = g.add(TestAdd{1}, {{a, 0}, {b, 0}}, "sum");
  auto r = g.add(ops::Result{}, {{s, 0}}, "sum/sink_port_0");
  CHECK(g.info({s, 0}).shape == partial_shape{2, 3});
  CHECK(g.info({s, 0}).type == element_type::f32);
  CHECK(g.parameters() == std::vector<node_id>{a, b});
  CHECK(g.results() == std::vector<node_id>{r});
  CHECK(g.consumers({a, 0}) == std::vector<input_ref>{{s, 0}});
  CHECK(g.input(s, 1) == output_ref{b, 0});

  // Add(a, a): parallel edges are two consumers.
  auto twice = g.add(TestAdd{2}, {{a, 0}, {a, 0}}, "twice");
  CHECK(g.consumer_count(output_ref{a, 0}) == 3);
  g.set_input(twice, 1, {b, 0});
  CHECK(g.consumer_count(output_ref{a, 0}) == 2);
  CHECK(g.input(twice, 0) == output_ref{a, 0});
  CHECK(g.input(twice, 1) == output_ref{b, 0});

  g.port({s, 0}).names = {"sum_tensor"};
  g.replace_uses({s, 0}, {twice, 0});
  CHECK(g.input(r, 0) == output_ref{twice, 0});
  CHECK(g.port({twice, 0}).names == std::vector<std::string>{"sum_tensor"});
  CHECK(g.port({s, 0}).names.empty());
  CHECK_THROWS_AS(g.remove(a), error); // still used
  g.remove(s);
  CHECK_FALSE(g.alive(s));
  CHECK(g.size() == 4);
  CHECK_THROWS_AS((void)g.node(s), error);
  CHECK(g.nodes() == std::vector<node_id>{a, b, r, twice});
  auto order = g.topological_order();
  CHECK(order == std::vector<node_id>{a, b, twice, r});
}

TEST_CASE("bad construction is an error naming the node") {
  graph g;
  auto a = param(g, "a", {2, 3});
  auto b = param(g, "b", {4});
  CHECK_THROWS_WITH_AS(g.add(TestAdd{}, {{a, 0}, {b, 0}}, "bad"), "node 'bad' (TestAdd): shapes differ", error);
  CHECK_THROWS_WITH_AS(g.add(TestAdd{}, {{a, 0}}, "few"), "node 'few' (TestAdd): TestAdd takes 2 inputs, got 1", error);
  CHECK_THROWS_AS(g.add(TestAdd{}, {{a, 0}, {a, 5}}, "port"), error);
  CHECK_THROWS_AS(g.add(TestAdd{}, {{a, 0}, {77, 0}}, "nowhere"), error);
  CHECK(g.size() == 2); // failed adds leave nothing behind
}

TEST_CASE("a cycle is an error that names a node on it") {
  graph g;
  auto a = param(g, "a", {1});
  auto x = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "x");
  auto y = g.add(TestAdd{}, {{x, 0}, {a, 0}}, "y");
  auto z = g.add(TestAdd{}, {{y, 0}, {a, 0}}, "z");
  g.add(ops::Result{}, {{z, 0}}, "out");
  g.set_input(x, 1, {z, 0}); // x <- z <- y <- x
  try {
    (void)g.topological_order();
    FAIL("no error");
  } catch (const error& e) {
    const auto& n = e.where().node;
    CHECK((n == "x" || n == "y" || n == "z"));
    CHECK(std::string(e.what()).find("cycle") != std::string::npos);
  }
}

TEST_CASE("topological order: smallest ready id first, also for producers added after their consumers") {
  graph g;
  auto a = param(g, "a", {2});
  auto x = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "x");          // 1
  auto y = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "y");          // 2
  auto r = g.add(ops::Result{}, {{y, 0}}, "out");            // 3
  auto late = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "late");    // 4: a rewrite's new node
  auto late2 = g.add(TestAdd{}, {{late, 0}, {a, 0}}, "late2"); // 5
  g.set_input(x, 1, {late2, 0});                             // x (1) now waits for 4 and 5
  g.set_input(y, 1, {x, 0});                                 // y (2) waits for x
  // Kahn's algorithm taking the smallest ready id: a, late, late2, x, y, out.
  CHECK(g.topological_order() == std::vector<node_id>{a, late, late2, x, y, r});
  g.remove(r);
  CHECK(g.topological_order() == std::vector<node_id>{a, late, late2, x, y});
}

TEST_CASE("topological order: the cached order follows every change and every move") {
  graph g;
  auto a = param(g, "a", {2});
  auto x = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "x");
  auto y = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "y");
  CHECK(g.topological_order() == std::vector<node_id>{a, x, y});
  CHECK(g.topological_order() == std::vector<node_id>{a, x, y}); // asked twice: the cached order
  g.set_input(x, 0, {y, 0});
  CHECK(g.topological_order() == std::vector<node_id>{a, y, x});
  g.set_inputs(x, {{a, 0}, {a, 0}});
  g.set_inputs(y, {{x, 0}, {a, 0}});
  CHECK(g.topological_order() == std::vector<node_id>{a, x, y});
  auto z = g.add(TestAdd{}, {{a, 0}, {a, 0}}, "z");
  g.replace_uses({x, 0}, {z, 0});
  CHECK(g.topological_order() == std::vector<node_id>{a, x, z, y});
  g.remove(x);
  CHECK(g.topological_order() == std::vector<node_id>{a, z, y});

  // A graph assigned over another must not keep the other's order.
  graph other;
  auto p = param(other, "p", {2});
  auto q = other.add(TestAdd{}, {{p, 0}, {p, 0}}, "q");
  CHECK(other.topological_order() == std::vector<node_id>{p, q});
  other = std::move(g);
  CHECK(other.topological_order() == std::vector<node_id>{a, z, y});
  CHECK(g.topological_order().empty()); // NOLINT(bugprone-use-after-move): the moved-from state is specified
  graph copy = other;
  copy.remove(y);
  CHECK(copy.topological_order() == std::vector<node_id>{a, z});
  CHECK(other.topological_order() == std::vector<node_id>{a, z, y});
}

TEST_CASE("a graph moves without copying its nodes; a moved-from graph is empty and usable") {
  graph g("m");
  auto a = param(g, "a", {2, 3});
  auto s = g.add(TestAdd{7}, {{a, 0}, {a, 0}}, "sum");
  g.add(ops::Result{}, {{s, 0}}, "out");
  const node_data* before = &g.node(s);
  graph moved = std::move(g);
  CHECK(&moved.node(s) == before); // the same node storage, not a copy
  CHECK(moved.size() == 3);
  CHECK(moved.name() == "m");
  CHECK(moved.parameters() == std::vector<node_id>{a});
  CHECK(g.size() == 0); // NOLINT(bugprone-use-after-move): the moved-from state is specified
  CHECK(g.nodes().empty());
  CHECK(g.topological_order().empty());
  CHECK(g.parameters().empty());
  auto b = param(g, "b", {4}); // usable again
  CHECK(g.size() == 1);
  CHECK(g.node(b).name == "b");

  graph assigned;
  assigned = std::move(moved);
  CHECK(&assigned.node(s) == before);
  graph copy = assigned; // copies are deep
  CHECK(&copy.node(s) != before);
  CHECK(copy.node(s).op.get<TestAdd>().tag == 7);
  CHECK(copy.topological_order() == assigned.topological_order());
  copy.node(s).name = "renamed";
  CHECK(assigned.node(s).name == "sum");

  any_op op = TestAdd{1};
  any_op moved_op = std::move(op);
  CHECK(moved_op.is<TestAdd>());
  CHECK(moved_op.type_key() == irforge::detail::type_key<TestAdd>());
  CHECK(op.empty()); // NOLINT(bugprone-use-after-move)
  CHECK_FALSE(op.is<TestAdd>());
}

TEST_CASE("any_op: typed access, attributes, equality, registry") {
  any_op op = TestAdd{7};
  CHECK(op.is<TestAdd>());
  CHECK_FALSE(op.is<ops::Result>());
  CHECK(op.get<TestAdd>().tag == 7);
  CHECK(op.attributes() == std::vector<std::pair<std::string, std::string>>{{"tag", "7"}});
  CHECK(op.set_attribute("tag", "9"));
  CHECK_FALSE(op.set_attribute("nope", "1"));
  CHECK_THROWS_AS(op.set_attribute("tag", "x"), error);
  CHECK(op.get<TestAdd>().tag == 9);
  any_op copy = op;
  copy.get<TestAdd>().tag = 1;
  CHECK(op.get<TestAdd>().tag == 9);
  CHECK_FALSE(copy.same_as(op));
  copy.get<TestAdd>().tag = 9;
  CHECK(copy.same_as(op));

  any_op c1 = ops::Constant(tensor::from_values<float>({2}, {1, 2}));
  any_op c2 = ops::Constant(tensor::from_values<float>({2}, {1, 3}));
  CHECK_FALSE(c1.same_as(c2));
  CHECK(c1.attributes() == std::vector<std::pair<std::string, std::string>>{{"element_type", "f32"}, {"shape", "2"}});

  ops::generic_op gen;
  gen.type = "Loop";
  gen.opset = "opset5";
  any_op g1 = gen;
  CHECK(g1.type_name() == "Loop");
  CHECK(g1.is<ops::generic_op>());

  using set = op_set<ops::Parameter, ops::Result, TestAdd>;
  const auto& reg = registry<set>();
  CHECK(reg.find("TestAdd", "opset1") != nullptr);
  CHECK(reg.find("TestAdd", "opset9") != nullptr); // carried into later opsets
  CHECK(reg.find("TestAdd", "opset0") == nullptr);
  CHECK(reg.find("Nope", "opset1") == nullptr);
  CHECK(reg.find("Result", "opset1")->make().is<ops::Result>());
}

} // namespace test_graph_tests
