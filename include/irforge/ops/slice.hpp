// irforge — slicing: StridedSlice-1 (begin/end/stride with TensorFlow-style
// masks) and Slice-8 (start/stop/step on chosen axes, Python semantics).
//
// Both follow Python slicing: negative indices count from the end, values out
// of range are clamped, a negative step walks backwards. With the index
// inputs known and the data dimension static the output dimension is exact;
// otherwise it is dynamic (bounded where the indices allow) with the right
// rank. Small known data gives a known output (shape vectors are sliced this
// way, e.g. TensorFlow's shape[1:3]).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
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
/// One data axis of a slice once resolved against its size: the first index
/// taken, the step, and how many are taken.
struct resolved_slice {
  std::int64_t start = 0;
  std::int64_t step = 1;
  std::int64_t length = 0;
};

/// Python slicing of an axis of static size n; a missing start/stop means
/// "from the first" / "to the last" element in the step's direction.
inline resolved_slice resolve_slice(std::int64_t n, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                                    std::int64_t step) {
  resolved_slice r;
  r.step = step;
  if (step > 0) {
    const std::int64_t s = !start ? 0 : *start < 0 ? std::max<std::int64_t>(*start + n, 0) : std::min(*start, n);
    const std::int64_t e = !stop ? n : *stop < 0 ? std::max<std::int64_t>(*stop + n, 0) : std::min(*stop, n);
    r.start = s;
    r.length = e > s ? (e - s - 1) / step + 1 : 0;
  } else {
    const std::int64_t s = !start       ? n - 1
                           : *start < 0 ? std::max<std::int64_t>(*start + n, -1)
                                        : std::min(*start, n - 1);
    const std::int64_t e = !stop ? -1 : *stop < 0 ? std::max<std::int64_t>(*stop + n, -1) : std::min(*stop, n - 1);
    r.start = s;
    // -step overflows for the smallest int64: such a step takes one element.
    r.length = s > e ? (step == std::numeric_limits<std::int64_t>::min() ? 1 : (s - e - 1) / -step + 1) : 0;
  }
  return r;
}

/// The sliced size of a dimension that may be dynamic: the dimension itself
/// (divided by the step) for a whole-axis slice, else between 0 and a cap
/// taken from the indices or from the dimension's upper bound.
inline dimension sliced_dimension(const dimension& d, std::optional<std::int64_t> start,
                                  std::optional<std::int64_t> stop, std::int64_t step) {
  if (d.is_static()) return dimension(resolve_slice(d.min(), start, stop, step).length);
  constexpr std::int64_t big = std::numeric_limits<std::int32_t>::max(); // "to the end" in ONNX/TF exports
  const std::int64_t magnitude = step == std::numeric_limits<std::int64_t>::min()
                                     ? std::numeric_limits<std::int64_t>::max()
                                     : (step < 0 ? -step : step);
  const bool from_first = step > 0 ? (!start || *start == 0) : (!start || *start == -1 || *start >= big);
  const bool to_last = step > 0 ? (!stop || *stop >= big) : (!stop || *stop <= -big);
  if (from_first && to_last)
    return spatial::map_bounds(d, [&](std::int64_t n) { return spatial::ceil_div(n, magnitude); });
  std::optional<std::int64_t> cap;
  if (start && stop && !to_last && ((*start >= 0) == (*stop >= 0))) { // both from the same end
    const std::int64_t span = step > 0 ? *stop - *start : *start - *stop;
    cap = span <= 0 ? 0 : spatial::ceil_div(span, magnitude);
  } else if (start && to_last && step > 0 && *start < 0 && *start != std::numeric_limits<std::int64_t>::min()) {
    cap = spatial::ceil_div(-*start, magnitude); // the last -start elements at most
  }
  if (d.max() != dimension::unbounded) {
    const std::int64_t by_size = spatial::ceil_div(d.max(), magnitude);
    cap = cap ? std::min(*cap, by_size) : by_size;
  }
  return dimension(0, cap ? *cap : dimension::unbounded);
}

/// Where an output element comes from, per data axis: output axis `out_axis`
/// walked from `start` by `step`, or (out_axis < 0) the fixed index `start`.
struct slice_source {
  std::int64_t out_axis = -1;
  std::int64_t start = 0;
  std::int64_t step = 1;
};

inline std::optional<tensor> sliced_value(const tensor& data, const std::vector<slice_source>& axes, const shape& out) {
  const auto strides = spatial::row_major_strides(data.dims());
  return spatial::gather_elements(data.type(), out, [&](const std::vector<std::int64_t>& c) {
    std::uint64_t flat = 0;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const auto& s = axes[a];
      const std::int64_t i = s.out_axis < 0 ? s.start : s.start + c[static_cast<std::size_t>(s.out_axis)] * s.step;
      if (i < 0 || i >= data.dims()[a]) return std::pair<const tensor*, std::uint64_t>{nullptr, 0};
      flat += static_cast<std::uint64_t>(i) * strides[a];
    }
    return std::pair<const tensor*, std::uint64_t>{&data, flat};
  });
}

