// irforge — normalizations over axes given by input 1: LRN-1, MVN-6, NormalizeL2-1.
//
// The output has the data input's type and shape; inference checks the axes
// input (type, rank, count and, when known, the values).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/reduce.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

/// MVN-6 `eps_mode`: add eps inside or outside the square root of the variance.
enum class mvn_eps_mode { inside_sqrt, outside_sqrt };
/// NormalizeL2-1 `eps_mode`: combine eps with the sum of squares by adding or by max.
enum class eps_mode { add, max };

} // namespace irforge::ops

namespace irforge {
// OpenVINO's serializer writes this enum's names in capitals; reading ignores case.
template <> struct enum_strings<ops::mvn_eps_mode> {
  static constexpr std::array<std::pair<ops::mvn_eps_mode, std::string_view>, 2> values{{
      {ops::mvn_eps_mode::inside_sqrt, "INSIDE_SQRT"},
      {ops::mvn_eps_mode::outside_sqrt, "OUTSIDE_SQRT"},
  }};
};
template <> struct enum_strings<ops::eps_mode> {
  static constexpr std::array<std::pair<ops::eps_mode, std::string_view>, 2> values{{
      {ops::eps_mode::add, "add"},
      {ops::eps_mode::max, "max"},
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail {
/// Shared by the three ops: floating-point data, checked axes, output = data.
inline void infer_normalization(infer_context& ctx, bool allow_scalar_axes) {
  checks::require_type(ctx, 0, checks::type_class::floating, "data");
  checks::checked_axes(ctx, 1, allow_scalar_axes);
  const partial_shape& data = ctx.input_shape(0);
  const partial_shape& axes = ctx.input_shape(1);
  if (data.rank_is_static() && axes.rank_is_static() && axes.rank() == 1 && axes[0].is_static() &&
      axes[0].min() > static_cast<std::int64_t>(data.rank()))
    ctx.fail("axes shape " + axes.to_string() + " lists more axes than data shape " + data.to_string() + " has");
  ctx.set_output(0, ctx.input_type(0), data);
}
} // namespace detail

/// LRN-1: local response normalization over the regions spanned by `axes`.
struct LRN {
  static constexpr std::string_view type_name = "LRN";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(LRN, (double, alpha), (double, beta), (double, bias), (std::int64_t, size));
  LRN() : alpha(0), beta(0), bias(0), size(0) {}
  LRN(double a, double b, double bi, std::int64_t s) : alpha(a), beta(b), bias(bi), size(s) {}
  void infer(infer_context& ctx) const { detail::infer_normalization(ctx, false); }
};

/// MVN-6: mean (and optionally variance) normalization over `axes`.
struct MVN {
  static constexpr std::string_view type_name = "MVN";
  static constexpr std::string_view version = "opset6";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(MVN, (float, eps), (bool, normalize_variance), (mvn_eps_mode, eps_mode));
  MVN() : eps(0), normalize_variance(false), eps_mode(mvn_eps_mode::inside_sqrt) {}
  MVN(bool normalize, float e, mvn_eps_mode mode) : eps(e), normalize_variance(normalize), eps_mode(mode) {}
  void infer(infer_context& ctx) const { detail::infer_normalization(ctx, false); }
};

/// NormalizeL2-1: divides by the L2 norm over `axes` (scalar or 1-D; may be empty).
struct NormalizeL2 {
  static constexpr std::string_view type_name = "NormalizeL2";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(NormalizeL2, (float, eps), (ops::eps_mode, eps_mode));
  NormalizeL2() : eps(0), eps_mode(ops::eps_mode::add) {}
  NormalizeL2(float e, ops::eps_mode mode) : eps(e), eps_mode(mode) {}
  void infer(infer_context& ctx) const { detail::infer_normalization(ctx, true); }
};

} // namespace irforge::ops
