// irforge — Concat-1: joins any number of tensors along `axis` (negative
// counts from the end). All inputs have the same rank, type and dimensions
// except along the axis. Small known inputs give a known output (shape
// vectors are built this way).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

struct Concat {
  static constexpr std::string_view type_name = "Concat";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1, arity::unbounded};
  BOOST_HANA_DEFINE_STRUCT(Concat, (std::int64_t, axis));
  Concat() : axis(0) {}
  explicit Concat(std::int64_t a) : axis(a) {}

  void infer(infer_context& ctx) const {
    using namespace spatial;
    const std::size_t n = ctx.input_count();
    element_type type = element_type::dynamic;
    std::optional<std::size_t> rank;
    for (std::size_t i = 0; i < n; ++i) {
      type = merge_types(type, ctx.input_type(i), ctx, "all Concat inputs");
      const partial_shape& s = ctx.input_shape(i);
      if (!s.rank_is_static()) continue;
      if (rank && *rank != s.rank())
        ctx.fail("inputs have different ranks (" + shapes(ctx) + "); input " + std::to_string(i) + " has rank " +
                 std::to_string(s.rank()) + ", the ones before it " + std::to_string(*rank));
      rank = s.rank();
    }
    if (!rank) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    if (*rank == 0) ctx.fail("Concat cannot join scalars (" + shapes(ctx) + ")");
    const auto a = static_cast<std::size_t>(checked_axis(axis, static_cast<std::int64_t>(*rank), ctx));

    std::vector<dimension> out(*rank); // dynamic until merged with the inputs
    out[a] = dimension(0);
    for (std::size_t i = 0; i < n; ++i) {
      const partial_shape& s = ctx.input_shape(i);
      if (!s.rank_is_static()) {
        out[a] = add(out[a], dimension());
        continue;
      }
      for (std::size_t d = 0; d < *rank; ++d) {
        if (d == a) {
          out[a] = add(out[a], s[d]);
        } else {
          if (!out[d].compatible(s[d]))
            ctx.fail("inputs differ in dimension " + std::to_string(d) + " (only axis " + std::to_string(a) +
                     " may differ): " + shapes(ctx));
          out[d] = out[d].merged(s[d]);
        }
      }
    }
    partial_shape result(std::move(out));

    // Known value: every input known and the result small.
    std::optional<tensor> value;
    if (result.is_static()) {
      std::vector<const tensor*> parts(n);
      bool known = true;
      for (std::size_t i = 0; i < n && known; ++i) known = (parts[i] = ctx.input_value(i)) != nullptr;
      if (known) value = concat_values(parts, result.to_shape(), a);
    }
    set_output_maybe_value(ctx, 0, type, std::move(result), std::move(value));
  }

private:
  static std::string shapes(const infer_context& ctx) {
    std::string s;
    for (std::size_t i = 0; i < ctx.input_count(); ++i) { if (i) s += ", "; s += ctx.input_shape(i).to_string(); }
    return s;
  }

  static std::optional<tensor> concat_values(const std::vector<const tensor*>& parts, const shape& dims,
                                             std::size_t a) {
    // Output coordinate c along the axis falls into the part whose running
    // offset covers it.
    std::vector<std::int64_t> offsets;
    std::int64_t total = 0;
    for (const tensor* t : parts) {
      offsets.push_back(total);
      total += t->dims()[a];
    }
    std::vector<std::vector<std::uint64_t>> strides;
    for (const tensor* t : parts) strides.push_back(spatial::row_major_strides(t->dims()));
    return spatial::gather_elements(parts[0]->type(), dims, [&](const std::vector<std::int64_t>& c) {
      std::size_t p = parts.size() - 1;
      while (p > 0 && c[a] < offsets[p]) --p;
      std::uint64_t flat = 0;
      for (std::size_t d = 0; d < c.size(); ++d)
        flat += static_cast<std::uint64_t>(d == a ? c[d] - offsets[p] : c[d]) * strides[p][d];
      return std::pair<const tensor*, std::uint64_t>{parts[p], flat};
    });
  }
};

} // namespace irforge::ops
