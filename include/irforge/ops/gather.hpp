// irforge — gathering ops: Gather (opset8; older opset7 and opset1 in ops::v7
// and ops::v1), GatherElements-6 and GatherND-8.
//
// Gather picks slices of `data` along `axis` (a scalar input) at `indices`:
//   out = data[:b] + data[b:axis] + indices[b:] + data[axis+1:]
// where b = batch_dims (opset7/8; negative counts from the indices' rank; the
// first b axes of data and indices are shared). Gather-8 also allows negative
// indices (counted from the end of the axis). Small known inputs give a known
// output: Gather(ShapeOf(x), i, 0) is how models read one dimension.
#pragma once

#include <algorithm>
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

namespace detail {
/// The value of Gather over known inputs (nullopt if an index is out of range).
inline std::optional<tensor> gather_value(const tensor& data, const tensor& indices, std::size_t axis, std::size_t b,
                                          const shape& out, bool negative_indices) {
  const std::vector<std::int64_t> idx = indices.as_i64();
  const auto data_strides = spatial::row_major_strides(data.dims());
  const auto idx_strides = spatial::row_major_strides(indices.dims());
  const std::size_t ri = indices.dims().size();
  const std::int64_t axis_size = data.dims()[axis];
  return spatial::gather_elements(data.type(), out, [&](const std::vector<std::int64_t>& c) {
    const std::pair<const tensor*, std::uint64_t> none{nullptr, 0};
    // indices coordinate: c[:b] + c[axis : axis + ri - b]
    std::uint64_t iflat = 0;
    for (std::size_t d = 0; d < ri; ++d)
      iflat += static_cast<std::uint64_t>(d < b ? c[d] : c[axis + d - b]) * idx_strides[d];
    std::int64_t k = idx[iflat];
    if (k < 0 && negative_indices) k += axis_size;
    if (k < 0 || k >= axis_size) return none;
    // data coordinate: c[:axis] + [k] + c[axis + ri - b:]
    std::uint64_t dflat = 0;
    for (std::size_t d = 0; d < data.dims().size(); ++d) {
      const std::int64_t v = d < axis ? c[d] : d == axis ? k : c[d - 1 + ri - b];
      dflat += static_cast<std::uint64_t>(v) * data_strides[d];
    }
    return std::pair<const tensor*, std::uint64_t>{&data, dflat};
  });
}

inline void infer_gather(infer_context& ctx, std::int64_t batch_dims, bool negative_indices) {
  using namespace spatial;
  require_integral_input(ctx, 1, "indices");
  require_integral_input(ctx, 2, "axis");
  require_scalar_like(ctx, 2, "axis");
  const element_type type = ctx.input_type(0);
  const partial_shape& data = ctx.input_shape(0);
  const partial_shape& indices = ctx.input_shape(1);

  std::int64_t b = batch_dims;
  if (b < 0 && indices.rank_is_static()) b += static_cast<std::int64_t>(indices.rank());
  if (indices.rank_is_static() && (b < 0 || b > static_cast<std::int64_t>(indices.rank())))
    ctx.fail("batch_dims " + std::to_string(batch_dims) + " is out of range for indices " + str(indices));
  if (!data.rank_is_static() || !indices.rank_is_static()) {
    ctx.set_output(0, type, partial_shape::dynamic_rank());
    return;
  }
  const auto rd = static_cast<std::int64_t>(data.rank());
  const auto ri = static_cast<std::int64_t>(indices.rank());
  if (rd == 0) ctx.fail("data must have rank >= 1, got a scalar");
  const auto axis = axis_input(ctx, 2, rd);
  if (axis && b > *axis)
    ctx.fail("batch_dims " + std::to_string(b) + " must not exceed the axis " + std::to_string(*axis));
  if (b >= rd)
    ctx.fail("batch_dims " + std::to_string(b) + " must be smaller than the data rank " + std::to_string(rd));

  std::vector<dimension> out;
  for (std::int64_t i = 0; i < b; ++i) {
    const auto u = static_cast<std::size_t>(i);
    out.push_back(
        merge(data[u], indices[u], ctx,
              "data " + str(data) + " and indices " + str(indices) + " differ in batch axis " + std::to_string(i)));
  }
  if (!axis) {
    out.resize(static_cast<std::size_t>(rd + ri - 1 - b));
    ctx.set_output(0, type, partial_shape(std::move(out)));
    return;
  }
  for (std::int64_t i = b; i < *axis; ++i) out.push_back(data[static_cast<std::size_t>(i)]);
  for (std::int64_t i = b; i < ri; ++i) out.push_back(indices[static_cast<std::size_t>(i)]);
  for (std::int64_t i = *axis + 1; i < rd; ++i) out.push_back(data[static_cast<std::size_t>(i)]);
  partial_shape result(std::move(out));

  std::optional<tensor> value;
  const tensor* dv = ctx.input_value(0);
  const tensor* iv = ctx.input_value(1);
  if (dv != nullptr && iv != nullptr && result.is_static())
    value = gather_value(*dv, *iv, static_cast<std::size_t>(*axis), static_cast<std::size_t>(b), result.to_shape(),
                         negative_indices);
  set_output_maybe_value(ctx, 0, type, std::move(result), std::move(value));
}
} // namespace detail

