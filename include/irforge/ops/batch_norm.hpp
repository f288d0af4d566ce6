// irforge — BatchNormInference, opset5 (inputs data, gamma, beta, mean, variance)
// and opset1 (inputs gamma, beta, data, mean, variance: the older port order).
//
// data has rank >= 2 with channels in dimension 1; the four parameters are 1-D
// with the channel count; all five share one floating-point type.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

namespace detail {
/// Port numbers of one BatchNormInference version.
struct batch_norm_ports {
  std::size_t data, gamma, beta, mean, variance;
};

inline void infer_batch_norm(infer_context& ctx, double epsilon, batch_norm_ports p) {
  // Messages are built only on failure: infer runs for every node added.
  if (!(epsilon >= 0)) ctx.fail("attribute 'epsilon' must be 0 or more, got " + attr::format(epsilon));
  const std::array<std::pair<std::size_t, std::string_view>, 4> params{
      {{p.gamma, "gamma"}, {p.beta, "beta"}, {p.mean, "mean"}, {p.variance, "variance"}}};

  element_type t = ctx.input_type(p.data);
  for (const auto& [i, role] : params) {
    const element_type u = checks::merge_types(ctx, p.data, "data", i, role);
    if (t == element_type::dynamic) t = u;
  }
  checks::require_type(ctx, p.data, checks::type_class::floating, "data");
  for (const auto& [i, role] : params) checks::require_type(ctx, i, checks::type_class::floating, role);

  partial_shape out = ctx.input_shape(p.data);
  if (out.rank_is_static())
    if (out.rank() < 2)
      ctx.fail(checks::input_label(p.data, "data") + " must have rank 2 or more, got shape " + out.to_string());
  dimension channels = out.rank_is_static() ? out[1] : dimension();
  for (const auto& [i, role] : params) {
    const partial_shape& s = ctx.input_shape(i);
    if (!s.rank_is_static()) continue;
    if (s.rank() != 1) ctx.fail(checks::input_label(i, role) + " must be 1-D, got shape " + s.to_string());
    if (!s[0].compatible(channels))
      ctx.fail(checks::input_label(i, role) + " shape " + s.to_string() + " does not match the channel count " +
               channels.to_string() + " (from data shape " + ctx.input_shape(p.data).to_string() +
               " and the other parameters)");
    channels = channels.merged(s[0]);
  }
  if (out.rank_is_static()) out[1] = channels;
  ctx.set_output(0, t, std::move(out));
}
} // namespace detail

/// BatchNormInference-5: inputs data, gamma, beta, mean, variance.
struct BatchNormInference {
  static constexpr std::string_view type_name = "BatchNormInference";
  static constexpr std::string_view version = "opset5";
  static constexpr arity inputs{5};
  BOOST_HANA_DEFINE_STRUCT(BatchNormInference, (double, epsilon));
  BatchNormInference() : epsilon(0) {}
  explicit BatchNormInference(double eps) : epsilon(eps) {}
  void infer(infer_context& ctx) const { detail::infer_batch_norm(ctx, epsilon, {0, 1, 2, 3, 4}); }
};

namespace v1 {
/// BatchNormInference-1: inputs gamma, beta, data, mean, variance.
struct BatchNormInference {
  static constexpr std::string_view type_name = "BatchNormInference";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{5};
  BOOST_HANA_DEFINE_STRUCT(BatchNormInference, (double, epsilon));
  BatchNormInference() : epsilon(0) {}
  explicit BatchNormInference(double eps) : epsilon(eps) {}
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_batch_norm(ctx, epsilon, {2, 0, 1, 3, 4}); }
};
} // namespace v1

} // namespace irforge::ops
