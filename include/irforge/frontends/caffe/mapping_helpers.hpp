// irforge — small helpers the Caffe layer mappings share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/frontends/caffe/layer_context.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/reshape.hpp"

namespace irforge::caffe::detail {

using outputs = mapping_result;

inline outputs one(output_ref r) { return {r}; }

/// The same value for every top (Split, and identities such as Dropout).
inline outputs aliases(const layer_context& ctx, output_ref r) { return outputs(ctx.output_count(), r); }

/// A Caffe axis (negative counts from the end) checked against `rank`.
inline std::int64_t caffe_axis(const layer_context& ctx, std::int64_t axis, std::int64_t rank, std::string_view what = "axis") {
  const std::int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    ctx.fail(std::string(what) + " " + std::to_string(axis) + " is out of range for a bottom of rank " + std::to_string(rank));
  return a;
}

/// Per-spatial-axis values of a Convolution/Pooling parameter: `<name>_h` and
/// `<name>_w` (2-D only) take precedence over the repeated `<name>`, which
/// gives one value for every axis or one per axis. Without any: `fallback`
/// (or an error when `required`).
inline std::vector<std::int64_t> spatial_values(const layer_context& ctx, const message_view& p, const std::string& name,
                                                const std::string& field, std::size_t spatial, std::int64_t fallback,
                                                bool required = false) {
  const std::string h = name + "_h", w = name + "_w";
  if (p.has(h) || p.has(w)) {
    if (spatial != 2) ctx.fail(h + "/" + w + " are for 2-D data; the bottom has " + std::to_string(spatial) + " spatial axes");
    if (required && !(p.has(h) && p.has(w))) ctx.fail("give both " + h + " and " + w);
    return {p.integer(h, fallback), p.integer(w, fallback)};
  }
  const auto v = p.integers(field);
  if (v.empty()) {
    if (required) ctx.fail(field + " (or " + h + " and " + w + ") is required");
    return std::vector<std::int64_t>(spatial, fallback);
  }
  if (v.size() == 1) return std::vector<std::int64_t>(spatial, v[0]);
  if (v.size() != spatial)
    ctx.fail(field + " has " + std::to_string(v.size()) + " values; give 1 or one per spatial axis (" +
             std::to_string(spatial) + ")");
  return v;
}

/// [1, ..., C, ..., 1] of rank `rank` with C at `axis`.
inline shape channel_shape(std::int64_t channels, std::int64_t rank, std::int64_t axis = 1) {
  shape s(static_cast<std::size_t>(rank < 1 ? 1 : rank), 1);
  s[static_cast<std::size_t>(axis)] = channels;
  return s;
}

/// A non-constant value reshaped with a Reshape op (special_zero off).
inline output_ref reshape_to(layer_context& ctx, output_ref value, const shape& dims, std::string_view suffix) {
  return ctx.add(ops::Reshape(false), {value, ctx.constant_i64(dims, std::string(suffix) + "/shape")}, suffix);
}

/// A Reshape with special_zero (0 copies the input's dimension at the same index).
inline output_ref reshape_zero(layer_context& ctx, output_ref value, std::vector<std::int64_t> target,
                               std::string_view suffix) {
  return ctx.add(ops::Reshape(true), {value, ctx.constant_i64(std::move(target), std::string(suffix) + "/shape")}, suffix);
}

/// The product of dims [from, to) of a static shape; an error on overflow.
inline std::int64_t product(const layer_context& ctx, const shape& s, std::size_t from, std::size_t to) {
  const shape part(s.begin() + static_cast<std::ptrdiff_t>(from), s.begin() + static_cast<std::ptrdiff_t>(to));
  std::uint64_t n = 0;
  try {
    n = element_count(part);
  } catch (const error& e) {
    ctx.fail(e.message());
  }
  if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) ctx.fail("element count overflows");
  return static_cast<std::int64_t>(n);
}

} // namespace irforge::caffe::detail
