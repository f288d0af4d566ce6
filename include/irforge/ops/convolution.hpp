// irforge — convolutions (opset1): Convolution, GroupConvolution,
// ConvolutionBackpropData and GroupConvolutionBackpropData.
//
// The four share attributes and one shape rule, parameterised by where the
// channel counts sit in the weights:
//   Convolution                   data [N, C, s...]   weights [O, C, k...]        -> [N, O, s'...]
//   GroupConvolution              data [N, G*C, s...] weights [G, O, C, k...]     -> [N, G*O, s'...]
//   ConvolutionBackpropData       data [N, C, s...]   weights [C, O, k...]        -> [N, O, s'...]
//   GroupConvolutionBackpropData  data [N, G*C, s...] weights [G, C, O, k...]     -> [N, G*O, s'...]
// One, two or three spatial axes. Empty strides/dilations/pads/output_padding
// mean the defaults (1, 1, 0, 0), as in OpenVINO.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

namespace detail {
enum class conv_kind { forward, grouped, backprop, grouped_backprop };

struct conv_attrs {
  const std::vector<std::int64_t>& strides;
  const std::vector<std::int64_t>& dilations;
  const std::vector<std::int64_t>& pads_begin;
  const std::vector<std::int64_t>& pads_end;
  pad_type auto_pad;
  const std::vector<std::int64_t>* output_padding; ///< backprop only
};

inline void conv_infer(infer_context& ctx, conv_kind kind, const conv_attrs& a) {
  using namespace spatial;
  const bool grouped = kind == conv_kind::grouped || kind == conv_kind::grouped_backprop;
  const bool backprop = kind == conv_kind::backprop || kind == conv_kind::grouped_backprop;
  const std::size_t extra = grouped ? 1 : 0; // the weights' group axis
  const bool has_output_shape = backprop && ctx.input_count() > 2;

  const element_type type = merge_types(ctx.input_type(0), ctx.input_type(1), ctx, "data and weights");
  if (type == element_type::boolean) ctx.fail("data and weights must be numeric, got boolean");
  if (has_output_shape) {
    require_integral_input(ctx, 2, "output_shape");
    require_rank(ctx, 2, 1, "output_shape");
  }

  const partial_shape& data = ctx.input_shape(0);
  const partial_shape& weights = ctx.input_shape(1);

  // Number of spatial axes: from the data, else the weights, else the
  // output_shape input, else the attributes; unknown -> dynamic rank.
  std::optional<std::size_t> spatial_count;
  if (data.rank_is_static()) {
    if (data.rank() < 3 || data.rank() > 5)
      ctx.fail("data must have rank 3, 4 or 5 ([N, C, spatial...]), got " + str(data));
    spatial_count = data.rank() - 2;
  } else if (weights.rank_is_static()) {
    if (weights.rank() < 3 + extra || weights.rank() > 5 + extra)
      ctx.fail("weights must have rank " + std::to_string(3 + extra) + " to " + std::to_string(5 + extra) + ", got " +
               str(weights));
    spatial_count = weights.rank() - 2 - extra;
  } else if (auto n = has_output_shape ? length_1d(ctx, 2) : std::nullopt) {
    spatial_count = *n;
  } else {
    for (const auto* v : {&a.strides, &a.dilations, &a.pads_begin, &a.pads_end})
      if (!v->empty()) {
        spatial_count = v->size();
        break;
      }
  }
  if (!spatial_count) {
    ctx.set_output(0, type, partial_shape::dynamic_rank());
    return;
  }
  const std::size_t ns = *spatial_count;
  if (ns < 1 || ns > 3) ctx.fail("convolutions have 1, 2 or 3 spatial axes, got " + std::to_string(ns));
  if (weights.rank_is_static() && weights.rank() != ns + 2 + extra)
    ctx.fail("weights must have rank " + std::to_string(ns + 2 + extra) + " for data " + str(data) + ", got " +
             str(weights));

  const auto strides = per_axis(a.strides, ns, 1, "strides", ctx);
  const auto dilations = per_axis(a.dilations, ns, 1, "dilations", ctx);
  const auto pads_begin = per_axis(a.pads_begin, ns, 0, "pads_begin", ctx);
  const auto pads_end = per_axis(a.pads_end, ns, 0, "pads_end", ctx);
  require_at_least(strides, 1, "strides", ctx);
  require_at_least(dilations, 1, "dilations", ctx);
  require_at_least(pads_begin, 0, "pads_begin", ctx);
  require_at_least(pads_end, 0, "pads_end", ctx);
  std::vector<std::int64_t> output_padding(ns, 0);
  if (backprop) {
    output_padding = per_axis(*a.output_padding, ns, 0, "output_padding", ctx);
    require_at_least(output_padding, 0, "output_padding", ctx);
  }

  const partial_shape d = data.rank_is_static() ? data : partial_shape::dynamic_of_rank(ns + 2);
  const partial_shape w = weights.rank_is_static() ? weights : partial_shape::dynamic_of_rank(ns + 2 + extra);

  // Channels: which weights axes hold the input and output channels per group.
  const std::size_t in_axis = kind == conv_kind::forward    ? 1
                              : kind == conv_kind::grouped  ? 2
                              : kind == conv_kind::backprop ? 0
                                                            : 1;
  const std::size_t out_axis = kind == conv_kind::forward    ? 0
                               : kind == conv_kind::grouped  ? 1
                               : kind == conv_kind::backprop ? 1
                                                             : 2;
  const dimension groups = grouped ? w[0] : dimension(1);
  const dimension expected_in = multiply(groups, w[in_axis]);
  if (!d[1].compatible(expected_in)) {
    std::string why = grouped ? std::to_string(groups.value_or_minus_one()) + " groups x " +
                                    std::to_string(w[in_axis].value_or_minus_one()) +
                                    " input channels = " + expected_in.to_string()
                              : expected_in.to_string() + " input channels";
    ctx.fail("channel mismatch: data " + str(data) + " has " + d[1].to_string() + " channels, but weights " +
             str(weights) + " expect " + why);
  }
  const dimension out_channels = multiply(groups, w[out_axis]);

  std::vector<dimension> out{d[0], out_channels};
  std::optional<std::vector<std::int64_t>> target;
  if (has_output_shape) {
    target = input_ints(ctx, 2);
    if (target && target->size() != ns)
      ctx.fail("output_shape has " + std::to_string(target->size()) + " values, the data has " + std::to_string(ns) +
               " spatial axes");
  }
  for (std::size_t i = 0; i < ns; ++i) {
    const dimension& in = d[2 + i];
    const dimension& k = w[2 + extra + i];
    if (k.is_static()) kernel_size(k, i, ctx);
    if (backprop) {
      if (has_output_shape) {
        if (!target) {
          out.emplace_back();
        } else {
          if ((*target)[i] < 1) ctx.fail("output_shape[" + std::to_string(i) + "] is " + std::to_string((*target)[i]));
          out.emplace_back((*target)[i]);
        }
        continue;
      }
      if (!k.is_static()) {
        out.emplace_back();
        continue;
      }
      // Without output_shape, auto_pad other than explicit means no padding.
      const bool explicit_pads = a.auto_pad == pad_type::explicit_;
      out.push_back(transposed_window_output(in, dilated(k.min(), dilations[i]), strides[i],
                                             explicit_pads ? pads_begin[i] : 0, explicit_pads ? pads_end[i] : 0,
                                             output_padding[i], i, ctx));
    } else if (a.auto_pad == pad_type::same_upper || a.auto_pad == pad_type::same_lower) {
      // SAME keeps ceil(in / stride) whatever the kernel.
      const std::int64_t s = strides[i];
      out.push_back(map_bounds(in, [s](std::int64_t n) { return ceil_div(n, s); }));
    } else if (!k.is_static()) {
      out.emplace_back();
    } else {
      out.push_back(window_output(in, dilated(k.min(), dilations[i]), strides[i], pads_begin[i], pads_end[i],
                                  a.auto_pad, rounding_type::floor, i, ctx));
    }
  }
  ctx.set_output(0, type, partial_shape(std::move(out)));
}
} // namespace detail

