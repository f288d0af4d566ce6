// irforge — the pattern DSL: a compile-time description of a sub-graph.
//
//   using namespace irforge::pattern;
//   op<ops::BatchNormInference, "bn">(
//       op<ops::Convolution, "conv">(any<"x">, constant<"w">).where(single_use),
//       constant<"gamma">, constant<"beta">, constant<"mean">, constant<"var">)
//
// Building blocks (each may carry a capture name and `.where(predicates...)`):
//   op<T, "name">(inputs...)    the tensor is an output of an op of type T whose inputs match
//   any<"name">, _              any tensor
//   constant<"name">            a tensor whose value is known (a Const)
//   maybe<T, "name">(inner...)  T(inner...) if the producer is a T that matches, else `inner` itself
//   alt(p1, p2, ...)            the first alternative that matches
//   .commutative()              a two-input op matches with its inputs in either order
// The pattern is a type: its captures, their names and kinds are known to the
// compiler, which checks arities, duplicate names and unknown names.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <type_traits>

#include "irforge/core/graph.hpp"
#include "irforge/core/op.hpp"
#include "irforge/pattern/fixed_string.hpp"
#include "irforge/pattern/predicates.hpp"

namespace irforge::pattern {

// ---- a minimal tuple for pattern parts ------------------------------------------------
//
// Children, alternatives and predicates are held in `pack`, an aggregate with
// one base per element: std::tuple's constructor constraints cost the
// compiler far more, per rule, than the rest of a pattern.

template <std::size_t I, class T> struct pack_leaf {
  T value;
};
template <class Indices, class... Ts> struct pack_base;
template <std::size_t... I, class... Ts> struct pack_base<std::index_sequence<I...>, Ts...> : pack_leaf<I, Ts>... {
  /// Calls f(element) for each element, in order.
  template <class F> constexpr void each(F&& f) const { (f(static_cast<const pack_leaf<I, Ts>&>(*this).value), ...); }
};
template <class... Ts> struct pack : pack_base<std::index_sequence_for<Ts...>, Ts...> {
  static constexpr std::size_t size = sizeof...(Ts);
};

namespace detail {
template <std::size_t I, class T> constexpr const T& leaf_value(const pack_leaf<I, T>& leaf) { return leaf.value; }
template <class... Ts, std::size_t... I, class... Us>
constexpr pack<Ts..., Us...> append(const pack<Ts...>& p, std::index_sequence<I...>, const Us&... us) {
  return {{{leaf_value<I>(p)}..., {us}...}};
}
/// The elements of `p` followed by `us...`.
template <class... Ts, class... Us> constexpr pack<Ts..., Us...> append(const pack<Ts...>& p, const Us&... us) {
  return append(p, std::index_sequence_for<Ts...>{}, us...);
}
} // namespace detail

// ---- captures as types ------------------------------------------------------------

enum class capture_kind { op, value, constant };

/// One named capture: its name, kind and (for op captures) op type.
template <fixed_string Name, capture_kind Kind, class Op = void> struct capture_decl {
  static constexpr auto name = Name;
  static constexpr capture_kind kind = Kind;
  using op_type = Op;
};

template <class... Ts> struct type_list {
  static constexpr std::size_t size = sizeof...(Ts);
};

namespace detail {
template <class... Ls> struct concat;
template <> struct concat<> {
  using type = type_list<>;
};
template <class... A> struct concat<type_list<A...>> {
  using type = type_list<A...>;
};
template <class... A, class... B, class... Rest> struct concat<type_list<A...>, type_list<B...>, Rest...> {
  using type = typename concat<type_list<A..., B...>, Rest...>::type;
};
template <class... Ls> using concat_t = typename concat<Ls...>::type;

template <fixed_string Name, capture_kind Kind, class Op>
using capture_if_named = std::conditional_t<Name.empty(), type_list<>, type_list<capture_decl<Name, Kind, Op>>>;

/// Index of the capture called Name in a list, or -1.
template <fixed_string Name, class List> struct index_of;
template <fixed_string Name, class... Cs> struct index_of<Name, type_list<Cs...>> {
  static constexpr std::ptrdiff_t value = [] {
    std::ptrdiff_t i = 0, found = -1;
    ((Cs::name.equals(Name) && found < 0 ? (found = i, ++i) : ++i), ...);
    return found;
  }();
};

/// Number of captures in a list that carry the same name as another one.
template <class List> struct duplicate_count;
template <class... Cs> struct duplicate_count<type_list<Cs...>> {
  static constexpr std::size_t value = [] {
    constexpr std::string_view names[] = {std::string_view(), Cs::name.view()...};
    std::size_t dups = 0;
    for (std::size_t i = 1; i < sizeof...(Cs) + 1; ++i)
      for (std::size_t j = i + 1; j < sizeof...(Cs) + 1; ++j)
        if (names[i] == names[j]) ++dups;
    return dups;
  }();
};

/// Captures of alternatives: the same name may appear in several branches
/// and is kept once. Op captures of different op types under one name become
/// an op capture of no single type (get<> then gives the tensor).
template <class Acc, class... Cs> struct unique_captures {
  using type = Acc;
};
template <class... Acc, class C, class... Rest> struct unique_captures<type_list<Acc...>, C, Rest...> {
  static constexpr bool present = ((Acc::name.equals(C::name)) || ...);
  static constexpr bool conflicting = ((Acc::name.equals(C::name) && Acc::kind != C::kind) || ...);
  static_assert(!conflicting, "irforge::pattern::alt: two alternatives capture the same name with different kinds");
  template <class A>
  using merged = std::conditional_t<A::name.equals(C::name) && !std::is_same_v<typename A::op_type, typename C::op_type>,
                                    capture_decl<A::name, A::kind, void>, A>;
  using type = typename unique_captures<std::conditional_t<present, type_list<merged<Acc>...>, type_list<Acc..., C>>,
                                        Rest...>::type;
};
template <class List> struct unique_of;
template <class... Cs> struct unique_of<type_list<Cs...>> {
  using type = typename unique_captures<type_list<>, Cs...>::type;
};

template <class P>
concept pattern_node = requires { typename P::captures; };

template <class Op, std::size_t Given> constexpr bool arity_ok() {
  if constexpr (requires { Op::inputs.min; }) return Given >= Op::inputs.min && Given <= Op::inputs.max;
  else return true; // not a layer at all: the Layer check reports that
}
template <class Op, std::size_t Given> struct op_arity_check {
  static constexpr bool ok = arity_ok<Op, Given>();
  static_assert(ok, "irforge::pattern::op<T>(inputs...): the number of input patterns is not one that T accepts "
                    "(see T::inputs; the instantiation shows T and the number given)");
};
} // namespace detail

// ---- nodes of the pattern AST -------------------------------------------------------

/// Any tensor.
template <fixed_string Name, class... Preds> struct any_pattern {
  pack<Preds...> predicates{};
  using captures = detail::capture_if_named<Name, capture_kind::value, void>;
  static constexpr auto name = Name;
  template <Predicate... P> constexpr any_pattern<Name, Preds..., P...> where(P... p) const {
    return {detail::append(predicates, p...)};
  }
};

/// A tensor whose value is known at conversion time.
template <fixed_string Name, class... Preds> struct constant_pattern {
  pack<Preds...> predicates{};
  using captures = detail::capture_if_named<Name, capture_kind::constant, void>;
  static constexpr auto name = Name;
  template <Predicate... P> constexpr constant_pattern<Name, Preds..., P...> where(P... p) const {
    return {detail::append(predicates, p...)};
  }
};

/// An output of an op of type Op whose inputs match Children.
template <class Op, fixed_string Name, bool Optional, bool Commutative, class Children, class... Preds> struct op_pattern;
template <class Op, fixed_string Name, bool Optional, bool Commutative, class... Children, class... Preds>
struct op_pattern<Op, Name, Optional, Commutative, pack<Children...>, Preds...> {
  pack<Children...> children;
  pack<Preds...> predicates{};
  using op_type = Op;
  using captures = detail::concat_t<detail::capture_if_named<Name, capture_kind::op, Op>, typename Children::captures...>;
  static constexpr auto name = Name;
  static constexpr bool optional = Optional;
  static constexpr bool commutative_inputs = Commutative;

