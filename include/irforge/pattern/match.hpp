// irforge — matching a pattern at a node, and the typed view of a match that
// a rewrite gets: `m.get<"conv">()` is the matched Convolution, by reference.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <type_traits>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::pattern {

namespace detail {
template <class L> struct tuple_of;
template <class... Cs> struct tuple_of<type_list<Cs...>> {
  using type = std::tuple<Cs...>;
};
} // namespace detail

/// Most captures one pattern can have.
inline constexpr std::size_t max_captures = 64;

namespace detail {
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_absent(std::string_view capture) {
  throw error("capture '" + std::string(capture) + "' is absent from this match");
}

/// What a match found, by capture position.
struct capture_slots {
  std::array<output_ref, max_captures> refs{};
  std::array<bool, max_captures> present{};
  [[nodiscard]] output_ref at(std::size_t i, std::string_view name) const {
    if (!present[i]) throw_absent(name);
    return refs[i];
  }
};

template <fixed_string Name, class Captures> constexpr std::size_t capture_index() {
  constexpr auto i = index_of<Name, Captures>::value;
  static_assert(i >= 0, "irforge::pattern::match: the pattern has no capture with this name (check the spelling "
                        "against the names given to op<T, \"name\">, any<\"name\"> and constant<\"name\">)");
  return static_cast<std::size_t>(i);
}
} // namespace detail

/// The result of a successful match.
template <Pattern P> class match {
public:
  using captures = typename P::captures;
  static_assert(detail::duplicate_count<captures>::value == 0,
                "irforge::pattern: two captures of the pattern have the same name");
  static_assert(captures::size <= max_captures, "irforge::pattern: a pattern has at most 64 captures");

  match(graph& g, node_id root, const detail::capture_slots& slots) : g_(&g), root_(root), slots_(slots) {}

  /// Position of capture Name (a compile error when the pattern has none).
  template <fixed_string Name> static constexpr std::size_t index = detail::capture_index<Name, captures>();
  template <fixed_string Name>
  using capture_t = std::tuple_element_t<index<Name>, typename detail::tuple_of<captures>::type>;

  /// The capture: an op capture gives the op (T&), others the tensor (output_ref).
  template <fixed_string Name> decltype(auto) get() const {
    using C = capture_t<Name>;
    const output_ref r = slots_.at(index<Name>, Name.view());
    if constexpr (C::kind == capture_kind::op && !std::is_void_v<typename C::op_type>)
      return g_->node(r.node).op.template get<typename C::op_type>();
    else return r; // a value, a constant, or an op of one of several types
  }
  /// The tensor a capture stands for.
  template <fixed_string Name> [[nodiscard]] output_ref out() const { return slots_.at(index<Name>, Name.view()); }
  /// The node that produces a capture.
  template <fixed_string Name> [[nodiscard]] node_id node() const { return slots_.at(index<Name>, Name.view()).node; }
  /// The known value of a constant capture.
  template <fixed_string Name> [[nodiscard]] const tensor& value() const {
    static_assert(capture_t<Name>::kind == capture_kind::constant,
                  "irforge::pattern::match::value<Name>(): only constant<\"name\"> captures have a value");
    return *g_->info(slots_.at(index<Name>, Name.view())).value;
  }
  /// False when the capture sits in a maybe<> or alt() branch that did not match.
  template <fixed_string Name> [[nodiscard]] bool has() const { return slots_.present[index<Name>]; }

  [[nodiscard]] node_id root() const { return root_; }
  [[nodiscard]] graph& g() const { return *g_; }

private:
  graph* g_;
  node_id root_;
  detail::capture_slots slots_;
};

// Free accessors: inside a generic rewrite `[](const auto& m, graph& g)` they
// read `get<"conv">(m)` instead of `m.template get<"conv">()`.
template <fixed_string Name, class M> decltype(auto) get(const M& m) { return m.template get<Name>(); }
template <fixed_string Name, class M> output_ref out(const M& m) { return m.template out<Name>(); }
template <fixed_string Name, class M> node_id node(const M& m) { return m.template node<Name>(); }
template <fixed_string Name, class M> const tensor& value(const M& m) { return m.template value<Name>(); }
template <fixed_string Name, class M> bool has(const M& m) { return m.template has<Name>(); }

// ---- the matcher -------------------------------------------------------------------------
//
// A pattern is compiled (at run time, once per pass run) into a flat list of
// steps in pre-order, which one non-template function interprets. A rule then
// costs the compiler only its pattern's types, a few lines that list the
// steps, and its rewrite: the matching code itself is compiled once.