/// Convolution-1: data [N, C, s...], weights [O, C, k...] -> [N, O, s'...].
struct Convolution {
  static constexpr std::string_view type_name = "Convolution";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Convolution, (std::vector<std::int64_t>, strides), (std::vector<std::int64_t>, dilations),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (pad_type, auto_pad));
  Convolution() : auto_pad(pad_type::explicit_) {}
  Convolution(std::vector<std::int64_t> strides_, std::vector<std::int64_t> dilations_,
              std::vector<std::int64_t> pads_begin_, std::vector<std::int64_t> pads_end_,
              pad_type auto_pad_ = pad_type::explicit_)
      : strides(std::move(strides_)), dilations(std::move(dilations_)), pads_begin(std::move(pads_begin_)),
        pads_end(std::move(pads_end_)), auto_pad(auto_pad_) {}

  void infer(infer_context& ctx) const {
    detail::conv_infer(ctx, detail::conv_kind::forward, {strides, dilations, pads_begin, pads_end, auto_pad, nullptr});
  }
};

/// GroupConvolution-1: data [N, G*C, s...], weights [G, O, C, k...] -> [N, G*O, s'...].
struct GroupConvolution {
  static constexpr std::string_view type_name = "GroupConvolution";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(GroupConvolution, (std::vector<std::int64_t>, strides),
                           (std::vector<std::int64_t>, dilations), (std::vector<std::int64_t>, pads_begin),
                           (std::vector<std::int64_t>, pads_end), (pad_type, auto_pad));
  GroupConvolution() : auto_pad(pad_type::explicit_) {}
  GroupConvolution(std::vector<std::int64_t> strides_, std::vector<std::int64_t> dilations_,
                   std::vector<std::int64_t> pads_begin_, std::vector<std::int64_t> pads_end_,
                   pad_type auto_pad_ = pad_type::explicit_)
      : strides(std::move(strides_)), dilations(std::move(dilations_)), pads_begin(std::move(pads_begin_)),
        pads_end(std::move(pads_end_)), auto_pad(auto_pad_) {}

