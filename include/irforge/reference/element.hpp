// irforge — element types as C++ types for the reference kernels, and a
// dispatcher from a runtime element_type to a templated kernel body.
//
// f16 and bf16 are stored as their bits and computed in float (the reference
// evaluator values correctness over speed for them); boolean is one byte.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/half.hpp"

namespace irforge::reference {

/// IEEE half: stored as bits, converts to and from float.
struct f16 {
  std::uint16_t bits = 0;
  f16() = default;
  f16(float v) : bits(f32_to_f16_bits(v)) {}
  operator float() const { return f16_bits_to_f32(bits); }
};

/// bfloat16: stored as bits, converts to and from float.
struct bf16 {
  std::uint16_t bits = 0;
  bf16() = default;
  bf16(float v) : bits(f32_to_bf16_bits(v)) {}
  operator float() const { return bf16_bits_to_f32(bits); }
};

/// One byte holding 0 or 1.
struct boolean {
  std::uint8_t value = 0;
  boolean() = default;
  boolean(bool v) : value(v ? 1 : 0) {}
  operator bool() const { return value != 0; }
};

static_assert(sizeof(f16) == 2 && sizeof(bf16) == 2 && sizeof(boolean) == 1);

/// The arithmetic type a kernel computes in for storage type T.
template <class T> using compute_t = std::conditional_t<std::is_same_v<T, f16> || std::is_same_v<T, bf16>, float, T>;

template <class T> constexpr element_type element_of() {
  if constexpr (std::is_same_v<T, f16>) return element_type::f16;
  else if constexpr (std::is_same_v<T, bf16>) return element_type::bf16;
  else if constexpr (std::is_same_v<T, boolean>) return element_type::boolean;
  else return element_type_of<T>();
}

template <class T> constexpr bool is_floating_v = std::is_floating_point_v<T> || std::is_same_v<T, f16> || std::is_same_v<T, bf16>;

/// Type sets for dispatch.
enum class types : unsigned {
  floating = 1,             ///< f32 f64 f16 bf16
  signed_int = 2,           ///< i8 i16 i32 i64
  unsigned_int = 4,         ///< u8 u16 u32 u64
  boolean_type = 8,         ///< boolean
  integer = 2 | 4,          ///< every integer
  numeric = 1 | 2 | 4,      ///< every number
  all = 1 | 2 | 4 | 8,      ///< everything byte-addressable
};
constexpr bool has(types set, types t) { return (static_cast<unsigned>(set) & static_cast<unsigned>(t)) != 0; }

/// Calls `f.template operator()<T>()` with the storage type of `t`, if `t` is
/// in `allowed`; otherwise throws an error naming the type and `what`.
template <types allowed = types::all, class F> decltype(auto) dispatch(element_type t, F&& f, const char* what = "this op") {
  auto unsupported = [&]() -> decltype(f.template operator()<float>()) {
    throw error(std::string(what) + " does not support element type " + std::string(to_string(t)));
  };
  switch (t) {
  case element_type::f32: if constexpr (has(allowed, types::floating)) return f.template operator()<float>(); break;
  case element_type::f64: if constexpr (has(allowed, types::floating)) return f.template operator()<double>(); break;
  case element_type::f16: if constexpr (has(allowed, types::floating)) return f.template operator()<f16>(); break;
  case element_type::bf16: if constexpr (has(allowed, types::floating)) return f.template operator()<bf16>(); break;
  case element_type::i8: if constexpr (has(allowed, types::signed_int)) return f.template operator()<std::int8_t>(); break;
  case element_type::i16: if constexpr (has(allowed, types::signed_int)) return f.template operator()<std::int16_t>(); break;
  case element_type::i32: if constexpr (has(allowed, types::signed_int)) return f.template operator()<std::int32_t>(); break;
  case element_type::i64: if constexpr (has(allowed, types::signed_int)) return f.template operator()<std::int64_t>(); break;
  case element_type::u8: if constexpr (has(allowed, types::unsigned_int)) return f.template operator()<std::uint8_t>(); break;
  case element_type::u16: if constexpr (has(allowed, types::unsigned_int)) return f.template operator()<std::uint16_t>(); break;
  case element_type::u32: if constexpr (has(allowed, types::unsigned_int)) return f.template operator()<std::uint32_t>(); break;
  case element_type::u64: if constexpr (has(allowed, types::unsigned_int)) return f.template operator()<std::uint64_t>(); break;
  case element_type::boolean: if constexpr (has(allowed, types::boolean_type)) return f.template operator()<boolean>(); break;
  default: break;
  }
  return unsupported();
}

} // namespace irforge::reference
