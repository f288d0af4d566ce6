// irforge — Caffe mappings of the neural-network layers: Convolution,
// Deconvolution, InnerProduct, Pooling, LRN, MVN, BatchNorm, Scale, Bias,
// Normalize, Softmax, PReLU.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/mapping_helpers.hpp"
#include "irforge/ops/activations.hpp"
#include "irforge/ops/batch_norm.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/convolution.hpp"
#include "irforge/ops/matmul.hpp"
#include "irforge/ops/normalization.hpp"
#include "irforge/ops/pooling.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/softmax.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::caffe::detail {

/// Kernel, stride, pad and dilation of a ConvolutionParameter (Caffe defaults).
struct conv_geometry {
  std::vector<std::int64_t> kernel, stride, pad, dilation;
};

inline conv_geometry read_conv_geometry(const layer_context& ctx, const message_view& p, std::size_t spatial) {
  conv_geometry g;
  g.kernel = spatial_values(ctx, p, "kernel", "kernel_size", spatial, 0, true);
  g.stride = spatial_values(ctx, p, "stride", "stride", spatial, 1);
  g.pad = spatial_values(ctx, p, "pad", "pad", spatial, 0);
  const auto d = p.integers("dilation");
  if (d.empty()) g.dilation.assign(spatial, 1);
  else if (d.size() == 1) g.dilation.assign(spatial, d[0]);
  else if (d.size() == spatial) g.dilation = d;
  else ctx.fail("dilation has " + std::to_string(d.size()) + " values; give 1 or one per spatial axis");
  for (auto k : g.kernel) ctx.require(k >= 1, "kernel sizes must be positive");
  return g;
}

/// What Convolution and Deconvolution share: channels, groups, weights' shape.
struct conv_setup {
  std::int64_t rank = 0, channels = 0, outputs = 0, group = 1;
  conv_geometry geo;
  bool bias = true;
};

inline conv_setup read_conv(const layer_context& ctx) {
  const message_view p = ctx.param("convolution_param");
  conv_setup s;
  if (ctx.input_count() != 1) ctx.fail("takes one bottom (weights from a second bottom are not supported)");
  s.rank = ctx.input_rank(0, ctx.type());
  if (s.rank < 3 || s.rank > 5) ctx.fail("the bottom must have 1 to 3 spatial axes, got shape " + ctx.input_shape(0).to_string());
  if (p.integer("axis", 1) != 1) ctx.fail("convolution over an axis other than 1 is not supported");
  s.channels = ctx.static_dim(0, 1, ctx.type());
  s.outputs = p.integer("num_output", 0);
  if (s.outputs < 1) ctx.fail("num_output must be positive");
  s.group = p.integer("group", 1);
  if (s.group < 1) ctx.fail("group must be positive");
  if (s.channels % s.group != 0 || s.outputs % s.group != 0)
    ctx.fail("group " + std::to_string(s.group) + " must divide both the input channels (" + std::to_string(s.channels) +
             ") and num_output (" + std::to_string(s.outputs) + ")");
  s.geo = read_conv_geometry(ctx, p, static_cast<std::size_t>(s.rank - 2));
  s.bias = p.boolean("bias_term", true);
  return s;
}

/// Adds the per-channel bias blob (blob 1) after a conv-like output.
inline output_ref add_conv_bias(layer_context& ctx, output_ref y, std::int64_t channels, std::int64_t rank) {
  const tensor b = ctx.blob_values(1, {channels}, "bias");
  return ctx.add(ops::Add{}, {y, ctx.constant(b.reshaped(channel_shape(channels, rank)), "bias")});
}

