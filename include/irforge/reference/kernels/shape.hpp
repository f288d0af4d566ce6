// irforge — reference kernels of the shape and copy ops: ShapeOf (v1, v3),
// Reshape, Squeeze, Unsqueeze, Transpose, Concat, Split, VariadicSplit.
//
// These only move bytes, so they dispatch on the element size (1, 2, 4 or 8
// bytes), not on the element type. Also home of the data-movement helpers the
// other movement kernels (slice, broadcast, depth_to_space, pad, gather,
// scatter) share: size dispatch and the copy of a strided view.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "irforge/ops/concat.hpp"
#include "irforge/ops/reshape.hpp"
#include "irforge/ops/shape_of.hpp"
#include "irforge/ops/split.hpp"
#include "irforge/ops/squeeze.hpp"
#include "irforge/ops/transpose.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail::movement {

/// Bytes per element of a byte-addressable type; fails for the packed ones.
inline std::size_t element_bytes(const kernel_context& ctx, element_type t) {
  const unsigned bits = bit_width(t);
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
    ctx.fail("element type " + std::string(to_string(t)) + " is not supported by this kernel");
  return bits / 8;
}

/// Calls f.template operator()<U>() with the unsigned integer U of t's size.
template <class F> void by_size(const kernel_context& ctx, element_type t, F&& f) {
  switch (element_bytes(ctx, t)) {
  case 1: f.template operator()<std::uint8_t>(); break;
  case 2: f.template operator()<std::uint16_t>(); break;
  case 4: f.template operator()<std::uint32_t>(); break;
  default: f.template operator()<std::uint64_t>(); break;
  }
}

/// Product of dims[from, to).
inline std::int64_t product(const shape& dims, std::size_t from, std::size_t to) {
  std::int64_t n = 1;
  for (std::size_t i = from; i < to && i < dims.size(); ++i) n *= dims[i];
  return n;
}

inline std::size_t to_size(std::int64_t v) { return static_cast<std::size_t>(v); }

/// A view of a source tensor: output element c (row-major over `dims`) is
/// source element base + sum c[d] * strides[d]. Strides may be 0 (broadcast)
/// or negative (reversed slices).
struct strided_view {
  std::int64_t base = 0;
  shape dims;
  std::vector<std::int64_t> strides;
};

/// Fails unless every element of a non-empty view lies in [0, count).
inline void check_view(const kernel_context& ctx, const strided_view& v, std::uint64_t count) {
  if (v.dims.size() != v.strides.size()) ctx.fail("internal error: a view has dims and strides of different ranks");
  for (std::int64_t d : v.dims)
    if (d == 0) return; // nothing is read
  std::int64_t lo = v.base, hi = v.base;
  for (std::size_t d = 0; d < v.dims.size(); ++d) {
    const std::int64_t reach = (v.dims[d] - 1) * v.strides[d];
    (reach < 0 ? lo : hi) += reach;
  }
  if (lo < 0 || hi < 0 || static_cast<std::uint64_t>(hi) >= count)
    ctx.fail("internal error: a view reads outside its source (elements " + std::to_string(lo) + ".." +
             std::to_string(hi) + " of " + std::to_string(count) + ")");
}

