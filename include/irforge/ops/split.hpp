// irforge — Split-1 (num_splits equal parts along a scalar `axis` input) and
// VariadicSplit-1 (parts of the lengths given by the `split_lengths` input,
// one of which may be -1: the rest of the axis). Outputs keep the data type;
// small known data gives known parts.
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
/// More outputs than this are refused (a corrupt file must not allocate without bound).
inline constexpr std::size_t max_split_outputs = std::size_t{1} << 16;

/// Sets output k to the data's axis slice [offset, offset + length), with its value when known.
inline void set_split_output(infer_context& ctx, std::size_t k, const partial_shape& data, std::size_t axis,
                             const dimension& length, std::optional<std::int64_t> offset) {
  std::vector<dimension> dims = data.dims();
  dims[axis] = length;
  partial_shape out(std::move(dims));
  std::optional<tensor> value;
  const tensor* v = ctx.input_value(0);
  if (v != nullptr && offset && out.is_static()) {
    const auto strides = spatial::row_major_strides(v->dims());
    value = spatial::gather_elements(v->type(), out.to_shape(), [&](const std::vector<std::int64_t>& c) {
      std::uint64_t flat = 0;
      for (std::size_t d = 0; d < c.size(); ++d)
        flat += static_cast<std::uint64_t>(d == axis ? c[d] + *offset : c[d]) * strides[d];
      return std::pair<const tensor*, std::uint64_t>{v, flat};
    });
  }
  spatial::set_output_maybe_value(ctx, k, ctx.input_type(0), std::move(out), std::move(value));
}
} // namespace detail

struct Split {
  static constexpr std::string_view type_name = "Split";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Split, (std::int64_t, num_splits));
  Split() : num_splits(0) {} // required in the IR; 0 until set
  explicit Split(std::int64_t n) : num_splits(n) {}

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "axis");
    require_scalar_like(ctx, 1, "axis");
    if (num_splits < 1 || num_splits > static_cast<std::int64_t>(detail::max_split_outputs))
      ctx.fail("num_splits must be in [1, " + std::to_string(detail::max_split_outputs) + "], got " +
               std::to_string(num_splits));
    const auto n = static_cast<std::size_t>(num_splits);
    const partial_shape& data = ctx.input_shape(0);
    if (!data.rank_is_static()) {
      for (std::size_t k = 0; k < n; ++k) ctx.set_output(k, ctx.input_type(0), partial_shape::dynamic_rank());
      return;
    }
    if (data.rank() == 0) ctx.fail("cannot split a scalar");
    const auto axis = axis_input(ctx, 1, static_cast<std::int64_t>(data.rank()));
    if (!axis) {
      for (std::size_t k = 0; k < n; ++k)
        ctx.set_output(k, ctx.input_type(0), partial_shape::dynamic_of_rank(data.rank()));
      return;
    }
    const auto a = static_cast<std::size_t>(*axis);
    const dimension& d = data[a];
    if (d.is_static() && d.min() % num_splits != 0)
      ctx.fail("axis " + std::to_string(*axis) + " of " + str(data) + " has size " + std::to_string(d.min()) +
               ", which does not split into " + std::to_string(num_splits) + " equal parts");
    const dimension part =
        d.is_static() ? dimension(d.min() / num_splits)
                      : dimension(ceil_div(d.min(), num_splits),
                                  d.max() == dimension::unbounded ? dimension::unbounded : d.max() / num_splits);
    for (std::size_t k = 0; k < n; ++k)
      detail::set_split_output(ctx, k, data, a, part,
                               d.is_static() ? std::optional(static_cast<std::int64_t>(k) * part.min()) : std::nullopt);
  }
};

struct VariadicSplit {
  static constexpr std::string_view type_name = "VariadicSplit";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(VariadicSplit);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "axis");
    require_scalar_like(ctx, 1, "axis");
    require_integral_input(ctx, 2, "split_lengths");
    require_rank(ctx, 2, 1, "split_lengths");
    const auto count = length_1d(ctx, 2);
    if (!count)
      ctx.fail("the number of split_lengths (input 2) must be known: it is the number of outputs (shape " +
               str(ctx.input_shape(2)) + ")");
    if (*count > detail::max_split_outputs)
      ctx.fail("split_lengths has " + std::to_string(*count) + " values, more outputs than supported");
    const std::size_t n = *count;
    const partial_shape& data = ctx.input_shape(0);
    if (!data.rank_is_static()) {
      for (std::size_t k = 0; k < n; ++k) ctx.set_output(k, ctx.input_type(0), partial_shape::dynamic_rank());
      return;
    }
    if (data.rank() == 0) ctx.fail("cannot split a scalar");
    const auto axis = axis_input(ctx, 1, static_cast<std::int64_t>(data.rank()));
    const auto lengths = input_ints(ctx, 2);
    if (!axis || !lengths) {
      for (std::size_t k = 0; k < n; ++k) {
        std::vector<dimension> dims = data.dims();
        if (axis)
          dims[static_cast<std::size_t>(*axis)] = dimension(0, data[static_cast<std::size_t>(*axis)].max());
        else
          dims = std::vector<dimension>(data.rank());
        ctx.set_output(k, ctx.input_type(0), partial_shape(std::move(dims)));
      }
      return;
    }
    const auto a = static_cast<std::size_t>(*axis);
    const dimension& d = data[a];
    std::optional<std::size_t> rest;
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::int64_t len = (*lengths)[k];
      if (len == -1) {
        if (rest) ctx.fail("split_lengths [" + attr::format(*lengths) + "] has more than one -1");
        rest = k;
      } else if (len < 0) {
        ctx.fail("split_lengths [" + attr::format(*lengths) + "] has the invalid length " + std::to_string(len));
      } else {
        auto s = safe_add(sum, len);
        if (!s) ctx.fail("split_lengths [" + attr::format(*lengths) + "] overflow");
        sum = *s;
      }
    }
    if (d.is_static() && (rest ? sum > d.min() : sum != d.min()))
      ctx.fail("split_lengths [" + attr::format(*lengths) + "] " + (rest ? "exceed" : "do not add up to") +
               " the size " + std::to_string(d.min()) + " of axis " + std::to_string(*axis) + " of " + str(data));
    std::int64_t offset = 0;
    for (std::size_t k = 0; k < n; ++k) {
      dimension len;
      if (rest && *rest == k)
        len = map_bounds(d, [sum](std::int64_t v) { return std::max<std::int64_t>(0, v - sum); });
      else
        len = dimension((*lengths)[k]);
      const bool known_offset = d.is_static() || !rest || k < *rest;
      detail::set_split_output(ctx, k, data, a, len, known_offset ? std::optional(offset) : std::nullopt);
      if (len.is_static()) offset += len.min();
    }
  }
};

} // namespace irforge::ops
