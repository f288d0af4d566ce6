// irforge — matching a pattern at a node, and the typed view of a match that
// a rewrite gets: `m.get<"conv">()` is the matched Convolution, by reference.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <tuple>

#include "irforge/core/graph.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::pattern {

namespace detail {
template <class L> struct tuple_of;
template <class... Cs> struct tuple_of<type_list<Cs...>> {
  using type = std::tuple<Cs...>;
};
} // namespace detail

template <class Captures> struct capture_state {
  std::array<output_ref, Captures::size> refs{};
  std::array<bool, Captures::size> present{};
};

/// The result of a successful match.
template <Pattern P> class match {
public:
  using captures = typename P::captures;
  static_assert(detail::duplicate_count<captures>::value == 0,
                "irforge::pattern: two captures of the pattern have the same name");

  match(graph& g, node_id root, capture_state<captures> state) : g_(&g), root_(root), state_(state) {}

  /// Position of capture Name (a compile error when the pattern has none).
  template <fixed_string Name> static constexpr std::size_t index() {
    constexpr auto i = detail::index_of<Name, captures>::value;
    static_assert(i >= 0, "irforge::pattern::match: the pattern has no capture with this name (check the spelling "
                          "against the names given to op<T, \"name\">, any<\"name\"> and constant<\"name\">)");
    return static_cast<std::size_t>(i);
  }
  template <fixed_string Name>
  using capture_t = std::tuple_element_t<index<Name>(), typename detail::tuple_of<captures>::type>;

  /// The capture: an op capture gives the op (T&), others the tensor (output_ref).
  template <fixed_string Name> decltype(auto) get() const {
    using C = capture_t<Name>;
    const output_ref r = out<Name>();
    if constexpr (C::kind == capture_kind::op && !std::is_void_v<typename C::op_type>)
      return g_->node(r.node).op.template get<typename C::op_type>();
    else return r; // a value, a constant, or an op of one of several types
  }
  /// The tensor a capture stands for.
  template <fixed_string Name> [[nodiscard]] output_ref out() const {
    constexpr std::size_t i = index<Name>();
    if (!state_.present[i]) throw error("capture '" + std::string(Name.view()) + "' is absent from this match");
    return state_.refs[i];
  }
  /// The node that produces a capture.
  template <fixed_string Name> [[nodiscard]] node_id node() const { return out<Name>().node; }
  /// The known value of a constant capture.
  template <fixed_string Name> [[nodiscard]] const tensor& value() const {
    static_assert(capture_t<Name>::kind == capture_kind::constant,
                  "irforge::pattern::match::value<Name>(): only constant<\"name\"> captures have a value");
    return *g_->info(out<Name>()).value;
  }
  /// False when the capture sits in a maybe<> or alt() branch that did not match.
  template <fixed_string Name> [[nodiscard]] bool has() const { return state_.present[index<Name>()]; }

  [[nodiscard]] node_id root() const { return root_; }
  [[nodiscard]] graph& g() const { return *g_; }

private:
  graph* g_;
  node_id root_;
  capture_state<captures> state_;
};

// Free accessors: inside a generic rewrite `[](const auto& m, graph& g)` they
// read `get<"conv">(m)` instead of `m.template get<"conv">()`.
template <fixed_string Name, class M> decltype(auto) get(const M& m) { return m.template get<Name>(); }
template <fixed_string Name, class M> output_ref out(const M& m) { return m.template out<Name>(); }
template <fixed_string Name, class M> node_id node(const M& m) { return m.template node<Name>(); }
template <fixed_string Name, class M> const tensor& value(const M& m) { return m.template value<Name>(); }
template <fixed_string Name, class M> bool has(const M& m) { return m.template has<Name>(); }