/// Gather-8: batch_dims, and negative indices count from the end of the axis.
struct Gather {
  static constexpr std::string_view type_name = "Gather";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(Gather, (std::int64_t, batch_dims));
  Gather() : batch_dims(0) {}
  explicit Gather(std::int64_t b) : batch_dims(b) {}
  void infer(infer_context& ctx) const { detail::infer_gather(ctx, batch_dims, true); }
};

namespace v7 {
/// Gather-7: batch_dims; indices must be non-negative.
struct Gather {
  static constexpr std::string_view type_name = "Gather";
  static constexpr std::string_view version = "opset7";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(Gather, (std::int64_t, batch_dims));
  Gather() : batch_dims(0) {}
  explicit Gather(std::int64_t b) : batch_dims(b) {}
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_gather(ctx, batch_dims, false); }
};
} // namespace v7

namespace v1 {
/// Gather-1: no batch axes, no attributes.
struct Gather {
  static constexpr std::string_view type_name = "Gather";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(Gather);
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_gather(ctx, 0, false); }
};
} // namespace v1

/// GatherElements-6: out[i...] = data[i... with indices[i...] on `axis`];
/// indices have the data's rank and the output has the indices' shape.
struct GatherElements {
  static constexpr std::string_view type_name = "GatherElements";
  static constexpr std::string_view version = "opset6";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(GatherElements, (std::int64_t, axis));
  GatherElements() : axis(0) {}
  explicit GatherElements(std::int64_t a) : axis(a) {}

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "indices");
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& indices = ctx.input_shape(1);
    const std::optional<std::size_t> rank = data.rank_is_static()      ? std::optional(data.rank())
                                            : indices.rank_is_static() ? std::optional(indices.rank())
                                                                       : std::nullopt;
    if (!rank) {
      ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_rank());
      return;
    }
    if (*rank == 0) ctx.fail("data and indices must have rank >= 1");
    if (data.rank_is_static() && indices.rank_is_static() && data.rank() != indices.rank())
      ctx.fail("data " + str(data) + " and indices " + str(indices) + " must have the same rank");
    const auto a = static_cast<std::size_t>(checked_axis(axis, static_cast<std::int64_t>(*rank), ctx));
    if (!indices.rank_is_static()) {
      ctx.set_output(0, ctx.input_type(0), partial_shape::dynamic_of_rank(*rank));
      return;
    }
    std::vector<dimension> out = indices.dims();
    if (data.rank_is_static())
      for (std::size_t d = 0; d < *rank; ++d)
        if (d != a)
          out[d] = merge(out[d], data[d], ctx,
                         "data " + str(data) + " and indices " + str(indices) + " differ in axis " + std::to_string(d) +
                             " (only axis " + std::to_string(a) + " may differ)");
    ctx.set_output(0, ctx.input_type(0), partial_shape(std::move(out)));
  }
};

/// GatherND-8: indices [..., K] address K leading data axes (after the
/// batch_dims shared ones): out = indices[:-1] + data[batch_dims + K:].
struct GatherND {
  static constexpr std::string_view type_name = "GatherND";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(GatherND, (std::int64_t, batch_dims));
  GatherND() : batch_dims(0) {}
  explicit GatherND(std::int64_t b) : batch_dims(b) {}

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "indices");
    const element_type type = ctx.input_type(0);
    const partial_shape& data = ctx.input_shape(0);
    const partial_shape& indices = ctx.input_shape(1);
    if (batch_dims < 0) ctx.fail("batch_dims must be >= 0, got " + std::to_string(batch_dims));
    const auto b = static_cast<std::size_t>(batch_dims);
    if (data.rank_is_static() && data.rank() == 0) ctx.fail("data must have rank >= 1");
    if (indices.rank_is_static() && indices.rank() == 0) ctx.fail("indices must have rank >= 1");
    if (data.rank_is_static() && indices.rank_is_static() && b >= std::min(data.rank(), indices.rank()))
      ctx.fail("batch_dims " + std::to_string(b) + " must be smaller than the ranks of data " + str(data) +
               " and indices " + str(indices));
    if (!data.rank_is_static() || !indices.rank_is_static() || !indices.dims().back().is_static()) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    const auto k = static_cast<std::size_t>(indices.dims().back().min());
    if (b + k > data.rank())
      ctx.fail("indices " + str(indices) + " address " + std::to_string(k) + " axes after " + std::to_string(b) +
               " batch axes, but the data " + str(data) + " has only " + std::to_string(data.rank()));
    std::vector<dimension> out;
    for (std::size_t i = 0; i + 1 < indices.rank(); ++i)
      out.push_back(i < b ? merge(data[i], indices[i], ctx,
                                  "data " + str(data) + " and indices " + str(indices) + " differ in batch axis " +
                                      std::to_string(i))
                          : indices[i]);
    for (std::size_t i = b + k; i < data.rank(); ++i) out.push_back(data[i]);
    ctx.set_output(0, type, partial_shape(std::move(out)));
  }
};

} // namespace irforge::ops
