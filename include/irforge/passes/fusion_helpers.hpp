// irforge — what the op-fusion rules (activation_fusions.hpp,
// normalization_fusions.hpp) share: constants checked by value with a
// tolerance fit for their element type, "the same x everywhere", "no matched
// intermediate is used outside the match", and the replacement of a matched
// sub-graph by one op that takes the last node's name and every fused name.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/passes/rewrite_helpers.hpp"
#include "irforge/pattern/match.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::passes::fusion {

/// The one value of a constant that is a scalar or holds a single value
/// repeated (NaN never counts); nullopt otherwise.
inline std::optional<double> uniform_value(const tensor& t) {
  if (t.empty() || t.element_count() == 0 || t.type() == element_type::boolean) return std::nullopt;
  const auto v = t.as_f64();
  if (std::isnan(v[0])) return std::nullopt;
  for (double x : v)
    if (x != v[0]) return std::nullopt;
  return v[0];
}

/// Relative tolerance for "this constant is c" in element type t: a few
/// units of its precision (literals such as 1.4142135 or 0.7978846 pass in f32).
constexpr double tolerance(element_type t) {
  switch (t) {
  case element_type::f16: return 1e-3;
  case element_type::bf16: return 1e-2;
  default: return 1e-5;
  }
}

/// v is `expected` within the tolerance of type t (absolute when expected is 0).
inline bool close_to(double v, double expected, element_type t) {
  if (!std::isfinite(v)) return false;
  return std::fabs(v - expected) <= tolerance(t) * std::max(std::fabs(expected), expected == 0 ? 1.0 : 0.0);
}

/// The known tensor r is a scalar or all-equal constant near `expected`.
inline bool constant_is(const graph& g, output_ref r, double expected) {
  const auto& info = g.info(r);
  if (!info.value) return false;
  const auto v = uniform_value(*info.value);
  return v && close_to(*v, expected, info.value->type());
}

/// The single value of a known scalar or all-equal constant, if finite.
inline std::optional<double> scalar_value(const graph& g, output_ref r) {
  const auto& info = g.info(r);
  if (!info.value) return std::nullopt;
  const auto v = uniform_value(*info.value);
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return v;
}

/// A rank-0 tensor holding the first element of t, in t's type.
inline tensor first_as_scalar(const tensor& t) {
  const std::size_t bytes = bit_width(t.type()) / 8;
  std::vector<std::byte> b(bytes);
  std::memcpy(b.data(), t.bytes().data(), bytes);
  return tensor::from_bytes(t.type(), {}, std::move(b));
}

/// All the refs are one and the same tensor.
inline bool same_tensor(std::initializer_list<output_ref> refs) {
  return std::all_of(refs.begin(), refs.end(), [&](output_ref r) { return r == *refs.begin(); });
}

/// The fused op may stand for the root: x is floating point and the root's
/// output has x's type and shape (no constant broadcast the result up).
inline bool keeps_type_and_shape(const graph& g, output_ref x, output_ref root) {
  const auto& a = g.info(x);
  const auto& b = g.info(root);
  return is_float(a.type) && a.type == b.type && a.shape.rank_is_static() && a.shape == b.shape;
}

/// The pattern of match type M has a capture called Name (for rewrites shared
/// by rules whose patterns differ).
template <fixed_string Name, class M>
inline constexpr bool has_capture =
    pattern::detail::index_of<Name, typename std::remove_cvref_t<M>::captures>::value >= 0;

/// The tensor of capture Name when the pattern has one and it matched.
template <fixed_string Name, class M> std::optional<output_ref> maybe_out(const M& m) {
  if constexpr (has_capture<Name, M>)
    if (m.template has<Name>()) return m.template out<Name>();
  return std::nullopt;
}

/// An optional constant (absent, or near `expected`).
inline bool constant_is(const graph& g, std::optional<output_ref> r, double expected) {
  return !r || constant_is(g, *r, expected);
}

/// The nodes of every op capture present in a match, and its root, sorted by id
/// (roughly the source order, which is the order their names are recorded in).
template <class M> std::vector<node_id> matched_ops(const M& m) {
  std::vector<node_id> out{m.root()};
  [&]<class... Cs>(pattern::type_list<Cs...>) {
    ((Cs::kind == pattern::capture_kind::op && m.template has<Cs::name>() ? out.push_back(m.template node<Cs::name>())
                                                                          : void()),
     ...);
  }(typename M::captures{});
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// Every output of every matched node but the root feeds matched nodes only:
/// removing the sub-graph loses nothing anyone else reads. (single_use in the
/// patterns rejects most cases early; this also covers an intermediate that
/// the pattern itself consumes twice, as x - mean in MVN.)
inline bool used_only_inside(const graph& g, node_id root, const std::vector<node_id>& nodes) {
  for (node_id n : nodes) {
    if (n == root) continue;
    for (std::uint32_t k = 0; k < g.node(n).outputs.size(); ++k)
      for (const auto& c : g.consumers({n, k}))
        if (!std::binary_search(nodes.begin(), nodes.end(), c.node)) return false;
  }
  return true;
}

/// Replaces the matched sub-graph by `op(inputs)`: the new node takes the
/// root's name, the source names of every matched op (rt_info fused_names)
/// and the root's consumers and tensor names. The old nodes become unused
/// (the rewrite pass removes them).
template <class M> node_id replace_match(const M& m, graph& g, any_op op, std::vector<output_ref> inputs) {
  const node_id root = m.root();
  const auto fused = matched_ops(m);
  const node_id n = g.add(std::move(op), std::move(inputs), g.node(root).name);
  for (node_id f : fused) absorb_names(g, f, n);
  g.replace_uses({root, 0}, {n, 0});
  return n;
}

/// The preconditions every fusion shares: x may be the input of the fused op
/// and nothing outside the match reads an intermediate.
template <class M> bool can_fuse(const M& m, const graph& g, output_ref x) {
  return keeps_type_and_shape(g, x, {m.root(), 0}) && used_only_inside(g, m.root(), matched_ops(m));
}

/// A 1-D i64 constant for axes, named after `owner`.
inline output_ref axes_constant(graph& g, const std::vector<std::int64_t>& axes, node_id owner) {
  return add_constant(g, tensor::from_values<std::int64_t>({static_cast<std::int64_t>(axes.size())}, axes), owner,
                      "axes");
}

/// The axes of a known axes tensor, normalised to [0, rank), sorted and
/// without repeats; nullopt when one is out of range.
inline std::optional<std::vector<std::int64_t>> normalized_axes(const tensor& t, std::size_t rank) {
  if (t.dims().size() > 1 || is_float(t.type()) || t.type() == element_type::boolean) return std::nullopt;
  auto axes = t.as_i64();
  const auto r = static_cast<std::int64_t>(rank);
  for (auto& a : axes) {
    if (a < -r || a >= r) return std::nullopt;
    if (a < 0) a += r;
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

} // namespace irforge::passes::fusion
