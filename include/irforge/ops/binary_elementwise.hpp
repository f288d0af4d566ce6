// irforge — binary elementwise ops (Add, Multiply, Equal, LogicalAnd ...).
//
// They share one shape rule (auto_broadcast, NumPy by default), so each op is
// a one-line instantiation of a template: arithmetic ops keep the input type,
// comparisons give boolean, logical ops take and give boolean.
#pragma once

#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/shape_inference.hpp"

namespace irforge::ops {

namespace detail {
enum class binary_kind { arithmetic, comparison, logical };

inline void infer_binary(infer_context& ctx, broadcast_type mode, binary_kind kind) {
  const element_type a = ctx.input_type(0), b = ctx.input_type(1);
  if (kind == binary_kind::logical)
    ctx.require((a == element_type::boolean || a == element_type::dynamic) &&
                    (b == element_type::boolean || b == element_type::dynamic),
                "logical ops take boolean inputs");
  else
    ctx.require(a == b || a == element_type::dynamic || b == element_type::dynamic,
                "input element types differ: " + std::string(to_string(a)) + " and " + std::string(to_string(b)));
  const element_type out = kind == binary_kind::arithmetic ? (a == element_type::dynamic ? b : a) : element_type::boolean;
  ctx.set_output(0, out, elementwise_shape(ctx.input_shape(0), ctx.input_shape(1), mode, ctx));
}
} // namespace detail

#define IRFORGE_BINARY_OP(Name, Version, Kind)                                                                        \
  struct Name {                                                                                                       \
    static constexpr std::string_view type_name = #Name;                                                              \
    static constexpr std::string_view version = Version;                                                              \
    static constexpr arity inputs{2};                                                                                 \
    BOOST_HANA_DEFINE_STRUCT(Name, (broadcast_type, auto_broadcast));                                                 \
    Name() : auto_broadcast(broadcast_type::numpy) {}                                                                 \
    explicit Name(broadcast_type b) : auto_broadcast(b) {}                                                            \
    void infer(infer_context& ctx) const { detail::infer_binary(ctx, auto_broadcast, detail::binary_kind::Kind); }    \
  }

IRFORGE_BINARY_OP(Add, "opset1", arithmetic);
IRFORGE_BINARY_OP(Subtract, "opset1", arithmetic);
IRFORGE_BINARY_OP(Multiply, "opset1", arithmetic);
IRFORGE_BINARY_OP(Power, "opset1", arithmetic);
IRFORGE_BINARY_OP(Maximum, "opset1", arithmetic);
IRFORGE_BINARY_OP(Minimum, "opset1", arithmetic);
IRFORGE_BINARY_OP(SquaredDifference, "opset1", arithmetic);
IRFORGE_BINARY_OP(FloorMod, "opset1", arithmetic);
IRFORGE_BINARY_OP(Mod, "opset1", arithmetic);
IRFORGE_BINARY_OP(Equal, "opset1", comparison);
IRFORGE_BINARY_OP(NotEqual, "opset1", comparison);
IRFORGE_BINARY_OP(Greater, "opset1", comparison);
IRFORGE_BINARY_OP(GreaterEqual, "opset1", comparison);
IRFORGE_BINARY_OP(Less, "opset1", comparison);
IRFORGE_BINARY_OP(LessEqual, "opset1", comparison);
IRFORGE_BINARY_OP(LogicalAnd, "opset1", logical);
IRFORGE_BINARY_OP(LogicalOr, "opset1", logical);
IRFORGE_BINARY_OP(LogicalXor, "opset1", logical);

#undef IRFORGE_BINARY_OP

/// Divide has one more attribute: `m_pythondiv` (integer division rounds down).
struct Divide {
  static constexpr std::string_view type_name = "Divide";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Divide, (broadcast_type, auto_broadcast), (bool, m_pythondiv));
  Divide() : auto_broadcast(broadcast_type::numpy), m_pythondiv(true) {}
  void infer(infer_context& ctx) const { detail::infer_binary(ctx, auto_broadcast, detail::binary_kind::arithmetic); }
};

} // namespace irforge::ops
