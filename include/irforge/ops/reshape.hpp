// irforge — Reshape-1: the data with a new shape of the same element count.
//
// The target shape is the second input (1-D integers). One entry may be -1
// (inferred from the element count); with special_zero a 0 copies the data's
// dimension at the same index, without it a 0 is a zero-sized dimension. When
// the target's values are unknown, only the output rank (the target's length)
// is known. A known data value stays known (the bytes are reinterpreted).
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

struct Reshape {
  static constexpr std::string_view type_name = "Reshape";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Reshape, (bool, special_zero));
  Reshape() : special_zero(false) {}
  explicit Reshape(bool zero_copies) : special_zero(zero_copies) {}

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "target shape");
    const partial_shape& target_shape = ctx.input_shape(1);
    if (target_shape.rank_is_static() && target_shape.rank() > 1)
      ctx.fail("the target shape (input 1) must be 1-D, got shape " + str(target_shape));
    const element_type type = ctx.input_type(0);
    const partial_shape& data = ctx.input_shape(0);

    const auto target = input_ints(ctx, 1);
    if (!target) {
      const auto n = length_1d(ctx, 1);
      ctx.set_output(0, type, n ? dynamic_of_rank(*n, ctx) : partial_shape::dynamic_rank());
      return;
    }
    const partial_shape out = output_shape(data, *target, ctx);
    std::optional<tensor> value;
    if (const tensor* v = ctx.input_value(0); v != nullptr && out.is_static()) value = v->reshaped(out.to_shape());
    set_output_maybe_value(ctx, 0, type, out, std::move(value));
  }

private:
  /// The output shape for a known target.
  [[nodiscard]] partial_shape output_shape(const partial_shape& data, const std::vector<std::int64_t>& target,
                                           const infer_context& ctx) const {
    using spatial::str;
    const std::size_t n = target.size();
    std::vector<dimension> out(n);
    std::vector<bool> copied(n, false);
    std::optional<std::size_t> inferred;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t v = target[i];
      if (v == -1) {
        if (inferred) ctx.fail("target shape " + list(target) + " has more than one -1");
        inferred = i;
      } else if (v == 0 && special_zero) {
        if (!data.rank_is_static()) continue; // dynamic until the data rank is known
        if (i >= data.rank())
          ctx.fail("target shape " + list(target) + ": with special_zero the 0 at index " + std::to_string(i) +
                   " copies a data dimension, but the data " + str(data) + " has rank " + std::to_string(data.rank()));
        out[i] = data[i];
        copied[i] = true;
      } else if (v < 0) {
        ctx.fail("target shape " + list(target) + " has the invalid value " + std::to_string(v) +
                 " (only -1 and values >= 0 are allowed)");
      } else {
        out[i] = dimension(v);
      }
    }
    if (!data.rank_is_static()) return partial_shape(std::move(out));

    // Element counts of what is not copied through special_zero.
    bool in_static = true, out_static = true;
    std::int64_t in_count = 1, out_count = 1;
    for (std::size_t i = 0; i < data.rank(); ++i) {
      if (i < n && copied[i]) continue;
      if (!data[i].is_static())
        in_static = false;
      else
        in_count = spatial::checked_multiply(in_count, data[i].min(), ctx);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (copied[i] || (inferred && *inferred == i)) continue;
      if (!out[i].is_static())
        out_static = false;
      else
        out_count = spatial::checked_multiply(out_count, out[i].min(), ctx);
    }
    if (in_static && out_static) {
      if (inferred) {
        if (out_count == 0) {
          if (in_count != 0)
            ctx.fail("cannot reshape " + str(data) + " to " + list(target) +
                     ": -1 cannot be inferred when the other dimensions hold no elements");
          out[*inferred] = dimension(0);
        } else {
          if (in_count % out_count != 0)
            ctx.fail("cannot reshape " + str(data) + " (" + std::to_string(in_count) + " elements) to " + list(target) +
                     ": " + std::to_string(in_count) + " is not divisible by " + std::to_string(out_count));
          out[*inferred] = dimension(in_count / out_count);
        }
      } else if (in_count != out_count) {
        ctx.fail("cannot reshape " + str(data) + " (" + std::to_string(in_count) + " elements) to " + list(target) +
                 " (" + std::to_string(out_count) + " elements)" + (special_zero ? " with special_zero" : ""));
      }
    }
    return partial_shape(std::move(out));
  }

  static std::string list(const std::vector<std::int64_t>& v) { return "[" + attr::format(v) + "]"; }
};

} // namespace irforge::ops