inline outputs map_convolution(layer_context& ctx) {
  const conv_setup s = read_conv(ctx);
  shape wdims{s.outputs, s.channels / s.group};
  wdims.insert(wdims.end(), s.geo.kernel.begin(), s.geo.kernel.end());
  const tensor w = ctx.blob_values(0, wdims, "weights");
  const std::string_view conv_name = s.bias ? "WithoutBiases" : "";
  output_ref y;
  if (s.group == 1) {
    y = ctx.add(ops::Convolution(s.geo.stride, s.geo.dilation, s.geo.pad, s.geo.pad), {ctx.input(0), ctx.constant(w, "weights")},
                conv_name);
  } else {
    shape gdims{s.group, s.outputs / s.group};
    gdims.insert(gdims.end(), wdims.begin() + 1, wdims.end());
    y = ctx.add(ops::GroupConvolution(s.geo.stride, s.geo.dilation, s.geo.pad, s.geo.pad),
                {ctx.input(0), ctx.constant(w.reshaped(gdims), "weights")}, conv_name);
  }
  return one(s.bias ? add_conv_bias(ctx, y, s.outputs, s.rank) : y);
}

inline outputs map_deconvolution(layer_context& ctx) {
  const conv_setup s = read_conv(ctx);
  // Caffe stores deconvolution weights as [C_in, C_out / group, k...].
  shape wdims{s.channels, s.outputs / s.group};
  wdims.insert(wdims.end(), s.geo.kernel.begin(), s.geo.kernel.end());
  const tensor w = ctx.blob_values(0, wdims, "weights");
  const std::string_view conv_name = s.bias ? "WithoutBiases" : "";
  auto fill = [&](auto op) {
    op.strides = s.geo.stride;
    op.dilations = s.geo.dilation;
    op.pads_begin = s.geo.pad;
    op.pads_end = s.geo.pad;
    op.auto_pad = ops::pad_type::explicit_;
    op.output_padding.assign(s.geo.kernel.size(), 0);
    return op;
  };
  output_ref y;
  if (s.group == 1) {
    y = ctx.add(fill(ops::ConvolutionBackpropData{}), {ctx.input(0), ctx.constant(w, "weights")}, conv_name);
  } else {
    shape gdims{s.group, s.channels / s.group};
    gdims.insert(gdims.end(), wdims.begin() + 1, wdims.end());
    y = ctx.add(fill(ops::GroupConvolutionBackpropData{}), {ctx.input(0), ctx.constant(w.reshaped(gdims), "weights")},
                conv_name);
  }
  return one(s.bias ? add_conv_bias(ctx, y, s.outputs, s.rank) : y);
}

inline outputs map_inner_product(layer_context& ctx) {
  const message_view p = ctx.param("inner_product_param");
  const auto rank = ctx.input_rank(0, "InnerProduct");
  const auto axis = caffe_axis(ctx, p.integer("axis", 1), rank);
  const auto n = p.integer("num_output", 0);
  if (n < 1) ctx.fail("num_output must be positive");
  const bool transpose = p.boolean("transpose", false);
  const bool bias = p.boolean("bias_term", true);
  // Everything from `axis` on is flattened into K.
  const auto& xs = ctx.input_shape(0);
  std::vector<dimension> tail(xs.dims().begin() + axis, xs.dims().end());
  if (!partial_shape(tail).is_static())
    ctx.fail("InnerProduct needs static dimensions from axis " + std::to_string(axis) + " on, got " + xs.to_string());
  const shape x = partial_shape(tail).to_shape();
  const std::int64_t k = product(ctx, x, 0, x.size());
  output_ref in = ctx.input(0);
  if (axis != rank - 1) {
    std::vector<std::int64_t> target(static_cast<std::size_t>(axis), 0);
    target.push_back(-1);
    in = reshape_zero(ctx, in, target, "flatten");
  }
  // Weights [N, K] (or [K, N] with transpose: true).
  const tensor w = ctx.blob_values(0, transpose ? shape{k, n} : shape{n, k}, "weights");
  output_ref y = ctx.add(ops::MatMul(false, !transpose), {in, ctx.constant(w, "weights")}, bias ? "WithoutBiases" : "");
  if (bias) y = ctx.add(ops::Add{}, {y, ctx.blob(1, {n}, "bias")});
  return one(y);
}