  template <Predicate... P>
  constexpr op_pattern<Op, Name, Optional, Commutative, pack<Children...>, Preds..., P...> where(P... p) const {
    return {children, detail::append(predicates, p...)};
  }
  /// A two-input op matches with its inputs in either order (Add(x, c) and Add(c, x)).
  constexpr op_pattern<Op, Name, Optional, true, pack<Children...>, Preds...> commutative() const {
    static_assert(sizeof...(Children) == 2, "irforge::pattern::op<T>(a, b).commutative(): only for two input patterns");
    return {children, predicates};
  }
};

/// Alternatives: the first one that matches.
template <class Alternatives, class... Preds> struct alt_pattern;
template <class... Alternatives, class... Preds> struct alt_pattern<pack<Alternatives...>, Preds...> {
  pack<Alternatives...> alternatives;
  pack<Preds...> predicates{};
  using captures = typename detail::unique_of<detail::concat_t<typename Alternatives::captures...>>::type;
  template <Predicate... P> constexpr alt_pattern<pack<Alternatives...>, Preds..., P...> where(P... p) const {
    return {alternatives, detail::append(predicates, p...)};
  }
};

// ---- builders --------------------------------------------------------------------------

template <class Op, fixed_string Name, bool Optional> struct op_builder {
  static_assert(Layer<Op>, "irforge::pattern::op<T>: T is not a layer type (static_assert(irforge::check_layer<T>()) "
                           "says what it lacks)");
  template <detail::pattern_node... C> constexpr auto operator()(C... children) const {
    [[maybe_unused]] constexpr bool arity_checked = detail::op_arity_check<Op, sizeof...(C)>::ok; // asserts inside
    return op_pattern<Op, Name, Optional, false, pack<C...>>{pack<C...>{{{children}...}}};
  }
};

/// op<T, "name">(inputs...): the tensor comes out of a T whose inputs match.
template <class Op, fixed_string Name = ""> inline constexpr op_builder<Op, Name, false> op{};
/// maybe<T, "name">(inner, others...): T(inner, others...) when the producer
/// is a T that matches, else the tensor matches `inner` itself.
template <class Op, fixed_string Name = ""> inline constexpr op_builder<Op, Name, true> maybe{};
/// any<"name">: any tensor.
template <fixed_string Name = ""> inline constexpr any_pattern<Name> any{};
/// _: any tensor, not captured.
inline constexpr any_pattern<""> _{};
/// constant<"name">: a tensor with a known value.
template <fixed_string Name = ""> inline constexpr constant_pattern<Name> constant{};
/// alt(p1, p2, ...): the first alternative that matches.
template <detail::pattern_node... P> constexpr alt_pattern<pack<P...>> alt(P... p) {
  static_assert(sizeof...(P) >= 2, "irforge::pattern::alt: give at least two alternatives");
  return {pack<P...>{{{p}...}}};
}

template <class P> struct is_op_pattern : std::false_type {};
template <class Op, fixed_string Name, bool O, bool C, class Ch, class... Pr>
struct is_op_pattern<op_pattern<Op, Name, O, C, Ch, Pr...>> : std::bool_constant<!O> {};

/// A pattern a rule can be rooted at: an op pattern (not maybe<>).
template <class P>
concept Pattern = detail::pattern_node<P> && is_op_pattern<P>::value;

} // namespace irforge::pattern
