// irforge — shape-inference helpers shared by the ops.
#pragma once

#include <algorithm>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"

namespace irforge::ops {

/// NumPy broadcasting of two shapes; nullopt-free: an error through ctx when
/// they do not broadcast. Dynamic dims stay dynamic unless the other is > 1.
inline partial_shape broadcast_shapes(const partial_shape& a, const partial_shape& b, const infer_context& ctx) {
  if (!a.rank_is_static() || !b.rank_is_static()) return partial_shape::dynamic_rank();
  const std::size_t rank = std::max(a.rank(), b.rank());
  std::vector<dimension> out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const bool has_a = i + a.rank() >= rank, has_b = i + b.rank() >= rank;
    const dimension da = has_a ? a[i + a.rank() - rank] : dimension(1);
    const dimension db = has_b ? b[i + b.rank() - rank] : dimension(1);
    if (da.is_static() && da.min() == 1) out[i] = db;
    else if (db.is_static() && db.min() == 1) out[i] = da;
    else if (da.is_static() && db.is_static()) {
      if (da.min() != db.min())
        ctx.fail("shapes " + a.to_string() + " and " + b.to_string() + " do not broadcast (numpy rules)");
      out[i] = da;
    } else if (da.is_static()) out[i] = da; // the dynamic one must equal it (or be 1)
    else if (db.is_static()) out[i] = db;
    else out[i] = da.compatible(db) ? da.merged(db) : dimension();
  }
  return partial_shape(std::move(out));
}

/// Output shape of an elementwise op under an auto_broadcast mode.
inline partial_shape elementwise_shape(const partial_shape& a, const partial_shape& b, broadcast_type mode,
                                       const infer_context& ctx) {
  if (mode == broadcast_type::none) {
    if (!a.compatible(b)) ctx.fail("shapes " + a.to_string() + " and " + b.to_string() + " differ (auto_broadcast none)");
    return a.rank_is_static() ? a : b;
  }
  if (mode == broadcast_type::pdpd) {
    // PDPD: b broadcasts onto a; the output has a's shape.
    return a;
  }
  return broadcast_shapes(a, b, ctx);
}

/// Static values of an integer input (e.g. a target shape) when known.
inline std::optional<std::vector<std::int64_t>> input_ints(const infer_context& ctx, std::size_t i) {
  const tensor* t = ctx.input_value(i);
  if (t == nullptr) return std::nullopt;
  if (!is_integral(t->type())) ctx.fail("input " + std::to_string(i) + " must have an integer type");
  return t->as_i64();
}

} // namespace irforge::ops
