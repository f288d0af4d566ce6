// irforge — the graph: ops connected output-port to input-port.
//
// Storage is a Boost.Graph adjacency_list (bidirectional, bundled node and edge
// properties, port numbers on the edges). Node ids are indices that stay valid
// for the life of the graph: removal marks a node dead and disconnects it, so
// a pass may keep ids across rewrites. Each node also keeps its inputs in port
// order, so input k and the consumers of an output are found without a search.
//
// This is the one header that includes Boost.Graph.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "irforge/core/error.hpp"
#include "irforge/core/op.hpp"

namespace irforge {

using node_id = std::uint32_t;

/// One output of a node: a tensor flowing along the graph.
struct output_ref {
  node_id node = 0;
  std::uint32_t index = 0;
  friend constexpr auto operator<=>(const output_ref&, const output_ref&) = default;
};

/// One input port of a node.
struct input_ref {
  node_id node = 0;
  std::uint32_t index = 0;
  friend constexpr auto operator<=>(const input_ref&, const input_ref&) = default;
};

/// An output port: what is known of its tensor, and the tensor's names.
struct output_port {
  value_info info;
  /// Tensor names (IR port `names`): the source model's names of this tensor.
  std::vector<std::string> names;
  /// Port rt_info attributes (name -> attribute list), e.g. layout.
  std::vector<std::pair<std::string, std::string>> rt_info;
};

/// A node's properties (a Boost.Graph bundled vertex property).
struct node_data {
  any_op op;
  std::string name;
  std::vector<output_ref> inputs; ///< port order; mirrors the in-edges
  std::vector<output_port> outputs;
  /// Names of the source-model layers this node stands for (IR rt_info
  /// `fused_names`): kept through fusion, folding and cuts for traceability.
  std::vector<std::string> source_names;
  /// Other node rt_info, attribute name -> value ("" for flags such as
  /// `decompression`), written in this order.
  std::vector<std::pair<std::string, std::string>> rt_info;
  bool alive = true;
};

/// Edge properties: which output feeds which input.
struct edge_data {
  std::uint32_t from_port = 0; ///< output index of the source node
  std::uint32_t to_port = 0;   ///< input index of the target node
};

class graph {
public:
  using storage = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, node_data, edge_data>;

  graph() = default;
  explicit graph(std::string name) : name_(std::move(name)) {}
  graph(const graph& other)
      : rt_info(other.rt_info), storage_(std::make_unique<storage>(other.store())), live_(other.live_),
        parameters_(other.parameters_), results_(other.results_), name_(other.name_) {}
  graph(graph&& other) noexcept
      : rt_info(std::move(other.rt_info)), storage_(std::move(other.storage_)),
        live_(std::exchange(other.live_, 0)), parameters_(std::move(other.parameters_)),
        results_(std::move(other.results_)), name_(std::move(other.name_)) {
    other.parameters_.clear();
    other.results_.clear();
    ++other.version_;
  }
  graph& operator=(const graph& other) {
    if (this != &other) *this = graph(other);
    return *this;
  }
  graph& operator=(graph&& other) noexcept {
    if (this == &other) return *this;
    rt_info = std::move(other.rt_info);
    storage_ = std::move(other.storage_);
    live_ = std::exchange(other.live_, 0);
    parameters_ = std::move(other.parameters_);
    results_ = std::move(other.results_);
    name_ = std::move(other.name_);
    other.parameters_.clear();
    other.results_.clear();
    ++version_; // this graph's cached order was of its old nodes
    ++other.version_;
    return *this;
  }
  ~graph() = default;

  // ---- building ------------------------------------------------------------------

  /// Adds a node and infers its output types and shapes (an error names the node).
  node_id add(any_op op, std::vector<output_ref> inputs, std::string name) {
    const auto info = op.info();
    if (!info.inputs.accepts(inputs.size()))
      throw error(std::string(info.type_name) + " takes " + info.inputs.to_string() + " inputs, got " +
                      std::to_string(inputs.size()),
                  at_node(name, std::string(info.type_name)));
    for (const auto& in : inputs) check_output(in, name);
    const auto v = boost::add_vertex(store());
    const auto id = static_cast<node_id>(v);
    auto& n = store()[v];
    n.op = std::move(op);
    n.name = std::move(name);
    n.inputs = std::move(inputs);
    for (std::uint32_t k = 0; k < n.inputs.size(); ++k)
      boost::add_edge(n.inputs[k].node, v, edge_data{n.inputs[k].index, k}, store());
    ++live_;
    ++version_;
    if (info.type_name == "Parameter") parameters_.push_back(id);
    if (info.type_name == "Result") results_.push_back(id);
    try {
      infer(id);
    } catch (...) {
      remove_unchecked(id);
      throw;
    }
    return id;
  }