inline void require_index_input(const infer_context& ctx, std::size_t i, std::string_view name) {
  spatial::require_integral_input(ctx, i, name);
  spatial::require_rank(ctx, i, 1, name);
}

/// The common length of 1-D inputs `ports` when any is known; they must agree.
inline std::optional<std::size_t> common_length(const infer_context& ctx, std::initializer_list<std::size_t> ports,
                                                std::initializer_list<std::string_view> names) {
  std::optional<std::size_t> n;
  std::string_view first;
  auto name = names.begin();
  for (std::size_t p : ports) {
    const std::string_view this_name = *name++;
    if (p >= ctx.input_count()) continue;
    const auto len = spatial::length_1d(ctx, p);
    if (!len) continue;
    if (n && *n != *len)
      ctx.fail(std::string(first) + " has " + std::to_string(*n) + " values but " + std::string(this_name) + " has " +
               std::to_string(*len) + "; they must have the same length");
    if (!n) first = this_name;
    n = len;
  }
  return n;
}
} // namespace detail

/// StridedSlice-1. A mask bit i is set when mask[i] == 1 (missing entries are 0):
/// begin_mask / end_mask ignore begin[i] / end[i] (slice from the first / to
/// the last element), new_axis_mask inserts a size-1 axis, shrink_axis_mask
/// takes the single element begin[i] and drops the axis, ellipsis_mask (one
/// bit at most) stands for all data axes not named by the other entries.
struct StridedSlice {
  static constexpr std::string_view type_name = "StridedSlice";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3, 4};
  BOOST_HANA_DEFINE_STRUCT(StridedSlice, (std::vector<std::int64_t>, begin_mask), (std::vector<std::int64_t>, end_mask),
                           (std::vector<std::int64_t>, new_axis_mask), (std::vector<std::int64_t>, shrink_axis_mask),
                           (std::vector<std::int64_t>, ellipsis_mask));

  void infer(infer_context& ctx) const {
    using namespace spatial;
    detail::require_index_input(ctx, 1, "begin");
    detail::require_index_input(ctx, 2, "end");
    const bool has_stride = ctx.input_count() > 3;
    if (has_stride) detail::require_index_input(ctx, 3, "stride");
    const element_type type = ctx.input_type(0);
    const partial_shape& data = ctx.input_shape(0);
    const auto m = detail::common_length(ctx, {1, 2, 3}, {"begin", "end", "stride"});
    if (!data.rank_is_static() || !m) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    const std::size_t count = *m;
    auto bit = [](const std::vector<std::int64_t>& mask, std::size_t i) { return i < mask.size() && mask[i] == 1; };
    std::size_t ellipses = 0, new_axes = 0; // bits past a mask's end are 0
    const std::size_t mask_end = std::min(count, std::max(ellipsis_mask.size(), new_axis_mask.size()));
    for (std::size_t i = 0; i < mask_end; ++i) {
      if (bit(ellipsis_mask, i))
        ++ellipses;
      else if (bit(new_axis_mask, i))
        ++new_axes;
    }
    if (ellipses > 1) ctx.fail("ellipsis_mask [" + attr::format(ellipsis_mask) + "] has more than one bit set");
    const std::size_t rank = data.rank();
    const std::size_t consumed = count - new_axes - ellipses; // entries that take a data axis
    if (consumed > rank)
      ctx.fail(std::to_string(consumed) + " slice entries address data axes, but the data " + str(data) + " has rank " +
               std::to_string(rank));

    const auto begin = input_ints(ctx, 1);
    const auto end = input_ints(ctx, 2);
    std::optional<std::vector<std::int64_t>> stride =
        has_stride ? input_ints(ctx, 3) : std::optional<std::vector<std::int64_t>>(std::vector<std::int64_t>(count, 1));
    const bool known = begin && end && stride;

    std::vector<dimension> out;
    std::vector<detail::slice_source> sources;
    bool exact = known; // every source index known (for the value)
    std::size_t a = 0;  // data axis
    auto copy_axis = [&] {
      sources.push_back({static_cast<std::int64_t>(out.size()), 0, 1});
      out.push_back(data[a++]);
    };
    for (std::size_t i = 0; i < count; ++i) {
      if (bit(ellipsis_mask, i)) {
        for (std::size_t k = 0; k < rank - consumed; ++k) copy_axis();
      } else if (bit(new_axis_mask, i)) {
        out.emplace_back(1);
      } else if (bit(shrink_axis_mask, i)) {
        std::int64_t index = known ? (*begin)[i] : 0;
        if (known && data[a].is_static()) {
          const std::int64_t n = data[a].min();
          if (index < -n || index >= n)
            ctx.fail("shrink_axis_mask takes index " + std::to_string(index) + " of data axis " + std::to_string(a) +
                     ", which has size " + std::to_string(n));
          if (index < 0) index += n;
        } else {
          exact = false;
        }
        sources.push_back({-1, index, 1});
        ++a;
      } else if (known) {
        const std::int64_t step = (*stride)[i];
        if (step == 0) ctx.fail("stride [" + attr::format(*stride) + "] has a zero at index " + std::to_string(i));
        const auto start = bit(begin_mask, i) ? std::nullopt : std::optional((*begin)[i]);
        const auto stop = bit(end_mask, i) ? std::nullopt : std::optional((*end)[i]);
        if (data[a].is_static()) {
          const auto r = detail::resolve_slice(data[a].min(), start, stop, step);
          sources.push_back({static_cast<std::int64_t>(out.size()), r.start, r.step});
        } else {
          exact = false;
        }
        out.push_back(detail::sliced_dimension(data[a++], start, stop, step));
      } else {
        out.emplace_back(0, data[a++].max());
      }
    }
    while (a < rank) copy_axis();
    partial_shape result(std::move(out));

    std::optional<tensor> value;
    if (const tensor* v = ctx.input_value(0); v != nullptr && exact && result.is_static())
      value = detail::sliced_value(*v, sources, result.to_shape());
    set_output_maybe_value(ctx, 0, type, std::move(result), std::move(value));
  }
};