namespace detail {
enum class step_kind : std::uint8_t { any, constant, op, alt };

struct step {
  step_kind kind = step_kind::any;
  bool optional = false;     // maybe<T>: else the tensor matches the first input pattern itself
  bool commutative = false;  // two inputs, either order
  std::uint32_t children = 0; // input patterns of an op, branches of an alt
  std::uint32_t end = 0;      // one past this node's subtree
  std::int32_t slot = -1;     // capture slot, -1 when not captured
  const void* op_key = nullptr;
  std::uint32_t first_predicate = 0, predicates = 0;
};

struct predicate_call {
  const void* object;
  bool (*test)(const void* object, const graph& g, output_ref r);
};
template <class Pred> bool test_predicate(const void* object, const graph& g, output_ref r) {
  return (*static_cast<const Pred*>(object))(g, r);
}
} // namespace detail

/// A pattern flattened for the matcher; the predicates point into the pattern
/// object it was compiled from, which must outlive it.
class compiled_pattern {
public:
  std::vector<detail::step> steps;
  std::vector<detail::predicate_call> predicates;
  std::vector<std::string_view> capture_names;

  /// Matches at tensor `r`; fills `slots` (by capture index) on success.
  bool match(const graph& g, output_ref r, detail::capture_slots& slots) const {
    std::fill_n(slots.present.begin(), capture_names.size(), false);
    return !steps.empty() && match_step(0, g, r, slots);
  }

  [[nodiscard]] std::int32_t slot_of(std::string_view name) const {
    if (name.empty()) return -1;
    for (std::size_t i = 0; i < capture_names.size(); ++i)
      if (capture_names[i] == name) return static_cast<std::int32_t>(i);
    return -1;
  }

private:
  [[nodiscard]] bool predicates_hold(const detail::step& st, const graph& g, output_ref r) const {
    for (std::uint32_t k = st.first_predicate; k < st.first_predicate + st.predicates; ++k)
      if (!predicates[k].test(predicates[k].object, g, r)) return false;
    return true;
  }
  static void store(const detail::step& st, output_ref r, detail::capture_slots& s) {
    if (st.slot < 0) return;
    s.refs[static_cast<std::size_t>(st.slot)] = r;
    s.present[static_cast<std::size_t>(st.slot)] = true;
  }

  // The captures before a try, to undo it (only the pattern's own slots).
  struct saved_slots {
    std::array<output_ref, max_captures> refs;
    std::array<bool, max_captures> present;
    std::size_t count;
    saved_slots(const detail::capture_slots& s, std::size_t n) : count(n) {
      std::copy_n(s.refs.begin(), n, refs.begin());
      std::copy_n(s.present.begin(), n, present.begin());
    }
    void restore(detail::capture_slots& s) const {
      std::copy_n(refs.begin(), count, s.refs.begin());
      std::copy_n(present.begin(), count, s.present.begin());
    }
  };

  bool match_step(std::uint32_t i, const graph& g, output_ref r, detail::capture_slots& s) const {
    const detail::step& st = steps[i];
    switch (st.kind) {
    case detail::step_kind::any:
      if (!predicates_hold(st, g, r)) return false;
      store(st, r, s);
      return true;
    case detail::step_kind::constant:
      if (g.info(r).value == nullptr || !predicates_hold(st, g, r)) return false;
      store(st, r, s);
      return true;
    case detail::step_kind::alt: {
      if (!predicates_hold(st, g, r)) return false;
      const saved_slots saved(s, capture_names.size());
      for (std::uint32_t c = i + 1, k = 0; k < st.children; c = steps[c].end, ++k) {
        if (match_step(c, g, r, s)) return true;
        saved.restore(s);
      }
      return false;
    }
    case detail::step_kind::op: {
      const node_data& n = g.node(r.node);
      if (n.op.type_key() == st.op_key && n.inputs.size() == st.children && predicates_hold(st, g, r)) {
        const saved_slots saved(s, capture_names.size());
        for (bool swap : {false, true}) {
          if (swap && !st.commutative) break;
          bool ok = true;
          for (std::uint32_t c = i + 1, k = 0; ok && k < st.children; c = steps[c].end, ++k)
            ok = match_step(c, g, n.inputs[swap && st.children == 2 ? 1 - k : k], s);
          if (ok) {
            store(st, r, s);
            return true;
          }
          saved.restore(s); // a failed try leaves no captures behind
        }
      }
      return st.optional && match_step(i + 1, g, r, s);
    }
    }
    return false;
  }
};