namespace detail {

// The overloads call each other: all are declared before any is defined.
template <class Captures, fixed_string Name, class... Preds>
bool match_node(const any_pattern<Name, Preds...>& p, const graph& g, output_ref r, capture_state<Captures>& s);
template <class Captures, fixed_string Name, class... Preds>
bool match_node(const constant_pattern<Name, Preds...>& p, const graph& g, output_ref r, capture_state<Captures>& s);
template <class Captures, class... Alts, class... Preds>
bool match_node(const alt_pattern<std::tuple<Alts...>, Preds...>& p, const graph& g, output_ref r, capture_state<Captures>& s);
template <class Captures, class Op, fixed_string Name, bool Optional, bool Commutative, class... Children, class... Preds>
bool match_node(const op_pattern<Op, Name, Optional, Commutative, std::tuple<Children...>, Preds...>& p, const graph& g,
                output_ref r, capture_state<Captures>& s);

template <class Tuple> bool predicates_hold(const Tuple& preds, const graph& g, output_ref r) {
  return std::apply([&](const auto&... p) { return (p(g, r) && ...); }, preds);
}

template <class Captures, fixed_string Name> void store(capture_state<Captures>& s, output_ref r) {
  if constexpr (!Name.empty()) {
    constexpr auto i = index_of<Name, Captures>::value;
    s.refs[static_cast<std::size_t>(i)] = r;
    s.present[static_cast<std::size_t>(i)] = true;
  }
}

template <class Captures, fixed_string Name, class... Preds>
bool match_node(const any_pattern<Name, Preds...>& p, const graph& g, output_ref r, capture_state<Captures>& s) {
  if (!predicates_hold(p.predicates, g, r)) return false;
  store<Captures, Name>(s, r);
  return true;
}

template <class Captures, fixed_string Name, class... Preds>
bool match_node(const constant_pattern<Name, Preds...>& p, const graph& g, output_ref r, capture_state<Captures>& s) {
  if (g.info(r).value == nullptr || !predicates_hold(p.predicates, g, r)) return false;
  store<Captures, Name>(s, r);
  return true;
}

template <class Captures, class... Alts, class... Preds>
bool match_node(const alt_pattern<std::tuple<Alts...>, Preds...>& p, const graph& g, output_ref r, capture_state<Captures>& s) {
  if (!predicates_hold(p.predicates, g, r)) return false;
  bool ok = false;
  std::apply(
      [&](const auto&... alternative) {
        ((ok = ok || [&] {
           capture_state<Captures> trial = s;
           if (!match_node<Captures>(alternative, g, r, trial)) return false;
           s = trial;
           return true;
         }()),
         ...);
      },
      p.alternatives);
  return ok;
}

template <class Captures, class Children, std::size_t... I>
bool match_inputs(const Children& children, const graph& g, const node_data& n, capture_state<Captures>& s,
                  std::index_sequence<I...>, bool swap) {
  constexpr std::size_t count = sizeof...(I);
  return (match_node<Captures>(std::get<I>(children), g, n.inputs[swap && count == 2 ? 1 - I : I], s) && ...);
}

template <class Captures, class Op, fixed_string Name, bool Optional, bool Commutative, class... Children, class... Preds>
bool match_node(const op_pattern<Op, Name, Optional, Commutative, std::tuple<Children...>, Preds...>& p, const graph& g,
                output_ref r, capture_state<Captures>& s) {
  const node_data& n = g.node(r.node);
  auto as_inner = [&] {
    if constexpr (Optional) return match_node<Captures>(std::get<0>(p.children), g, r, s);
    else return false;
  };
  if (!n.op.is<Op>() || n.inputs.size() != sizeof...(Children) || !predicates_hold(p.predicates, g, r))
    return as_inner();
  for (bool swap : {false, true}) {
    if (swap && !Commutative) break;
    capture_state<Captures> trial = s;
    if (match_inputs<Captures>(p.children, g, n, trial, std::index_sequence_for<Children...>{}, swap)) {
      store<Captures, Name>(trial, r);
      s = trial;
      return true;
    }
  }
  return as_inner();
}

} // namespace detail

/// Matches `p` at output 0 of node `n`.
template <Pattern P> std::optional<match<P>> match_at(const P& p, graph& g, node_id n) {
  capture_state<typename P::captures> state;
  if (!detail::match_node<typename P::captures>(p, g, output_ref{n, 0}, state)) return std::nullopt;
  return match<P>(g, n, state);
}

} // namespace irforge::pattern
