// irforge — what Model Optimizer does to a model's inputs: layouts
// (--layout, --source_layout, --target_layout), the batch (--batch) and
// preprocessing (--reverse_input_channels, --mean_values, --scale_values,
// --scale).
//
//   passes::set_layouts(g, {{.input = "data", .source = "NHWC", .target = "NCHW"}});
//   passes::set_batch(g, 8);
//   passes::add_preprocessing(g, {{.input = "data", .mean = {123.7, 116.3, 103.5}, .scale = {58.4, 57.1, 57.4},
//                                  .reverse_channels = true}});
//
// Preprocessing is inserted as Model Optimizer's PrePostProcessor does:
// Parameter -> channel reversal (Gather) -> Subtract(mean) -> Multiply(1/scale)
// -> the model, so mean and scale are given in the model's channel order.
// LinearFusion then folds these into the first Convolution when that is the
// only consumer: the scale and the reversal always, the mean when the
// convolution is unpadded (with padding the border would differ).
//
// The channel axis of an input is the C of its layout; without a layout it
// is guessed from a 3-, 4- or 5-D shape whose axis 1 (NCHW) or last axis
// (NHWC) has the size the values need, and an input where that stays
// ambiguous is an error asking for --layout.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "irforge/core/graph.hpp"
#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/gather.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/transpose.hpp"
#include "irforge/passes/constant_folding.hpp"
#include "irforge/passes/model_points.hpp"

namespace irforge::passes {

/// A layout for one model input: letters, one per axis ("NCHW", "NC?", "N...C").
struct input_layout {
  std::string input; ///< empty: the only input
  std::string source; ///< the layout the model expects
  std::string target; ///< if set and different, the IR input gets this layout (a Transpose is inserted)
};

struct input_preprocessing {
  std::string input; ///< empty: every input of the model
  std::vector<double> mean;  ///< per channel, or one value for all
  std::vector<double> scale; ///< per channel, or one value for all; the input is divided by it
  bool reverse_channels = false;
};

namespace detail {

/// The model input (Parameter) a user names: Parameter name or its tensor name.
inline node_id input_named(const graph& g, const std::string& name, std::string_view what) {
  if (name.empty()) {
    if (g.parameters().size() != 1)
      throw error(std::string(what) + ": the model has " + std::to_string(g.parameters().size()) +
                  " inputs; name the input (e.g. " + (g.parameters().empty() ? std::string("data") : g.node(g.parameters()[0]).name) + "[...])");
    return g.parameters()[0];
  }
  for (node_id p : g.parameters()) {
    const auto& n = g.node(p);
    if (n.name == name) return p;
    for (const auto& t : n.outputs[0].names)
      if (t == name) return p;
  }
  (void)find_model_point(g, name, what); // an unknown name: suggests the nearest names
  throw error(std::string(what) + ": '" + name + "' is not a model input; make it one with --input " + name);
}

/// "[N,C,H,W]" (the IR's spelling) from "NCHW"; "N...C" stays "[N,...,C]".
inline std::string layout_rt_value(const std::string& letters) {
  std::string s = "[";
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (letters.compare(i, 3, "...") == 0) {
      s += (s.size() > 1 ? "," : "") + std::string("...");
      i += 2;
      continue;
    }
    s += (s.size() > 1 ? "," : "") + std::string(1, letters[i]);
  }
  return s + "]";
}

/// The axis of `letter` in a layout for a tensor of rank `rank`, if there is one.
inline std::optional<std::size_t> layout_axis(const std::string& letters, char letter, std::size_t rank) {
  const auto dots = letters.find("...");
  const auto pos = letters.find(letter);
  if (pos == std::string::npos) return std::nullopt;
  if (dots == std::string::npos || pos < dots) return pos < rank ? std::optional<std::size_t>(pos) : std::nullopt;
  const std::size_t from_end = letters.size() - pos; // letters after "..." count from the end
  return from_end <= rank ? std::optional<std::size_t>(rank - from_end) : std::nullopt;
}

/// The layout letters recorded on a Parameter ("" if none).
inline std::string recorded_layout(const graph& g, node_id p) {
  for (const auto& [key, value] : g.port({p, 0}).rt_info)
    if (key == "layout") {
      std::string letters;
      for (char c : value)
        if (c != '[' && c != ']' && c != ',') letters += c;
      return letters;
    }
  return {};
}

} // namespace detail