/// Caffe's pooled size: ceil((in + 2p - k) / s) + 1, minus one when that last
/// window would start inside the end padding (only with padding); or floor.
inline std::int64_t caffe_pooled_size(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t p, bool ceil) {
  const std::int64_t span = in + 2 * p - k;
  if (!ceil) return ops::spatial::floor_div(span, s) + 1;
  std::int64_t out = ops::spatial::ceil_div(span, s) + 1;
  if (p > 0 && (out - 1) * s >= in + p) --out;
  return out;
}

/// The IR rounding that gives Caffe's sizes: floor or ceil (opset1) when one
/// of them does, else ceil_torch (opset14), which is Caffe's rule.
inline ops::rounding_type pool_rounding(const layer_context& ctx, const conv_geometry& g, bool ceil) {
  if (!ceil) return ops::rounding_type::floor;
  const auto& xs = ctx.input_shape(0);
  bool floor_ok = true, ceil_ok = true;
  for (std::size_t i = 0; i < g.kernel.size(); ++i) {
    const std::int64_t p = g.pad[i], k = g.kernel[i], s = g.stride[i];
    constexpr auto limit = ops::spatial::max_window_value;
    if (s < 1 || p < 0 || k < 1 || s > limit || p > limit || k > limit)
      return ops::rounding_type::ceil; // invalid: the op's shape inference rejects it with a message
    if (!xs.rank_is_static() || !xs[i + 2].is_static() || xs[i + 2].min() > ops::spatial::max_dimension) {
      if (p > 0) return ops::rounding_type::ceil_torch; // exact for any size
      floor_ok = false;
      continue;
    }
    const std::int64_t in = xs[i + 2].min();
    const std::int64_t want = caffe_pooled_size(in, k, s, p, true);
    floor_ok = floor_ok && want == caffe_pooled_size(in, k, s, p, false);
    ceil_ok = ceil_ok && want == ops::spatial::ceil_div(in + 2 * p - k, s) + 1;
  }
  if (floor_ok) return ops::rounding_type::floor;
  if (ceil_ok) return ops::rounding_type::ceil;
  return ops::rounding_type::ceil_torch;
}

inline constexpr std::string_view pool_methods[] = {"MAX", "AVE", "STOCHASTIC"};
inline constexpr std::string_view round_modes[] = {"CEIL", "FLOOR"};

inline outputs map_pooling(layer_context& ctx) {
  const message_view p = ctx.param("pooling_param");
  const auto rank = ctx.input_rank(0, "Pooling");
  if (rank < 3 || rank > 5) ctx.fail("the bottom must have 1 to 3 spatial axes, got shape " + ctx.input_shape(0).to_string());
  const std::string method = p.enumeration("pool", "MAX", pool_methods);
  if (method != "MAX" && method != "AVE") ctx.fail("pooling method " + method + " is not supported (only MAX and AVE)");
  const bool max = method == "MAX";
  if (p.boolean("global_pooling", false)) {
    std::vector<std::int64_t> axes;
    for (std::int64_t a = 2; a < rank; ++a) axes.push_back(a);
    const auto ax = ctx.constant_i64(axes, "axes");
    return one(max ? ctx.add(ops::ReduceMax(true), {ctx.input(0), ax}) : ctx.add(ops::ReduceMean(true), {ctx.input(0), ax}));
  }
  const auto spatial = static_cast<std::size_t>(rank - 2);
  conv_geometry g;
  g.kernel = spatial_values(ctx, p, "kernel", "kernel_size", spatial, 0, true);
  g.stride = spatial_values(ctx, p, "stride", "stride", spatial, 1);
  g.pad = spatial_values(ctx, p, "pad", "pad", spatial, 0);
  // BVLC: round_mode CEIL (default) or FLOOR; some forks: ceil_mode: false.
  bool ceil = p.enumeration("round_mode", "CEIL", round_modes) == "CEIL";
  if (p.has("ceil_mode")) ceil = p.boolean("ceil_mode", true);
  const ops::rounding_type rounding = pool_rounding(ctx, g, ceil);
  auto fill = [&](auto op) {
    op.kernel = g.kernel;
    op.strides = g.stride;
    op.pads_begin = g.pad;
    op.pads_end = g.pad;
    op.auto_pad = ops::pad_type::explicit_;
    op.rounding_type = rounding;
    return op;
  };
  const bool torch = rounding == ops::rounding_type::ceil_torch;
  if (max) {
    if (!torch) return one(ctx.add(fill(ops::v1::MaxPool{}), {ctx.input(0)}));
    auto op = fill(ops::MaxPool{});
    op.dilations.assign(spatial, 1);
    return one(output_ref{ctx.add_node(op, {ctx.input(0)}), 0});
  }
  // Caffe averages over the window clipped to the padded input: padding counts.
  if (!torch) {
    auto op = fill(ops::v1::AvgPool{});
    op.exclude_pad = false;
    return one(ctx.add(op, {ctx.input(0)}));
  }
  auto op = fill(ops::AvgPool{});
  op.exclude_pad = false;
  return one(ctx.add(op, {ctx.input(0)}));
}

