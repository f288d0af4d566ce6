// irforge — removal of ops that change nothing: Reshape/Squeeze/Unsqueeze/
// Broadcast to the shape the tensor already has, an identity Transpose, a
// Convert to the type the tensor already has, Multiply/Divide by 1, Add/Subtract
// of 0 (when the constant does not broadcast the tensor to a larger shape), a
// Concat of one input, and Reshape/Transpose pairs merged. The removed layer's
// name is kept in the fused_names of the producer. (Identity and Dropout never
// reach the graph: the frontends map them to their input.)
#pragma once

#include "irforge/ops/standard.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/passes/rewrite_helpers.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::passes {

namespace detail {
/// out == in as static shapes and types: the op moved no data.
inline bool same_tensor_shape(const graph& g, output_ref in, output_ref out) {
  const auto& a = g.info(in);
  const auto& b = g.info(out);
  return a.type == b.type && a.shape.is_static() && a.shape == b.shape;
}

/// A rewrite that replaces the root's output by capture "x" when it changes nothing.
inline constexpr auto bypass_if_same = [](const auto& m, graph& g) {
  const output_ref root{m.root(), 0};
  const output_ref x = pattern::out<"x">(m);
  if (!same_tensor_shape(g, x, root)) return false;
  bypass(g, root, x);
  return true;
};

/// ... and when the constant is a neutral element (1 for Multiply/Divide, 0 for Add/Subtract).
template <int Neutral> struct bypass_if_neutral {
  bool operator()(const auto& m, graph& g) const {
    const output_ref root{m.root(), 0};
    const output_ref x = pattern::out<"x">(m);
    if (!same_tensor_shape(g, x, root) || !all_equal(pattern::value<"c">(m), Neutral)) return false;
    bypass(g, root, x);
    return true;
  }
};
} // namespace detail

using namespace irforge::pattern;

inline constexpr auto eliminate_reshape = rule<"EliminateReshape">(op<ops::Reshape>(any<"x">, _), detail::bypass_if_same);
inline constexpr auto eliminate_squeeze = rule<"EliminateSqueeze">(op<ops::Squeeze>(any<"x">, _), detail::bypass_if_same);
inline constexpr auto eliminate_unsqueeze =
    rule<"EliminateUnsqueeze">(op<ops::Unsqueeze>(any<"x">, _), detail::bypass_if_same);
inline constexpr auto eliminate_broadcast =
    rule<"EliminateBroadcast">(op<ops::Broadcast>(any<"x">, _), detail::bypass_if_same);
inline constexpr auto eliminate_convert = rule<"EliminateConvert">(op<ops::Convert>(any<"x">), detail::bypass_if_same);

inline constexpr auto eliminate_transpose =
    rule<"EliminateTranspose">(op<ops::Transpose>(any<"x">, constant<"order">), [](const auto& m, graph& g) {
      const auto order = value<"order">(m).as_i64();
      const auto& s = g.info(out<"x">(m)).shape;
      if (!s.rank_is_static() || order.size() != s.rank()) return false;
      for (std::size_t i = 0; i < order.size(); ++i)
        if (order[i] != static_cast<std::int64_t>(i)) return false;
      bypass(g, {m.root(), 0}, out<"x">(m));
      return true;
    });

inline constexpr auto eliminate_multiply_by_one = rule<"EliminateMultiplyByOne">(
    op<ops::Multiply>(any<"x">, constant<"c">).commutative(), detail::bypass_if_neutral<1>{});
inline constexpr auto eliminate_divide_by_one =
    rule<"EliminateDivideByOne">(op<ops::Divide>(any<"x">, constant<"c">), detail::bypass_if_neutral<1>{});
inline constexpr auto eliminate_add_zero =
    rule<"EliminateAddZero">(op<ops::Add>(any<"x">, constant<"c">).commutative(), detail::bypass_if_neutral<0>{});
inline constexpr auto eliminate_subtract_zero =
    rule<"EliminateSubtractZero">(op<ops::Subtract>(any<"x">, constant<"c">), detail::bypass_if_neutral<0>{});

inline constexpr auto eliminate_single_concat = rule<"EliminateSingleConcat">(
    op<ops::Concat>(any<"x">), [](const auto& m, graph& g) {
      bypass(g, {m.root(), 0}, out<"x">(m));
      return true;
    });

/// Reshape(Reshape(x)) -> one Reshape to the final (static) shape.
inline constexpr auto merge_reshapes = rule<"MergeReshapes">(
    op<ops::Reshape, "outer">(op<ops::Reshape, "inner">(any<"x">, _).where(single_use), _), [](const auto& m, graph& g) {
      const output_ref root{m.root(), 0};
      const auto& s = g.info(root).shape;
      if (!s.is_static()) return false;
      const auto target = s.to_shape();
      const output_ref shape_const =
          add_constant(g, tensor::from_values<std::int64_t>({static_cast<std::int64_t>(target.size())}, target), m.root(), "shape");
      absorb_names(g, node<"inner">(m), m.root());
      // Looked up after add_constant: adding a node may move every node.
      g.node(m.root()).op.template get<ops::Reshape>().special_zero = false;
      g.set_inputs(m.root(), {out<"x">(m), shape_const});
      g.infer(m.root());
      return true;
    });

/// Transpose(Transpose(x, p1), p2) -> Transpose(x, p1 o p2) (removed by EliminateTranspose when identity).
inline constexpr auto merge_transposes = rule<"MergeTransposes">(
    op<ops::Transpose>(op<ops::Transpose, "inner">(any<"x">, constant<"p1">).where(single_use), constant<"p2">),
    [](const auto& m, graph& g) {
      const auto p1 = value<"p1">(m).as_i64();
      const auto p2 = value<"p2">(m).as_i64();
      if (p1.empty() || p1.size() != p2.size()) return false; // empty order means "reverse": leave it
      std::vector<std::int64_t> order(p2.size());
      for (std::size_t i = 0; i < p2.size(); ++i) {
        if (p2[i] < 0 || static_cast<std::size_t>(p2[i]) >= p1.size()) return false;
        order[i] = p1[static_cast<std::size_t>(p2[i])];
      }
      const output_ref c = add_constant(
          g, tensor::from_values<std::int64_t>({static_cast<std::int64_t>(order.size())}, order), m.root(), "order");
      absorb_names(g, node<"inner">(m), m.root());
      g.set_inputs(m.root(), {out<"x">(m), c});
      g.infer(m.root());
      return true;
    });

/// All no-op removals and Reshape/Transpose merges, as one pass.
inline constexpr auto nop_elimination =
    rewrite<"NopElimination">(eliminate_reshape, eliminate_squeeze, eliminate_unsqueeze, eliminate_broadcast,
                              eliminate_convert, eliminate_transpose, eliminate_multiply_by_one, eliminate_divide_by_one,
                              eliminate_add_zero, eliminate_subtract_zero, eliminate_single_concat, merge_reshapes,
                              merge_transposes);

} // namespace irforge::passes
