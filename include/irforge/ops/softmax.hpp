// irforge — Softmax-8 (IR "Softmax", negative axis allowed), SoftMax-1
// (IR "SoftMax", axis >= 0) and LogSoftmax-5. Output = input type and shape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "irforge/core/op.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

namespace detail {
/// Checks `axis` against the input rank (when known): [-rank, rank) or, if
/// negative values are not allowed, [0, rank).
inline void check_softmax_axis(const infer_context& ctx, std::int64_t axis, bool allow_negative) {
  if (!allow_negative && axis < 0)
    ctx.fail("attribute 'axis' must be 0 or more in " + std::string(ctx.op_type()) + "-1, got " + std::to_string(axis));
  const partial_shape& s = ctx.input_shape(0);
  if (!s.rank_is_static()) return;
  const auto rank = static_cast<std::int64_t>(s.rank());
  if (axis < -rank || axis >= rank)
    ctx.fail("attribute 'axis' " + std::to_string(axis) + " is out of range for input shape " + s.to_string());
}

inline void infer_softmax(infer_context& ctx, std::int64_t axis, bool allow_negative, checks::type_class c) {
  checks::require_type(ctx, 0, c);
  check_softmax_axis(ctx, axis, allow_negative);
  ctx.set_output(0, ctx.input_type(0), ctx.input_shape(0));
}
} // namespace detail

/// Softmax-8: softmax along `axis` in [-rank, rank).
struct Softmax {
  static constexpr std::string_view type_name = "Softmax";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Softmax, (std::int64_t, axis));
  Softmax() : axis(1) {} // the specification's default
  explicit Softmax(std::int64_t a) : axis(a) {}
  void infer(infer_context& ctx) const { detail::infer_softmax(ctx, axis, true, detail::checks::type_class::numeric); }
};

namespace v1 {
/// SoftMax-1: softmax along a non-negative `axis`.
struct Softmax {
  static constexpr std::string_view type_name = "SoftMax";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Softmax, (std::int64_t, axis));
  Softmax() : axis(1) {} // the specification's default
  explicit Softmax(std::int64_t a) : axis(a) {}
  void infer(infer_context& ctx) const {
    ::irforge::ops::detail::infer_softmax(ctx, axis, false, ::irforge::ops::detail::checks::type_class::numeric);
  }
};
} // namespace v1

/// LogSoftmax-5: log of softmax along `axis` in [-rank, rank); floating-point input.
struct LogSoftmax {
  static constexpr std::string_view type_name = "LogSoftmax";
  static constexpr std::string_view version = "opset5";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(LogSoftmax, (std::int64_t, axis));
  LogSoftmax() : axis(1) {}
  explicit LogSoftmax(std::int64_t a) : axis(a) {}
  void infer(infer_context& ctx) const { detail::infer_softmax(ctx, axis, true, detail::checks::type_class::floating); }
};

} // namespace irforge::ops
