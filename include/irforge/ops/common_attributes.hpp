// irforge — attribute enums shared by many ops, with their IR spellings.
#pragma once

#include <array>
#include <string_view>
#include <utility>

#include "irforge/core/attribute.hpp"

namespace irforge::ops {

/// `auto_broadcast` of elementwise ops.
enum class broadcast_type { none, numpy, pdpd, explicit_ };
/// `auto_pad` of convolutions and pooling.
enum class pad_type { explicit_, same_lower, same_upper, valid };
/// `rounding_type` of pooling: ceil_torch (opset14) drops a last window that
/// would start inside the end padding, as PyTorch and ONNX `ceil_mode` do.
enum class rounding_type { floor, ceil, ceil_torch };

} // namespace irforge::ops

namespace irforge {
template <> struct enum_strings<ops::broadcast_type> {
  static constexpr std::array<std::pair<ops::broadcast_type, std::string_view>, 4> values{{
      {ops::broadcast_type::none, "none"},
      {ops::broadcast_type::numpy, "numpy"},
      {ops::broadcast_type::pdpd, "pdpd"},
      {ops::broadcast_type::explicit_, "explicit"},
  }};
};
template <> struct enum_strings<ops::pad_type> {
  static constexpr std::array<std::pair<ops::pad_type, std::string_view>, 5> values{{
      {ops::pad_type::explicit_, "explicit"},
      {ops::pad_type::same_lower, "same_lower"},
      {ops::pad_type::same_upper, "same_upper"},
      {ops::pad_type::valid, "valid"},
      {ops::pad_type::explicit_, "notset"}, // read-only alias from older IR
  }};
};
template <> struct enum_strings<ops::rounding_type> {
  static constexpr std::array<std::pair<ops::rounding_type, std::string_view>, 3> values{{
      {ops::rounding_type::floor, "floor"},
      {ops::rounding_type::ceil, "ceil"},
      {ops::rounding_type::ceil_torch, "ceil_torch"},
  }};
};
} // namespace irforge
