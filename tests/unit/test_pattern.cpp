// The pattern DSL, rules, passes and pipelines.
#include <doctest/doctest.h>

#include "irforge/ops/standard.hpp"
#include "irforge/passes/dead_code_elimination.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/pattern/match.hpp"

using namespace irforge;
using namespace irforge::pattern;

namespace test_pattern_tests {  // unity-build scope

namespace {
struct conv_graph {
  graph g;
  node_id x, w, conv, scale, mul, relu;
  conv_graph() {
    x = g.add(ops::Parameter{partial_shape{1, 3, 8, 8}, element_type::f32}, {}, "x");
    w = g.add(ops::Constant(tensor::allocate(element_type::f32, {4, 3, 3, 3})), {}, "w");
    conv = g.add(ops::Convolution({1, 1}, {1, 1}, {1, 1}, {1, 1}), {{x, 0}, {w, 0}}, "conv");
    scale = g.add(ops::Constant(tensor::allocate(element_type::f32, {1, 4, 1, 1})), {}, "scale");
    mul = g.add(ops::Multiply{}, {{scale, 0}, {conv, 0}}, "mul");
    relu = g.add(ops::Relu{}, {{mul, 0}}, "relu");
    g.add(ops::Result{}, {{relu, 0}}, "out");
  }
};
} // namespace

TEST_CASE("pattern: ops, anything, constants, typed captures") {
  conv_graph t;
  constexpr auto p = op<ops::Multiply, "mul">(constant<"s">, op<ops::Convolution, "conv">(any<"x">, constant<"w">));
  const auto m = match_at(p, t.g, t.mul);
  REQUIRE(m);
  CHECK(node<"conv">(*m) == t.conv);
  CHECK(get<"conv">(*m).strides == std::vector<std::int64_t>{1, 1}); // the op itself, typed
  CHECK(out<"x">(*m) == output_ref{t.x, 0});
  CHECK(value<"w">(*m).dims() == shape{4, 3, 3, 3});
  CHECK(m->root() == t.mul);
  // input order matters unless the op is declared commutative
  constexpr auto swapped = op<ops::Multiply>(op<ops::Convolution>(_, _), constant<>);
  CHECK_FALSE(match_at(swapped, t.g, t.mul));
  CHECK(match_at(swapped.commutative(), t.g, t.mul));
  // a parameter is not a constant
  CHECK_FALSE(match_at(op<ops::Convolution>(constant<>, _), t.g, t.conv));
  // the root must be of the op type
  CHECK_FALSE(match_at(op<ops::Relu>(_), t.g, t.mul));
}

TEST_CASE("pattern: predicates compose and are named") {
  conv_graph t;
  CHECK(match_at(op<ops::Convolution>(_, _).where(single_use), t.g, t.conv));
  CHECK(match_at(op<ops::Convolution>(_, _).where(rank<4> && type_is<element_type::f32> && static_shape), t.g, t.conv));
  CHECK_FALSE(match_at(op<ops::Convolution>(_, _).where(rank<3> || type_is<element_type::f16>), t.g, t.conv));
  CHECK(match_at(op<ops::Convolution>(_, _).where(!consumers<2>), t.g, t.conv));
  CHECK(match_at(op<ops::Convolution>(_, _).where(attribute<&ops::Convolution::auto_pad>(ops::pad_type::explicit_)), t.g,
                 t.conv));
  constexpr auto four_channels =
      predicate<"four_channels">([](const graph& g, output_ref r) { return g.info(r).shape[1] == dimension(4); });
  CHECK(match_at(op<ops::Convolution>(_, constant<>.where(known_value)).where(four_channels), t.g, t.conv));
  CHECK(decltype(four_channels)::name() == "four_channels");
  CHECK((rank<4> && !single_use).name() == "(rank<4> && !single_use)");
  // a second consumer breaks single_use
  t.g.add(ops::Result{}, {{t.conv, 0}}, "second");
  CHECK_FALSE(match_at(op<ops::Convolution>(_, _).where(single_use), t.g, t.conv));
}

TEST_CASE("pattern: maybe<> and alt()") {
  conv_graph t;
  constexpr auto p = op<ops::Relu>(maybe<ops::Multiply, "mul">(op<ops::Convolution, "conv">(_, _), constant<"s">).commutative());
  const auto m = match_at(p, t.g, t.relu);
  REQUIRE(m);
  CHECK(has<"mul">(*m));
  CHECK(node<"conv">(*m) == t.conv);
  // Without the Multiply, maybe<> matches its inner pattern directly.
  graph g;
  auto x = g.add(ops::Parameter{partial_shape{1, 3, 8, 8}, element_type::f32}, {}, "x");
  auto w = g.add(ops::Constant(tensor::allocate(element_type::f32, {4, 3, 3, 3})), {}, "w");
  auto c = g.add(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), {{x, 0}, {w, 0}}, "c");
  auto r = g.add(ops::Relu{}, {{c, 0}}, "r");
  const auto m2 = match_at(p, g, r);
  REQUIRE(m2);
  CHECK_FALSE(has<"mul">(*m2));
  CHECK_THROWS_AS((void)out<"mul">(*m2), error);
  CHECK(node<"conv">(*m2) == c);

