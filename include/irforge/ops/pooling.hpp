// irforge — pooling: MaxPool (opset1, opset8, opset14) and AvgPool (opset1, opset14).
//
// Data [N, C, s...] with one to three spatial axes; the output keeps N and C.
// Rounding of the window count (common_attributes.hpp): floor, ceil, and
// ceil_torch (opset14 only), which drops a last window starting in the end
// padding. MaxPool-8/14 have a second output with the indices of the maxima.
//
// The unqualified names are the newest versions (MaxPool-14, AvgPool-14);
// older ones live in ops::v1 and ops::v8.
//
// AvgPool's `exclude-pad` attribute has a hyphen, which a C++ member name
// cannot have: AvgPool keeps the member `exclude_pad` in its Hana struct and
// lists its attributes itself (ir_attributes / set_ir_attribute), renaming
// that one member and keeping the IR order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/hana/accessors.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>

#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

namespace detail {
struct pool_attrs {
  const std::vector<std::int64_t>& kernel;
  const std::vector<std::int64_t>& strides;
  const std::vector<std::int64_t>* dilations; ///< null: no dilations (all 1)
  const std::vector<std::int64_t>& pads_begin;
  const std::vector<std::int64_t>& pads_end;
  pad_type auto_pad;
  rounding_type rounding;
  bool allow_ceil_torch; ///< opset14
};

/// The output shape of a pooling op with data shape `data`.
inline partial_shape pool_shape(const partial_shape& data, const pool_attrs& a, const infer_context& ctx) {
  using namespace spatial;
  if (a.rounding == rounding_type::ceil_torch && !a.allow_ceil_torch)
    ctx.fail("rounding_type ceil_torch needs opset14 of this op; opset1/opset8 know floor and ceil");
  const std::size_t ns = a.kernel.size();
  if (ns < 1 || ns > 3)
    ctx.fail("kernel must have 1, 2 or 3 values (one per spatial axis), it has " + std::to_string(ns));
  require_at_least(a.kernel, 1, "kernel", ctx);
  if (data.rank_is_static() && data.rank() != ns + 2)
    ctx.fail("data " + str(data) + " must have rank " + std::to_string(ns + 2) + " for a " + std::to_string(ns) +
             "-D kernel");
  const auto strides = per_axis(a.strides, ns, 1, "strides", ctx);
  const auto dilations =
      a.dilations ? per_axis(*a.dilations, ns, 1, "dilations", ctx) : std::vector<std::int64_t>(ns, 1);
  const auto pads_begin = per_axis(a.pads_begin, ns, 0, "pads_begin", ctx);
  const auto pads_end = per_axis(a.pads_end, ns, 0, "pads_end", ctx);
  require_at_least(strides, 1, "strides", ctx);
  require_at_least(dilations, 1, "dilations", ctx);
  require_at_least(pads_begin, 0, "pads_begin", ctx);
  require_at_least(pads_end, 0, "pads_end", ctx);
  if (!data.rank_is_static()) return partial_shape::dynamic_of_rank(ns + 2);
  std::vector<dimension> out{data[0], data[1]};
  for (std::size_t i = 0; i < ns; ++i)
    out.push_back(window_output(data[2 + i], dilated(a.kernel[i], dilations[i]), strides[i], pads_begin[i], pads_end[i],
                                a.auto_pad, a.rounding, i, ctx));
  return partial_shape(std::move(out));
}

inline void require_pool_type(const infer_context& ctx) {
  if (ctx.input_type(0) == element_type::boolean) ctx.fail("pooling takes numeric data, got boolean");
}

} // namespace detail

namespace v1 {
/// MaxPool-1: one output, the maxima.
struct MaxPool {
  static constexpr std::string_view type_name = "MaxPool";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(MaxPool, (std::vector<std::int64_t>, strides), (std::vector<std::int64_t>, pads_begin),
                           (std::vector<std::int64_t>, pads_end), (std::vector<std::int64_t>, kernel),
                           (ops::rounding_type, rounding_type), (pad_type, auto_pad));
  MaxPool() : rounding_type(ops::rounding_type::floor), auto_pad(pad_type::explicit_) {}

  void infer(infer_context& ctx) const {
    detail::require_pool_type(ctx);
    ctx.set_output(0, ctx.input_type(0),
                   detail::pool_shape(ctx.input_shape(0),
                                      {kernel, strides, nullptr, pads_begin, pads_end, auto_pad, rounding_type, false},
                                      ctx));
  }
};
} // namespace v1

