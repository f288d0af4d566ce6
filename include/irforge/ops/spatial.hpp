// irforge — shape helpers shared by the spatial and data-movement ops
// (convolution, pooling, interpolate, concat, gather, slice, split ...).
//
// Three groups:
//   * sliding-window arithmetic: output size of a convolution or pooling axis
//     under auto_pad and rounding_type, the padding SAME modes resolve to, and
//     the output size of a transposed convolution;
//   * dimension arithmetic on intervals (sums, products, monotone maps);
//   * small conveniences for `infer`: merging element types, reading integer
//     or float inputs and scalar axes, and building a small tensor whose
//     elements are copied from known inputs (so shape sub-graphs such as
//     ShapeOf -> Gather -> Concat -> Reshape stay known at conversion time).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/shape_inference.hpp"

namespace irforge::ops::spatial {

// ---- dimensions ------------------------------------------------------------------

/// "[1,3,224,224]" (or "[...]") for messages.
inline std::string str(const partial_shape& s) { return s.to_string(); }

/// Applies a monotone non-decreasing `f` to both bounds of `d` (an unbounded
/// maximum stays unbounded).
template <class F> dimension map_bounds(const dimension& d, F f) {
  const std::int64_t lo = f(d.min());
  if (d.is_static()) return dimension(lo);
  if (d.max() == dimension::unbounded) return dimension(lo, dimension::unbounded);
  return dimension(lo, f(d.max()));
}

/// a * b, or nullopt when it overflows 64 bits (dimensions come from files).
inline std::optional<std::int64_t> safe_multiply(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> safe_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
/// a * b, failing through ctx on overflow.
inline std::int64_t checked_multiply(std::int64_t a, std::int64_t b, const infer_context& ctx) {
  if (auto r = safe_multiply(a, b)) return *r;
  ctx.fail("a size overflows 64 bits (" + std::to_string(a) + " x " + std::to_string(b) + ")");
}

/// Sum of two dimensions (an overflowing bound becomes unbounded).
inline dimension add(const dimension& a, const dimension& b) {
  const auto lo = safe_add(a.min(), b.min());
  if (!lo) return dimension::dynamic();
  if (a.is_static() && b.is_static()) return dimension(*lo);
  const auto hi =
      (a.max() == dimension::unbounded || b.max() == dimension::unbounded) ? std::nullopt : safe_add(a.max(), b.max());
  return dimension(*lo, hi ? *hi : dimension::unbounded);
}

/// Product of two dimensions (an overflowing bound becomes unbounded).
inline dimension multiply(const dimension& a, const dimension& b) {
  if ((a.is_static() && a.min() == 0) || (b.is_static() && b.min() == 0)) return dimension(0);
  const auto lo = safe_multiply(a.min(), b.min());
  if (!lo) return dimension::dynamic();
  if (a.is_static() && b.is_static()) return dimension(*lo);
  const auto hi = (a.max() == dimension::unbounded || b.max() == dimension::unbounded)
                      ? std::nullopt
                      : safe_multiply(a.max(), b.max());
  return dimension(*lo, hi ? *hi : dimension::unbounded);
}

/// The intersection of two compatible dimensions; `ctx` fails with `what` otherwise.
inline dimension merge(const dimension& a, const dimension& b, const infer_context& ctx, const std::string& what) {
  if (!a.compatible(b)) ctx.fail(what);
  return a.merged(b);
}

/// Division rounding up / down, for b > 0 (no intermediate overflow).
constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a / b + (a % b > 0 ? 1 : 0); }
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

// ---- sliding windows ---------------------------------------------------------------

/// Kernel extent once dilated: (k - 1) * d + 1.
constexpr std::int64_t dilated(std::int64_t kernel, std::int64_t dilation) { return (kernel - 1) * dilation + 1; }

/// An attribute list for the spatial axes: an empty list means `fill` on every
/// axis (OpenVINO's default for strides, dilations, pads, output_padding);
/// otherwise it must have one value per spatial axis.
inline std::vector<std::int64_t> per_axis(const std::vector<std::int64_t>& values, std::size_t spatial,
                                          std::int64_t fill, std::string_view name, const infer_context& ctx) {
  if (values.empty()) return std::vector<std::int64_t>(spatial, fill);
  if (values.size() != spatial)
    ctx.fail(std::string(name) + " has " + std::to_string(values.size()) + " values, but the op has " +
             std::to_string(spatial) + " spatial axes");
  return values;
}

/// Window attributes (kernel, strides, dilations, pads) above this are
/// rejected, and dimensions above max_dimension are not computed with: both
/// keep the window arithmetic far from 64-bit overflow whatever a file says.
inline constexpr std::int64_t max_window_value = std::int64_t{1} << 31;
inline constexpr std::int64_t max_dimension = std::int64_t{1} << 60;

/// Checks that every value is in [min, max_window_value] (strides >= 1, pads >= 0 ...).
inline void require_at_least(const std::vector<std::int64_t>& values, std::int64_t min, std::string_view name,
                             const infer_context& ctx) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] < min || values[i] > max_window_value)
      ctx.fail(std::string(name) + "[" + std::to_string(i) + "] is " + std::to_string(values[i]) + ", it must be in [" +
               std::to_string(min) + ", " + std::to_string(max_window_value) + "]");
}