  constexpr auto either = op<ops::Relu>(alt(op<ops::Convolution, "conv">(_, _), op<ops::Multiply, "mul">(_, _)));
  const auto a1 = match_at(either, t.g, t.relu);
  REQUIRE(a1);
  CHECK(has<"mul">(*a1));
  CHECK_FALSE(has<"conv">(*a1));
  const auto a2 = match_at(either, g, r);
  REQUIRE(a2);
  CHECK(has<"conv">(*a2));
}

TEST_CASE("pattern: a failed try leaves no captures behind") {
  conv_graph t; // relu(mul(scale, conv(x, w)))
  // The first alternative matches Multiply and its first input, then fails on
  // the second: none of its captures may survive into the match.
  constexpr auto p = op<ops::Relu>(alt(op<ops::Multiply, "m1">(constant<"k">, op<ops::Relu, "r">(_)),
                                       op<ops::Multiply, "m2">(_, op<ops::Convolution, "conv">(_, _))));
  const auto m = match_at(p, t.g, t.relu);
  REQUIRE(m);
  CHECK_FALSE(has<"m1">(*m));
  CHECK_FALSE(has<"k">(*m));
  CHECK(has<"m2">(*m));
  CHECK(node<"conv">(*m) == t.conv);
  // The same for the first order of a commutative op that fails half-way:
  // (scale, conv) stores "k" and then fails; (conv, scale) matches "cv".
  constexpr auto q = op<ops::Multiply>(alt(constant<"k">, op<ops::Convolution, "cv">(_, _)), constant<>).commutative();
  const auto n = match_at(q, t.g, t.mul);
  REQUIRE(n);
  CHECK_FALSE(has<"k">(*n));
  CHECK(node<"cv">(*n) == t.conv);

  // In a pass, one rule's captures never leak into the next rule's match.
  std::size_t seen_without_mul = 0;
  const auto first = rule<"First">(op<ops::Relu>(op<ops::Multiply, "mul">(_, _)), [](const auto&, graph&) { return false; });
  const auto second = rule<"Second">(op<ops::Relu>(maybe<ops::Multiply, "mul">(any<"x">, constant<"s">)),
                                     [&](const auto& match, graph&) {
                                       if (!has<"mul">(match)) ++seen_without_mul;
                                       return false;
                                     });
  graph g;
  auto x = g.add(ops::Parameter{partial_shape{1, 4}, element_type::f32}, {}, "x");
  auto a = g.add(ops::Relu{}, {{x, 0}}, "a");
  g.add(ops::Result{}, {{a, 0}}, "out");
  (void)rewrite<"Both">(first, second).run(t.g); // mul(scale, conv): "Second" matches without its Multiply
  (void)rewrite<"Both">(first, second).run(g);
  CHECK(seen_without_mul == 2);
}

namespace {
// Relu(Relu(x)) -> Relu(x)
inline constexpr auto drop_double_relu =
    rule<"DropDoubleRelu">(op<ops::Relu, "outer">(op<ops::Relu, "inner">(any<"x">)), [](const auto& m, graph& g) {
      g.replace_uses(out<"outer">(m), out<"inner">(m));
      return true;
    });
// Declines always: must leave the graph as it was.
inline constexpr auto never = rule<"Never">(op<ops::Relu>(_), [](const auto&, graph&) { return false; });

graph relu_chain(int n) {
  graph g;
  auto x = g.add(ops::Parameter{partial_shape{2}, element_type::f32}, {}, "x");
  output_ref cur{x, 0};
  for (int i = 0; i < n; ++i) cur = {g.add(ops::Relu{}, {cur}, "r" + std::to_string(i)), 0};
  g.add(ops::Result{}, {cur}, "out");
  return g;
}
} // namespace

TEST_CASE("rules run to a fixed point, report what fired, and can be switched off by name") {
  graph g = relu_chain(6);
  constexpr auto pipe = pipeline(rewrite<"Cleanup">(never, drop_double_relu), passes::dead_code_elimination);
  const auto report = pipe.run(g);
  CHECK(g.size() == 3); // x, one ReLU, out
  CHECK(report.fired("DropDoubleRelu") == 5);
  CHECK(report.fired("Never") == 0);
  REQUIRE(report.passes.size() == 2);
  CHECK(report.passes[0].name == "Cleanup");
  CHECK(report.passes[0].nodes_before == 8);
  CHECK(report.passes[0].nodes_after == 3);
  CHECK(report.passes[1].name == "DeadCodeElimination");

  graph h = relu_chain(4);
  const auto skipped = pipe.run(h, {.disabled = {"Cleanup"}});
  CHECK(h.size() == 6);
  CHECK(skipped.passes[0].skipped);
  graph k = relu_chain(4);
  pipe.run(k, {.disabled = {"DropDoubleRelu"}}); // a rule by name
  CHECK(k.size() == 6);
}

TEST_CASE("a pass is linear: a long chain is rewritten in one sweep") {
  graph g = relu_chain(20000);
  const auto report = pipeline(drop_double_relu).run(g);
  CHECK(g.size() == 3);
  CHECK(report.fired("DropDoubleRelu") == 19999);
  CHECK(report.passes[0].milliseconds < 5000);
}

} // namespace test_pattern_tests
