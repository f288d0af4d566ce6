// irforge — MatMul-1: matrix product of the two innermost axes, NumPy
// broadcasting over the batch axes.
//
// transpose_a / transpose_b swap the two innermost axes of a rank >= 2
// operand (they are ignored for 1-D operands). A 1-D first operand [K] acts
// as a row [1, K] and a 1-D second operand [K] as a column [K, 1]; the added
// axis is removed from the output again (two 1-D operands give a scalar).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/op.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

struct MatMul {
  static constexpr std::string_view type_name = "MatMul";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(MatMul, (bool, transpose_a), (bool, transpose_b));
  MatMul() : transpose_a(false), transpose_b(false) {}
  MatMul(bool a, bool b) : transpose_a(a), transpose_b(b) {}

  void infer(infer_context& ctx) const {
    using namespace spatial;
    const element_type type = merge_types(ctx.input_type(0), ctx.input_type(1), ctx, "both MatMul inputs");
    if (type == element_type::boolean) ctx.fail("MatMul takes numeric inputs, got boolean");
    const partial_shape& a = ctx.input_shape(0);
    const partial_shape& b = ctx.input_shape(1);
    if (!a.rank_is_static() || !b.rank_is_static()) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    if (a.rank() == 0 || b.rank() == 0) ctx.fail("MatMul inputs must have rank >= 1, got " + str(a) + " and " + str(b));

    std::vector<dimension> da = a.dims(), db = b.dims();
    const bool row = da.size() == 1, column = db.size() == 1;
    if (row)
      da.insert(da.begin(), dimension(1));
    else if (transpose_a)
      std::swap(da[da.size() - 1], da[da.size() - 2]);
    if (column)
      db.push_back(dimension(1));
    else if (transpose_b)
      std::swap(db[db.size() - 1], db[db.size() - 2]);

    const dimension& ka = da[da.size() - 1];
    const dimension& kb = db[db.size() - 2];
    if (!ka.compatible(kb))
      ctx.fail("inner dimensions differ: " + str(a) + (transpose_a ? " (transposed)" : "") + " x " + str(b) +
               (transpose_b ? " (transposed)" : "") + " multiplies K=" + ka.to_string() + " by K=" + kb.to_string());

    // Batch axes broadcast (NumPy); the matrices' own axes follow.
    const partial_shape batch_a(std::vector<dimension>(da.begin(), da.end() - 2));
    const partial_shape batch_b(std::vector<dimension>(db.begin(), db.end() - 2));
    std::vector<dimension> out = broadcast_shapes(batch_a, batch_b, ctx).dims();
    if (!row) out.push_back(da[da.size() - 2]);
    if (!column) out.push_back(db[db.size() - 1]);
    ctx.set_output(0, type, partial_shape(std::move(out)));
  }
};

} // namespace irforge::ops
