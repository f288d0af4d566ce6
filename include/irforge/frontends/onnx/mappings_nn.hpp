// irforge — ONNX mappings of the neural-network layers: convolutions, pooling,
// normalisations, Gemm/MatMul, Softmax, TopK/ArgMax.
#pragma once

#include <limits>

#include "irforge/frontends/onnx/converter.hpp"
#include "irforge/frontends/onnx/mapping_helpers.hpp"
#include "irforge/ops/batch_norm.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/convolution.hpp"
#include "irforge/ops/matmul.hpp"
#include "irforge/ops/normalization.hpp"
#include "irforge/ops/pooling.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/slice.hpp"
#include "irforge/ops/softmax.hpp"
#include "irforge/ops/squeeze.hpp"
#include "irforge/ops/topk.hpp"

namespace irforge::onnx::detail {

/// Spatial rank of a Conv-like node from its weights or kernel_shape.
inline std::size_t conv_spatial_rank(const node_context& ctx) {
  const auto& w = ctx.input_shape(1);
  if (w.rank_is_static() && w.rank() >= 2) return w.rank() - 2;
  const auto k = ctx.attr_ints("kernel_shape");
  if (!k.empty()) return k.size();
  ctx.fail("the weights' rank is unknown and there is no kernel_shape");
}

/// Weights [O, I/G, k...] -> [G, O/G, I/G, k...] (forward) or
/// [I, O/G, k...] -> [G, I/G, O/G, k...] (transposed): a view when constant.
inline output_ref grouped_weights(node_context& ctx, std::int64_t group, bool transposed) {
  const auto& ws = ctx.input_shape(1);
  if (!ws.is_static()) ctx.fail("grouped convolution weights need a static shape, got " + ws.to_string());
  shape w = ws.to_shape();
  if (w[0] % group != 0)
    ctx.fail("weights dimension 0 (" + std::to_string(w[0]) + ") is not divisible by group " + std::to_string(group));
  shape g{group, w[0] / group};
  g.insert(g.end(), w.begin() + 1, w.end());
  (void)transposed; // the split is on dimension 0 in both layouts
  return reshaped(ctx, ctx.input(1), g, "weights");
}

/// Adds a bias vector input (if given) after a conv-like output.
inline output_ref add_bias(node_context& ctx, output_ref y, std::size_t bias_input, std::int64_t rank) {
  if (!ctx.has_input(bias_input)) return y;
  const auto b = per_channel(ctx, bias_input, rank, "bias");
  return ctx.add(ops::Add{}, {y, b});
}

inline outputs map_conv(node_context& ctx) {
  const std::size_t n = conv_spatial_rank(ctx);
  const auto a = read_spatial(ctx, n);
  const auto group = ctx.attr_int("group", 1);
  if (group < 1) ctx.fail("group must be positive");
  const bool bias = ctx.has_input(2);
  const std::string_view conv_name = bias ? "WithoutBiases" : "";
  output_ref y;
  if (group == 1) {
    y = ctx.add(ops::Convolution(a.strides, a.dilations, a.pads_begin, a.pads_end, a.auto_pad), {ctx.input(0), ctx.input(1)},
                conv_name);
  } else {
    const auto w = grouped_weights(ctx, group, false);
    y = ctx.add(ops::GroupConvolution(a.strides, a.dilations, a.pads_begin, a.pads_end, a.auto_pad), {ctx.input(0), w},
                conv_name);
  }
  return one(add_bias(ctx, y, 2, static_cast<std::int64_t>(n) + 2));
}

inline outputs map_conv_transpose(node_context& ctx) {
  const std::size_t n = conv_spatial_rank(ctx);
  auto a = read_spatial(ctx, n);
  const auto group = ctx.attr_int("group", 1);
  if (group < 1) ctx.fail("group must be positive");
  auto output_padding = ctx.attr_ints("output_padding", std::vector<std::int64_t>(n, 0));
  auto output_shape = ctx.attr_ints("output_shape");
  if (output_padding.size() != n) ctx.fail("output_padding must have " + std::to_string(n) + " values");
  // SAME without output_shape means output = input * stride (ONNX spec).
  if (output_shape.empty() && (a.auto_pad == ops::pad_type::same_upper || a.auto_pad == ops::pad_type::same_lower)) {
    const auto& xs = ctx.input_shape(0);
    if (!xs.is_static()) ctx.fail("ConvTranspose with auto_pad SAME needs a static input shape");
    for (std::size_t i = 0; i < n; ++i) output_shape.push_back(xs[i + 2].min() * a.strides[i]);
  }

  // With output_shape, ONNX derives the pads; compute them when the input is static.
  if (!output_shape.empty()) {
    const auto& xs = ctx.input_shape(0);
    const auto& ws = ctx.input_shape(1);
    if (!xs.is_static() || !ws.is_static()) ctx.fail("ConvTranspose with output_shape needs static input and weight shapes");
    const shape x = xs.to_shape(), w = ws.to_shape();
    const std::vector<std::int64_t> spatial_out(output_shape.end() - static_cast<std::ptrdiff_t>(n), output_shape.end());
    for (std::size_t i = 0; i < n; ++i) {
      const auto total = a.strides[i] * (x[i + 2] - 1) + output_padding[i] + ((w[i + 2] - 1) * a.dilations[i] + 1) -
                         spatial_out[i];
      const auto t = total < 0 ? 0 : total;
      if (a.auto_pad == ops::pad_type::same_upper) {
        a.pads_begin[i] = t / 2;
        a.pads_end[i] = t - t / 2;
      } else {
        a.pads_begin[i] = t - t / 2;
        a.pads_end[i] = t / 2;
      }
      if (total < 0) output_padding[i] += -total; // the output is larger than the natural size
    }
    a.auto_pad = ops::pad_type::explicit_;
  }

  const bool bias = ctx.has_input(2);
  const std::string_view conv_name = bias ? "WithoutBiases" : "";
  output_ref y;
  if (group == 1) {
    ops::ConvolutionBackpropData op;
    op.strides = a.strides;
    op.dilations = a.dilations;
    op.pads_begin = a.pads_begin;
    op.pads_end = a.pads_end;
    op.auto_pad = a.auto_pad;
    op.output_padding = output_padding;
    y = ctx.add(op, {ctx.input(0), ctx.input(1)}, conv_name);
  } else {
    ops::GroupConvolutionBackpropData op;
    op.strides = a.strides;
    op.dilations = a.dilations;
    op.pads_begin = a.pads_begin;
    op.pads_end = a.pads_end;
    op.auto_pad = a.auto_pad;
    op.output_padding = output_padding;
    y = ctx.add(op, {ctx.input(0), grouped_weights(ctx, group, true)}, conv_name);
  }
  return one(add_bias(ctx, y, 2, static_cast<std::int64_t>(n) + 2));
}

/// Whether IR "ceil" (which keeps a last window starting in the end padding)
/// gives the same size as ONNX ceil_mode on every spatial axis; needs static dims.
inline bool ceil_matches_onnx(const node_context& ctx, const spatial_attrs& a) {
  const auto& xs = ctx.input_shape(0);
  if (!xs.is_static()) return false;
  const shape x = xs.to_shape();
  for (std::size_t i = 0; i < a.kernel.size(); ++i) {
    const auto in = x[i + 2] + a.pads_begin[i] + a.pads_end[i];
    const auto eff = (a.kernel[i] - 1) * a.dilations[i] + 1;
    const auto span = in - eff;
    if (span < 0) return false;
    const auto out_ceil = (span + a.strides[i] - 1) / a.strides[i] + 1;
    if ((out_ceil - 1) * a.strides[i] >= x[i + 2] + a.pads_begin[i]) return false;
  }
  return true;
}

inline outputs map_max_pool(node_context& ctx) {
  const auto rank = ctx.input_rank(0, "MaxPool");
  auto a = read_spatial(ctx, static_cast<std::size_t>(rank - 2));
  if (a.kernel.size() != static_cast<std::size_t>(rank - 2)) ctx.fail("kernel_shape must have one value per spatial axis");
  const bool column_major = ctx.attr_int("storage_order", 0) != 0;
  const bool ceil = ctx.attr_int("ceil_mode", 0) != 0 && a.auto_pad == ops::pad_type::explicit_;
  const bool indices = ctx.output_requested(1);
  const bool dilated = std::any_of(a.dilations.begin(), a.dilations.end(), [](auto d) { return d != 1; });
  const bool torch_ceil = ceil && !ceil_matches_onnx(ctx, a);
  if (!indices && !dilated && !torch_ceil) {
    ops::v1::MaxPool op;
    op.strides = a.strides;
    op.pads_begin = a.pads_begin;
    op.pads_end = a.pads_end;
    op.kernel = a.kernel;
    op.rounding_type = ceil ? ops::rounding_type::ceil : ops::rounding_type::floor;
    op.auto_pad = a.auto_pad;
    return one(ctx.add(op, {ctx.input(0)}));
  }
  auto fill = [&](auto op) {
    op.strides = a.strides;
    op.dilations = a.dilations;
    op.pads_begin = a.pads_begin;
    op.pads_end = a.pads_end;
    op.kernel = a.kernel;
    op.rounding_type = torch_ceil ? ops::rounding_type::ceil_torch : (ceil ? ops::rounding_type::ceil : ops::rounding_type::floor);
    op.auto_pad = a.auto_pad;
    op.index_element_type = element_type::i64;
    op.axis = 0;
    return op;
  };
  const node_id id = torch_ceil ? ctx.add_node(fill(ops::MaxPool{}), {ctx.input(0)})
                                : ctx.add_node(fill(ops::v8::MaxPool{}), {ctx.input(0)});
  if (!indices || !column_major) return {output_ref{id, 0}, output_ref{id, 1}};
  // storage_order=1: indices count H fastest (column-major), IR counts W
  // fastest: with r = i mod (H*W): i - r + (r mod W) * H + r div W.
  const auto& xs = ctx.input_shape(0);
  if (rank != 4 || !xs[2].is_static() || !xs[3].is_static())
    ctx.fail("storage_order=1 needs a 4-D input with static height and width");
  const auto h = xs[2].min(), w = xs[3].min();
  const output_ref idx{id, 1};
  const auto r = ctx.add(ops::FloorMod{}, {idx, ctx.scalar_i64(h * w, "plane")}, "in_plane");
  const auto base = ctx.add(ops::Subtract{}, {idx, r}, "plane_base");
  const auto col = ctx.add(ops::FloorMod{}, {r, ctx.scalar_i64(w, "width")}, "column");
  const auto col_h = ctx.add(ops::Multiply{}, {col, ctx.scalar_i64(h, "height")}, "column_offset");
  ops::Divide div;
  div.m_pythondiv = true;
  const auto row = ctx.add(div, {r, ctx.scalar_i64(w, "width2")}, "row");
  const auto sum = ctx.add(ops::Add{}, {base, col_h}, "partial");
  return {output_ref{id, 0}, ctx.add(ops::Add{}, {sum, row}, "indices")};
}

inline outputs map_average_pool(node_context& ctx) {
  const auto rank = ctx.input_rank(0, "AveragePool");
  auto a = read_spatial(ctx, static_cast<std::size_t>(rank - 2));
  if (a.kernel.size() != static_cast<std::size_t>(rank - 2)) ctx.fail("kernel_shape must have one value per spatial axis");
  if (std::any_of(a.dilations.begin(), a.dilations.end(), [](auto d) { return d != 1; }))
    ctx.fail("AveragePool with dilations is not supported");
  const bool ceil = ctx.attr_int("ceil_mode", 0) != 0 && a.auto_pad == ops::pad_type::explicit_;
  const bool torch_ceil = ceil && !ceil_matches_onnx(ctx, a);
  auto fill = [&](auto op) {
    op.kernel = a.kernel;
    op.strides = a.strides;
    op.pads_begin = a.pads_begin;
    op.pads_end = a.pads_end;
    op.exclude_pad = ctx.attr_int("count_include_pad", 0) == 0;
    op.auto_pad = a.auto_pad;
    op.rounding_type = torch_ceil ? ops::rounding_type::ceil_torch : (ceil ? ops::rounding_type::ceil : ops::rounding_type::floor);
    return op;
  };
  if (torch_ceil) return one(ctx.add(fill(ops::AvgPool{}), {ctx.input(0)}));
  return one(ctx.add(fill(ops::v1::AvgPool{}), {ctx.input(0)}));
}

template <class Reduce> outputs map_global_pool(node_context& ctx) {
  const auto rank = ctx.input_rank(0, "global pooling");
  const auto axes = ctx.constant_i64(iota_axes(2, rank), "axes");
  return one(ctx.add(Reduce(true), {ctx.input(0), axes}));
}

inline outputs map_batch_norm(node_context& ctx) {
  if (ctx.opset() < 9 && ctx.attr_int("spatial", 1) == 0)
    ctx.fail("BatchNormalization with spatial=0 is not supported");
  if (ctx.attr_int("training_mode", 0) != 0) ctx.fail("BatchNormalization in training mode is not supported");
  for (std::size_t k = 1; k < ctx.output_count(); ++k)
    if (ctx.output_requested(k)) ctx.fail("the training outputs of BatchNormalization are not supported");
  const double eps = ctx.attr_float("epsilon", 1e-5f);
  return one(ctx.add(ops::BatchNormInference(eps),
                     {ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)}));
}

