// irforge — reference kernel of Select-1: out = condition ? then : else.
//
// The three inputs broadcast onto the output shape that Select's infer
// computed (NumPy rules; "none": equal shapes; "pdpd": onto `then`). Elements
// are only copied, so the kernel works on their bytes (1, 2, 4 or 8 wide)
// whatever their type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "irforge/ops/select.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail::select_ops {

/// Fails unless input i broadcasts onto `out` (right-aligned, each dimension 1 or equal).
inline void require_broadcast(const kernel_context& ctx, std::size_t i, const shape& out) {
  const shape& s = ctx.input_shape(i);
  bool ok = s.size() <= out.size();
  for (std::size_t k = 1; ok && k <= s.size(); ++k) ok = s[s.size() - k] == 1 || s[s.size() - k] == out[out.size() - k];
  if (!ok)
    ctx.fail("input " + std::to_string(i) + " shape " + partial_shape(s).to_string() + " does not broadcast onto " +
             partial_shape(out).to_string());
}

template <class W> void select(kernel_context& ctx) {
  const auto c = ctx.in<std::uint8_t>(0);
  const auto a = ctx.in<W>(1);
  const auto b = ctx.in<W>(2);
  auto out = ctx.out<W>(0);
  const shape& so = ctx.output_shape(0);
  const shape& sc = ctx.input_shape(0);
  const shape& sa = ctx.input_shape(1);
  const shape& sb = ctx.input_shape(2);
  if (sc == so && sa == so && sb == so) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = c[i] != 0 ? a[i] : b[i];
    return;
  }
  for_each_broadcast<3>(so, {sc, sa, sb}, [&](std::int64_t i, const std::array<std::int64_t, 3>& off) {
    out[static_cast<std::size_t>(i)] = c[static_cast<std::size_t>(off[0])] != 0 ? a[static_cast<std::size_t>(off[1])]
                                                                               : b[static_cast<std::size_t>(off[2])];
  });
}

} // namespace detail::select_ops

template <> struct kernel<ops::Select> {
  static void run(const ops::Select&, kernel_context& ctx) {
    if (ctx.input_type(0) != element_type::boolean)
      ctx.fail("input 0 (condition) must be boolean, got " + std::string(to_string(ctx.input_type(0))));
    const element_type t = ctx.output(0).type();
    if (ctx.input_type(1) != t || ctx.input_type(2) != t) ctx.fail("then, else and the output must have one type");
    const shape& out = ctx.output_shape(0);
    for (std::size_t i = 0; i < 3; ++i) detail::select_ops::require_broadcast(ctx, i, out);
    switch (bit_width(t)) {
    case 8: detail::select_ops::select<std::uint8_t>(ctx); return;
    case 16: detail::select_ops::select<std::uint16_t>(ctx); return;
    case 32: detail::select_ops::select<std::uint32_t>(ctx); return;
    case 64: detail::select_ops::select<std::uint64_t>(ctx); return;
    default: ctx.fail("Select does not support element type " + std::string(to_string(t)));
    }
  }
};

} // namespace irforge::reference
