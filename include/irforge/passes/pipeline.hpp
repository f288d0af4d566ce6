// irforge — passes and pipelines, composed at compile time.
//
//   inline constexpr auto my_pipeline = irforge::pipeline(
//       irforge::passes::constant_folding,                        // a built-in pass
//       irforge::rewrite<"MyFusions">(conv_bn, conv_mul),         // rules applied to a fixed point
//       conv_add,                                                 // a bare rule: a pass of its own
//       irforge::passes::dead_code_elimination);
//   auto report = my_pipeline.run(g, {.disabled = {"MyFusions"}});
//
// A rewrite pass applies its rules greedily over a worklist: every node is
// tried once, and after a rewrite only the neighbourhood it touched is tried
// again, so a pass is linear in the size of the graph. Rules are indexed by
// the op type of their root: a rule is only tried at nodes of that type.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/passes/report.hpp"
#include "irforge/passes/rule.hpp"
#include "irforge/pattern/fixed_string.hpp"

namespace irforge {

namespace passes {
/// Options for running a pipeline.
struct run_options {
  /// Names of passes or rules to skip (e.g. from --disable_fusing or a list on the command line).
  std::vector<std::string> disabled;
  /// Called after each rewrite that changed the graph, with the pass, the rule
  /// and the name the matched root node had (--log_level DEBUG prints these).
  std::function<void(std::string_view pass, std::string_view rule, std::string_view node)> on_rule_fired = {};
  [[nodiscard]] bool is_disabled(std::string_view name) const {
    for (const auto& d : disabled)
      if (d == name) return true;
    return false;
  }
};

/// Removes `id` if nothing consumes it (Results and Parameters stay), and then
/// its producers that became unused, recursively. Returns how many went.
inline std::size_t remove_if_unused(graph& g, node_id id) {
  auto removable = [&g](node_id n) {
    if (!g.alive(n) || g.consumer_count(n) != 0) return false;
    const auto type = g.node(n).op.type_name();
    return type != "Result" && type != "Parameter";
  };
  if (!removable(id)) return 0; // the usual case after a rewrite: nothing to do, nothing allocated
  std::size_t removed = 0;
  std::vector<node_id> stack{id};
  while (!stack.empty()) {
    const node_id n = stack.back();
    stack.pop_back();
    if (!removable(n)) continue;
    for (const auto& in : g.node(n).inputs) stack.push_back(in.node);
    g.remove(n);
    ++removed;
  }
  return removed;
}
} // namespace passes

namespace detail {
/// The bookkeeping of one rule firing, kept out of the per-rule code.
struct rewrite_step {
  std::vector<node_id> around;
  std::vector<std::array<std::uint32_t, 3>> consumers;
  std::size_t bound = 0;
  std::string root_name;
  bool want_root_name = false;
  /// Called after a rule's pattern matched and before its rewrite runs.
  void before(const graph& g, node_id id) {
    around.clear();
    for (const auto& in : g.node(id).inputs) around.push_back(in.node);
    for_each_consumer(g, id, [this](node_id c) { around.push_back(c); });
    bound = g.id_bound();
    if (want_root_name) root_name = g.node(id).name; // the rewrite may remove the root
  }
  /// The consumers of every output of `id` in the order graph::consumers lists
  /// them output by output, without its vector per output.
  template <class F> void for_each_consumer(const graph& g, node_id id, F&& f) {
    consumers.clear();
    const auto& s = g.bgl();
    for (auto e : boost::make_iterator_range(boost::out_edges(id, s)))
      consumers.push_back({s[e].from_port, static_cast<node_id>(boost::target(e, s)), s[e].to_port});
    std::sort(consumers.begin(), consumers.end());
    for (const auto& c : consumers) f(static_cast<node_id>(c[1]));
  }
};

/// A rule seen through a function pointer: the pass engine and the matcher
/// are compiled once, and what a rule costs the compiler is its pattern's
/// step list and its rewrite.
struct rule_entry {
  const void* rule;
  const void* root_key;
  std::string_view name;
  bool (*rewrite)(const void* rule, graph& g, node_id id, const pattern::detail::capture_slots& slots);
  pattern::compiled_pattern pattern;
};

template <class R>
bool rewrite_rule(const void* erased, graph& g, node_id id, const pattern::detail::capture_slots& slots) {
  const R& r = *static_cast<const R*>(erased);
  return r.rewrite(typename R::match_type(g, id, slots), g);
}

template <class R> rule_entry entry_of(const R& r) {
  return {&r, irforge::detail::type_key<typename R::root_op>(), R::name, &rewrite_rule<R>, pattern::compile(r.pattern)};
}

/// The greedy worklist engine behind every rewrite pass.
inline passes::pass_report run_rules(graph& g, std::string_view pass_name, const rule_entry* rules, std::size_t count,
                                     const passes::run_options& options) {
  passes::pass_report report;
  report.name = std::string(pass_name);
  std::vector<std::size_t> fired(count, 0);
  std::vector<char> enabled(count, 0);
  for (std::size_t i = 0; i < count; ++i) enabled[i] = !options.is_disabled(rules[i].name);
  std::vector<char> queued(g.id_bound(), 0);
  std::deque<node_id> work;
  auto push = [&](node_id id) {
    if (id >= queued.size()) queued.resize(id + 1, 0);
    if (!queued[id] && g.alive(id)) {
      queued[id] = 1;
      work.push_back(id);
    }
  };
  for (node_id id : g.topological_order()) push(id);

  rewrite_step step;
  pattern::detail::capture_slots slots;
  step.want_root_name = static_cast<bool>(options.on_rule_fired);
  while (!work.empty()) {
    const node_id id = work.front();
    work.pop_front();
    queued[id] = 0;
    if (!g.alive(id)) continue;
    const void* key = g.node(id).op.type_key();
    for (std::size_t i = 0; i < count; ++i) {
      if (!enabled[i] || key != rules[i].root_key) continue;
      if (!rules[i].pattern.match(g, output_ref{id, 0}, slots)) continue;
      step.before(g, id);
      if (!rules[i].rewrite(rules[i].rule, g, id, slots)) continue;
      ++fired[i];
      if (options.on_rule_fired) options.on_rule_fired(pass_name, rules[i].name, step.root_name);
      // New nodes, their consumers, and the old neighbourhood get another
      // look; nodes the rewrite left unused are removed right away.
      for (std::size_t n = step.bound; n < g.id_bound(); ++n)
        if (g.alive(static_cast<node_id>(n))) {
          push(static_cast<node_id>(n));
          step.for_each_consumer(g, static_cast<node_id>(n), push);
        }
      passes::remove_if_unused(g, id);
      for (node_id n : step.around) {
        if (g.alive(n)) passes::remove_if_unused(g, n);
        push(n);
      }
      push(id);
      break;
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    report.rules.emplace_back(std::string(rules[i].name), fired[i]);
    report.changes += fired[i];
  }
  return report;
}

/// The entries of a pass's rules, in order.
template <std::size_t... I, class... Rules>
std::array<rule_entry, sizeof...(Rules)> entries_of(const pattern::pack_base<std::index_sequence<I...>, Rules...>& rules) {
  return {entry_of(pattern::detail::leaf_value<I>(rules))...};
}
} // namespace detail

/// A pass of rules applied greedily to a fixed point. The rules are kept in a
/// flat `pattern::pack`: a std::tuple of N rules costs the compiler O(N^2).
template <fixed_string Name, Rule... Rules> struct rewrite_pass {
  pattern::pack<Rules...> rules;
  static constexpr std::string_view name = Name.view();

  passes::pass_report run(graph& g, const passes::run_options& options = {}) const {
    const auto entries = detail::entries_of(rules);
    return detail::run_rules(g, name, entries.data(), entries.size(), options);
  }
};

/// rewrite<"Name">(rules...): one pass applying the rules to a fixed point.
template <fixed_string Name, Rule... R> constexpr rewrite_pass<Name, R...> rewrite(R... rules) {
  return {pattern::pack<R...>{{{rules}...}}};
}

/// A pass written as a function `std::size_t(graph&)` returning how many changes it made.
template <fixed_string Name, class F> struct function_pass {
  F fn;
  static constexpr std::string_view name = Name.view();
  passes::pass_report run(graph& g, const passes::run_options& = {}) const {
    passes::pass_report report;
    report.name = std::string(name);
    report.changes = fn(g);
    return report;
  }
};
template <fixed_string Name, class F> constexpr function_pass<Name, F> make_pass(F fn) {
  static_assert(std::is_invocable_r_v<std::size_t, F&, graph&>,
                "irforge::make_pass<\"Name\">(f): f must be callable as std::size_t(irforge::graph&), "
                "returning the number of changes it made");
  return {fn};
}

/// A pass: a name and run(graph&, const run_options&) giving a pass_report.
template <class P>
concept Pass = requires(const P& p, graph& g, const passes::run_options& o) {
  { P::name } -> std::convertible_to<std::string_view>;
  { p.run(g, o) } -> std::same_as<passes::pass_report>;
};

template <class... Ps> struct pipeline_t;

namespace detail {
template <class T> struct is_pipeline : std::false_type {};
template <class... Ps> struct is_pipeline<pipeline_t<Ps...>> : std::true_type {};

/// A pipeline item as a tuple of passes: a pass, a rule (a pass of its own), or a pipeline (flattened).
template <class T> constexpr auto as_passes(const T& item) {
  if constexpr (is_pipeline<T>::value) return item.passes;
  else if constexpr (Rule<T>) return std::tuple<rewrite_pass<T::fixed_name, T>>{{item}};
  else {
    static_assert(Pass<T>, "irforge::pipeline(items...): each item must be a pass, a rule or a pipeline");
    return std::tuple<T>{item};
  }
}
} // namespace detail

/// Passes run in order; any can be switched off by name at run time.
template <class... Ps> struct pipeline_t {
  std::tuple<Ps...> passes;

  passes::pipeline_report run(graph& g, const passes::run_options& options = {}) const {
    passes::pipeline_report report;
    std::apply([&](const auto&... p) { (run_one(p, g, options, report), ...); }, passes);
    return report;
  }

private:
  template <class P>
  static void run_one(const P& p, graph& g, const passes::run_options& options, passes::pipeline_report& report) {
    if (options.is_disabled(P::name)) {
      passes::pass_report skipped;
      skipped.name = std::string(P::name);
      skipped.skipped = true;
      report.passes.push_back(std::move(skipped));
      return;
    }
    const auto start = std::chrono::steady_clock::now();
    const std::size_t before = g.size();
    passes::pass_report r = p.run(g, options);
    r.nodes_before = before;
    r.nodes_after = g.size();
    r.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    report.passes.push_back(std::move(r));
  }
};

namespace detail {
/// pipeline + tuple of passes. (Not std::tuple_cat: with tuples of rules nested
/// this deep, g++ 12 spends minutes in libstdc++'s tuple_cat machinery.)
template <class... Ps, class... Qs>
constexpr pipeline_t<Ps..., Qs...> append_passes(const pipeline_t<Ps...>& head, const std::tuple<Qs...>& tail) {
  return std::apply(
      [&](const Ps&... p) {
        return std::apply([&](const Qs&... q) { return pipeline_t<Ps..., Qs...>{{p..., q...}}; }, tail);
      },
      head.passes);
}
template <class Head> constexpr Head append_items(const Head& head) { return head; }
template <class Head, class Item, class... Rest>
constexpr auto append_items(const Head& head, const Item& item, const Rest&... rest) {
  return append_items(append_passes(head, as_passes(item)), rest...);
}
} // namespace detail

/// pipeline(items...): passes, rules and pipelines, in order.
template <class... Items> constexpr auto pipeline(Items... items) { return detail::append_items(pipeline_t<>{}, items...); }

} // namespace irforge