namespace detail {
/// MaxPool-8 and MaxPool-14: values and indices of the same shape.
template <class Op> void infer_max_pool_with_indices(const Op& op, infer_context& ctx, bool allow_ceil_torch) {
  require_pool_type(ctx);
  if (op.index_element_type != element_type::i32 && op.index_element_type != element_type::i64)
    ctx.fail("index_element_type must be i32 or i64, got " + std::string(to_string(op.index_element_type)));
  const partial_shape& data = ctx.input_shape(0);
  if (data.rank_is_static()) spatial::checked_axis(op.axis, static_cast<std::int64_t>(data.rank()), ctx);
  const partial_shape out = pool_shape(data,
                                       {op.kernel, op.strides, &op.dilations, op.pads_begin, op.pads_end, op.auto_pad,
                                        op.rounding_type, allow_ceil_torch},
                                       ctx);
  ctx.set_output(0, ctx.input_type(0), out);
  ctx.set_output(1, op.index_element_type, out);
}
} // namespace detail

namespace v8 {
/// MaxPool-8: adds dilations and a second output with the indices of the
/// maxima (flattened from `axis` on).
struct MaxPool {
  static constexpr std::string_view type_name = "MaxPool";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(MaxPool, (std::vector<std::int64_t>, strides), (std::vector<std::int64_t>, dilations),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (std::vector<std::int64_t>, kernel), (ops::rounding_type, rounding_type),
                           (pad_type, auto_pad), (element_type, index_element_type), (std::int64_t, axis));
  MaxPool()
      : rounding_type(ops::rounding_type::floor), auto_pad(pad_type::explicit_), index_element_type(element_type::i64),
        axis(0) {}

  void infer(infer_context& ctx) const { detail::infer_max_pool_with_indices(*this, ctx, false); }
};
} // namespace v8

/// MaxPool-14: MaxPool-8 plus rounding_type ceil_torch.
struct MaxPool {
  static constexpr std::string_view type_name = "MaxPool";
  static constexpr std::string_view version = "opset14";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(MaxPool, (std::vector<std::int64_t>, strides), (std::vector<std::int64_t>, dilations),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (std::vector<std::int64_t>, kernel), (ops::rounding_type, rounding_type),
                           (pad_type, auto_pad), (element_type, index_element_type), (std::int64_t, axis));
  MaxPool()
      : rounding_type(ops::rounding_type::floor), auto_pad(pad_type::explicit_), index_element_type(element_type::i64),
        axis(0) {}

  void infer(infer_context& ctx) const { detail::infer_max_pool_with_indices(*this, ctx, true); }
};

namespace detail {
/// AvgPool-1 and AvgPool-14 share attributes (IR order: kernel, strides,
/// pads_begin, pads_end, exclude-pad, auto_pad, rounding_type).
template <class Op> void infer_avg_pool(const Op& op, infer_context& ctx, bool allow_ceil_torch) {
  require_pool_type(ctx);
  ctx.set_output(0, ctx.input_type(0),
                 pool_shape(ctx.input_shape(0),
                            {op.kernel, op.strides, nullptr, op.pads_begin, op.pads_end, op.auto_pad, op.rounding_type,
                             allow_ceil_torch},
                            ctx));
}
} // namespace detail

namespace v1 {
/// AvgPool-1. `exclude_pad` is written as the IR attribute `exclude-pad`.
struct AvgPool {
  static constexpr std::string_view type_name = "AvgPool";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(AvgPool, (std::vector<std::int64_t>, kernel), (std::vector<std::int64_t>, strides),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (bool, exclude_pad), (pad_type, auto_pad), (ops::rounding_type, rounding_type));
  AvgPool() : exclude_pad(true), auto_pad(pad_type::explicit_), rounding_type(ops::rounding_type::floor) {}

  void infer(infer_context& ctx) const { detail::infer_avg_pool(*this, ctx, false); }

  static constexpr std::array<std::pair<std::string_view, std::string_view>, 1> ir_names{{{"exclude_pad", "exclude-pad"}}};
};
} // namespace v1

/// AvgPool-14: AvgPool-1 plus rounding_type ceil_torch.
struct AvgPool {
  static constexpr std::string_view type_name = "AvgPool";
  static constexpr std::string_view version = "opset14";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(AvgPool, (std::vector<std::int64_t>, kernel), (std::vector<std::int64_t>, strides),
                           (std::vector<std::int64_t>, pads_begin), (std::vector<std::int64_t>, pads_end),
                           (bool, exclude_pad), (pad_type, auto_pad), (ops::rounding_type, rounding_type));
  AvgPool() : exclude_pad(true), auto_pad(pad_type::explicit_), rounding_type(ops::rounding_type::floor) {}

  void infer(infer_context& ctx) const { detail::infer_avg_pool(*this, ctx, true); }

  static constexpr std::array<std::pair<std::string_view, std::string_view>, 1> ir_names{{{"exclude_pad", "exclude-pad"}}};
};

} // namespace irforge::ops