/// A kernel size from the weights' shape, checked like the attributes.
inline std::int64_t kernel_size(const dimension& k, std::size_t axis, const infer_context& ctx) {
  if (k.min() < 1 || k.min() > max_window_value)
    ctx.fail("kernel size " + std::to_string(k.min()) + " on spatial axis " + std::to_string(axis) +
             " is out of range [1, " + std::to_string(max_window_value) + "]");
  return k.min();
}

/// An input dimension with bounds above max_dimension: static ones are an
/// error, an upper bound that large is treated as unbounded.
inline dimension limited(const dimension& d, std::size_t axis, const infer_context& ctx) {
  if (d.min() > max_dimension)
    ctx.fail("dimension " + std::to_string(d.min()) + " on spatial axis " + std::to_string(axis) + " is too large");
  if (d.is_static() || d.max() == dimension::unbounded || d.max() <= max_dimension) return d;
  return dimension(d.min(), dimension::unbounded);
}

/// The (begin, end) padding that same_upper / same_lower give an input of
/// size `in`: the total makes the output ceil(in / stride); the odd element
/// goes to the end (same_upper) or to the beginning (same_lower).
inline std::pair<std::int64_t, std::int64_t> same_padding(std::int64_t in, std::int64_t dilated_kernel,
                                                          std::int64_t stride, pad_type mode) {
  const std::int64_t out = ceil_div(in, stride);
  const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * stride + dilated_kernel - in);
  const std::int64_t small = total / 2;
  return mode == pad_type::same_lower ? std::pair{total - small, small} : std::pair{small, total - small};
}

/// The padding an axis really gets: explicit pads, zero for valid, computed
/// for same_*. nullopt for same_* on a dynamic input size.
inline std::optional<std::pair<std::int64_t, std::int64_t>>
resolved_padding(const dimension& in, std::int64_t dilated_kernel, std::int64_t stride, std::int64_t pad_begin,
                 std::int64_t pad_end, pad_type mode) {
  switch (mode) {
  case pad_type::valid:
    return std::pair<std::int64_t, std::int64_t>{0, 0};
  case pad_type::same_lower:
  case pad_type::same_upper:
    if (!in.is_static()) return std::nullopt;
    return same_padding(in.min(), dilated_kernel, stride, mode);
  case pad_type::explicit_:
    break;
  }
  return std::pair{pad_begin, pad_end};
}

