// irforge — a rule: a pattern plus a rewrite.
//
//   inline constexpr auto drop_double_relu = irforge::rule<"DropDoubleRelu">(
//       op<ops::Relu, "outer">(op<ops::Relu, "inner">(any<"x">)),
//       [](const auto& m, irforge::graph& g) {
//         g.replace_uses(out<"outer">(m), out<"inner">(m)); // consumers of the outer ReLU read the inner one
//         return true;
//       });
//
// The rewrite returns true when it changed the graph; one that declines
// returns false and must leave the graph untouched.
#pragma once

#include <concepts>
#include <string_view>

#include "irforge/core/graph.hpp"
#include "irforge/pattern/match.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge {

template <fixed_string Name, pattern::Pattern P, class Rewrite> struct rule_t {
  P pattern;
  Rewrite rewrite;
  static constexpr std::string_view name = Name.view();
  static constexpr auto fixed_name = Name;
  using root_op = typename P::op_type;
  using match_type = pattern::match<P>;
};

/// A rule named Name: when `pattern` matches at a node, `rewrite(match, graph)` runs.
template <fixed_string Name, class P, class Rewrite> constexpr auto rule(P pattern, Rewrite rewrite) {
  static_assert(pattern::Pattern<P>, "irforge::rule: the pattern must be rooted at an op: op<T, \"name\">(inputs...)");
  static_assert(!Name.empty(), "irforge::rule<\"Name\">: give the rule a name (reports and --disable use it)");
  static_assert(std::is_invocable_r_v<bool, Rewrite&, const pattern::match<P>&, graph&>,
                "irforge::rule: the rewrite must be callable as bool(const auto& match, irforge::graph& g)");
  return rule_t<Name, P, Rewrite>{pattern, rewrite};
}

template <class R> struct is_rule : std::false_type {};
template <fixed_string N, class P, class F> struct is_rule<rule_t<N, P, F>> : std::true_type {};

/// A rule made with irforge::rule<"Name">(pattern, rewrite).
template <class R>
concept Rule = is_rule<R>::value;

} // namespace irforge
