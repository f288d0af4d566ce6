// irforge — linear-op fusion: BatchNorm, Multiply and Add folded into the
// weights of the Convolution / GroupConvolution / ConvolutionBackpropData /
// GroupConvolutionBackpropData / MatMul before them, and the preprocessing a
// model input gets (channel permutation, per-channel scale and shift) folded
// into the Convolution after it.
//
//   BatchNormInference(x)        -> Multiply(x, scale) -> Add(shift)          (decomposition)
//   Multiply(Add(x, b), s)       -> Add(Multiply(x, s), b * s)                (so the scale meets the conv)
//   Multiply(Conv(x, w), s)      -> Conv(x, w * s)           s per output channel
//   Add(Add(x, a), b)            -> Add(x, a + b);  Multiply(Multiply(x, a), b) -> Multiply(x, a * b)
//
// New weights are computed with the reference kernels (constant folding of a
// Multiply of the old weights by the reshaped scale), so every element type
// the kernels support works. Every fused layer's source names stay on the
// conv (rt_info fused_names).
#pragma once

#include <cmath>
#include <optional>

#include "irforge/ops/standard.hpp"
#include "irforge/passes/constant_folding.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/passes/rewrite_helpers.hpp"
#include "irforge/pattern/pattern.hpp"

namespace irforge::passes {

namespace detail {
/// Static dims of a tensor, if known.
inline std::optional<shape> static_dims(const graph& g, output_ref r) {
  const auto& s = g.info(r).shape;
  if (!s.is_static()) return std::nullopt;
  return s.to_shape();
}

/// If constant `c` (dims `cd`) broadcast onto an output of rank `rank` varies
/// only along `axis` (size `channels`) or is a scalar, returns true.
inline bool per_channel(const shape& cd, std::size_t rank, std::size_t axis, std::int64_t channels) {
  if (cd.size() > rank) return false;
  const std::size_t offset = rank - cd.size();
  for (std::size_t i = 0; i < cd.size(); ++i) {
    const std::size_t a = offset + i;
    if (cd[i] == 1) continue;
    if (a != axis || cd[i] != channels) return false;
  }
  return true;
}

/// op(a, b) of two known tensors as a new Const named after `owner` (and
/// carrying its source names); nullopt when it cannot be computed.
template <class Op>
std::optional<output_ref> fold_values(graph& g, const tensor& a, const tensor& b, node_id owner, const std::string& suffix) {
  const std::string name = g.node(owner).name + "/" + suffix;
  auto value = compute(any_op(Op{}), {a, b}, name);
  if (!value) return std::nullopt;
  return add_constant(g, std::move(*value), owner, suffix);
}

/// out = op(a, b) then folded: a new Const computed from known values. When
/// either value is unknown, the op stays in the graph as a node.
template <class Op>
output_ref fold_binary(graph& g, output_ref a, output_ref b, node_id owner, const std::string& suffix) {
  const auto& av = g.info(a).value;
  const auto& bv = g.info(b).value;
  if (av && bv) {
    const tensor at = *av, bt = *bv; // copies (views of the same bytes): adding a node may move the infos
    if (auto folded = fold_values<Op>(g, at, bt, owner, suffix)) return *folded;
  }
  const node_id n = g.add(Op{}, {a, b}, g.node(owner).name + "/" + suffix);
  inherit_source_names(g, owner, n);
  return fold_output(g, {n, 0});
}

/// Which axes of the weights carry the output channel, per producer type.
struct weight_layout {
  shape scale_shape; ///< shape the per-channel scale is reshaped to, to multiply the weights
};

/// The layout that scales the weights of `producer` per output channel, or nullopt.
inline std::optional<shape> scale_shape_for(const graph& g, node_id producer, std::int64_t channels) {
  const auto& n = g.node(producer);
  const auto w = static_dims(g, n.inputs.at(1));
  if (!w) return std::nullopt;
  const auto& wd = *w;
  shape s(wd.size(), 1);
  if (n.op.is<ops::Convolution>()) { // [O, I, k...]
    if (wd[0] != channels) return std::nullopt;
    s[0] = channels;
  } else if (n.op.is<ops::GroupConvolution>()) { // [G, O/G, I/G, k...]
    if (wd[0] * wd[1] != channels) return std::nullopt;
    s[0] = wd[0];
    s[1] = wd[1];
  } else if (n.op.is<ops::ConvolutionBackpropData>()) { // [I, O, k...]
    if (wd[1] != channels) return std::nullopt;
    s[1] = channels;
  } else if (n.op.is<ops::GroupConvolutionBackpropData>()) { // [G, I/G, O/G, k...]
    if (wd[0] * wd[2] != channels) return std::nullopt;
    s[0] = wd[0];
    s[2] = wd[2];
  } else if (const auto* mm = n.op.get_if<ops::MatMul>()) { // B: [K, N] or [N, K] (transpose_b)
    if (wd.size() != 2) return std::nullopt;
    const std::size_t axis = mm->transpose_b ? 0 : 1;
    if (wd[axis] != channels) return std::nullopt;
    s[axis] = channels;
  } else {
    return std::nullopt;
  }
  return s;
}

/// Multiply(producer, c): scale the producer's weights by c when c is per output channel.
inline bool fold_scale_into_weights(graph& g, node_id mul, output_ref producer_out, output_ref c) {
  const node_id producer = producer_out.node;
  const auto out_dims = static_dims(g, producer_out);
  const auto c_dims = static_dims(g, c);
  if (!out_dims || !c_dims || out_dims->size() < 2) return false;
  if (static_dims(g, {mul, 0}) != out_dims) return false; // c must not broadcast the output up
  const bool is_matmul = g.node(producer).op.is<ops::MatMul>();
  if (is_matmul && g.node(producer).op.get<ops::MatMul>().transpose_a && out_dims->size() < 2) return false;
  const std::size_t axis = is_matmul ? out_dims->size() - 1 : 1;
  const std::int64_t channels = (*out_dims)[axis];
  if (!per_channel(*c_dims, out_dims->size(), axis, channels)) return false;
  if (!g.info(g.node(producer).inputs.at(1)).value) return false; // weights must be known
  const auto target = scale_shape_for(g, producer, channels);
  if (!target) return false;
  const std::uint64_t count = element_count(*c_dims);
  shape scale_dims = count == 1 ? shape(target->size(), 1) : *target;
  const tensor scale = g.info(c).value->reshaped(scale_dims);
  const tensor old_weights = *g.info(g.node(producer).inputs[1]).value;
  const auto weights = fold_values<ops::Multiply>(g, old_weights, scale, producer, "scaled_weights");
  if (!weights) return false;
  g.set_input(producer, 1, *weights);
  g.infer(producer);
  bypass(g, {mul, 0}, producer_out);
  return true;
}
} // namespace detail

using namespace irforge::pattern;

/// BatchNormInference with known parameters -> Multiply + Add (per channel).
template <class BN, std::size_t Data, std::size_t Gamma, std::size_t Beta, std::size_t Mean, std::size_t Var>
bool decompose_batch_norm(const pattern::match<decltype(op<BN>(_, _, _, _, _))>& m, graph& g) {
  const node_id bn = m.root();
  const auto& in = g.node(bn).inputs;
  const output_ref x = in[Data];
  const auto xs = g.info(x).shape;
  if (!xs.rank_is_static() || xs.rank() < 2) return false;
  for (std::size_t k : {Gamma, Beta, Mean, Var})
    if (!g.info(in[k]).value) return false;
  const element_type t = g.info(x).type;
  if (!is_float(t)) return false;
  const double eps = g.node(bn).op.template get<BN>().epsilon;
  const auto gamma = g.info(in[Gamma]).value->as_f64(), beta = g.info(in[Beta]).value->as_f64();
  const auto mean = g.info(in[Mean]).value->as_f64(), var = g.info(in[Var]).value->as_f64();
  const std::size_t c = gamma.size();
  if (beta.size() != c || mean.size() != c || var.size() != c) return false;
  std::vector<float> scale(c), shift(c);
  for (std::size_t i = 0; i < c; ++i) {
    const double s = gamma[i] / std::sqrt(var[i] + eps);
    scale[i] = static_cast<float>(s);
    shift[i] = static_cast<float>(beta[i] - mean[i] * s);
  }
  shape per_channel(xs.rank(), 1);
  per_channel[1] = static_cast<std::int64_t>(c);
  auto as_type = [&](std::vector<float> v, const std::string& suffix) {
    output_ref r = add_constant(g, tensor::from_values<float>(per_channel, v), bn, suffix);
    if (t != element_type::f32) {
      const node_id cv = g.add(ops::Convert(t), {r}, g.node(bn).name + "/" + suffix + "_" + std::string(to_string(t)));
      r = fold_output(g, {cv, 0});
    }
    return r;
  };
  const output_ref scale_c = as_type(scale, "scale"), shift_c = as_type(shift, "shift");
  const node_id mul = g.add(ops::Multiply{}, {x, scale_c}, g.node(bn).name + "/mul");
  const node_id add = g.add(ops::Add{}, {{mul, 0}, shift_c}, g.node(bn).name + "/add");
  inherit_source_names(g, bn, mul);
  inherit_source_names(g, bn, add);
  g.replace_uses({bn, 0}, {add, 0});
  return true;
}

inline constexpr auto batch_norm_decomposition = rule<"BatchNormDecomposition">(
    op<ops::BatchNormInference>(_, _, _, _, _),
    [](const auto& m, graph& g) { return decompose_batch_norm<ops::BatchNormInference, 0, 1, 2, 3, 4>(m, g); });
inline constexpr auto batch_norm_v1_decomposition = rule<"BatchNormDecompositionV1">(
    op<ops::v1::BatchNormInference>(_, _, _, _, _),
    [](const auto& m, graph& g) { return decompose_batch_norm<ops::v1::BatchNormInference, 2, 0, 1, 3, 4>(m, g); });

/// Multiply(Conv-like(x, w), s) -> Conv-like(x, w * s).
inline constexpr auto multiply_into_weights = rule<"MultiplyIntoWeights">(
    op<ops::Multiply>(alt(op<ops::Convolution, "p">(_, constant<>), op<ops::GroupConvolution, "p">(_, constant<>),
                          op<ops::ConvolutionBackpropData, "p">(_, constant<>),
                          op<ops::GroupConvolutionBackpropData, "p">(_, constant<>), op<ops::MatMul, "p">(_, constant<>))
                          .where(single_use),
                      constant<"s">)
        .commutative(),
    [](const auto& m, graph& g) { return detail::fold_scale_into_weights(g, m.root(), out<"p">(m), out<"s">(m)); });

/// Multiply(Add(x, b), s) -> Add(Multiply(x, s), b * s): the scale moves towards the conv.
inline constexpr auto multiply_through_add = rule<"MultiplyThroughAdd">(
    op<ops::Multiply>(op<ops::Add, "add">(any<"x">, constant<"b">).commutative().where(single_use), constant<"s">)
        .commutative(),
    [](const auto& m, graph& g) {
      const node_id root = m.root();
      if (detail::static_dims(g, {root, 0}) != detail::static_dims(g, out<"x">(m)) || !detail::static_dims(g, {root, 0}))
        return false;
      const output_ref bs = detail::fold_binary<ops::Multiply>(g, out<"b">(m), out<"s">(m), root, "shift_scaled");
      if (!g.info(bs).value) return false;
      const node_id mul = g.add(ops::Multiply{}, {out<"x">(m), out<"s">(m)}, g.node(root).name + "/scale");
      const node_id add = g.add(ops::Add{}, {{mul, 0}, bs}, g.node(root).name + "/shift");
      inherit_source_names(g, root, mul);
      absorb_names(g, node<"add">(m), mul);
      g.node(add).source_names = g.node(mul).source_names; // the layers mul stands for: root and the old Add
      g.replace_uses({root, 0}, {add, 0});
      return true;
    });

/// Add(Add(x, a), b) -> Add(x, a + b); Multiply(Multiply(x, a), b) -> Multiply(x, a * b).
template <class Op>
bool merge_constant_chain(const auto& m, graph& g) {
  const node_id root = m.root();
  if (detail::static_dims(g, {root, 0}) != detail::static_dims(g, out<"x">(m)) || !detail::static_dims(g, {root, 0}))
    return false;
  const output_ref ab = detail::fold_binary<Op>(g, out<"a">(m), out<"b">(m), root, "merged");
  if (!g.info(ab).value) return false;
  absorb_names(g, node<"inner">(m), root);
  g.set_inputs(root, {out<"x">(m), ab});
  g.infer(root);
  return true;
}
inline constexpr auto merge_adds = rule<"MergeAdds">(
    op<ops::Add>(op<ops::Add, "inner">(any<"x">, constant<"a">).commutative().where(single_use), constant<"b">).commutative(),
    [](const auto& m, graph& g) { return merge_constant_chain<ops::Add>(m, g); });
inline constexpr auto merge_multiplies = rule<"MergeMultiplies">(
    op<ops::Multiply>(op<ops::Multiply, "inner">(any<"x">, constant<"a">).commutative().where(single_use), constant<"b">)
        .commutative(),
    [](const auto& m, graph& g) { return merge_constant_chain<ops::Multiply>(m, g); });

// ---- linear ops before a Convolution (preprocessing: --mean_values, --scale_values, --reverse_input_channels) ----
namespace detail {

/// The per-channel values of constant `c` applied to tensor `x` along axis 1, or nullopt.
inline std::optional<std::vector<double>> input_channel_values(const graph& g, output_ref x, output_ref c, output_ref op_out) {
  const auto xd = static_dims(g, x);
  const auto cd = static_dims(g, c);
  if (!xd || !cd || xd->size() < 3 || static_dims(g, op_out) != xd) return std::nullopt;
  const std::int64_t channels = (*xd)[1];
  if (!per_channel(*cd, xd->size(), 1, channels)) return std::nullopt;
  auto v = g.info(c).value->as_f64();
  if (v.size() == 1) v.assign(static_cast<std::size_t>(channels), v[0]);
  if (v.size() != static_cast<std::size_t>(channels)) return std::nullopt;
  return v;
}

/// A Const of `values` with `dims`, in element type `t` (computed in f64, converted once).
inline output_ref typed_constant(graph& g, const std::vector<double>& values, shape dims, element_type t, node_id owner,
                                 const std::string& suffix) {
  output_ref r = add_constant(g, tensor::from_values<double>(std::move(dims), values), owner, suffix);
  if (t == element_type::f64) return r;
  const node_id cv = g.add(ops::Convert(t), {r}, g.node(owner).name + "/" + suffix + "_" + std::string(to_string(t)));
  return fold_output(g, {cv, 0});
}

/// The inverse of a permutation of 0..n-1 given as index values, or nullopt.
inline std::optional<std::vector<std::int64_t>> inverse_permutation(const tensor& idx, std::int64_t n) {
  if (idx.dims().size() != 1 || idx.dims()[0] != n) return std::nullopt;
  std::vector<std::int64_t> inv(static_cast<std::size_t>(n), -1);
  const auto v = idx.as_f64();
  for (std::size_t j = 0; j < v.size(); ++j) {
    auto i = static_cast<std::int64_t>(v[j]);
    if (i < 0) i += n;
    if (i < 0 || i >= n || inv[static_cast<std::size_t>(i)] != -1) return std::nullopt;
    inv[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(j);
  }
  return inv;
}

/// The channel axis of a Gather over a rank-`rank` tensor, if it is 1.
inline bool gathers_axis_1(const graph& g, node_id gather, std::size_t rank) {
  const auto& n = g.node(gather);
  if (!n.op.is<ops::Gather>() || n.op.get<ops::Gather>().batch_dims != 0) return false;
  const auto& axis = g.info(n.inputs[2]).value;
  if (!axis || axis->dims().size() > 1 || element_count(axis->dims()) != 1) return false;
  auto a = static_cast<std::int64_t>(axis->as_f64()[0]);
  if (a < 0) a += static_cast<std::int64_t>(rank);
  return a == 1;
}

inline bool unpadded(const ops::Convolution& c) {
  if (c.auto_pad == ops::pad_type::valid) return true;
  if (c.auto_pad != ops::pad_type::explicit_) return false;
  for (auto p : c.pads_begin)
    if (p != 0) return false;
  for (auto p : c.pads_end)
    if (p != 0) return false;
  return true;
}

} // namespace detail

/// Convolution(Multiply(x, s), w) -> Convolution(x, w * s) for s per input channel.
inline constexpr auto input_scale_into_weights = rule<"InputScaleIntoWeights">(
    op<ops::Convolution>(op<ops::Multiply, "mul">(any<"x">, constant<"s">).commutative().where(single_use), constant<"w">),
    [](const auto& m, graph& g) {
      const node_id conv = m.root(), mul = node<"mul">(m);
      const auto s = detail::input_channel_values(g, out<"x">(m), out<"s">(m), {mul, 0});
      const auto wd = detail::static_dims(g, out<"w">(m));
      if (!s || !wd || (*wd)[1] != static_cast<std::int64_t>(s->size())) return false;
      shape dims(wd->size(), 1);
      dims[1] = (*wd)[1];
      const output_ref scale = detail::typed_constant(g, *s, dims, g.info(out<"w">(m)).type, mul, "input_scale");
      const output_ref w = detail::fold_binary<ops::Multiply>(g, out<"w">(m), scale, conv, "scaled_weights");
      if (!g.info(w).value) return false;
      absorb_names(g, mul, conv);
      g.set_inputs(conv, {out<"x">(m), w});
      g.infer(conv);
      remove_if_unused(g, mul);
      return true;
    });

/// Convolution(Subtract(x, m), w) -> Add(Convolution(x, w), -conv(m)) for an unpadded conv and m per input channel
/// (with padding the border would see -m where the model sees 0, so the Subtract stays). Add(x, m) likewise.
template <int Sign>
bool fold_input_shift(const auto& m, graph& g) {
  const node_id conv = m.root(), shift = node<"shift">(m);
  if (!detail::unpadded(g.node(conv).op.template get<ops::Convolution>())) return false;
  const auto c = detail::input_channel_values(g, out<"x">(m), out<"c">(m), {shift, 0});
  const auto wd = detail::static_dims(g, out<"w">(m));
  const auto od = detail::static_dims(g, {conv, 0});
  if (!c || !wd || !od || (*wd)[1] != static_cast<std::int64_t>(c->size())) return false;
  const auto w = g.info(out<"w">(m)).value->as_f64();
  const auto outs = static_cast<std::size_t>((*wd)[0]), ins = c->size();
  const std::size_t window = w.size() / (outs * ins);
  std::vector<double> bias(outs, 0.0);
  for (std::size_t o = 0; o < outs; ++o)
    for (std::size_t i = 0; i < ins; ++i)
      for (std::size_t k = 0; k < window; ++k) bias[o] += Sign * w[(o * ins + i) * window + k] * (*c)[i];
  shape dims(od->size(), 1);
  dims[1] = static_cast<std::int64_t>(outs);
  const output_ref b = detail::typed_constant(g, bias, dims, g.info({conv, 0}).type, shift, "input_shift");
  const auto users = g.consumers({conv, 0});
  const node_id add = g.add(ops::Add{}, {{conv, 0}, b}, g.node(shift).name + "/as_bias");
  inherit_source_names(g, shift, add);
  for (const auto& u : users) g.set_input(u.node, u.index, {add, 0});
  g.port({add, 0}).names = std::move(g.port({conv, 0}).names); // the tensor keeps its name
  g.port({conv, 0}).names.clear();
  g.set_input(conv, 0, out<"x">(m));
  remove_if_unused(g, shift);
  return true;
}
inline constexpr auto input_shift_into_bias = rule<"InputShiftIntoBias">(
    op<ops::Convolution>(op<ops::Subtract, "shift">(any<"x">, constant<"c">).where(single_use), constant<"w">),
    [](const auto& m, graph& g) { return fold_input_shift<-1>(m, g); });
inline constexpr auto input_add_into_bias = rule<"InputAddIntoBias">(
    op<ops::Convolution>(op<ops::Add, "shift">(any<"x">, constant<"c">).commutative().where(single_use), constant<"w">),
    [](const auto& m, graph& g) { return fold_input_shift<1>(m, g); });

/// Convolution(Gather(x, perm, axis 1), w) -> Convolution(x, Gather(w, perm^-1, axis 1)): a channel
/// permutation (--reverse_input_channels) moves into the weights.
inline constexpr auto channel_permutation_into_weights = rule<"ChannelPermutationIntoWeights">(
    op<ops::Convolution>(op<ops::Gather, "gather">(any<"x">, constant<"idx">, constant<>).where(single_use), constant<"w">),
    [](const auto& m, graph& g) {
      const node_id conv = m.root(), gather = node<"gather">(m);
      const auto xd = detail::static_dims(g, out<"x">(m));
      const auto wd = detail::static_dims(g, out<"w">(m));
      if (!xd || !wd || xd->size() < 3 || !detail::gathers_axis_1(g, gather, xd->size())) return false;
      if (detail::static_dims(g, {gather, 0}) != xd) return false;
      const auto inv = detail::inverse_permutation(*g.info(out<"idx">(m)).value, (*xd)[1]);
      if (!inv || (*wd)[1] != (*xd)[1]) return false;
      const output_ref idx = add_constant(g, tensor::from_values<std::int64_t>({(*xd)[1]}, *inv), gather, "inverse");
      const output_ref axis = add_constant(g, tensor::scalar<std::int64_t>(1), gather, "axis");
      const node_id wg = g.add(ops::Gather{}, {out<"w">(m), idx, axis}, g.node(conv).name + "/permuted_weights");
      const output_ref w = fold_output(g, {wg, 0});
      if (!g.info(w).value) return false;
      absorb_names(g, gather, conv);
      g.set_inputs(conv, {out<"x">(m), w});
      g.infer(conv);
      remove_if_unused(g, gather);
      return true;
    });

/// Op(Gather(x, perm, axis 1), c) -> Gather(Op(x, c permuted back), perm, axis 1) for Subtract, Add and Multiply
/// by a per-channel constant: the permutation moves towards the model input, next to the Convolution it folds into.
template <class Op>
bool permutation_through(const auto& m, graph& g) {
  const node_id root = m.root(), gather = node<"gather">(m);
  const auto xd = detail::static_dims(g, out<"x">(m));
  if (!xd || xd->size() < 3 || !detail::gathers_axis_1(g, gather, xd->size())) return false;
  if (detail::static_dims(g, {gather, 0}) != xd) return false;
  const auto c = detail::input_channel_values(g, {gather, 0}, out<"c">(m), {root, 0});
  const auto& idx = *g.info(out<"idx">(m)).value;
  if (!c || !detail::inverse_permutation(idx, (*xd)[1])) return false;
  const auto perm = idx.as_f64();
  std::vector<double> moved(c->size());
  for (std::size_t j = 0; j < perm.size(); ++j) {
    auto i = static_cast<std::int64_t>(perm[j]);
    if (i < 0) i += (*xd)[1];
    moved[static_cast<std::size_t>(i)] = (*c)[j];
  }
  shape dims(xd->size(), 1);
  dims[1] = (*xd)[1];
  const output_ref cc = detail::typed_constant(g, moved, dims, g.info(out<"c">(m)).type, root, "permuted");
  const node_id op_node = g.add(Op{}, {out<"x">(m), cc}, g.node(root).name);
  inherit_source_names(g, root, op_node);
  const node_data gn = g.node(gather); // a copy: adding nodes may move the node storage
  const node_id new_gather = g.add(ops::Gather{}, {{op_node, 0}, gn.inputs[1], gn.inputs[2]}, gn.name + "/moved");
  inherit_source_names(g, gather, new_gather);
  g.replace_uses({root, 0}, {new_gather, 0});
  return true;
}
inline constexpr auto permutation_through_subtract = rule<"PermutationThroughSubtract">(
    op<ops::Subtract>(op<ops::Gather, "gather">(any<"x">, constant<"idx">, constant<>).where(single_use), constant<"c">),
    [](const auto& m, graph& g) { return permutation_through<ops::Subtract>(m, g); });
inline constexpr auto permutation_through_add = rule<"PermutationThroughAdd">(
    op<ops::Add>(op<ops::Gather, "gather">(any<"x">, constant<"idx">, constant<>).where(single_use), constant<"c">)
        .commutative(),
    [](const auto& m, graph& g) { return permutation_through<ops::Add>(m, g); });
inline constexpr auto permutation_through_multiply = rule<"PermutationThroughMultiply">(
    op<ops::Multiply>(op<ops::Gather, "gather">(any<"x">, constant<"idx">, constant<>).where(single_use), constant<"c">)
        .commutative(),
    [](const auto& m, graph& g) { return permutation_through<ops::Multiply>(m, g); });

/// All linear-op fusions as one pass.
inline constexpr auto linear_fusion =
    rewrite<"LinearFusion">(batch_norm_decomposition, batch_norm_v1_decomposition, multiply_into_weights,
                            multiply_through_add, merge_adds, merge_multiplies, input_scale_into_weights,
                            input_shift_into_bias, input_add_into_bias, channel_permutation_into_weights,
                            permutation_through_subtract, permutation_through_add, permutation_through_multiply);

} // namespace irforge::passes