/// Output size of a window sliding over `in` elements padded with
/// (pad_begin, pad_end): floor or ceil of (padded - kernel) / stride, plus one.
/// ceil_torch first rounds up, then drops a last window that would start in
/// the end padding (PyTorch / ONNX ceil_mode); plain ceil keeps it.
/// Returns nullopt when the padded input is smaller than the kernel.
/// (Arguments within max_dimension / max_window_value cannot overflow.)
inline std::optional<std::int64_t> window_count(std::int64_t in, std::int64_t dilated_kernel, std::int64_t stride,
                                                std::int64_t pad_begin, std::int64_t pad_end, rounding_type rounding) {
  const std::int64_t span = in + pad_begin + pad_end - dilated_kernel;
  if (span < 0) return std::nullopt;
  if (rounding == rounding_type::floor) return span / stride + 1;
  std::int64_t out = ceil_div(span, stride) + 1;
  if (rounding == rounding_type::ceil_torch && (out - 1) * stride >= in + pad_begin) --out;
  return out;
}

/// Output dimension of one spatial axis of a convolution or pooling op. For
/// same_* on a dynamic input, floor rounding gives ceil(in / stride) on the
/// bounds; other roundings give a dynamic dimension (the padding is unknown).
/// Kernel, stride and pads must have passed require_at_least / kernel_size.
inline dimension window_output(const dimension& input, std::int64_t dilated_kernel, std::int64_t stride,
                               std::int64_t pad_begin, std::int64_t pad_end, pad_type mode, rounding_type rounding,
                               std::size_t axis, const infer_context& ctx) {
  if (input == dimension::dynamic()) return dimension::dynamic(); // nothing known stays so
  const dimension in = limited(input, axis, ctx);
  auto count = [&](std::int64_t n, std::int64_t pb, std::int64_t pe) -> std::int64_t {
    auto c = window_count(n, dilated_kernel, stride, pb, pe, rounding);
    if (!c)
      ctx.fail("spatial axis " + std::to_string(axis) + ": the kernel (" + std::to_string(dilated_kernel) +
               " once dilated) is larger than the padded input (" + std::to_string(n) + " + " + std::to_string(pb) +
               " + " + std::to_string(pe) + ")");
    return *c;
  };
  if (mode == pad_type::same_upper || mode == pad_type::same_lower) {
    if (in.is_static()) {
      const auto [pb, pe] = same_padding(in.min(), dilated_kernel, stride, mode);
      return dimension(count(in.min(), pb, pe));
    }
    if (rounding != rounding_type::floor) return dimension::dynamic();
    return map_bounds(in, [&](std::int64_t n) { return ceil_div(n, stride); });
  }
  const std::int64_t pb = mode == pad_type::valid ? 0 : pad_begin;
  const std::int64_t pe = mode == pad_type::valid ? 0 : pad_end;
  if (in.is_static()) return dimension(count(in.min(), pb, pe));
  // Dynamic: the smallest valid input gives at least one window.
  return map_bounds(in, [&](std::int64_t n) {
    const auto c = window_count(n, dilated_kernel, stride, pb, pe, rounding);
    return c ? *c : std::int64_t{1};
  });
}

/// Output dimension of one spatial axis of a transposed convolution
/// (ConvolutionBackpropData without output_shape):
/// stride * (in - 1) + dilated_kernel - pad_begin - pad_end + output_padding.
inline dimension transposed_window_output(const dimension& input, std::int64_t dilated_kernel, std::int64_t stride,
                                          std::int64_t pad_begin, std::int64_t pad_end, std::int64_t output_padding,
                                          std::size_t axis, const infer_context& ctx) {
  if (input == dimension::dynamic()) return dimension::dynamic();
  const dimension in = limited(input, axis, ctx);
  // in <= 2^60 and stride <= 2^31 may still overflow: checked.
  auto size = [&](std::int64_t n) -> std::optional<std::int64_t> {
    auto grown = safe_multiply(stride, std::max<std::int64_t>(n, 1) - 1);
    if (!grown) return std::nullopt;
    return safe_add(*grown, dilated_kernel - pad_begin - pad_end + output_padding);
  };
  if (in.is_static()) {
    const auto out = size(in.min());
    if (!out) ctx.fail("spatial axis " + std::to_string(axis) + ": the output size overflows 64 bits");
    if (*out < 1)
      ctx.fail("spatial axis " + std::to_string(axis) + ": the output size " + std::to_string(*out) +
               " is not positive (input " + std::to_string(in.min()) + ", stride " + std::to_string(stride) +
               ", kernel " + std::to_string(dilated_kernel) + ", pads " + std::to_string(pad_begin) + "/" +
               std::to_string(pad_end) + ")");
    return dimension(*out);
  }
  const auto lo = size(in.min());
  const auto hi = in.max() == dimension::unbounded ? std::nullopt : size(in.max());
  const std::int64_t low = lo ? std::max<std::int64_t>(0, *lo) : 0;
  return dimension(low, hi ? std::max(*hi, low) : dimension::unbounded);
}