/// dst[i] = src[view offset of i] for every element of the view (checked).
template <class U>
void copy_view(const kernel_context& ctx, std::span<const U> src, const strided_view& v, std::span<U> dst) {
  if (element_count(v.dims) != dst.size()) ctx.fail("internal error: a view and its destination differ in size");
  if (dst.empty()) return;
  check_view(ctx, v, src.size());
  // Drop size-1 axes and merge axes that are contiguous with the next one.
  shape dims;
  std::vector<std::int64_t> strides;
  for (std::size_t d = 0; d < v.dims.size(); ++d) {
    if (v.dims[d] == 1) continue;
    if (!dims.empty() && strides.back() == v.strides[d] * v.dims[d]) {
      dims.back() *= v.dims[d];
      strides.back() = v.strides[d];
    } else {
      dims.push_back(v.dims[d]);
      strides.push_back(v.strides[d]);
    }
  }
  if (dims.empty()) {
    dst[0] = src[to_size(v.base)];
    return;
  }
  const std::size_t rank = dims.size();
  const std::int64_t n = dims.back(), step = strides.back();
  const std::size_t rows = dst.size() / to_size(n);
  std::vector<std::int64_t> idx(rank, 0);
  std::int64_t off = v.base;
  U* out = dst.data();
  for (std::size_t r = 0; r < rows; ++r) {
    if (step == 1) {
      std::memcpy(out, src.data() + off, to_size(n) * sizeof(U));
      out += n;
    } else {
      std::int64_t o = off;
      for (std::int64_t i = 0; i < n; ++i, o += step) *out++ = src[to_size(o)];
    }
    // advance the outer axes
    for (std::size_t d = rank - 1; d-- > 0;) {
      off += strides[d];
      if (++idx[d] < dims[d]) break;
      off -= strides[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/// Output 0 = the view of input 0 (any byte-addressable type).
inline void copy_input_view(kernel_context& ctx, const strided_view& v) {
  by_size(ctx, ctx.input_type(0), [&]<class U>() { copy_view<U>(ctx, ctx.in<U>(0), v, ctx.out<U>(0)); });
}

/// The single value of a scalar-like integer input (an axis).
inline std::int64_t scalar_input(const kernel_context& ctx, std::size_t i, const char* what) {
  const auto v = ctx.ints(i);
  if (v.size() != 1) ctx.fail(std::string(what) + " (input " + std::to_string(i) + ") must hold one value");
  return v[0];
}

/// A possibly negative axis normalised against rank (an error when out of range).
inline std::size_t axis_of(const kernel_context& ctx, std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  const std::int64_t a = axis < 0 ? axis + r : axis;
  if (a < 0 || a >= r) ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return to_size(a);
}

/// Output 0 = input 0 with the output's shape (no copy: the bytes are shared).
inline void reshape_output(kernel_context& ctx) {
  const shape out = ctx.output_shape(0);
  if (ctx.output(0).type() != ctx.input_type(0)) ctx.fail("internal error: a reshape changes the element type");
  if (element_count(out) != ctx.input(0).element_count())
    ctx.fail("cannot give " + partial_shape(ctx.input_shape(0)).to_string() + " the shape " +
             partial_shape(out).to_string());
  ctx.set_output(0, ctx.input(0).reshaped(out));
}

/// Writes the input's shape as i64 or i32 (the output's type).
inline void write_shape(kernel_context& ctx) {
  const shape dims = ctx.input_shape(0);
  if (ctx.output(0).type() == element_type::i64) {
    auto out = ctx.out<std::int64_t>(0);
    for (std::size_t i = 0; i < dims.size(); ++i) out[i] = dims[i];
  } else if (ctx.output(0).type() == element_type::i32) {
    auto out = ctx.out<std::int32_t>(0);
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] > std::numeric_limits<std::int32_t>::max())
        ctx.fail("dimension " + std::to_string(dims[i]) + " does not fit the output type i32");
      out[i] = static_cast<std::int32_t>(dims[i]);
    }
  } else {
    ctx.fail("output type " + std::string(to_string(ctx.output(0).type())) + " is not i32 or i64");
  }
}

/// Copies the axis range [offset, offset + out.dims[axis]) of input 0 into output k
/// (rows of `inner` elements, byte copies).
inline void split_part(kernel_context& ctx, std::size_t k, std::size_t axis, std::int64_t offset) {
  const shape& in = ctx.input_shape(0);
  const shape& out = ctx.output_shape(k);
  const std::size_t es = element_bytes(ctx, ctx.input_type(0));
  if (out.size() != in.size() || ctx.output(k).type() != ctx.input_type(0) || offset < 0 ||
      offset + out[axis] > in[axis])
    ctx.fail("internal error: output " + std::to_string(k) + " does not fit the split input");
  const std::int64_t outer = product(in, 0, axis), inner = product(in, axis + 1, in.size());
  const std::size_t part = to_size(out[axis] * inner) * es, whole = to_size(in[axis] * inner) * es;
  if (part == 0) return;
  const std::byte* src = ctx.input(0).bytes().data() + to_size(offset * inner) * es;
  std::byte* dst = ctx.output(k).mutable_bytes().data();
  for (std::int64_t o = 0; o < outer; ++o) std::memcpy(dst + to_size(o) * part, src + to_size(o) * whole, part);
}

inline void split(kernel_context& ctx) {
  const shape& in = ctx.input_shape(0);
  const std::size_t axis = axis_of(ctx, scalar_input(ctx, 1, "axis"), in.size());
  std::int64_t offset = 0;
  for (std::size_t k = 0; k < ctx.output_count(); ++k) {
    split_part(ctx, k, axis, offset);
    offset += ctx.output_shape(k)[axis];
  }
  if (offset != in[axis]) ctx.fail("internal error: the split parts do not cover the axis");
}

} // namespace detail::movement

