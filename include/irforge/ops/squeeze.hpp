// irforge — Squeeze-1 (removes axes of size 1) and Unsqueeze-1 (inserts axes
// of size 1). Axes may be negative. A known data value stays known.
//
// Squeeze without the axes input (or with an empty one) removes every axis of
// size 1; an axis whose size is unknown but may be 1 then makes the output
// rank unknown. With axes, a named axis must be 1 (or unknown, and is then
// taken to be 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

namespace detail {
inline void require_axes_input(const infer_context& ctx, std::size_t i) {
  spatial::require_integral_input(ctx, i, "axes");
  const partial_shape& s = ctx.input_shape(i);
  if (s.rank_is_static() && s.rank() > 1)
    ctx.fail("axes (input " + std::to_string(i) + ") must be a scalar or 1-D, got " + s.to_string());
}

/// The data value reshaped to `out` when both are known.
inline void set_reshaped_output(infer_context& ctx, partial_shape out) {
  std::optional<tensor> value;
  if (const tensor* v = ctx.input_value(0); v != nullptr && out.is_static()) value = v->reshaped(out.to_shape());
  spatial::set_output_maybe_value(ctx, 0, ctx.input_type(0), std::move(out), std::move(value));
}
} // namespace detail

struct Squeeze {
  static constexpr std::string_view type_name = "Squeeze";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1, 2};
  BOOST_HANA_DEFINE_STRUCT(Squeeze);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    const partial_shape& data = ctx.input_shape(0);
    std::optional<std::vector<std::int64_t>> axes;
    const bool has_axes = ctx.input_count() > 1;
    if (has_axes) {
      detail::require_axes_input(ctx, 1);
      axes = input_ints(ctx, 1);
      if (!axes) { // unknown axes: even the number removed is unknown (repeats are allowed)
        ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
        return;
      }
    }
    if (!data.rank_is_static()) {
      ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
      return;
    }
    const auto rank = static_cast<std::int64_t>(data.rank());
    std::vector<bool> remove(data.rank(), false);
    if (!axes || axes->empty()) {
      for (std::size_t i = 0; i < data.rank(); ++i) {
        const dimension& d = data[i];
        if (d.is_static())
          remove[i] = d.min() == 1;
        else if (d.min() <= 1 && (d.max() == dimension::unbounded || d.max() >= 1)) {
          ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank()); // may or may not be 1
          return;
        }
      }
    } else {
      for (std::int64_t a : *axes) {
        const auto i = static_cast<std::size_t>(checked_axis(a, rank, ctx, "squeeze axis"));
        if (!data[i].compatible(dimension(1)))
          ctx.fail("cannot squeeze axis " + std::to_string(a) + " of " + str(data) + ": its size is " +
                   data[i].to_string() + ", not 1");
        remove[i] = true;
      }
    }
    std::vector<dimension> out;
    for (std::size_t i = 0; i < data.rank(); ++i)
      if (!remove[i]) out.push_back(data[i]);
    detail::set_reshaped_output(ctx, partial_shape(std::move(out)));
  }
};

struct Unsqueeze {
  static constexpr std::string_view type_name = "Unsqueeze";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Unsqueeze);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    detail::require_axes_input(ctx, 1);
    const partial_shape& data = ctx.input_shape(0);
    const auto axes = input_ints(ctx, 1);
    if (!data.rank_is_static()) {
      ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
      return;
    }
    if (!axes) {
      const auto n = length_1d(ctx, 1);
      const partial_shape& s = ctx.input_shape(1);
      const bool scalar = s.rank_is_static() && s.rank() == 0;
      ctx.set_output(0, ctx.input_type(0),
                     scalar ? dynamic_of_rank(data.rank() + 1, ctx)
                     : n    ? dynamic_of_rank(data.rank() + *n, ctx)
                            : partial_shape::dynamic_rank());
      return;
    }
    const auto out_rank = static_cast<std::int64_t>(data.rank() + axes->size());
    std::vector<bool> inserted(static_cast<std::size_t>(out_rank), false);
    for (std::int64_t a : *axes) {
      const auto i = static_cast<std::size_t>(checked_axis(a, out_rank, ctx, "unsqueeze axis"));
      if (inserted[i]) ctx.fail("axes [" + attr::format(*axes) + "] name output axis " + std::to_string(i) + " twice");
      inserted[i] = true;
    }
    std::vector<dimension> out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < inserted.size(); ++i) out.push_back(inserted[i] ? dimension(1) : data[next++]);
    detail::set_reshaped_output(ctx, partial_shape(std::move(out)));
  }
};

} // namespace irforge::ops