  template <Layer T> node_id add(T op, std::vector<output_ref> inputs, std::string name) {
    return add(any_op(std::move(op)), std::move(inputs), std::move(name));
  }

  /// Re-runs the op's type and shape inference on the node.
  void infer(node_id id) {
    auto& n = node(id);
    // Input infos through a stack array for the usual few inputs (infer runs for every node added).
    std::array<const value_info*, 8> few{};
    std::vector<const value_info*> many;
    if (n.inputs.size() > few.size()) many.resize(n.inputs.size());
    const std::span<const value_info*> in = many.empty() ? std::span<const value_info*>(few.data(), n.inputs.size())
                                                         : std::span<const value_info*>(many);
    for (std::size_t k = 0; k < n.inputs.size(); ++k) in[k] = &info(n.inputs[k]);
    infer_context ctx(in, n.name, n.op.type_name());
    try {
      n.op.infer(ctx);
    } catch (error& e) {
      e.with_node(n.name, std::string(n.op.type_name()));
      throw;
    }
    auto& outs = ctx.outputs();
    if (n.outputs.size() > outs.size()) {
      // An op may lose outputs only if nobody consumes them.
      for (std::uint32_t k = static_cast<std::uint32_t>(outs.size()); k < n.outputs.size(); ++k)
        if (consumer_count({id, k}) != 0)
          throw error("output " + std::to_string(k) + " vanished during inference but is used",
                      at_node(n.name, std::string(n.op.type_name())));
    }
    n.outputs.resize(outs.size());
    for (std::size_t k = 0; k < outs.size(); ++k) n.outputs[k].info = std::move(outs[k]);
  }

  /// Re-infers every live node in topological order.
  void infer_all() {
    for (node_id id : topological_order()) infer(id);
  }

  // ---- access --------------------------------------------------------------------

  [[nodiscard]] node_data& node(node_id id) {
    check_node(id);
    return store()[id];
  }
  [[nodiscard]] const node_data& node(node_id id) const {
    check_node(id);
    return store()[id];
  }
  [[nodiscard]] node_data& operator[](node_id id) { return node(id); }
  [[nodiscard]] const node_data& operator[](node_id id) const { return node(id); }

  [[nodiscard]] const value_info& info(output_ref r) const { return port(r).info; }
  [[nodiscard]] output_port& port(output_ref r) {
    auto& n = node(r.node);
    if (r.index >= n.outputs.size()) throw_no_output(n, r.index);
    return n.outputs[r.index];
  }
  [[nodiscard]] const output_port& port(output_ref r) const { return const_cast<graph*>(this)->port(r); }

  [[nodiscard]] output_ref input(node_id id, std::size_t k) const {
    const auto& n = node(id);
    if (k >= n.inputs.size())
      throw error("input " + std::to_string(k) + " does not exist", at_node(n.name, std::string(n.op.type_name())));
    return n.inputs[k];
  }