  void infer(infer_context& ctx) const {
    detail::conv_infer(ctx, detail::conv_kind::grouped, {strides, dilations, pads_begin, pads_end, auto_pad, nullptr});
  }
};

/// ConvolutionBackpropData-1 (transposed convolution): data [N, C, s...],
/// weights [C, O, k...], optional output_shape (spatial sizes) -> [N, O, s'...].
struct ConvolutionBackpropData {
  static constexpr std::string_view type_name = "ConvolutionBackpropData";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2, 3};
  BOOST_HANA_DEFINE_STRUCT(ConvolutionBackpropData, (std::vector<std::int64_t>, strides),
                           (std::vector<std::int64_t>, dilations), (std::vector<std::int64_t>, pads_begin),
                           (std::vector<std::int64_t>, pads_end), (pad_type, auto_pad),
                           (std::vector<std::int64_t>, output_padding));
  ConvolutionBackpropData() : auto_pad(pad_type::explicit_) {}

  void infer(infer_context& ctx) const {
    detail::conv_infer(ctx, detail::conv_kind::backprop,
                       {strides, dilations, pads_begin, pads_end, auto_pad, &output_padding});
  }
};

/// GroupConvolutionBackpropData-1: data [N, G*C, s...], weights [G, C, O, k...],
/// optional output_shape -> [N, G*O, s'...].
struct GroupConvolutionBackpropData {
  static constexpr std::string_view type_name = "GroupConvolutionBackpropData";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2, 3};
  BOOST_HANA_DEFINE_STRUCT(GroupConvolutionBackpropData, (std::vector<std::int64_t>, strides),
                           (std::vector<std::int64_t>, dilations), (std::vector<std::int64_t>, pads_begin),
                           (std::vector<std::int64_t>, pads_end), (pad_type, auto_pad),
                           (std::vector<std::int64_t>, output_padding));
  GroupConvolutionBackpropData() : auto_pad(pad_type::explicit_) {}

  void infer(infer_context& ctx) const {
    detail::conv_infer(ctx, detail::conv_kind::grouped_backprop,
                       {strides, dilations, pads_begin, pads_end, auto_pad, &output_padding});
  }
};

} // namespace irforge::ops