namespace detail {
// Listing the steps: one small function per pattern node type.
// Setup code, run once per pass: kept out of line so that each rule's step
// list stays a few calls.
[[gnu::noinline]] inline void push_predicate(compiled_pattern& out, const void* object,
                                             bool (*test)(const void*, const graph&, output_ref)) {
  out.predicates.push_back({object, test});
}
template <class... Preds> void add_predicates(const pack<Preds...>& preds, compiled_pattern& out, std::size_t at) {
  out.steps[at].first_predicate = static_cast<std::uint32_t>(out.predicates.size());
  out.steps[at].predicates = static_cast<std::uint32_t>(sizeof...(Preds));
  if constexpr (sizeof...(Preds) > 0)
    preds.each([&](const auto& p) { push_predicate(out, &p, &test_predicate<std::remove_cvref_t<decltype(p)>>); });
}

[[gnu::noinline]] inline std::size_t open_step(compiled_pattern& out, step_kind kind, std::string_view name) {
  step st;
  st.kind = kind;
  st.slot = out.slot_of(name);
  out.steps.push_back(st);
  return out.steps.size() - 1;
}
inline void close_step(compiled_pattern& out, std::size_t at) {
  out.steps[at].end = static_cast<std::uint32_t>(out.steps.size());
}

template <fixed_string Name, class... Preds> void compile(const any_pattern<Name, Preds...>& p, compiled_pattern& out) {
  const std::size_t at = open_step(out, step_kind::any, Name.view());
  add_predicates(p.predicates, out, at);
  close_step(out, at);
}
template <fixed_string Name, class... Preds>
void compile(const constant_pattern<Name, Preds...>& p, compiled_pattern& out) {
  const std::size_t at = open_step(out, step_kind::constant, Name.view());
  add_predicates(p.predicates, out, at);
  close_step(out, at);
}
template <class... Alts, class... Preds>
void compile(const alt_pattern<pack<Alts...>, Preds...>& p, compiled_pattern& out);
template <class Op, fixed_string Name, bool Optional, bool Commutative, class... Children, class... Preds>
void compile(const op_pattern<Op, Name, Optional, Commutative, pack<Children...>, Preds...>& p,
             compiled_pattern& out);

template <std::size_t... I, class... Ts>
void compile_each(const pack_base<std::index_sequence<I...>, Ts...>& parts, compiled_pattern& out) {
  (compile(static_cast<const pack_leaf<I, Ts>&>(parts).value, out), ...);
}

template <class... Alts, class... Preds>
void compile(const alt_pattern<pack<Alts...>, Preds...>& p, compiled_pattern& out) {
  const std::size_t at = open_step(out, step_kind::alt, {});
  out.steps[at].children = sizeof...(Alts);
  add_predicates(p.predicates, out, at);
  compile_each(p.alternatives, out);
  close_step(out, at);
}
template <class Op, fixed_string Name, bool Optional, bool Commutative, class... Children, class... Preds>
void compile(const op_pattern<Op, Name, Optional, Commutative, pack<Children...>, Preds...>& p,
             compiled_pattern& out) {
  const std::size_t at = open_step(out, step_kind::op, Name.view());
  out.steps[at].op_key = irforge::detail::type_key<Op>();
  out.steps[at].optional = Optional;
  out.steps[at].commutative = Commutative;
  out.steps[at].children = sizeof...(Children);
  add_predicates(p.predicates, out, at);
  compile_each(p.children, out);
  close_step(out, at);
}

template <class... Cs> std::vector<std::string_view> names_of(type_list<Cs...>) { return {Cs::name.view()...}; }
} // namespace detail

/// Flattens `p` for the matcher (`p` must outlive the result).
template <Pattern P> compiled_pattern compile(const P& p) {
  static_assert(P::captures::size <= max_captures, "irforge::pattern: a pattern has at most 64 captures");
  compiled_pattern out;
  out.capture_names = detail::names_of(typename P::captures{});
  detail::compile(p, out);
  return out;
}

/// Matches `p` at output 0 of node `n`.
template <Pattern P> std::optional<match<P>> match_at(const P& p, graph& g, node_id n) {
  const compiled_pattern compiled = compile(p);
  detail::capture_slots slots;
  if (!compiled.match(g, output_ref{n, 0}, slots)) return std::nullopt;
  return match<P>(g, n, slots);
}

} // namespace irforge::pattern
