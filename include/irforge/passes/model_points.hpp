// irforge — finding a place in a model by the name a user gives on the
// command line (Model Optimizer's --input / --output / --mean_values names).
//
// A name is, in this order: a tensor name (what ONNX and the IR's port
// `names` call a tensor); a node name; "N:node" (input port N of a node);
// "node:N" (output port N of a node). A name that matches nothing is an error
// that suggests the nearest names in the model; a tensor name that two
// outputs share is an error too.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"

namespace irforge::passes {

/// Where a name points: a tensor (an output), an input port, or a whole node.
struct model_point {
  enum class kind { tensor, input_port, node };
  kind what = kind::tensor;
  output_ref output{}; ///< kind::tensor
  input_ref input{};   ///< kind::input_port
  node_id node = 0;    ///< kind::node
  std::string text;    ///< the name as given
};

namespace detail {

/// Edit distance, case-insensitive (for suggestions only).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

inline std::optional<std::uint32_t> port_number(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

} // namespace detail

/// Up to `count` names of the model (node and tensor names) nearest to `wanted`.
inline std::vector<std::string> nearest_names(const graph& g, std::string_view wanted, std::size_t count = 3) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  auto consider = [&](const std::string& name) {
    if (name.empty()) return;
    scored.emplace_back(detail::edit_distance(wanted, name), name);
  };
  for (node_id id : g.nodes()) {
    const auto& n = g.node(id);
    if (n.op.is<ops::Constant>()) continue; // weights are rarely what a user means
    consider(n.name);
    for (const auto& p : n.outputs)
      for (const auto& t : p.names) consider(t);
  }
  std::sort(scored.begin(), scored.end());
  scored.erase(std::unique(scored.begin(), scored.end()), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, name] : scored) {
    if (out.size() == count) break;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

/// Resolves a user's name; `what` says which flag asked ("--input", ...).
inline model_point find_model_point(const graph& g, const std::string& text, std::string_view what) {
  std::vector<output_ref> tensors;
  std::optional<node_id> by_name;
  for (node_id id : g.nodes()) {
    const auto& n = g.node(id);
    for (std::uint32_t k = 0; k < n.outputs.size(); ++k)
      for (const auto& t : n.outputs[k].names)
        if (t == text) tensors.push_back({id, k});
    if (n.name == text && !by_name) by_name = id;
  }
  if (tensors.size() > 1)
    throw error(std::string(what) + ": the tensor name '" + text + "' belongs to " + std::to_string(tensors.size()) +
                " outputs; name a node port instead (node:port)");
  if (tensors.size() == 1) return {model_point::kind::tensor, tensors[0], {}, 0, text};
  if (by_name) return {model_point::kind::node, {}, {}, *by_name, text};

  auto node_named = [&](std::string_view name) -> std::optional<node_id> {
    for (node_id id : g.nodes())
      if (g.node(id).name == name) return id;
    return std::nullopt;
  };
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    // "N:node": an input port.
    if (const auto port = detail::port_number(std::string_view(text).substr(0, colon))) {
      if (const auto id = node_named(std::string_view(text).substr(colon + 1))) {
        if (*port >= g.node(*id).inputs.size())
          throw error(std::string(what) + ": '" + text + "': node '" + g.node(*id).name + "' has " +
                      std::to_string(g.node(*id).inputs.size()) + " input ports");
        return {model_point::kind::input_port, {}, {*id, *port}, *id, text};
      }
    }
  }
  if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    // "node:N": an output port.
    if (const auto port = detail::port_number(std::string_view(text).substr(colon + 1))) {
      if (const auto id = node_named(std::string_view(text).substr(0, colon))) {
        if (*port >= g.node(*id).outputs.size())
          throw error(std::string(what) + ": '" + text + "': node '" + g.node(*id).name + "' has " +
                      std::to_string(g.node(*id).outputs.size()) + " output ports");
        return {model_point::kind::tensor, {*id, *port}, {}, *id, text};
      }
    }
  }
  std::string message = std::string(what) + ": no node or tensor named '" + text + "' in the model";
  const auto near = nearest_names(g, text);
  if (!near.empty()) {
    message += "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) message += (i ? i + 1 == near.size() ? " or '" : ", '" : "'") + near[i] + "'";
    message += "?";
  }
  throw error(message);
}

/// A node name not used yet in `g`, `wanted` or `wanted_1`, `wanted_2`, ...
inline std::string unused_node_name(const graph& g, const std::string& wanted) {
  auto taken = [&](const std::string& s) {
    for (node_id id : g.nodes())
      if (g.node(id).name == s) return true;
    return false;
  };
  if (!taken(wanted)) return wanted;
  for (std::size_t k = 1;; ++k)
    if (auto c = wanted + "_" + std::to_string(k); !taken(c)) return c;
}

} // namespace irforge::passes
