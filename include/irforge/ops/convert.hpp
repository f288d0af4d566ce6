// irforge — Convert-1 (to an element type given by attribute) and
// ConvertLike-1 (to the element type of a second input).
//
// Shape sub-graphs often cast their integers (ONNX Shape -> Cast): when the
// input value is a small known integer tensor whose values all fit the target
// type, the converted value is propagated so later ops still see a constant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/op.hpp"

namespace irforge::ops {

namespace detail::known_values {
/// Largest value (in elements) that shape inference computes and carries along.
inline constexpr std::uint64_t small_value_limit = 4096;

/// Whether integer v is exactly representable in element type t (a byte-addressable integer,
/// boolean (any value) or f32/f64 (any value, rounded)).
constexpr bool int_fits(element_type t, std::int64_t v) {
  switch (t) {
  case element_type::boolean:
  case element_type::f32:
  case element_type::f64:
  case element_type::i64: return true;
  case element_type::i8:
    return v >= std::numeric_limits<std::int8_t>::min() && v <= std::numeric_limits<std::int8_t>::max();
  case element_type::i16:
    return v >= std::numeric_limits<std::int16_t>::min() && v <= std::numeric_limits<std::int16_t>::max();
  case element_type::i32:
    return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max();
  case element_type::u8: return v >= 0 && v <= std::numeric_limits<std::uint8_t>::max();
  case element_type::u16: return v >= 0 && v <= std::numeric_limits<std::uint16_t>::max();
  case element_type::u32: return v >= 0 && v <= std::numeric_limits<std::uint32_t>::max();
  case element_type::u64: return v >= 0;
  default: return false;
  }
}

template <class T> tensor ints_as(const shape& dims, const std::vector<std::int64_t>& values) {
  std::vector<T> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
  return tensor::from_values<T>(dims, out);
}

/// A tensor of type t holding `values` (converted as Convert does: nonzero -> true for
/// boolean); nullopt when t is not supported here or a value does not fit.
inline std::optional<tensor> tensor_of_ints(element_type t, const shape& dims,
                                            const std::vector<std::int64_t>& values) {
  for (std::int64_t v : values)
    if (!int_fits(t, v)) return std::nullopt;
  switch (t) {
  case element_type::boolean: {
    // Built from bytes: tensor::from_values<bool> does not compile (narrowing into std::byte).
    std::vector<std::byte> bytes(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) bytes[i] = values[i] != 0 ? std::byte{1} : std::byte{0};
    return tensor::from_bytes(element_type::boolean, dims, std::move(bytes));
  }
  case element_type::f32: return ints_as<float>(dims, values);
  case element_type::f64: return ints_as<double>(dims, values);
  case element_type::i8: return ints_as<std::int8_t>(dims, values);
  case element_type::i16: return ints_as<std::int16_t>(dims, values);
  case element_type::i32: return ints_as<std::int32_t>(dims, values);
  case element_type::i64: return ints_as<std::int64_t>(dims, values);
  case element_type::u8: return ints_as<std::uint8_t>(dims, values);
  case element_type::u16: return ints_as<std::uint16_t>(dims, values);
  case element_type::u32: return ints_as<std::uint32_t>(dims, values);
  case element_type::u64: return ints_as<std::uint64_t>(dims, values);
  default: return std::nullopt;
  }
}

/// The converted value of a small known integer (or boolean) input, if it can be computed exactly.
inline std::optional<tensor> converted_value(const tensor* in, element_type to) {
  if (in == nullptr || in->element_count() > small_value_limit) return std::nullopt;
  const element_type from = in->type();
  if (from == element_type::u64 || (!is_integral(from) && from != element_type::boolean) || bit_width(from) < 8)
    return std::nullopt; // u64 may not fit int64; floats round; sub-byte types are packed
  return tensor_of_ints(to, in->dims(), in->as_i64());
}

} // namespace detail::known_values

namespace detail {
inline void infer_convert(infer_context& ctx, element_type to) {
  if (auto v = known_values::converted_value(ctx.input_value(0), to)) ctx.set_output_value(0, std::move(*v));
  else ctx.set_output(0, to, ctx.input_shape(0));
}
} // namespace detail

/// Convert-1: elementwise conversion to `destination_type`.
struct Convert {
  static constexpr std::string_view type_name = "Convert";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Convert, (element_type, destination_type));
  Convert() : destination_type(element_type::dynamic) {}
  explicit Convert(element_type to) : destination_type(to) {}
  void infer(infer_context& ctx) const {
    ctx.require(destination_type != element_type::dynamic, "attribute 'destination_type' is not set");
    detail::infer_convert(ctx, destination_type);
  }
};

/// ConvertLike-1: converts input 0 (data) to the element type of input 1 (like).
struct ConvertLike {
  static constexpr std::string_view type_name = "ConvertLike";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(ConvertLike);
  void infer(infer_context& ctx) const {
    const element_type to = ctx.input_type(1);
    if (to == element_type::dynamic) ctx.set_output(0, to, ctx.input_shape(0));
    else detail::infer_convert(ctx, to);
  }
};

} // namespace irforge::ops
