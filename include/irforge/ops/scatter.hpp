// irforge — scatter ops (opset3): ScatterUpdate, ScatterElementsUpdate and
// ScatterNDUpdate. Each writes `updates` into a copy of `data` at `indices`;
// the output has the data's type and shape. The checks relate the shapes:
//   ScatterUpdate          updates = data[:axis] + indices + data[axis+1:]
//   ScatterElementsUpdate  indices and updates have the data's rank and equal shapes
//   ScatterNDUpdate        indices [..., K], updates = indices[:-1] + data[K:]
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
/// Checks that `updates` is compatible with `expected`, naming the rule.
inline void require_updates_shape(const infer_context& ctx, const partial_shape& updates, const partial_shape& expected,
                                  const std::string& rule) {
  if (!updates.compatible(expected))
    ctx.fail("updates " + updates.to_string() + " must have the shape " + expected.to_string() + " (" + rule + ")");
}

inline element_type scatter_types(const infer_context& ctx) {
  spatial::require_integral_input(ctx, 1, "indices");
  return spatial::merge_types(ctx.input_type(0), ctx.input_type(2), ctx, "data and updates");
}
} // namespace detail

/// ScatterUpdate-3: inputs data, indices, updates, axis (scalar).
struct ScatterUpdate {
  static constexpr std::string_view type_name = "ScatterUpdate";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{4};
  BOOST_HANA_DEFINE_STRUCT(ScatterUpdate);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    const element_type type = detail::scatter_types(ctx);
    require_integral_input(ctx, 3, "axis");
    require_scalar_like(ctx, 3, "axis");
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& indices = ctx.input_shape(1);
    const partial_shape& updates = ctx.input_shape(2);
    if (data.rank_is_static() && indices.rank_is_static()) {
      if (data.rank() == 0) ctx.fail("data must have rank >= 1");
      const std::size_t expected_rank = data.rank() - 1 + indices.rank();
      if (updates.rank_is_static() && updates.rank() != expected_rank)
        ctx.fail("updates " + str(updates) + " must have rank " + std::to_string(expected_rank) + " (data " +
                 str(data) + " with one axis replaced by indices " + str(indices) + ")");
      if (const auto axis = axis_input(ctx, 3, static_cast<std::int64_t>(data.rank()))) {
        const auto a = static_cast<std::size_t>(*axis);
        std::vector<dimension> expected(data.dims().begin(), data.dims().begin() + static_cast<std::ptrdiff_t>(a));
        expected.insert(expected.end(), indices.dims().begin(), indices.dims().end());
        expected.insert(expected.end(), data.dims().begin() + static_cast<std::ptrdiff_t>(a) + 1, data.dims().end());
        detail::require_updates_shape(ctx, updates, partial_shape(std::move(expected)),
                                      "data[:axis] + indices + data[axis+1:], axis " + std::to_string(*axis));
      }
    }
    ctx.set_output(0, type, data);
  }
};

/// ScatterElementsUpdate-3: inputs data, indices, updates, axis (scalar).
struct ScatterElementsUpdate {
  static constexpr std::string_view type_name = "ScatterElementsUpdate";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{4};
  BOOST_HANA_DEFINE_STRUCT(ScatterElementsUpdate);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    const element_type type = detail::scatter_types(ctx);
    require_integral_input(ctx, 3, "axis");
    require_scalar_like(ctx, 3, "axis");
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& indices = ctx.input_shape(1);
    const partial_shape& updates = ctx.input_shape(2);
    if (!indices.compatible(updates))
      ctx.fail("indices " + str(indices) + " and updates " + str(updates) + " must have the same shape");
    for (const partial_shape* s : {&indices, &updates})
      if (data.rank_is_static() && s->rank_is_static() && s->rank() != data.rank())
        ctx.fail("indices " + str(indices) + " and updates " + str(updates) + " must have the rank of the data " +
                 str(data));
    if (data.rank_is_static()) {
      if (data.rank() == 0) ctx.fail("data must have rank >= 1");
      (void)axis_input(ctx, 3, static_cast<std::int64_t>(data.rank()));
    }
    ctx.set_output(0, type, data);
  }
};

/// ScatterNDUpdate-3: inputs data, indices [..., K], updates.
struct ScatterNDUpdate {
  static constexpr std::string_view type_name = "ScatterNDUpdate";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(ScatterNDUpdate);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    const element_type type = detail::scatter_types(ctx);
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& indices = ctx.input_shape(1);
    const partial_shape& updates = ctx.input_shape(2);
    if (indices.rank_is_static() && indices.rank() == 0) ctx.fail("indices must have rank >= 1");
    if (data.rank_is_static() && data.rank() == 0) ctx.fail("data must have rank >= 1");
    if (data.rank_is_static() && indices.rank_is_static() && indices.dims().back().is_static()) {
      const auto k = static_cast<std::size_t>(indices.dims().back().min());
      if (k > data.rank())
        ctx.fail("indices " + str(indices) + " address " + std::to_string(k) + " axes, the data " + str(data) +
                 " has only " + std::to_string(data.rank()));
      std::vector<dimension> expected(indices.dims().begin(), indices.dims().end() - 1);
      expected.insert(expected.end(), data.dims().begin() + static_cast<std::ptrdiff_t>(k), data.dims().end());
      detail::require_updates_shape(ctx, updates, partial_shape(std::move(expected)), "indices[:-1] + data[K:]");
    }
    ctx.set_output(0, type, data);
  }
};

} // namespace irforge::ops