/// Records layouts on the inputs (port rt_info `layout`, as OpenVINO writes it);
/// a different target layout puts a Transpose after a Parameter in the target layout.
inline void set_layouts(graph& g, const std::vector<input_layout>& layouts) {
  for (const auto& l : layouts) {
    const node_id p = detail::input_named(g, l.input, "--layout");
    const auto& ps = g.info({p, 0}).shape;
    if (ps.rank_is_static() && l.source.find("...") == std::string::npos && l.source.size() != ps.rank())
      throw error("--layout: '" + l.source + "' has " + std::to_string(l.source.size()) + " axes, input '" +
                  g.node(p).name + "' has shape " + ps.to_string());
    if (l.target.empty() || l.target == l.source) {
      auto& rt = g.port({p, 0}).rt_info;
      std::erase_if(rt, [](const auto& kv) { return kv.first == "layout"; });
      rt.emplace_back("layout", detail::layout_rt_value(l.source));
      continue;
    }
    // source -> target: the IR input is in `target`; Transpose(target -> source) feeds the model.
    if (l.source.size() != l.target.size() || l.source.find("...") != std::string::npos)
      throw error("--layout: cannot convert '" + l.source + "' to '" + l.target + "' (same letters, no '...')");
    std::vector<std::int64_t> perm; // perm[i] = axis of target holding source axis i
    for (char c : l.source) {
      const auto at = l.target.find(c);
      if (at == std::string::npos || c == '?')
        throw error("--layout: '" + l.target + "' is not a permutation of '" + l.source + "'");
      perm.push_back(static_cast<std::int64_t>(at));
    }
    if (!ps.rank_is_static()) throw error("--layout: input '" + g.node(p).name + "' has a dynamic rank");
    std::vector<dimension> target_dims(ps.rank());
    for (std::size_t i = 0; i < perm.size(); ++i) target_dims[static_cast<std::size_t>(perm[i])] = ps[i];
    auto param = g.node(p).op.get<ops::Parameter>();
    const auto users = g.consumers({p, 0});
    param.shape = partial_shape(target_dims);
    g.node(p).op = any_op(param);
    g.infer(p);
    const node_id order = g.add(ops::Constant(tensor::from_values<std::int64_t>({static_cast<std::int64_t>(perm.size())}, perm)),
                                {}, unused_node_name(g, g.node(p).name + "/to_" + l.source + "/order"));
    const node_id t = g.add(ops::Transpose{}, {{p, 0}, {order, 0}}, unused_node_name(g, g.node(p).name + "/to_" + l.source));
    for (const auto& u : users) g.set_input(u.node, u.index, {t, 0});
    auto& rt = g.port({p, 0}).rt_info;
    std::erase_if(rt, [](const auto& kv) { return kv.first == "layout"; });
    rt.emplace_back("layout", detail::layout_rt_value(l.target));
  }
  g.infer_all();
}

/// Sets the batch of every input: the N of its layout, else axis 0, which must then
/// be 1 or dynamic (anything else is ambiguous, as in Model Optimizer).
inline void set_batch(graph& g, std::int64_t batch) {
  if (batch <= 0) throw error("--batch: the batch must be positive, got " + std::to_string(batch));
  for (node_id p : g.parameters()) {
    auto param = g.node(p).op.get<ops::Parameter>();
    if (!param.shape.rank_is_static() || param.shape.rank() == 0)
      throw error("--batch: input '" + g.node(p).name + "' has shape " + param.shape.to_string() +
                  ", which has no batch axis; give --input_shape instead");
    const auto layout = detail::recorded_layout(g, p);
    std::size_t axis = 0;
    if (!layout.empty()) {
      const auto n = detail::layout_axis(layout, 'N', param.shape.rank());
      if (!n) throw error("--batch: the layout of input '" + g.node(p).name + "' (" + layout + ") has no N");
      axis = *n;
    } else {
      const auto& d = param.shape[0];
      if (d.is_static() && d.value() != 1 && d.value() != 0)
        throw error("--batch: input '" + g.node(p).name + "' has shape " + param.shape.to_string() +
                    ": its first dimension is not 1 or dynamic, so it may not be the batch; give --layout or --input_shape");
    }
    std::vector<dimension> dims;
    for (std::size_t i = 0; i < param.shape.rank(); ++i) dims.push_back(i == axis ? dimension(batch) : param.shape[i]);
    param.shape = partial_shape(dims);
    g.node(p).op = any_op(param);
  }
  g.infer_all();
}