inline constexpr std::string_view norm_regions[] = {"ACROSS_CHANNELS", "WITHIN_CHANNEL"};

inline outputs map_lrn(layer_context& ctx) {
  const message_view p = ctx.param("lrn_param");
  const auto size = p.integer("local_size", 5);
  if (size < 1) ctx.fail("local_size must be positive");
  const double alpha = p.number("alpha", 1.0), beta = p.number("beta", 0.75);
  if (p.enumeration("norm_region", "ACROSS_CHANNELS", norm_regions) == "ACROSS_CHANNELS")
    return one(ctx.add(ops::LRN(alpha, beta, p.number("k", 1.0), size), {ctx.input(0), ctx.constant_i64({1}, "axes")}));
  // WITHIN_CHANNEL: Caffe averages x^2 over a size x size window (padding
  // counts) and uses 1 + alpha * mean, i.e. k = 1.
  const auto rank = ctx.input_rank(0, "LRN");
  if (rank != 4) ctx.fail("WITHIN_CHANNEL needs a 4-D bottom");
  return one(ctx.add(ops::LRN(alpha, beta, 1.0, size), {ctx.input(0), ctx.constant_i64({2, 3}, "axes")}));
}

inline outputs map_mvn(layer_context& ctx) {
  const message_view p = ctx.param("mvn_param");
  const auto rank = ctx.input_rank(0, "MVN");
  const bool across = p.boolean("across_channels", false);
  std::vector<std::int64_t> axes;
  for (std::int64_t a = across ? 1 : 2; a < rank; ++a) axes.push_back(a);
  if (axes.empty()) ctx.fail("MVN needs a bottom of rank 3 or more (rank 2 with across_channels)");
  // Caffe divides by sqrt(variance) + eps.
  const ops::MVN op(p.boolean("normalize_variance", true), p.number_f32("eps", 1e-9f),
                    ops::mvn_eps_mode::outside_sqrt);
  return one(ctx.add(op, {ctx.input(0), ctx.constant_i64(axes, "axes")}));
}