  /// The input ports fed by an output, in (node, port) order.
  [[nodiscard]] std::vector<input_ref> consumers(output_ref r) const {
    check_node(r.node);
    std::vector<input_ref> out;
    for (auto e : boost::make_iterator_range(boost::out_edges(r.node, store())))
      if (store()[e].from_port == r.index) out.push_back({static_cast<node_id>(boost::target(e, store())), store()[e].to_port});
    std::sort(out.begin(), out.end());
    return out;
  }
  [[nodiscard]] std::size_t consumer_count(output_ref r) const {
    check_node(r.node);
    std::size_t n = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(r.node, store())))
      if (store()[e].from_port == r.index) ++n;
    return n;
  }
  /// Consumers of all outputs of a node.
  [[nodiscard]] std::size_t consumer_count(node_id id) const {
    check_node(id);
    return boost::out_degree(id, store());
  }

  /// Live nodes in id (creation) order.
  [[nodiscard]] std::vector<node_id> nodes() const {
    std::vector<node_id> out;
    out.reserve(live_);
    for (auto v : boost::make_iterator_range(boost::vertices(store())))
      if (store()[v].alive) out.push_back(static_cast<node_id>(v));
    return out;
  }
  [[nodiscard]] std::size_t size() const { return live_; }
  /// One past the largest node id ever handed out.
  [[nodiscard]] std::size_t id_bound() const { return boost::num_vertices(store()); }
  [[nodiscard]] bool alive(node_id id) const { return id < boost::num_vertices(store()) && store()[id].alive; }

  /// Parameter and Result nodes, in model input / output order.
  [[nodiscard]] const std::vector<node_id>& parameters() const { return parameters_; }
  [[nodiscard]] const std::vector<node_id>& results() const { return results_; }
  /// Reorders the model inputs/outputs (a permutation of the current lists).
  void set_parameter_order(std::vector<node_id> order) { set_order(parameters_, std::move(order), "Parameter"); }
  void set_result_order(std::vector<node_id> order) { set_order(results_, std::move(order), "Result"); }

  [[nodiscard]] const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  /// Model-level rt_info written under <rt_info> of the IR (key -> value).
  std::vector<std::pair<std::string, std::string>> rt_info;

  /// The underlying Boost.Graph (vertex descriptor == node_id), for algorithms.
  [[nodiscard]] const storage& bgl() const { return store(); }

  // ---- rewriting -----------------------------------------------------------------

  /// Points input k of `id` at another output (shapes are not re-inferred).
  void set_input(node_id id, std::size_t k, output_ref from) {
    auto& n = node(id);
    if (k >= n.inputs.size())
      throw error("input " + std::to_string(k) + " does not exist", at_node(n.name, std::string(n.op.type_name())));
    check_output(from, n.name);
    remove_in_edge(id, static_cast<std::uint32_t>(k));
    ++version_;
    n.inputs[k] = from;
    boost::add_edge(from.node, id, edge_data{from.index, static_cast<std::uint32_t>(k)}, store());
  }

  /// Replaces the whole input list of a node (shapes are not re-inferred).
  void set_inputs(node_id id, std::vector<output_ref> inputs) {
    auto& n = node(id);
    const auto info = n.op.info();
    if (!info.inputs.accepts(inputs.size()))
      throw error(std::string(info.type_name) + " takes " + info.inputs.to_string() + " inputs, got " +
                      std::to_string(inputs.size()),
                  at_node(n.name, std::string(info.type_name)));
    for (const auto& in : inputs) check_output(in, n.name);
    std::vector<storage::edge_descriptor> old;
    for (auto e : boost::make_iterator_range(boost::in_edges(id, store()))) old.push_back(e);
    for (auto e : old) boost::remove_edge(e, store());
    ++version_;
    n.inputs = std::move(inputs);
    for (std::uint32_t k = 0; k < n.inputs.size(); ++k)
      boost::add_edge(n.inputs[k].node, id, edge_data{n.inputs[k].index, k}, store());
  }

  /// Every consumer of `from` consumes `to` instead. With `move_names`, the
  /// tensor names of `from` go to `to` (the tensor keeps its identity).
  void replace_uses(output_ref from, output_ref to, bool move_names = true) {
    if (from == to) return;
    check_output(to, "");
    for (const auto& c : consumers(from)) set_input(c.node, c.index, to);
    if (move_names) {
      auto& src = port(from).names;
      auto& dst = port(to).names;
      for (auto& nm : src)
        if (std::find(dst.begin(), dst.end(), nm) == dst.end()) dst.push_back(std::move(nm));
      src.clear();
    }
  }

  /// Removes a node that nobody consumes.
  void remove(node_id id) {
    auto& n = node(id);
    if (boost::out_degree(id, store()) != 0)
      throw error("cannot remove a node whose outputs are still used",
                  at_node(n.name, std::string(n.op.type_name())));
    remove_unchecked(id);
  }

  // ---- order ---------------------------------------------------------------------

  /// Live nodes with every producer before its consumers; ties keep id order,
  /// so the order is deterministic. A cycle is an error naming a node on it.
  /// The order is computed once per version of the graph: the passes of a
  /// pipeline that change nothing share one.
  [[nodiscard]] std::vector<node_id> topological_order() const {
    const std::lock_guard lock(order_mutex_);
    if (order_version_ != version_) {
      order_ = compute_topological_order();
      order_version_ = version_;
    }
    return order_;
  }

