// irforge — the graph as Graphviz DOT, to look at what a conversion did:
//   irforge --input_model m.onnx --dot m.dot && dot -Tsvg m.dot > m.svg
#pragma once

#include <cstdio>
#include <fstream>
#include <string>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"

namespace irforge::ir {

namespace detail {
inline std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}
} // namespace detail

/// DOT text: one box per layer ("name\nType"), edges labelled with type and shape.
inline std::string to_dot(const graph& g) {
  std::string s = "digraph \"" + detail::dot_escape(g.name()) + "\" {\n  rankdir=TB;\n  node [shape=box, fontsize=10];\n";
  for (node_id id : g.topological_order()) {
    const auto& n = g.node(id);
    const std::string type(n.op.type_name());
    std::string style;
    if (type == "Parameter") style = ", style=filled, fillcolor=\"#cfe8ff\"";
    else if (type == "Result") style = ", style=filled, fillcolor=\"#d7f5d0\"";
    else if (type == "Const") style = ", shape=ellipse, fontsize=8, color=gray";
    s += "  n" + std::to_string(id) + " [label=\"" + detail::dot_escape(n.name) + "\\n" + type + "\"" + style + "];\n";
  }
  for (node_id id : g.topological_order())
    for (std::size_t k = 0; k < g.node(id).inputs.size(); ++k) {
      const auto in = g.node(id).inputs[k];
      const auto& info = g.info(in);
      s += "  n" + std::to_string(in.node) + " -> n" + std::to_string(id) + " [label=\"" +
           std::string(to_string(info.type)) + info.shape.to_string() + "\", fontsize=8];\n";
    }
  return s + "}\n";
}

inline void save_dot(const graph& g, const std::string& path) {
  std::ofstream f(path);
  if (!f) throw error("cannot create file", in_file(path));
  f << to_dot(g);
  if (!f) throw error("cannot write file", in_file(path));
}

} // namespace irforge::ir