inline outputs map_batch_norm(layer_context& ctx) {
  const message_view p = ctx.param("batch_norm_param");
  const auto rank = ctx.input_rank(0, "BatchNorm");
  if (rank < 2) ctx.fail("BatchNorm needs a bottom of rank 2 or more");
  const auto c = ctx.static_dim(0, 1, "BatchNorm");
  // Blobs: running mean and variance, both scaled by the moving-average factor (blob 2).
  const tensor mean = ctx.blob_values(0, {c}, "mean", 0.0f);
  const tensor var = ctx.blob_values(1, {c}, "variance", 1.0f);
  const tensor factor = ctx.blob_values(2, {1}, "moving_average_factor", 1.0f);
  const float f = factor.at<float>(0);
  const float scale = f == 0.0f ? 0.0f : 1.0f / f;
  std::vector<float> m = mean.values<float>(), v = var.values<float>();
  for (auto& x : m) x *= scale;
  for (auto& x : v) x *= scale;
  const auto gamma = ctx.constant_f32(std::vector<float>(static_cast<std::size_t>(c), 1.0f), {c}, "gamma");
  const auto beta = ctx.constant_f32(std::vector<float>(static_cast<std::size_t>(c), 0.0f), {c}, "beta");
  const auto mean_c = ctx.constant_f32(std::move(m), {c}, "mean");
  const auto var_c = ctx.constant_f32(std::move(v), {c}, "variance");
  const double eps = p.number("eps", 1e-5);
  return one(ctx.add(ops::BatchNormInference(eps), {ctx.input(0), gamma, beta, mean_c, var_c}));
}

/// Scale and Bias: the second operand covers axes [axis, axis + its rank) of
/// the first; it is a second bottom, or a learned blob whose shape is the
/// first bottom's dims [axis, axis + num_axes).
struct affine_operand {
  output_ref value;
  std::int64_t next_blob = 0; ///< index of the blob after the operand's own
};

inline affine_operand affine_operand_of(layer_context& ctx, const message_view& p, std::string_view role, float fill) {
  const auto rank = ctx.input_rank(0, ctx.type());
  const auto& xs = ctx.input_shape(0);
  if (ctx.input_count() >= 2) {
    const auto& ss = ctx.input_shape(1);
    if (!ss.is_static()) ctx.fail("the second bottom needs a static shape, got " + ss.to_string());
    const shape s = ss.to_shape();
    const auto axis = s.empty() ? 0 : caffe_axis(ctx, p.integer("axis", 1), rank);
    if (axis + static_cast<std::int64_t>(s.size()) > rank)
      ctx.fail("the second bottom " + ss.to_string() + " does not fit the first " + xs.to_string() + " at axis " +
               std::to_string(axis));
    shape target = s;
    target.resize(static_cast<std::size_t>(rank - axis), 1);
    output_ref v = ctx.input(1);
    if (target != s) v = reshape_to(ctx, v, target, std::string(role) + "/reshape");
    return {v, 0};
  }
  auto num_axes = p.integer("num_axes", 1);
  const auto axis = caffe_axis(ctx, p.integer("axis", 1), rank);
  if (num_axes == -1) num_axes = rank - axis;
  if (num_axes < 0 || axis + num_axes > rank)
    ctx.fail("num_axes " + std::to_string(num_axes) + " does not fit a bottom of rank " + std::to_string(rank) +
             " at axis " + std::to_string(axis));
  shape s;
  for (std::int64_t a = axis; a < axis + num_axes; ++a) s.push_back(ctx.static_dim(0, a, ctx.type()));
  const tensor t = ctx.blob_values(0, s, role, fill);
  // Full rank [1.., S, ..1]: broadcasts by NumPy rules and reads as per-channel to the fusion passes.
  shape full(static_cast<std::size_t>(rank), 1);
  std::copy(s.begin(), s.end(), full.begin() + axis);
  return {ctx.constant(t.reshaped(full), role), 1};
}

/// The bias blob `index` of Scale, shaped like the scale operand.
inline output_ref affine_bias_blob(layer_context& ctx, std::int64_t index, const partial_shape& operand) {
  const shape s = operand.to_shape();
  return ctx.constant(ctx.blob_values(static_cast<std::size_t>(index), {static_cast<std::int64_t>(element_count(s))}, "bias").reshaped(s),
                      "bias");
}

