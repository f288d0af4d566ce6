// irforge — weight compression: FP16 (as Model Optimizer's --compress_to_fp16
// writes it) and INT8 per output channel (which MO never had).
//
// FP16: a float Const becomes `Const f16 <name>_compressed -> Convert f32 <name>`
// with rt_info `decompression`; activations stay f32. Left as they are:
// constants that feed shape-like inputs (a Reshape target, Interpolate
// scales, Pad amounts ...), which must stay exact; constants of which 75 % or
// more of the values lie outside f16's range. Other values beyond +-65504 are
// clamped to it (and counted), values below f16's smallest subnormal become 0.
//
// INT8: the weights of Convolution, GroupConvolution, ConvolutionBackpropData,
// GroupConvolutionBackpropData and MatMul become, per output channel,
//   symmetric:  Const i8 -> Convert f32 -> Multiply(scale)                 scale = max|w| / 127
//   asymmetric: Const u8 -> Convert f32 -> Subtract(zero point) -> Multiply(scale)
//               scale = (max - min) / 255, zero point = round(-min / scale)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/core/half.hpp"
#include "irforge/ops/standard.hpp"
#include "irforge/passes/pipeline.hpp"
#include "irforge/passes/rewrite_helpers.hpp"

namespace irforge::passes {

struct compression_stats {
  std::size_t constants = 0;     ///< constants compressed
  std::size_t kept = 0;          ///< float constants left as they were (precise inputs, out of range)
  std::uint64_t clamped = 0;     ///< values clamped to the f16 range
  std::uint64_t flushed = 0;     ///< non-zero values that became 0
  std::uint64_t bytes_before = 0, bytes_after = 0;
};

namespace detail {
/// Inputs that are shapes, indices, axes or scales: their constants stay exact.
inline bool precise_input(const any_op& op, std::size_t input) {
  const auto t = op.type_name();
  if (t == "Reshape" || t == "Squeeze" || t == "Unsqueeze" || t == "Transpose" || t == "Tile" || t == "TopK" ||
      t == "ReduceMean" || t == "ReduceSum" || t == "ReduceMax" || t == "ReduceMin" || t == "ReduceProd" ||
      t == "ReduceL1" || t == "ReduceL2" || t == "MVN" || t == "NormalizeL2" || t == "LRN" || t == "CumSum" ||
      t == "Split" || t == "VariadicSplit" || t == "Gather" || t == "GatherElements" || t == "GatherND" || t == "OneHot" ||
      t == "ScatterUpdate" || t == "ScatterElementsUpdate" || t == "ScatterNDUpdate")
    return input >= 1;
  if (t == "Broadcast" || t == "Pad" || t == "Slice" || t == "StridedSlice" || t == "Interpolate") return input >= 1;
  if (t == "Range" || t == "ShapeOf") return true;
  if (t == "ConvolutionBackpropData" || t == "GroupConvolutionBackpropData") return input == 2;
  return false;
}

inline bool feeds_precise_input(const graph& g, node_id c) {
  for (std::uint32_t k = 0; k < g.node(c).outputs.size(); ++k)
    for (const auto& use : g.consumers({c, k}))
      if (precise_input(g.node(use.node).op, use.index)) return true;
  return false;
}

/// The new Const replaces `old` through a decompression Convert that takes its name.
inline void insert_decompression(graph& g, node_id old, tensor compressed, element_type to) {
  const std::string name = g.node(old).name;
  g.node(old).name = name + "_replaced"; // frees the name for the Convert
  const node_id c = g.add(ops::Constant(std::move(compressed)), {}, name + "_compressed");
  const node_id cv = g.add(ops::Convert(to), {{c, 0}}, name);
  g.node(c).source_names = g.node(old).source_names;
  g.node(cv).source_names = g.node(old).source_names;
  g.node(cv).rt_info.emplace_back("decompression", "");
  g.replace_uses({old, 0}, {cv, 0});
  remove_if_unused(g, old);
}
} // namespace detail

/// Compresses float weights to f16; returns what it did.
inline compression_stats fp16_compress(graph& g) {
  compression_stats stats;
  for (node_id id : g.nodes()) {
    if (!g.alive(id)) continue;
    const auto* c = g.node(id).op.get_if<ops::Constant>();
    if (c == nullptr || (c->value.type() != element_type::f32 && c->value.type() != element_type::f64)) continue;
    if (g.consumer_count(id) == 0) continue;
    if (detail::feeds_precise_input(g, id)) {
      ++stats.kept;
      continue;
    }
    const auto values = c->value.as_f64();
    std::uint64_t out_of_range = 0;
    for (double v : values)
      if (std::isfinite(v) && std::fabs(v) > 65504.0) ++out_of_range;
    if (!values.empty() && out_of_range * 4 >= values.size() * 3) {
      ++stats.kept;
      continue;
    }
    std::vector<std::uint16_t> bits(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      double v = values[i];
      if (std::isfinite(v) && std::fabs(v) > 65504.0) {
        v = std::copysign(65504.0, v);
        ++stats.clamped;
      }
      bits[i] = f32_to_f16_bits(static_cast<float>(v));
      if (v != 0 && (bits[i] & 0x7fffu) == 0) ++stats.flushed;
    }
    stats.bytes_before += c->value.bytes().size();
    tensor compressed = tensor::from_values<std::uint16_t>(c->value.dims(), bits).reinterpreted(element_type::f16);
    stats.bytes_after += compressed.bytes().size();
    const element_type to = c->value.type();
    detail::insert_decompression(g, id, std::move(compressed), to);
    ++stats.constants;
  }
  if (stats.constants)
    for (node_id p : g.parameters()) g.node(p).rt_info.emplace_back("old_api_map_element_type", "f16");
  return stats;
}

enum class int8_mode { symmetric, asymmetric };

namespace detail {
/// Axes of the weights that carry the output channel (see linear_fusion.hpp).
inline std::vector<std::size_t> output_channel_axes(const any_op& op, std::size_t rank) {
  if (op.is<ops::Convolution>()) return {0};
  if (op.is<ops::GroupConvolution>()) return {0, 1};
  if (op.is<ops::ConvolutionBackpropData>()) return {1};
  if (op.is<ops::GroupConvolutionBackpropData>()) return {0, 2};
  if (const auto* mm = op.get_if<ops::MatMul>(); mm && rank == 2) return {mm->transpose_b ? 0u : 1u};
  return {};
}
} // namespace detail

/// Compresses convolution and MatMul weights to 8 bits per output channel.
inline compression_stats compress_weights_int8(graph& g, int8_mode mode = int8_mode::symmetric) {
  compression_stats stats;
  for (node_id id : g.nodes()) {
    if (!g.alive(id)) continue;
    const auto& n = g.node(id);
    if (n.inputs.size() < 2) continue;
    const output_ref w = n.inputs[1];
    const auto* c = g.node(w.node).op.get_if<ops::Constant>();
    if (c == nullptr || c->value.type() != element_type::f32 || g.consumer_count(w.node) != 1) continue;
    const shape dims = c->value.dims();
    const auto axes = detail::output_channel_axes(n.op, dims.size());
    if (axes.empty()) continue;
    // Channel index of each element: the output-channel axes flattened.
    const auto strides = [&] {
      std::vector<std::int64_t> st(dims.size(), 1);
      for (std::size_t i = dims.size(); i-- > 1;) st[i - 1] = st[i] * dims[i];
      return st;
    }();
    std::int64_t channels = 1;
    for (auto a : axes) channels *= dims[a];
    const auto values = c->value.values<float>();
    auto channel_of = [&](std::size_t i) {
      std::int64_t ch = 0;
      for (auto a : axes) ch = ch * dims[a] + (static_cast<std::int64_t>(i) / strides[a]) % dims[a];
      return static_cast<std::size_t>(ch);
    };
    std::vector<float> lo(static_cast<std::size_t>(channels), std::numeric_limits<float>::max());
    std::vector<float> hi(static_cast<std::size_t>(channels), std::numeric_limits<float>::lowest());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto ch = channel_of(i);
      lo[ch] = std::min(lo[ch], values[i]);
      hi[ch] = std::max(hi[ch], values[i]);
    }
    shape per_channel(dims.size(), 1);
    for (auto a : axes) per_channel[a] = dims[a];
    std::vector<float> scale(static_cast<std::size_t>(channels)), zero(static_cast<std::size_t>(channels), 0.0f);
    for (std::size_t ch = 0; ch < scale.size(); ++ch) {
      if (mode == int8_mode::symmetric) {
        const float m = std::max(std::fabs(lo[ch]), std::fabs(hi[ch]));
        scale[ch] = m > 0 ? m / 127.0f : 1.0f;
      } else {
        const float l = std::min(lo[ch], 0.0f), h = std::max(hi[ch], 0.0f);
        scale[ch] = h > l ? (h - l) / 255.0f : 1.0f;
        zero[ch] = std::clamp(std::round(-l / scale[ch]), 0.0f, 255.0f);
      }
    }
    tensor q;
    if (mode == int8_mode::symmetric) {
      std::vector<std::int8_t> v(values.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        v[i] = static_cast<std::int8_t>(std::clamp(std::round(values[i] / scale[channel_of(i)]), -127.0f, 127.0f));
      q = tensor::from_values<std::int8_t>(dims, v);
    } else {
      std::vector<std::uint8_t> v(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) {
        const auto ch = channel_of(i);
        v[i] = static_cast<std::uint8_t>(std::clamp(std::round(values[i] / scale[ch]) + zero[ch], 0.0f, 255.0f));
      }
      q = tensor::from_values<std::uint8_t>(dims, v);
    }
    stats.bytes_before += c->value.bytes().size();
    stats.bytes_after += q.bytes().size() + scale.size() * 4 * (mode == int8_mode::symmetric ? 1 : 2);

    const node_id wn = w.node;
    const std::string name = g.node(wn).name;
    g.node(wn).name = name + "_replaced";
    const node_id qc = g.add(ops::Constant(std::move(q)), {}, name + "_compressed");
    const node_id cv = g.add(ops::Convert(element_type::f32), {{qc, 0}}, name + "/convert");
    g.node(cv).rt_info.emplace_back("decompression", "");
    output_ref deq{cv, 0};
    if (mode == int8_mode::asymmetric) {
      const node_id zp = g.add(ops::Constant(tensor::from_values<float>(per_channel, zero)), {}, name + "/zero_point");
      const node_id sub = g.add(ops::Subtract{}, {deq, {zp, 0}}, name + "/subtract");
      g.node(sub).rt_info.emplace_back("decompression", "");
      deq = {sub, 0};
    }
    const node_id sc = g.add(ops::Constant(tensor::from_values<float>(per_channel, scale)), {}, name + "/scale");
    const node_id mul = g.add(ops::Multiply{}, {deq, {sc, 0}}, name);
    g.node(mul).rt_info.emplace_back("decompression", "");
    for (node_id x : {qc, cv, sc, mul}) g.node(x).source_names = g.node(wn).source_names;
    g.replace_uses(w, {mul, 0});
    remove_if_unused(g, wn);
    ++stats.constants;
  }
  return stats;
}

/// The FP16 compression pass: `irforge::passes::compress_to_fp16().run(g)`.
inline constexpr auto fp16_compression =
    make_pass<"CompressToFP16">([](graph& g) -> std::size_t { return fp16_compress(g).constants; });
inline constexpr const auto& compress_to_fp16() { return fp16_compression; }

} // namespace irforge::passes