// ---- element types -------------------------------------------------------------------

/// The common type of two inputs that must agree (dynamic agrees with anything).
inline element_type merge_types(element_type a, element_type b, const infer_context& ctx, std::string_view what) {
  if (a == element_type::dynamic) return b;
  if (b == element_type::dynamic || a == b) return a;
  ctx.fail(std::string(what) + " must have the same element type, got " + std::string(to_string(a)) + " and " +
           std::string(to_string(b)));
}

/// Input i must have an integer element type (or a still unknown one).
inline void require_integral_input(const infer_context& ctx, std::size_t i, std::string_view name) {
  const element_type t = ctx.input_type(i);
  if (t != element_type::dynamic && !is_integral(t))
    ctx.fail(std::string(name) + " (input " + std::to_string(i) + ") must have an integer element type, got " +
             std::string(to_string(t)));
}

/// Input i must be numeric: not boolean.
inline void require_numeric_input(const infer_context& ctx, std::size_t i, std::string_view name) {
  if (ctx.input_type(i) == element_type::boolean)
    ctx.fail(std::string(name) + " (input " + std::to_string(i) + ") must be numeric, got boolean");
}

/// Input i, when its rank is known, has rank `rank` (`name` is used in the message).
inline void require_rank(const infer_context& ctx, std::size_t i, std::size_t rank, std::string_view name) {
  const partial_shape& s = ctx.input_shape(i);
  if (s.rank_is_static() && s.rank() != rank)
    ctx.fail(std::string(name) + " (input " + std::to_string(i) + ") must have rank " + std::to_string(rank) +
             ", got shape " + s.to_string());
}

/// Input i, when its rank is known, is a scalar or a 1-element 1-D tensor (an axis).
inline void require_scalar_like(const infer_context& ctx, std::size_t i, std::string_view name) {
  const partial_shape& s = ctx.input_shape(i);
  if (!s.rank_is_static() || s.rank() == 0) return;
  if (s.rank() != 1 || (s[0].is_static() && s[0].min() != 1))
    ctx.fail(std::string(name) + " (input " + std::to_string(i) + ") must be a scalar or have one element, got shape " +
             s.to_string());
}

/// Ranks taken from an input's length (a target shape, an order) above this
/// are refused: a corrupt file must not make inference allocate without bound.
inline constexpr std::size_t max_rank = 1024;

/// `rank`, or a failure through ctx when it exceeds max_rank.
inline std::size_t checked_rank(std::size_t rank, const infer_context& ctx) {
  if (rank > max_rank)
    ctx.fail("rank " + std::to_string(rank) + " is too large (at most " + std::to_string(max_rank) + ")");
  return rank;
}

/// A shape of `rank` dynamic dimensions, the rank checked by checked_rank.
inline partial_shape dynamic_of_rank(std::size_t rank, const infer_context& ctx) {
  return partial_shape::dynamic_of_rank(checked_rank(rank, ctx));
}

/// The length of a 1-D input when known (from its value, else from its shape).
inline std::optional<std::size_t> length_1d(const infer_context& ctx, std::size_t i) {
  if (const tensor* t = ctx.input_value(i)) return static_cast<std::size_t>(t->element_count());
  const partial_shape& s = ctx.input_shape(i);
  if (s.rank_is_static() && s.rank() == 1 && s[0].is_static()) return static_cast<std::size_t>(s[0].min());
  return std::nullopt;
}

