// irforge — named, composable predicates on matched tensors.
//
// A predicate is an object with a `name` and
//   bool operator()(const graph&, output_ref) const
// Combine them with &&, || and !; make your own with
//   predicate<"even_channels">([](const graph& g, output_ref r) { ... })
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "irforge/core/graph.hpp"
#include "irforge/pattern/fixed_string.hpp"

namespace irforge::pattern {

template <class P>
concept Predicate = requires(const P& p, const graph& g, output_ref r) {
  { p(g, r) } -> std::convertible_to<bool>;
  { P::name() } -> std::convertible_to<std::string>;
};

/// A user predicate with a name.
template <fixed_string Name, class F> struct named_predicate {
  F fn;
  static std::string name() { return std::string(Name.view()); }
  bool operator()(const graph& g, output_ref r) const { return fn(g, r); }
};
template <fixed_string Name, class F> constexpr named_predicate<Name, F> predicate(F fn) { return {fn}; }

/// The tensor has exactly one consumer (so fusing into it changes nothing else).
struct single_use_t {
  static std::string name() { return "single_use"; }
  bool operator()(const graph& g, output_ref r) const { return g.consumer_count(r) == 1; }
};
inline constexpr single_use_t single_use{};

/// The tensor has exactly N consumers.
template <std::size_t N> struct consumers_t {
  static std::string name() { return "consumers<" + std::to_string(N) + ">"; }
  bool operator()(const graph& g, output_ref r) const { return g.consumer_count(r) == N; }
};
template <std::size_t N> inline constexpr consumers_t<N> consumers{};

/// The tensor's shape is fully known.
struct static_shape_t {
  static std::string name() { return "static_shape"; }
  bool operator()(const graph& g, output_ref r) const { return g.info(r).shape.is_static(); }
};
inline constexpr static_shape_t static_shape{};

/// The tensor has rank R.
template <std::int64_t R> struct rank_t {
  static std::string name() { return "rank<" + std::to_string(R) + ">"; }
  bool operator()(const graph& g, output_ref r) const {
    const auto& s = g.info(r).shape;
    return s.rank_is_static() && static_cast<std::int64_t>(s.rank()) == R;
  }
};
template <std::int64_t R> inline constexpr rank_t<R> rank{};

/// The tensor has element type E.
template <element_type E> struct type_is_t {
  static std::string name() { return "type_is<" + std::string(to_string(E)) + ">"; }
  bool operator()(const graph& g, output_ref r) const { return g.info(r).type == E; }
};
template <element_type E> inline constexpr type_is_t<E> type_is{};

/// The tensor's value is known at conversion time (a Const, or folded).
struct known_value_t {
  static std::string name() { return "known_value"; }
  bool operator()(const graph& g, output_ref r) const { return g.info(r).value != nullptr; }
};
inline constexpr known_value_t known_value{};

/// The producing op's attribute `Member` equals a value: attribute<&Convolution::auto_pad>(pad_type::explicit_).
template <auto Member, class V> struct attribute_t;
template <class Op, class M, M Op::*Member, class V> struct attribute_t<Member, V> {
  V value;
  static std::string name() { return "attribute of " + std::string(Op::type_name); }
  bool operator()(const graph& g, output_ref r) const {
    const auto* op = g.node(r.node).op.template get_if<Op>();
    return op != nullptr && op->*Member == value;
  }
};
template <auto Member, class V> constexpr attribute_t<Member, V> attribute(V value) { return {value}; }

// ---- combinators ------------------------------------------------------------------

template <Predicate A, Predicate B> struct and_t {
  A a;
  B b;
  static std::string name() { return "(" + A::name() + " && " + B::name() + ")"; }
  bool operator()(const graph& g, output_ref r) const { return a(g, r) && b(g, r); }
};
template <Predicate A, Predicate B> struct or_t {
  A a;
  B b;
  static std::string name() { return "(" + A::name() + " || " + B::name() + ")"; }
  bool operator()(const graph& g, output_ref r) const { return a(g, r) || b(g, r); }
};
template <Predicate A> struct not_t {
  A a;
  static std::string name() { return "!" + A::name(); }
  bool operator()(const graph& g, output_ref r) const { return !a(g, r); }
};

template <Predicate A, Predicate B> constexpr and_t<A, B> operator&&(A a, B b) { return {a, b}; }
template <Predicate A, Predicate B> constexpr or_t<A, B> operator||(A a, B b) { return {a, b}; }
template <Predicate A> constexpr not_t<A> operator!(A a) { return {a}; }

} // namespace irforge::pattern
