// irforge — NonZero-3: the indices of the non-zero elements, as a tensor of
// shape [rank(data), count] and type output_type (i64 or i32).
//
// count is bounded by the number of elements; it is exact (and the indices are
// computed) when the input value is a known small tensor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/convert.hpp"

namespace irforge::ops {

struct NonZero {
  static constexpr std::string_view type_name = "NonZero";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(NonZero, (element_type, output_type));
  NonZero() : output_type(element_type::i64) {}
  explicit NonZero(element_type t) : output_type(t) {}

  void infer(infer_context& ctx) const {
    ctx.require(output_type == element_type::i64 || output_type == element_type::i32,
                "attribute 'output_type' must be i64 or i32, got " + std::string(to_string(output_type)));
    if (known_value(ctx)) return;
    const partial_shape& in = ctx.input_shape(0);
    if (!in.rank_is_static()) {
      ctx.set_output(0, output_type, partial_shape{dimension(), dimension()});
      return;
    }
    if (in.rank() == 0) { // a scalar gives [1, 1] when non-zero, else [0, 0]
      ctx.set_output(0, output_type, partial_shape{dimension(0, 1), dimension(0, 1)});
      return;
    }
    // At most as many non-zeros as elements (unbounded if any dimension is, or on overflow).
    std::int64_t most = 1;
    for (const auto& d : in.dims()) {
      if (d.max() == dimension::unbounded ||
          (d.max() != 0 && most > std::numeric_limits<std::int64_t>::max() / d.max())) {
        most = dimension::unbounded;
        break;
      }
      most *= d.max();
    }
    ctx.set_output(0, output_type, partial_shape{dimension(static_cast<std::int64_t>(in.rank())), dimension(0, most)});
  }

private:
  // Computes the output from a known small input value; false when there is none.
  bool known_value(infer_context& ctx) const {
    const tensor* v = ctx.input_value(0);
    if (v == nullptr || v->element_count() > detail::known_values::small_value_limit || bit_width(v->type()) < 8)
      return false;
    const std::vector<double> x = v->as_f64(); // exact test against zero for every type here
    const shape& dims = v->dims();
    std::vector<std::int64_t> found; // flat indices of non-zeros
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i] != 0) found.push_back(static_cast<std::int64_t>(i));
    const auto rank = static_cast<std::int64_t>(dims.size());
    const auto count = static_cast<std::int64_t>(found.size());
    if (rank == 0) { // OpenVINO gives [1, 1] (index 0) for a non-zero scalar, [0, 0] otherwise
      const std::int64_t n = count;
      ctx.set_output_value(
          0, *detail::known_values::tensor_of_ints(output_type, {n, n}, std::vector<std::int64_t>(found.size(), 0)));
      return true;
    }
    std::vector<std::int64_t> out(static_cast<std::size_t>(rank * count));
    for (std::int64_t j = 0; j < count; ++j) {
      std::int64_t flat = found[static_cast<std::size_t>(j)];
      for (std::int64_t r = rank - 1; r >= 0; --r) {
        const std::int64_t extent = dims[static_cast<std::size_t>(r)];
        out[static_cast<std::size_t>(r * count + j)] = flat % extent;
        flat /= extent;
      }
    }
    ctx.set_output_value(0, *detail::known_values::tensor_of_ints(output_type, {rank, count}, out));
    return true;
  }
};

} // namespace irforge::ops
