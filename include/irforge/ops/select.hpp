// irforge — Select-1: elementwise choice between two tensors by a boolean condition.
//
// With auto_broadcast "numpy" (the default) the three inputs broadcast together;
// "none" requires equal shapes; "pdpd" broadcasts `else` and the condition onto `then`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/unary_elementwise.hpp"

namespace irforge::ops {

namespace detail::checks {
/// NumPy broadcasting can fail only where two known dimensions differ and neither is 1.
inline bool numpy_broadcastable(const partial_shape& a, const partial_shape& b) {
  if (!a.rank_is_static() || !b.rank_is_static()) return true;
  const std::size_t n = std::min(a.rank(), b.rank());
  for (std::size_t i = 1; i <= n; ++i) {
    const dimension& da = a[a.rank() - i];
    const dimension& db = b[b.rank() - i];
    if (da.is_static() && db.is_static() && da.min() != 1 && db.min() != 1 && da.min() != db.min()) return false;
  }
  return true;
}

/// One-way broadcasting of `from` onto `onto` (trailing dimensions aligned, `from` dims 1 or equal).
inline bool broadcasts_onto(const partial_shape& from, const partial_shape& onto) {
  if (!from.rank_is_static() || !onto.rank_is_static()) return true;
  if (from.rank() > onto.rank()) return false;
  for (std::size_t i = 1; i <= from.rank(); ++i) {
    const dimension& f = from[from.rank() - i];
    if (!f.compatible(dimension(1)) && !f.compatible(onto[onto.rank() - i])) return false;
  }
  return true;
}

/// The intersection of two compatible shapes.
inline partial_shape merged_shape(const partial_shape& a, const partial_shape& b) {
  if (!a.rank_is_static()) return b;
  if (!b.rank_is_static()) return a;
  std::vector<dimension> dims(a.rank());
  for (std::size_t i = 0; i < dims.size(); ++i) dims[i] = a[i].merged(b[i]);
  return partial_shape(std::move(dims));
}
} // namespace detail::checks

struct Select {
  static constexpr std::string_view type_name = "Select";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{3};
  BOOST_HANA_DEFINE_STRUCT(Select, (broadcast_type, auto_broadcast));
  Select() : auto_broadcast(broadcast_type::numpy) {}
  explicit Select(broadcast_type b) : auto_broadcast(b) {}

  void infer(infer_context& ctx) const {
    detail::checks::require_type(ctx, 0, detail::checks::type_class::boolean, "condition");
    const element_type t = detail::checks::merge_types(ctx, 1, "then", 2, "else");
    const partial_shape& c = ctx.input_shape(0);
    const partial_shape& a = ctx.input_shape(1);
    const partial_shape& b = ctx.input_shape(2);
    const std::string shapes = "condition " + c.to_string() + ", then " + a.to_string() + ", else " + b.to_string();
    switch (auto_broadcast) {
    case broadcast_type::none:
      ctx.require(c.compatible(a) && c.compatible(b) && a.compatible(b),
                  "shapes must be equal with auto_broadcast 'none': " + shapes);
      ctx.set_output(0, t, detail::checks::merged_shape(detail::checks::merged_shape(b, a), c));
      return;
    case broadcast_type::numpy: {
      const bool ok = detail::checks::numpy_broadcastable(a, b) &&
                      detail::checks::numpy_broadcastable(c, broadcast_shapes(b, a, ctx));
      ctx.require(ok, "shapes do not broadcast (numpy rules): " + shapes);
      ctx.set_output(0, t, broadcast_shapes(broadcast_shapes(b, a, ctx), c, ctx));
      return;
    }
    case broadcast_type::pdpd:
      ctx.require(detail::checks::broadcasts_onto(b, a) && detail::checks::broadcasts_onto(c, a),
                  "else and condition must broadcast onto then (pdpd rules): " + shapes);
      ctx.set_output(0, t, a);
      return;
    case broadcast_type::explicit_: break;
    }
    ctx.fail("auto_broadcast '" + attr::format(auto_broadcast) + "' is not supported by Select");
  }
};

} // namespace irforge::ops
