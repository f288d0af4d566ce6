// irforge — TopK-11 (with `stable`), TopK-3 and TopK-1: the k largest or
// smallest values along an axis, and their indices. Two outputs.
//
// k is input 1 (a scalar). Both outputs have data's shape with the axis
// dimension replaced by k; when k is not known, that dimension is 0..dim.
// TopK-1 takes k as i8, i32 or i64 only; later versions take any integer type.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

/// TopK `mode`: keep the largest or the smallest values.
enum class topk_mode { max, min };
/// TopK `sort`: order of the outputs (by value, by index, or unspecified).
enum class topk_sort_type { none, index, value };

} // namespace irforge::ops

namespace irforge {
template <> struct enum_strings<ops::topk_mode> {
  static constexpr std::array<std::pair<ops::topk_mode, std::string_view>, 2> values{{
      {ops::topk_mode::max, "max"},
      {ops::topk_mode::min, "min"},
  }};
};
template <> struct enum_strings<ops::topk_sort_type> {
  static constexpr std::array<std::pair<ops::topk_sort_type, std::string_view>, 3> values{{
      {ops::topk_sort_type::none, "none"},
      {ops::topk_sort_type::index, "index"},
      {ops::topk_sort_type::value, "value"},
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail {
inline void infer_topk(infer_context& ctx, std::int64_t axis, element_type index_type, bool k_any_integer) {
  checks::require_type(ctx, 0, checks::type_class::numeric, "data");
  const element_type kt = ctx.input_type(1);
  if (k_any_integer) checks::require_type(ctx, 1, checks::type_class::integer, "k");
  else
    ctx.require(kt == element_type::dynamic || kt == element_type::i8 || kt == element_type::i32 ||
                    kt == element_type::i64,
                "input 1 (k) must be i8, i32 or i64 in TopK-1, got " + std::string(to_string(kt)));
  ctx.require(index_type == element_type::i32 || index_type == element_type::i64,
              "attribute 'index_element_type' must be i32 or i64, got " + std::string(to_string(index_type)));
  const partial_shape& ks = ctx.input_shape(1);
  ctx.require(!ks.rank_is_static() || ks.rank() == 0, "input 1 (k) must be a scalar, got shape " + ks.to_string());

  const partial_shape& data = ctx.input_shape(0);
  partial_shape out = data;
  if (data.rank_is_static()) {
    ctx.require(data.rank() > 0, "input 0 (data) must have rank 1 or more, got shape " + data.to_string());
    const auto rank = static_cast<std::int64_t>(data.rank());
    if (axis < -rank || axis >= rank)
      ctx.fail("attribute 'axis' " + std::to_string(axis) + " is out of range for data shape " + data.to_string());
    const auto a = static_cast<std::size_t>(axis < 0 ? axis + rank : axis);
    if (const tensor* kv = ctx.input_value(1); kv != nullptr && kv->element_count() == 1) {
      const std::int64_t k = kv->as_i64()[0];
      ctx.require(k >= 0, "k must be 0 or more, got " + std::to_string(k));
      if (data[a].max() != dimension::unbounded && k > data[a].max())
        ctx.fail("k = " + std::to_string(k) + " exceeds dimension " + std::to_string(a) + " of data shape " +
                 data.to_string());
      out[a] = dimension(k);
    } else {
      out[a] = dimension(0, data[a].max());
    }
  }
  ctx.set_output(0, ctx.input_type(0), out);
  ctx.set_output(1, index_type, std::move(out));
}
} // namespace detail

/// TopK-11: TopK-3 plus `stable` (equal elements keep their input order).
struct TopK {
  static constexpr std::string_view type_name = "TopK";
  static constexpr std::string_view version = "opset11";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(TopK, (std::int64_t, axis), (topk_mode, mode), (topk_sort_type, sort),
                           (element_type, index_element_type), (bool, stable));
  TopK()
      : axis(0), mode(topk_mode::max), sort(topk_sort_type::none), index_element_type(element_type::i32),
        stable(false) {}
  TopK(std::int64_t a, topk_mode m, topk_sort_type s, element_type index_type = element_type::i32, bool st = false)
      : axis(a), mode(m), sort(s), index_element_type(index_type), stable(st) {}
  void infer(infer_context& ctx) const { detail::infer_topk(ctx, axis, index_element_type, true); }
};

namespace v3 {
/// TopK-3: k of any integer type.
struct TopK {
  static constexpr std::string_view type_name = "TopK";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(TopK, (std::int64_t, axis), (topk_mode, mode), (topk_sort_type, sort),
                           (element_type, index_element_type));
  TopK() : axis(0), mode(topk_mode::max), sort(topk_sort_type::none), index_element_type(element_type::i32) {}
  TopK(std::int64_t a, topk_mode m, topk_sort_type s, element_type index_type = element_type::i32)
      : axis(a), mode(m), sort(s), index_element_type(index_type) {}
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_topk(ctx, axis, index_element_type, true); }
};
} // namespace v3

namespace v1 {
/// TopK-1: k of type i8, i32 or i64.
struct TopK {
  static constexpr std::string_view type_name = "TopK";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(TopK, (std::int64_t, axis), (topk_mode, mode), (topk_sort_type, sort),
                           (element_type, index_element_type));
  TopK() : axis(0), mode(topk_mode::max), sort(topk_sort_type::none), index_element_type(element_type::i32) {}
  TopK(std::int64_t a, topk_mode m, topk_sort_type s, element_type index_type = element_type::i32)
      : axis(a), mode(m), sort(s), index_element_type(index_type) {}
  void infer(infer_context& ctx) const { ::irforge::ops::detail::infer_topk(ctx, axis, index_element_type, false); }
};
} // namespace v1

} // namespace irforge::ops