/// The channel axis of input `p` for `count` values (see the header comment).
inline std::size_t channel_axis(const graph& g, node_id p, std::size_t count, std::string_view what) {
  const auto& s = g.info({p, 0}).shape;
  const std::string name = g.node(p).name;
  if (!s.rank_is_static()) throw error(std::string(what) + ": input '" + name + "' has a dynamic rank; give --layout");
  const auto layout = detail::recorded_layout(g, p);
  if (!layout.empty()) {
    const auto c = detail::layout_axis(layout, 'C', s.rank());
    if (!c) throw error(std::string(what) + ": the layout of input '" + name + "' (" + layout + ") has no C");
    return *c;
  }
  auto fits = [&](std::size_t axis) {
    return axis < s.rank() && s[axis].is_static() && static_cast<std::size_t>(s[axis].value()) == count;
  };
  const std::size_t rank = s.rank();
  if (rank < 3 || rank > 5)
    throw error(std::string(what) + ": cannot tell the channel axis of input '" + name + "' with shape " + s.to_string() +
                "; please specify layout (--layout)");
  const bool first = fits(1), last = fits(rank - 1);
  if (first && !last) return 1;
  if (last && !first) return rank - 1;
  if (first && last && count == 1) return 1;
  throw error(std::string(what) + ": cannot tell the channel axis of input '" + name + "' with shape " + s.to_string() +
              " for " + std::to_string(count) + " values; please specify layout (--layout)");
}

/// Inserts channel reversal, mean subtraction and scaling after the inputs.
inline std::vector<std::string> add_preprocessing(graph& g, const std::vector<input_preprocessing>& steps) {
  std::vector<std::string> applied;
  for (const auto& step : steps) {
    std::vector<node_id> targets;
    if (step.input.empty()) targets = g.parameters();
    else targets.push_back(detail::input_named(g, step.input, "preprocessing"));
    for (node_id p : targets) {
      const auto& pn = g.node(p);
      const std::string name = pn.name;
      const element_type t = g.info({p, 0}).type;
      if (!is_float(t))
        throw error("preprocessing: input '" + name + "' is " + std::string(to_string(t)) +
                    "; mean/scale values need a floating-point input (set its type with --input " + name + "{f32})");
      const auto users = g.consumers({p, 0});
      output_ref x{p, 0};
      const std::size_t rank = g.info(x).shape.rank_is_static() ? g.info(x).shape.rank() : 0;
      auto per_channel_const = [&](const std::vector<double>& v, bool invert, const char* what) {
        std::vector<double> values = v;
        if (invert)
          for (auto& s : values) {
            if (s == 0) throw error(std::string(what) + ": a scale value of 0 for input '" + name + "'");
            s = 1.0 / s;
          }
        shape dims;
        if (values.size() > 1) {
          const std::size_t axis = channel_axis(g, p, values.size(), what);
          dims.assign(rank, 1);
          dims[axis] = static_cast<std::int64_t>(values.size());
        }
        std::vector<float> f(values.begin(), values.end());
        tensor c = tensor::from_values<float>(dims, f);
        const node_id cn = g.add(ops::Constant(std::move(c)), {}, unused_node_name(g, name + "/" + what + "/value"));
        if (t != element_type::f32) {
          const node_id cv = g.add(ops::Convert(t), {{cn, 0}}, unused_node_name(g, name + "/" + what + "/convert"));
          return fold_output(g, {cv, 0});
        }
        return output_ref{cn, 0};
      };
      std::string what_done;
      if (step.reverse_channels) {
        const std::size_t axis = channel_axis(g, p, 3, "--reverse_input_channels");
        const auto c = g.info(x).shape[axis].value();
        std::vector<std::int64_t> rev;
        for (std::int64_t i = c - 1; i >= 0; --i) rev.push_back(i);
        const node_id idx = g.add(ops::Constant(tensor::from_values<std::int64_t>({c}, rev)), {},
                                  unused_node_name(g, name + "/reverse_input_channels/indices"));
        const node_id ax = g.add(ops::Constant(tensor::scalar<std::int64_t>(static_cast<std::int64_t>(axis))), {},
                                 unused_node_name(g, name + "/reverse_input_channels/axis"));
        x = {g.add(ops::Gather{}, {x, {idx, 0}, {ax, 0}}, unused_node_name(g, name + "/reverse_input_channels")), 0};
        what_done += " reverse_input_channels";
      }
      if (!step.mean.empty()) {
        const output_ref m = per_channel_const(step.mean, false, "mean_values");
        x = {g.add(ops::Subtract{}, {x, m}, unused_node_name(g, name + "/mean_values")), 0};
        what_done += " mean_values";
      }
      if (!step.scale.empty()) {
        const output_ref s = per_channel_const(step.scale, true, "scale_values");
        x = {g.add(ops::Multiply{}, {x, s}, unused_node_name(g, name + "/scale_values")), 0};
        what_done += " scale_values";
      }
      if (x == output_ref{p, 0}) continue;
      for (const auto& u : users) g.set_input(u.node, u.index, x);
      applied.push_back(name + ":" + what_done);
    }
  }
  g.infer_all();
  return applied;
}

} // namespace irforge::passes