private:
  [[nodiscard]] std::vector<node_id> compute_topological_order() const {
    const auto& s = store();
    const std::size_t n = boost::num_vertices(s);
    constexpr std::uint32_t dead = 0xffffffffu;
    std::vector<std::uint32_t> pending(n, 0);
    std::vector<node_id> order;
    order.reserve(live_);
    for (std::size_t v = 0; v < n; ++v)
      pending[v] = s[v].alive ? static_cast<std::uint32_t>(boost::in_degree(v, s)) : dead;
    // Kahn's algorithm taking the smallest ready id each time (deterministic).
    // A cursor scans ids upwards; only a node that becomes ready behind the
    // cursor goes to a min-heap. Frontends add producers before consumers, so
    // the heap stays nearly empty and the order costs linear time.
    std::vector<node_id> behind;
    std::size_t cursor = 0;
    for (;;) {
      node_id v = 0;
      if (!behind.empty()) {
        std::pop_heap(behind.begin(), behind.end(), std::greater<>());
        v = behind.back();
        behind.pop_back();
      } else {
        while (cursor < n && pending[cursor] != 0) ++cursor;
        if (cursor == n) break;
        v = static_cast<node_id>(cursor++);
      }
      order.push_back(v);
      for (auto e : boost::make_iterator_range(boost::out_edges(v, s))) {
        const auto t = boost::target(e, s);
        if (--pending[t] == 0 && t < cursor) {
          behind.push_back(static_cast<node_id>(t));
          std::push_heap(behind.begin(), behind.end(), std::greater<>());
        }
      }
    }
    if (order.size() != live_) {
      const node_id on_cycle = find_cycle_node(pending);
      const auto& c = store()[on_cycle];
      throw error("the graph has a cycle through this node", at_node(c.name, std::string(c.op.type_name())));
    }
    return order;
  }

  // A moved-from graph has no storage until it is used again.
  storage& store() {
    if (!storage_) storage_ = std::make_unique<storage>();
    return *storage_;
  }
  const storage& store() const {
    static const storage empty;
    return storage_ ? *storage_ : empty;
  }

  // The accessors are inlined everywhere (every rule's matcher uses them):
  // their error paths live out of line, so callers stay small to compile.
  void check_node(node_id id) const {
    if (id >= boost::num_vertices(store()) || !store()[id].alive) throw_no_node(id);
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void throw_no_node(node_id id) {
    throw error("node id " + std::to_string(id) + " does not name a live node");
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void throw_no_output(const node_data& n, std::uint32_t index) {
    throw error("output " + std::to_string(index) + " does not exist", at_node(n.name, std::string(n.op.type_name())));
  }
  void check_output(output_ref r, const std::string& user) const {
    if (r.node >= boost::num_vertices(store()) || !store()[r.node].alive)
      throw error("input refers to a node that does not exist", at_node(user));
    if (r.index >= store()[r.node].outputs.size())
      throw error("input refers to output " + std::to_string(r.index) + " of '" + store()[r.node].name + "', which has " +
                      std::to_string(store()[r.node].outputs.size()) + " outputs",
                  at_node(user));
  }

  void remove_in_edge(node_id id, std::uint32_t k) {
    for (auto e : boost::make_iterator_range(boost::in_edges(id, store())))
      if (store()[e].to_port == k) {
        boost::remove_edge(e, store());
        return;
      }
  }

  void remove_unchecked(node_id id) {
    auto& n = store()[id];
    boost::clear_in_edges(id, store());
    boost::clear_out_edges(id, store());
    n.alive = false;
    ++version_;
    n.inputs.clear();
    n.outputs.clear();
    n.op = any_op();
    --live_;
    std::erase(parameters_, id);
    std::erase(results_, id);
  }

  void set_order(std::vector<node_id>& list, std::vector<node_id> order, const char* what) {
    auto a = list, b = order;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) throw error(std::string("new ") + what + " order is not a permutation of the current one");
    list = std::move(order);
  }

  // A node left with pending inputs after Kahn's algorithm lies on a cycle or
  // below one; walking up through pending producers must revisit a node.
  [[nodiscard]] node_id find_cycle_node(const std::vector<std::uint32_t>& pending) const {
    node_id v = 0;
    for (std::size_t i = 0; i < pending.size(); ++i)
      if (store()[i].alive && pending[i] != 0) {
        v = static_cast<node_id>(i);
        break;
      }
    std::vector<bool> seen(pending.size(), false);
    while (!seen[v]) {
      seen[v] = true;
      for (auto e : boost::make_iterator_range(boost::in_edges(v, store()))) {
        const auto s = boost::source(e, store());
        if (pending[s] != 0) {
          v = static_cast<node_id>(s);
          break;
        }
      }
    }
    return v;
  }

  // Behind a pointer because adjacency_list has no move operations (it
  // declares a copy assignment): a graph held by value would be copied,
  // node by node, wherever it is moved. A moved-from graph is empty.
  std::unique_ptr<storage> storage_ = std::make_unique<storage>();
  std::size_t live_ = 0;
  // Bumped by every change of the nodes or edges; the cached order is valid for one version.
  std::uint64_t version_ = 0;
  mutable std::mutex order_mutex_;
  mutable std::vector<node_id> order_;
  mutable std::uint64_t order_version_ = ~std::uint64_t{0};
  std::vector<node_id> parameters_;
  std::vector<node_id> results_;
  std::string name_;
};

} // namespace irforge
