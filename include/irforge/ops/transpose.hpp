// irforge — Transpose-1: permutes the data's axes by the `order` input
// (output axis i is input axis order[i]); an empty order reverses the axes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

struct Transpose {
  static constexpr std::string_view type_name = "Transpose";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Transpose);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "order");
    require_rank(ctx, 1, 1, "order");
    const element_type type = ctx.input_type(0);
    const partial_shape& data = ctx.input_shape(0);

    std::optional<std::vector<std::int64_t>> order = input_ints(ctx, 1);
    const auto order_length = length_1d(ctx, 1);
    if (!data.rank_is_static()) {
      ctx.set_output(0, type,
                     order_length && *order_length > 0 ? dynamic_of_rank(*order_length, ctx)
                                                       : partial_shape::dynamic_rank());
      return;
    }
    const std::size_t rank = data.rank();
    if (order_length && *order_length == 0) { // empty: reverse
      order = std::vector<std::int64_t>(rank);
      for (std::size_t i = 0; i < rank; ++i) (*order)[i] = static_cast<std::int64_t>(rank - 1 - i);
    }
    if (order_length && *order_length != 0 && *order_length != rank)
      ctx.fail("order has " + std::to_string(*order_length) + " values, the data " + str(data) + " has rank " +
               std::to_string(rank));
    if (!order) {
      ctx.set_output(0, type, partial_shape::dynamic_of_rank(rank));
      return;
    }
    std::vector<bool> seen(rank, false);
    for (std::int64_t a : *order) {
      if (a < 0 || a >= static_cast<std::int64_t>(rank) || seen[static_cast<std::size_t>(a)])
        ctx.fail("order [" + attr::format(*order) + "] is not a permutation of 0.." + std::to_string(rank - 1) +
                 " (data " + str(data) + ")");
      seen[static_cast<std::size_t>(a)] = true;
    }
    std::vector<dimension> out(rank);
    for (std::size_t i = 0; i < rank; ++i) out[i] = data[static_cast<std::size_t>((*order)[i])];
    partial_shape result(std::move(out));

    std::optional<tensor> value;
    const tensor* v = ctx.input_value(0);
    if (v != nullptr && result.is_static()) {
      const auto strides = row_major_strides(v->dims());
      const auto& perm = *order;
      value = gather_elements(v->type(), result.to_shape(), [&](const std::vector<std::int64_t>& c) {
        std::uint64_t flat = 0;
        for (std::size_t i = 0; i < c.size(); ++i)
          flat += static_cast<std::uint64_t>(c[i]) * strides[static_cast<std::size_t>(perm[i])];
        return std::pair<const tensor*, std::uint64_t>{v, flat};
      });
    }
    set_output_maybe_value(ctx, 0, type, std::move(result), std::move(value));
  }
};

} // namespace irforge::ops
