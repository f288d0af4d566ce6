// irforge — Range-4: the sequence start, start + step, ... up to (not including)
// stop, of element type output_type.
//
// The length max(ceil((stop - start) / step), 0) is computed in double, after
// truncating the inputs toward zero when output_type is an integer (as
// OpenVINO does). It is known when all three inputs are; otherwise the output is
// 1-D of dynamic length. A short integer sequence is also computed as a value.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/convert.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

struct Range {
  static constexpr std::string_view type_name = "Range";
  static constexpr std::string_view version = "opset4";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(Range, (element_type, output_type));
  Range() : output_type(element_type::dynamic) {} // required: OpenVINO has no default
  explicit Range(element_type t) : output_type(t) {}

  void infer(infer_context& ctx) const {
    ctx.require(output_type != element_type::dynamic && output_type != element_type::boolean,
                "attribute 'output_type' must be a numeric type, got " + std::string(to_string(output_type)));
    static constexpr std::array<std::string_view, 3> roles{"start", "stop", "step"};
    std::array<std::optional<double>, 3> v;
    for (std::size_t i = 0; i < 3; ++i) {
      detail::checks::require_type(ctx, i, detail::checks::type_class::numeric, roles[i]);
      const partial_shape& s = ctx.input_shape(i);
      ctx.require(!s.rank_is_static() || s.rank() == 0,
                  detail::checks::input_label(i, roles[i]) + " must be a scalar, got shape " + s.to_string());
      if (const tensor* t = ctx.input_value(i); t != nullptr && t->element_count() == 1) {
        v[i] = t->as_f64()[0];
        ctx.require(std::isfinite(*v[i]), "'" + std::string(roles[i]) + "' must be finite, got " + attr::format(*v[i]));
        if (is_integral(output_type)) v[i] = std::trunc(*v[i]);
      }
    }
    if (v[2] && *v[2] == 0)
      ctx.fail("'step' is zero" + std::string(is_integral(output_type) ? " after truncation to an integer" : ""));
    if (!v[0] || !v[1] || !v[2]) {
      ctx.set_output(0, output_type, partial_shape{dimension()});
      return;
    }
    const double start = *v[0], stop = *v[1], step = *v[2];
    const double count = std::max(std::ceil((stop - start) / step), 0.0);
    ctx.require(count < 9.0e15, "Range would have " + attr::format(count) + " elements");
    const auto n = static_cast<std::int64_t>(count);
    constexpr double exact = 1099511627776.0; // 2^40: first + i * delta stays exact in int64
    if (is_integral(output_type) && static_cast<std::uint64_t>(n) <= detail::known_values::small_value_limit &&
        std::fabs(start) <= exact && std::fabs(step) <= exact) {
      std::vector<std::int64_t> values(static_cast<std::size_t>(n));
      const auto first = static_cast<std::int64_t>(start), delta = static_cast<std::int64_t>(step);
      for (std::int64_t i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = first + i * delta;
      if (auto t = detail::known_values::tensor_of_ints(output_type, {n}, values)) {
        ctx.set_output_value(0, std::move(*t));
        return;
      }
    }
    ctx.set_output(0, output_type, partial_shape{dimension(n)});
  }
};

} // namespace irforge::ops