/// Slice-8: data[start:stop:step] on `axes` (default 0, 1, ... for as many
/// axes as start has values); the other axes are kept whole.
struct Slice {
  static constexpr std::string_view type_name = "Slice";
  static constexpr std::string_view version = "opset8";
  static constexpr arity inputs{4, 5};
  BOOST_HANA_DEFINE_STRUCT(Slice);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    detail::require_index_input(ctx, 1, "start");
    detail::require_index_input(ctx, 2, "stop");
    detail::require_index_input(ctx, 3, "step");
    const bool has_axes = ctx.input_count() > 4;
    if (has_axes) detail::require_index_input(ctx, 4, "axes");
    const element_type type = ctx.input_type(0);
    const partial_shape& data = ctx.input_shape(0);
    const auto m = detail::common_length(ctx, {1, 2, 3, 4}, {"start", "stop", "step", "axes"});
    if (!data.rank_is_static()) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    const std::size_t rank = data.rank();
    if (rank == 0) ctx.fail("data must have rank >= 1, got a scalar");
    if (m && *m > rank)
      ctx.fail("start has " + std::to_string(*m) + " values, the data " + str(data) + " has rank " +
               std::to_string(rank));

    const auto start = input_ints(ctx, 1);
    const auto stop = input_ints(ctx, 2);
    const auto step = input_ints(ctx, 3);
    std::optional<std::vector<std::int64_t>> axes;
    if (has_axes) {
      axes = input_ints(ctx, 4);
    } else if (m) {
      axes = std::vector<std::int64_t>(*m);
      for (std::size_t i = 0; i < *m; ++i) (*axes)[i] = static_cast<std::int64_t>(i);
    }
    if (step)
      for (std::size_t i = 0; i < step->size(); ++i)
        if ((*step)[i] == 0) ctx.fail("step [" + attr::format(*step) + "] has a zero at index " + std::to_string(i));

    std::vector<dimension> out = data.dims();
    std::vector<detail::slice_source> sources(rank);
    for (std::size_t a = 0; a < rank; ++a) sources[a] = {static_cast<std::int64_t>(a), 0, 1};
    if (!axes) { // which axes are sliced is unknown: any may shrink
      for (auto& d : out) d = dimension(0, d.max());
      ctx.set_output(0, type, partial_shape(std::move(out)));
      return;
    }
    std::vector<bool> seen(rank, false);
    bool exact = start && stop && step;
    for (std::size_t i = 0; i < axes->size(); ++i) {
      const auto a =
          static_cast<std::size_t>(checked_axis((*axes)[i], static_cast<std::int64_t>(rank), ctx, "slice axis"));
      if (seen[a]) ctx.fail("axes [" + attr::format(*axes) + "] name axis " + std::to_string(a) + " twice");
      seen[a] = true;
      if (!(start && stop && step)) {
        out[a] = dimension(0, data[a].max());
        continue;
      }
      if (data[a].is_static()) {
        const auto r = detail::resolve_slice(data[a].min(), (*start)[i], (*stop)[i], (*step)[i]);
        sources[a] = {static_cast<std::int64_t>(a), r.start, r.step};
      } else {
        exact = false;
      }
      out[a] = detail::sliced_dimension(data[a], (*start)[i], (*stop)[i], (*step)[i]);
    }
    partial_shape result(std::move(out));

    std::optional<tensor> value;
    if (const tensor* v = ctx.input_value(0); v != nullptr && exact && result.is_static())
      value = detail::sliced_value(*v, sources, result.to_shape());
    set_output_maybe_value(ctx, 0, type, std::move(result), std::move(value));
  }
};

} // namespace irforge::ops