/// A scalar integer input (an axis) normalised against `rank`, when known.
inline std::optional<std::int64_t> axis_input(const infer_context& ctx, std::size_t i, std::int64_t rank,
                                              std::string_view name = "axis") {
  auto v = input_ints(ctx, i);
  if (!v) return std::nullopt;
  if (v->size() != 1)
    ctx.fail(std::string(name) + " (input " + std::to_string(i) + ") must hold one value, it holds " +
             std::to_string(v->size()));
  const std::int64_t a = (*v)[0];
  if (a < -rank || a >= rank)
    ctx.fail(std::string(name) + " " + std::to_string(a) + " is out of range for rank " + std::to_string(rank) +
             " (allowed: " + std::to_string(-rank) + " to " + std::to_string(rank - 1) + ")");
  return a < 0 ? a + rank : a;
}

/// Normalises an axis attribute or value against `rank`, failing through ctx.
inline std::int64_t checked_axis(std::int64_t axis, std::int64_t rank, const infer_context& ctx,
                                 std::string_view name = "axis") {
  if (axis < -rank || axis >= rank)
    ctx.fail(std::string(name) + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank) +
             " (allowed: " + std::to_string(-rank) + " to " + std::to_string(rank - 1) + ")");
  return axis < 0 ? axis + rank : axis;
}

/// Values of a floating-point input when known.
inline std::optional<std::vector<double>> input_floats(const infer_context& ctx, std::size_t i) {
  const tensor* t = ctx.input_value(i);
  if (t == nullptr) return std::nullopt;
  return t->as_f64();
}

// ---- known values ----------------------------------------------------------------------

/// Ops copy known input values to their output only for tensors up to this
/// many elements: enough for any shape computation, never a weight.
inline constexpr std::uint64_t max_propagated_elements = 4096;

/// True when a tensor of this type can be copied element by element.
constexpr bool byte_addressable(element_type t) {
  return t != element_type::dynamic && bit_width(t) % 8 == 0 && bit_width(t) != 0;
}

/// Row-major strides (in elements) of a static shape.
inline std::vector<std::uint64_t> row_major_strides(const shape& dims) {
  std::vector<std::uint64_t> s(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * static_cast<std::uint64_t>(dims[i]);
  return s;
}

/// A tensor of type `type` and shape `dims` whose element at each output
/// coordinate is copied from `source(coord)`, a (tensor, flat index) pair.
/// nullopt when the result would be too large to propagate or the type is
/// not byte addressable (callers then leave the output value unknown).
template <class F> std::optional<tensor> gather_elements(element_type type, const shape& dims, F source) {
  if (!byte_addressable(type)) return std::nullopt;
  const std::uint64_t count = element_count(dims);
  if (count > max_propagated_elements) return std::nullopt;
  const std::size_t width = bit_width(type) / 8;
  tensor out = tensor::allocate(type, dims);
  auto bytes = out.mutable_bytes();
  std::vector<std::int64_t> coord(dims.size(), 0);
  for (std::uint64_t n = 0; n < count; ++n) {
    const std::pair<const tensor*, std::uint64_t> from = source(coord);
    if (from.first == nullptr || from.first->type() != type || from.second >= from.first->element_count())
      return std::nullopt;
    std::memcpy(bytes.data() + n * width, from.first->bytes().data() + from.second * width, width);
    for (std::size_t d = dims.size(); d-- > 0;) {
      if (++coord[d] < dims[d]) break;
      coord[d] = 0;
    }
  }
  return out;
}

/// Sets output i to `value` when known, else to (type, shape).
inline void set_output_maybe_value(infer_context& ctx, std::size_t i, element_type type, partial_shape shape,
                                   std::optional<tensor> value) {
  if (value)
    ctx.set_output_value(i, std::move(*value));
  else
    ctx.set_output(i, type, std::move(shape));
}

} // namespace irforge::ops::spatial