template <> struct kernel<ops::ShapeOf> {
  static void run(const ops::ShapeOf&, kernel_context& ctx) { detail::movement::write_shape(ctx); }
};
template <> struct kernel<ops::v1::ShapeOf> {
  static void run(const ops::v1::ShapeOf&, kernel_context& ctx) { detail::movement::write_shape(ctx); }
};

template <> struct kernel<ops::Reshape> {
  static void run(const ops::Reshape&, kernel_context& ctx) { detail::movement::reshape_output(ctx); }
};
template <> struct kernel<ops::Squeeze> {
  static void run(const ops::Squeeze&, kernel_context& ctx) { detail::movement::reshape_output(ctx); }
};
template <> struct kernel<ops::Unsqueeze> {
  static void run(const ops::Unsqueeze&, kernel_context& ctx) { detail::movement::reshape_output(ctx); }
};

/// Transpose: output axis i walks input axis order[i] (an empty order reverses).
template <> struct kernel<ops::Transpose> {
  static void run(const ops::Transpose&, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& in = ctx.input_shape(0);
    const std::size_t rank = in.size();
    auto order = ctx.ints(1);
    if (order.empty())
      for (std::size_t i = 0; i < rank; ++i) order.push_back(static_cast<std::int64_t>(rank - 1 - i));
    if (order.size() != rank) ctx.fail("order has " + std::to_string(order.size()) + " values for rank " + std::to_string(rank));
    const auto st = strides_of(in);
    strided_view v;
    std::vector<bool> seen(rank, false);
    for (std::int64_t a : order) {
      if (a < 0 || a >= static_cast<std::int64_t>(rank) || seen[to_size(a)]) ctx.fail("order is not a permutation");
      seen[to_size(a)] = true;
      v.dims.push_back(in[to_size(a)]);
      v.strides.push_back(st[to_size(a)]);
    }
    if (v.dims != ctx.output_shape(0)) ctx.fail("internal error: the transposed shape differs from the inferred one");
    copy_input_view(ctx, v);
  }
};

/// Concat: each input's rows of dims[axis:] go side by side (byte copies).
template <> struct kernel<ops::Concat> {
  static void run(const ops::Concat& op, kernel_context& ctx) {
    using namespace detail::movement;
    const shape& out = ctx.output_shape(0);
    const std::size_t axis = axis_of(ctx, op.axis, out.size());
    const std::size_t es = element_bytes(ctx, ctx.output(0).type());
    const std::int64_t outer = product(out, 0, axis), inner = product(out, axis + 1, out.size());
    const std::size_t row = to_size(out[axis] * inner) * es;
    std::byte* dst = ctx.output(0).mutable_bytes().data();
    std::int64_t offset = 0;
    for (std::size_t k = 0; k < ctx.input_count(); ++k) {
      const shape& in = ctx.input_shape(k);
      bool fits = in.size() == out.size() && ctx.input_type(k) == ctx.output(0).type();
      for (std::size_t d = 0; fits && d < in.size(); ++d) fits = d == axis || in[d] == out[d];
      if (!fits || offset + in[axis] > out[axis])
        ctx.fail("internal error: input " + std::to_string(k) + " does not fit the concatenated output");
      const std::size_t part = to_size(in[axis] * inner) * es;
      if (part != 0) {
        const std::byte* src = ctx.input(k).bytes().data();
        for (std::int64_t o = 0; o < outer; ++o)
          std::memcpy(dst + to_size(o) * row + to_size(offset * inner) * es, src + to_size(o) * part, part);
      }
      offset += in[axis];
    }
    if (offset != out[axis]) ctx.fail("internal error: the inputs do not fill the concatenated output");
  }
};

template <> struct kernel<ops::Split> {
  static void run(const ops::Split&, kernel_context& ctx) { detail::movement::split(ctx); }
};
template <> struct kernel<ops::VariadicSplit> {
  static void run(const ops::VariadicSplit&, kernel_context& ctx) { detail::movement::split(ctx); }
};

} // namespace irforge::reference