inline outputs map_gemm(node_context& ctx) {
  const float alpha = ctx.attr_float("alpha", 1.0f), beta = ctx.attr_float("beta", 1.0f);
  const bool ta = ctx.attr_int("transA", 0) != 0, tb = ctx.attr_int("transB", 0) != 0;
  const bool has_c = ctx.has_input(2) && beta != 0.0f;
  output_ref y = ctx.add(ops::MatMul(ta, tb), {ctx.input(0), ctx.input(1)}, (alpha != 1.0f || has_c) ? "MatMul" : "");
  if (alpha != 1.0f)
    y = ctx.add(ops::Multiply{}, {y, ctx.scalar_of(ctx.input_type(0), alpha, "alpha")}, has_c ? "alpha_mul" : "");
  if (has_c) {
    output_ref c = ctx.input(2);
    if (beta != 1.0f) c = ctx.add(ops::Multiply{}, {c, ctx.scalar_of(ctx.input_type(2), beta, "beta")}, "beta_mul");
    y = ctx.add(ops::Add{}, {y, c});
  }
  return one(y);
}

/// Softmax/LogSoftmax before opset 13 work on the input flattened to 2-D at
/// `axis`; that equals a plain softmax over the last axis when axis is last.
template <class Op> outputs map_softmax(node_context& ctx) {
  if (ctx.opset() >= 13) return one(ctx.add(Op(ctx.attr_int("axis", -1)), {ctx.input(0)}));
  const auto rank = ctx.input_rank(0, "Softmax");
  auto axis = ctx.attr_int("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) ctx.fail("axis out of range");
  if (axis == rank - 1) return one(ctx.add(Op(axis), {ctx.input(0)}));
  const auto& xs = ctx.input_shape(0);
  if (!xs.is_static()) ctx.fail("Softmax (opset < 13) over axis " + std::to_string(axis) + " needs a static input shape");
  const shape x = xs.to_shape();
  std::int64_t rows = 1, cols = 1;
  for (std::int64_t i = 0; i < rank; ++i) (i < axis ? rows : cols) *= x[static_cast<std::size_t>(i)];
  const auto flat = ctx.add(ops::Reshape(false), {ctx.input(0), ctx.constant_i64({rows, cols}, "flat_shape")}, "flatten");
  const auto sm = ctx.add(Op(1), {flat}, "softmax");
  return one(ctx.add(ops::Reshape(false), {sm, ctx.constant_i64(x, "shape")}));
}

inline outputs map_lrn(node_context& ctx) {
  const auto size = ctx.attr_int("size");
  const ops::LRN op(ctx.attr_float("alpha", 1e-4f), ctx.attr_float("beta", 0.75f), ctx.attr_float("bias", 1.0f), size);
  return one(ctx.add(op, {ctx.input(0), ctx.constant_i64({1}, "axes")}));
}

inline outputs map_instance_norm(node_context& ctx) {
  const auto rank = ctx.input_rank(0, "InstanceNormalization");
  const float eps = ctx.attr_float("epsilon", 1e-5f);
  const auto mvn = ctx.add(ops::MVN(true, eps, ops::mvn_eps_mode::inside_sqrt),
                           {ctx.input(0), ctx.constant_i64(iota_axes(2, rank), "axes")}, "mvn");
  const auto scaled = ctx.add(ops::Multiply{}, {mvn, per_channel(ctx, 1, rank, "scale")}, "scale");
  return one(ctx.add(ops::Add{}, {scaled, per_channel(ctx, 2, rank, "bias")}));
}

inline outputs map_layer_norm(node_context& ctx) {
  const auto rank = ctx.input_rank(0, "LayerNormalization");
  auto axis = ctx.attr_int("axis", -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) ctx.fail("axis out of range");
  const float eps = ctx.attr_float("epsilon", 1e-5f);
  const bool has_bias = ctx.has_input(2);
  const auto axes = ctx.constant_i64(iota_axes(axis, rank), "axes");
  if (!ctx.output_requested(1) && !ctx.output_requested(2)) {
    output_ref y = ctx.add(ops::MVN(true, eps, ops::mvn_eps_mode::inside_sqrt), {ctx.input(0), axes}, "mvn");
    y = ctx.add(ops::Multiply{}, {y, ctx.input(1)}, has_bias ? "scale" : "");
    if (has_bias) y = ctx.add(ops::Add{}, {y, ctx.input(2)});
    return one(y);
  }
  // The statistics are wanted too: mean, 1/sqrt(var + eps), then the normalisation.
  const element_type t = ctx.input_type(0);
  const auto mean = ctx.add(ops::ReduceMean(true), {ctx.input(0), axes}, "Mean");
  const auto centered = ctx.add(ops::Subtract{}, {ctx.input(0), mean}, "centered");
  const auto square = ctx.add(ops::Multiply{}, {centered, centered}, "square");
  const auto var = ctx.add(ops::ReduceMean(true), {square, axes}, "variance");
  const auto var_eps = ctx.add(ops::Add{}, {var, ctx.scalar_of(t, eps, "epsilon")}, "variance_eps");
  const auto inv_std = ctx.add(ops::Power{}, {var_eps, ctx.scalar_of(t, -0.5, "minus_half")}, "InvStdDev");
  output_ref y = ctx.add(ops::Multiply{}, {centered, inv_std}, "normalized");
  y = ctx.add(ops::Multiply{}, {y, ctx.input(1)}, has_bias ? "scale" : "");
  if (has_bias) y = ctx.add(ops::Add{}, {y, ctx.input(2)});
  return {y, mean, inv_std};
}

inline outputs map_mean_variance_norm(node_context& ctx) {
  const auto axes = ctx.attr_ints("axes", {0, 2, 3});
  return one(ctx.add(ops::MVN(true, 1e-9f, ops::mvn_eps_mode::outside_sqrt), {ctx.input(0), ctx.constant_i64(axes, "axes")}));
}

inline outputs map_topk(node_context& ctx) {
  output_ref k;
  if (ctx.opset() < 10) {
    k = ctx.scalar_i64(ctx.attr_int("k"), "k");
  } else if (const tensor* kv = ctx.input_value(1)) {
    const auto values = kv->as_i64();
    if (values.size() != 1) ctx.fail("K must hold one value");
    k = ctx.scalar_i64(values[0], "k");
  } else {
    k = ctx.add(ops::Squeeze{}, {ctx.input(1)}, "k");
  }
  const bool largest = ctx.attr_int("largest", 1) != 0, sorted = ctx.attr_int("sorted", 1) != 0;
  // ONNX: among equal values the lower index comes first, so the sort is stable.
  const ops::TopK op(ctx.attr_int("axis", -1), largest ? ops::topk_mode::max : ops::topk_mode::min,
                     sorted ? ops::topk_sort_type::value : ops::topk_sort_type::none, element_type::i64, true);
  const node_id id = ctx.add_node(op, {ctx.input(0), k});
  return {output_ref{id, 0}, output_ref{id, 1}};
}

template <ops::topk_mode Mode> outputs map_arg(node_context& ctx) {
  auto axis = ctx.attr_int("axis", 0);
  const bool keep = ctx.attr_int("keepdims", 1) != 0;
  const bool last = ctx.attr_int("select_last_index", 0) != 0;
  const ops::TopK op(axis, Mode, ops::topk_sort_type::none, element_type::i64, true);
  output_ref data = ctx.input(0);
  std::int64_t dim = 0;
  if (last) {
    // The last of equal extremes is the first one in the reversed axis.
    const auto rank = ctx.input_rank(0, "select_last_index");
    if (axis < 0) axis += rank;
    const auto& d = ctx.input_shape(0)[static_cast<std::size_t>(axis)];
    if (!d.is_static()) ctx.fail("select_last_index=1 needs a static size on the reduced axis");
    dim = d.min();
    data = ctx.add(ops::Slice{}, {data, ctx.constant_i64({-1}, "start"),
                                  ctx.constant_i64({std::numeric_limits<std::int64_t>::min()}, "stop"),
                                  ctx.constant_i64({-1}, "step"), ctx.constant_i64({axis}, "axes")},
                   "reversed");
  }
  const node_id id = ctx.add_node(op, {data, ctx.scalar_i64(1, "k")}, keep && !last ? "" : "topk");
  output_ref indices{id, 1};
  if (last) indices = ctx.add(ops::Subtract{}, {ctx.scalar_i64(dim - 1, "last"), indices}, keep ? "" : "index");
  if (keep) return one(indices);
  return one(ctx.add(ops::Squeeze{}, {indices, ctx.constant_i64({axis}, "axes")}));
}

inline void add_nn_mappings(mapping_table& t) {
  t.add("Conv", map_conv);
  t.add("ConvTranspose", map_conv_transpose);
  t.add("MaxPool", map_max_pool);
  t.add("AveragePool", map_average_pool);
  t.add("GlobalAveragePool", map_global_pool<ops::ReduceMean>);
  t.add("GlobalMaxPool", map_global_pool<ops::ReduceMax>);
  t.add("BatchNormalization", map_batch_norm);
  t.add("Gemm", map_gemm);
  t.add("MatMul", [](node_context& ctx) { return one(ctx.add(ops::MatMul{}, {ctx.input(0), ctx.input(1)})); });
  t.add("Softmax", map_softmax<ops::Softmax>);
  t.add("LogSoftmax", map_softmax<ops::LogSoftmax>);
  t.add("LRN", map_lrn);
  t.add("InstanceNormalization", map_instance_norm);
  t.add("LayerNormalization", map_layer_norm);
  t.add("MeanVarianceNormalization", map_mean_variance_norm);
  t.add("TopK", map_topk);
  t.add("ArgMax", map_arg<ops::topk_mode::max>);
  t.add("ArgMin", map_arg<ops::topk_mode::min>);
}

} // namespace irforge::onnx::detail
