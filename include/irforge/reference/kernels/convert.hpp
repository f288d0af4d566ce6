// irforge — reference kernels of Convert-1 and ConvertLike-1, and the value
// conversions the other elementwise kernels share.
//
// The rules (OpenVINO's Convert specification, with its undefined corners
// made definite):
// - integer -> integer keeps the value modulo 2^N (C++'s conversion; -1 -> u8 255);
// - floating -> integer truncates towards zero (3.9 -> 3, -3.9 -> -3), as OpenVINO's
//   reference does with static_cast. Where that cast is undefined in C++ (out of
//   range, NaN) the value saturates to the destination's limits and NaN gives 0,
//   as OpenVINO's CPU plugin clamps;
// - anything -> boolean is `value != 0` (NaN is true); boolean -> anything is 0 or 1;
// - to f16/bf16: round to nearest even, overflow gives +-inf; f64 -> f16/bf16 goes
//   through f32. f64 -> f32 overflow gives +-inf, not undefined behaviour;
// - the packed types: u4 and i4 hold two elements per byte, the first in the low
//   nibble; u1 holds eight, the first in the most significant bit (the layout of
//   OpenVINO's .bin). Integers convert to u4/i4 modulo 16, floats saturate to the
//   4-bit range; u1 stores `value != 0`.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "irforge/ops/convert.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail::numeric {

/// double -> integer T without undefined behaviour: truncates towards zero,
/// saturates out-of-range values, NaN gives 0.
template <class T> T saturating_trunc(double v) {
  static_assert(std::is_integral_v<T>);
  if (std::isnan(v)) return T(0);
  constexpr double lo = static_cast<double>(std::numeric_limits<T>::min()); // 0 or -2^(N-1): exact
  // max + 1 as a double: 2^N or 2^(N-1) exactly (for 64 bits, max rounds up to it already)
  constexpr double hi = static_cast<double>(std::numeric_limits<T>::max()) + 1.0;
  if (v <= lo) return std::numeric_limits<T>::min();
  if (v >= hi) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

/// double -> integer T, rounding halves away from zero, saturating.
template <class T> T saturating_round(double v) { return saturating_trunc<T>(std::round(v)); }

/// double -> float, where C++ leaves overflow undefined: overflow gives +-inf.
inline float narrow_to_float(double v) {
  // FLT_MAX plus half an ulp: from here on, round-to-nearest-even gives infinity.
  constexpr double overflow = 340282356779733661637539395458142568448.0; // 2^128 - 2^103
  if (v >= overflow) return std::numeric_limits<float>::infinity();
  if (v <= -overflow) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(v);
}

/// Integer arithmetic that wraps modulo 2^N instead of overflowing (signed overflow is UB).
template <class T> T wrapping_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}
template <class T> T wrapping_mul(T a, T b) {
  // Unsigned types narrower than int promote to (signed) int: multiply as unsigned long long.
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<unsigned long long>(static_cast<U>(a)) *
                                       static_cast<unsigned long long>(static_cast<U>(b))));
}
template <class T> T wrapping_neg(T a) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(U(0) - static_cast<U>(a)));
}

/// One element of storage type S converted to storage type D by the rules above.
template <class D, class S> D convert_value(S s) {
  if constexpr (std::is_same_v<D, S>) {
    return s;
  } else if constexpr (std::is_same_v<S, boolean>) {
    return convert_value<D>(static_cast<std::uint8_t>(static_cast<bool>(s) ? 1 : 0));
  } else if constexpr (std::is_same_v<D, boolean>) {
    return boolean(static_cast<compute_t<S>>(s) != 0);
  } else if constexpr (is_floating_v<S>) {
    const compute_t<S> v = static_cast<compute_t<S>>(s);
    if constexpr (std::is_integral_v<D>) return saturating_trunc<D>(static_cast<double>(v));
    else if constexpr (std::is_same_v<D, double>) return static_cast<double>(v);
    else if constexpr (std::is_same_v<compute_t<S>, double>) return D(narrow_to_float(v)); // f64 -> f32/f16/bf16
    else return D(static_cast<float>(v));
  } else { // S is an integer
    if constexpr (std::is_integral_v<D>) return static_cast<D>(s); // modulo 2^N
    else if constexpr (std::is_same_v<D, double>) return static_cast<double>(s);
    else return D(static_cast<float>(s));
  }
}

} // namespace detail::numeric

