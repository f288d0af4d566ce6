// irforge — activations with attributes or extra inputs: Elu, Clamp, Selu,
// HardSigmoid, PRelu (IR "PReLU"), Gelu-7, Swish-4, Round-5.
//
// All of them keep the data input's element type and shape.
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

/// Gelu-7 `approximation_mode`.
enum class gelu_approximation_mode { erf, tanh };
/// Round-5 `mode`: how halves are rounded.
enum class round_mode { half_to_even, half_away_from_zero };

} // namespace irforge::ops

namespace irforge {
// OpenVINO's serializer writes this enum's names in capitals ("ERF"); reading ignores case.
template <> struct enum_strings<ops::gelu_approximation_mode> {
  static constexpr std::array<std::pair<ops::gelu_approximation_mode, std::string_view>, 2> values{{
      {ops::gelu_approximation_mode::erf, "ERF"},
      {ops::gelu_approximation_mode::tanh, "TANH"},
  }};
};
template <> struct enum_strings<ops::round_mode> {
  static constexpr std::array<std::pair<ops::round_mode, std::string_view>, 2> values{{
      {ops::round_mode::half_to_even, "half_to_even"},
      {ops::round_mode::half_away_from_zero, "half_away_from_zero"},
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail::checks {
/// Fails unless input i holds exactly one element (any rank, every dim 1) when its shape is known.
inline void require_one_element(const infer_context& ctx, std::size_t i, std::string_view role) {
  const partial_shape& s = ctx.input_shape(i);
  if (!s.rank_is_static()) return;
  for (const auto& d : s.dims())
    if (!d.compatible(dimension(1)))
      ctx.fail(input_label(i, role) + " must hold one element, got shape " + s.to_string());
}

/// Fails unless input i is a scalar (rank 0) when its rank is known.
inline void require_scalar(const infer_context& ctx, std::size_t i, std::string_view role) {
  const partial_shape& s = ctx.input_shape(i);
  if (s.rank_is_static() && s.rank() != 0)
    ctx.fail(input_label(i, role) + " must be a scalar, got shape " + s.to_string());
}
} // namespace detail::checks

/// Elu-1: alpha * (exp(x) - 1) for x <= 0, x otherwise.
struct Elu {
  static constexpr std::string_view type_name = "Elu";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Elu, (double, alpha));
  Elu() : alpha(0) {}
  explicit Elu(double a) : alpha(a) {}
  void infer(infer_context& ctx) const { detail::infer_unary(ctx, detail::checks::type_class::floating); }
};

/// Clamp-1: clips values to [min, max].
struct Clamp {
  static constexpr std::string_view type_name = "Clamp";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Clamp, (double, min), (double, max));
  Clamp() : min(0), max(0) {}
  Clamp(double lo, double hi) : min(lo), max(hi) {}
  void infer(infer_context& ctx) const {
    ctx.require(min <= max,
                "attribute 'min' (" + attr::format(min) + ") must not exceed 'max' (" + attr::format(max) + ")");
    detail::infer_unary(ctx, detail::checks::type_class::numeric);
  }
};

/// Selu-1: inputs data, alpha, lambda (one element each), all of one floating-point type.
struct Selu {
  static constexpr std::string_view type_name = "Selu";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(Selu);
  void infer(infer_context& ctx) const {
    detail::checks::merge_types(ctx, 0, "data", 1, "alpha");
    const element_type t = detail::checks::merge_types(ctx, 0, "data", 2, "lambda");
    detail::checks::merge_types(ctx, 1, "alpha", 2, "lambda");
    for (std::size_t i = 0; i < 3; ++i) detail::checks::require_type(ctx, i, detail::checks::type_class::floating);
    detail::checks::require_one_element(ctx, 1, "alpha");
    detail::checks::require_one_element(ctx, 2, "lambda");
    ctx.set_output(0, t, ctx.input_shape(0));
  }
};

/// HardSigmoid-1: max(0, min(1, alpha * x + beta)); alpha and beta are scalars.
struct HardSigmoid {
  static constexpr std::string_view type_name = "HardSigmoid";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(HardSigmoid);
  void infer(infer_context& ctx) const {
    detail::checks::merge_types(ctx, 0, "data", 1, "alpha");
    const element_type t = detail::checks::merge_types(ctx, 0, "data", 2, "beta");
    detail::checks::merge_types(ctx, 1, "alpha", 2, "beta");
    for (std::size_t i = 0; i < 3; ++i) detail::checks::require_type(ctx, i, detail::checks::type_class::floating);
    detail::checks::require_scalar(ctx, 1, "alpha");
    detail::checks::require_scalar(ctx, 2, "beta");
    ctx.set_output(0, t, ctx.input_shape(0));
  }
};

/// PRelu-1 (IR "PReLU"): a 1-D slope whose size equals data's second dimension
/// applies per channel; any other slope broadcasts onto data by NumPy rules.
struct PRelu {
  static constexpr std::string_view type_name = "PReLU";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(PRelu);
  void infer(infer_context& ctx) const {
    const element_type t = detail::checks::merge_types(ctx, 0, "data", 1, "slope");
    detail::checks::require_type(ctx, 0, detail::checks::type_class::floating, "data");
    detail::checks::require_type(ctx, 1, detail::checks::type_class::floating, "slope");
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& slope = ctx.input_shape(1);
    if (slope.rank_is_static()) {
      ctx.require(slope.rank() >= 1, "input 1 (slope) must have rank 1 or more, got shape " + slope.to_string());
      if (data.rank_is_static() && !slope_fits(data, slope))
        ctx.fail("slope shape " + slope.to_string() + " does not fit data shape " + data.to_string() +
                 ": it must be 1-D with the channel count (dimension 1) or broadcast to data by NumPy rules");
    }
    ctx.set_output(0, t, data);
  }

private:
  static bool slope_fits(const partial_shape& data, const partial_shape& slope) {
    if (slope.rank() == 1 && data.rank() >= 2 && slope[0].compatible(data[1])) return true; // per channel
    if (slope.rank() > data.rank()) return false;
    for (std::size_t i = 1; i <= slope.rank(); ++i) {
      const dimension& s = slope[slope.rank() - i];
      if (!s.compatible(dimension(1)) && !s.compatible(data[data.rank() - i])) return false;
    }
    return true;
  }
};

/// Gelu-7: x * Phi(x), computed with erf or its tanh approximation.
struct Gelu {
  static constexpr std::string_view type_name = "Gelu";
  static constexpr std::string_view version = "opset7";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Gelu, (gelu_approximation_mode, approximation_mode));
  Gelu() : approximation_mode(gelu_approximation_mode::erf) {}
  explicit Gelu(gelu_approximation_mode m) : approximation_mode(m) {}
  void infer(infer_context& ctx) const { detail::infer_unary(ctx, detail::checks::type_class::floating); }
};

/// Swish-4: x * sigmoid(beta * x); the scalar beta input is optional (1.0).
struct Swish {
  static constexpr std::string_view type_name = "Swish";
  static constexpr std::string_view version = "opset4";
  static constexpr arity inputs{1, 2};
  BOOST_HANA_DEFINE_STRUCT(Swish);
  void infer(infer_context& ctx) const {
    detail::checks::require_type(ctx, 0, detail::checks::type_class::floating, "data");
    element_type t = ctx.input_type(0);
    if (ctx.input_count() == 2) {
      t = detail::checks::merge_types(ctx, 0, "data", 1, "beta");
      detail::checks::require_type(ctx, 1, detail::checks::type_class::floating, "beta");
      detail::checks::require_scalar(ctx, 1, "beta");
    }
    ctx.set_output(0, t, ctx.input_shape(0));
  }
};

/// Round-5: rounds to the nearest integer; `mode` decides halves.
struct Round {
  static constexpr std::string_view type_name = "Round";
  static constexpr std::string_view version = "opset5";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Round, (round_mode, mode));
  Round() : mode(round_mode::half_to_even) {}
  explicit Round(round_mode m) : mode(m) {}
  void infer(infer_context& ctx) const { detail::infer_unary(ctx, detail::checks::type_class::numeric); }
};

} // namespace irforge::ops