inline outputs map_scale(layer_context& ctx) {
  const message_view p = ctx.param("scale_param");
  const affine_operand scale = affine_operand_of(ctx, p, "weights", 1.0f);
  const bool bias = p.boolean("bias_term", false);
  output_ref y = ctx.add(ops::Multiply{}, {ctx.input(0), scale.value}, bias ? "mul" : "");
  if (!bias) return one(y);
  // The bias has the scale's shape (up to the trailing ones added for broadcasting).
  const auto& ss = ctx.g().info(scale.value).shape;
  if (!ss.is_static()) ctx.fail("the scale needs a static shape for its bias");
  return one(ctx.add(ops::Add{}, {y, affine_bias_blob(ctx, scale.next_blob, ss)}));
}

inline outputs map_bias(layer_context& ctx) {
  const message_view p = ctx.param("bias_param");
  const affine_operand b = affine_operand_of(ctx, p, "bias", 0.0f);
  return one(ctx.add(ops::Add{}, {ctx.input(0), b.value}));
}

inline outputs map_normalize(layer_context& ctx) {
  // SSD's Normalize (norm_param): x / sqrt(sum x^2 + eps), times a learned scale.
  message_view p = ctx.param("norm_param");
  if (p.empty()) p = ctx.param("normalize_param");
  const auto rank = ctx.input_rank(0, "Normalize");
  if (rank < 2) ctx.fail("Normalize needs a bottom of rank 2 or more");
  const bool across_spatial = p.boolean("across_spatial", true);
  const bool channel_shared = p.boolean("channel_shared", true);
  std::vector<std::int64_t> axes{1};
  if (across_spatial)
    for (std::int64_t a = 2; a < rank; ++a) axes.push_back(a);
  const float eps = p.number_f32("eps", 1e-10f);
  const output_ref n =
      ctx.add(ops::NormalizeL2(eps, ops::eps_mode::add), {ctx.input(0), ctx.constant_i64(axes, "axes")}, "normalize");
  const message_view filler = p.message("scale_filler");
  const float fill = filler.string("type", "constant") == "constant" ? filler.number_f32("value", 1.0f) : 0.0f;
  output_ref scale;
  if (channel_shared) {
    scale = ctx.constant(ctx.blob_values(0, {1}, "weights", fill).reshaped({}), "weights");
  } else {
    const auto c = ctx.static_dim(0, 1, "Normalize");
    scale = ctx.constant(ctx.blob_values(0, {c}, "weights", fill).reshaped(channel_shape(c, rank)), "weights");
  }
  return one(ctx.add(ops::Multiply{}, {n, scale}));
}

inline outputs map_softmax(layer_context& ctx) {
  const auto rank = ctx.input_rank(0, "Softmax");
  const auto axis = caffe_axis(ctx, ctx.param("softmax_param").integer("axis", 1), rank);
  return one(ctx.add(ops::Softmax(axis), {ctx.input(0)}));
}

inline outputs map_prelu(layer_context& ctx) {
  const message_view p = ctx.param("prelu_param");
  const bool shared = p.boolean("channel_shared", false);
  const message_view filler = p.message("filler");
  const float fill = filler.string("type", "constant") == "constant" ? filler.number_f32("value", 0.25f) : 0.0f;
  const auto c = shared ? 1 : ctx.static_dim(0, 1, "PReLU");
  return one(ctx.add(ops::PRelu{}, {ctx.input(0), ctx.blob(0, {c}, "slope", fill)}));
}

inline void add_nn_mappings(mapping_table& t) {
  t.add("Convolution", map_convolution);
  t.add("Deconvolution", map_deconvolution);
  t.add("InnerProduct", map_inner_product);
  t.add("Pooling", map_pooling);
  t.add("LRN", map_lrn);
  t.add("MVN", map_mvn);
  t.add("BatchNorm", map_batch_norm);
  t.add("Scale", map_scale);
  t.add("Bias", map_bias);
  t.add("Normalize", map_normalize);
  t.add("Softmax", map_softmax);
  t.add("PReLU", map_prelu);
}

} // namespace irforge::caffe::detail