namespace detail::convert_ops {

inline bool is_packed(element_type t) {
  return t == element_type::u1 || t == element_type::u4 || t == element_type::i4;
}

/// The elements of a packed (u1/u4/i4) tensor as integers.
inline std::vector<std::int64_t> unpack(const tensor& t) {
  const auto bytes = t.bytes();
  std::vector<std::int64_t> v(static_cast<std::size_t>(t.element_count()));
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto byte = static_cast<unsigned>(bytes[t.type() == element_type::u1 ? i / 8 : i / 2]);
    if (t.type() == element_type::u1) {
      v[i] = (byte >> (7 - i % 8)) & 1u;
    } else {
      const unsigned nibble = (byte >> (4 * (i % 2))) & 0xFu;
      v[i] = t.type() == element_type::i4 && nibble >= 8 ? static_cast<std::int64_t>(nibble) - 16 : nibble;
    }
  }
  return v;
}

/// Writes integer values (already in range, or reduced here) into a packed tensor.
inline void pack(std::span<std::byte> bytes, element_type type, const std::vector<std::int64_t>& v) {
  for (auto& b : bytes) b = std::byte{0};
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (type == element_type::u1) {
      if (v[i] != 0) bytes[i / 8] |= static_cast<std::byte>(0x80u >> (i % 8));
    } else {
      const auto nibble = static_cast<unsigned>(static_cast<std::uint64_t>(v[i]) & 0xFu); // modulo 16
      bytes[i / 2] |= static_cast<std::byte>(nibble << (4 * (i % 2)));
    }
  }
}

/// The value element s takes in packed type `to` (before packing).
template <class S> std::int64_t packed_value(S s, element_type to) {
  if constexpr (is_floating_v<S>) {
    const double v = static_cast<double>(static_cast<compute_t<S>>(s));
    if (to == element_type::u1) return v != 0 ? 1 : 0;
    const double t = std::isnan(v) ? 0.0 : std::trunc(v);
    const double lo = to == element_type::i4 ? -8.0 : 0.0, hi = to == element_type::i4 ? 7.0 : 15.0;
    return static_cast<std::int64_t>(t < lo ? lo : (t > hi ? hi : t));
  } else if constexpr (std::is_same_v<S, boolean>) {
    return static_cast<bool>(s) ? 1 : 0;
  } else {
    if (to == element_type::u1) return s != 0 ? 1 : 0;
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(s) & 0xFu) - // modulo 16, then i4's sign
           (to == element_type::i4 && (static_cast<std::uint64_t>(s) & 0x8u) ? 16 : 0);
  }
}

inline void run(kernel_context& ctx, element_type to) {
  const element_type from = ctx.input_type(0);
  if (ctx.output(0).type() != to) ctx.fail("output type differs from the destination type");
  if (ctx.output(0).element_count() != ctx.input(0).element_count()) ctx.fail("output and input sizes differ");
  const char* what = "Convert";
  if (is_packed(from)) {
    const auto values = unpack(ctx.input(0));
    if (is_packed(to)) {
      pack(ctx.output(0).mutable_bytes(), to, values);
      return;
    }
    dispatch<types::all>(to, [&]<class D>() {
      auto out = ctx.out<D>(0);
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = numeric::convert_value<D>(values[i]);
    }, what);
    return;
  }
  if (is_packed(to)) {
    dispatch<types::all>(from, [&]<class S>() {
      const auto in = ctx.in<S>(0);
      std::vector<std::int64_t> values(in.size());
      for (std::size_t i = 0; i < in.size(); ++i) values[i] = packed_value(in[i], to);
      pack(ctx.output(0).mutable_bytes(), to, values);
    }, what);
    return;
  }
  dispatch<types::all>(from, [&]<class S>() {
    const auto in = ctx.in<S>(0);
    dispatch<types::all>(to, [&]<class D>() {
      auto out = ctx.out<D>(0);
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = numeric::convert_value<D>(in[i]);
    }, what);
  }, what);
}

} // namespace detail::convert_ops

template <> struct kernel<ops::Convert> {
  static void run(const ops::Convert& op, kernel_context& ctx) { detail::convert_ops::run(ctx, op.destination_type); }
};

template <> struct kernel<ops::ConvertLike> {
  static void run(const ops::ConvertLike&, kernel_context& ctx) { detail::convert_ops::run(ctx, ctx.input_type(1)); }
};

} // namespace irforge::reference
