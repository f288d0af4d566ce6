// irforge — attribute-less unary elementwise ops (ReLU, Sigmoid, Exp, Sin, ...).
//
// The output has the input's element type and shape. Ops differ only in which
// element types they accept (as the opset specification says), so each op is a
// one-line instantiation of a macro. The type-class checks defined here are
// shared by the other op headers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "irforge/core/op.hpp"

namespace irforge::ops {

namespace detail::checks {
/// Which element types an input accepts; `dynamic` (not known yet) always passes.
enum class type_class {
  any,
  numeric,        ///< any integer or floating-point type (not boolean)
  signed_numeric, ///< floating-point or signed integer
  floating,       ///< f16, bf16, f32, f64
  integer,        ///< any integer type (not boolean)
  boolean,
};

constexpr bool in_class(element_type t, type_class c) {
  if (t == element_type::dynamic) return true;
  switch (c) {
  case type_class::any: return true;
  case type_class::numeric: return t != element_type::boolean;
  case type_class::signed_numeric: return t != element_type::boolean && is_signed(t);
  case type_class::floating: return is_float(t);
  case type_class::integer: return is_integral(t);
  case type_class::boolean: return t == element_type::boolean;
  }
  return false;
}

constexpr std::string_view class_name(type_class c) {
  switch (c) {
  case type_class::any: return "any";
  case type_class::numeric: return "a numeric";
  case type_class::signed_numeric: return "a signed numeric";
  case type_class::floating: return "a floating-point";
  case type_class::integer: return "an integer";
  case type_class::boolean: return "the boolean";
  }
  return "?";
}

/// "input 1 (slope)" for messages.
inline std::string input_label(std::size_t i, std::string_view role) {
  std::string s = "input " + std::to_string(i);
  if (!role.empty()) s += " (" + std::string(role) + ")";
  return s;
}

/// Fails unless input i's element type belongs to class c.
inline void require_type(const infer_context& ctx, std::size_t i, type_class c, std::string_view role = {}) {
  const element_type t = ctx.input_type(i);
  if (!in_class(t, c))
    ctx.fail(input_label(i, role) + " must have " + std::string(class_name(c)) + " element type, got " +
             std::string(to_string(t)));
}

/// The common element type of inputs a and b (dynamic yields to the other);
/// fails when both are known and differ.
inline element_type merge_types(const infer_context& ctx, std::size_t a, std::string_view role_a, std::size_t b,
                                std::string_view role_b) {
  const element_type ta = ctx.input_type(a), tb = ctx.input_type(b);
  if (ta != element_type::dynamic && tb != element_type::dynamic && ta != tb)
    ctx.fail(input_label(a, role_a) + " and " + input_label(b, role_b) + " must have the same element type, got " +
             std::string(to_string(ta)) + " and " + std::string(to_string(tb)));
  return ta == element_type::dynamic ? tb : ta;
}

} // namespace detail::checks

namespace detail {
/// Output 0 = input 0 (type and shape), after checking the type class.
inline void infer_unary(infer_context& ctx, checks::type_class c) {
  checks::require_type(ctx, 0, c);
  ctx.set_output(0, ctx.input_type(0), ctx.input_shape(0));
}
} // namespace detail

#define IRFORGE_UNARY_OP(Name, TypeName, Version, Class)                                                               \
  struct Name {                                                                                                        \
    static constexpr std::string_view type_name = TypeName;                                                            \
    static constexpr std::string_view version = Version;                                                               \
    static constexpr arity inputs{1};                                                                                  \
    BOOST_HANA_DEFINE_STRUCT(Name);                                                                                    \
    void infer(infer_context& ctx) const { detail::infer_unary(ctx, detail::checks::type_class::Class); }              \
  }

// Element types as each op's specification lists them.
IRFORGE_UNARY_OP(Relu, "ReLU", "opset1", numeric);
IRFORGE_UNARY_OP(Sigmoid, "Sigmoid", "opset1", floating);
IRFORGE_UNARY_OP(Tanh, "Tanh", "opset1", numeric);
IRFORGE_UNARY_OP(Exp, "Exp", "opset1", floating);
IRFORGE_UNARY_OP(Log, "Log", "opset1", numeric);
IRFORGE_UNARY_OP(Abs, "Abs", "opset1", numeric);
IRFORGE_UNARY_OP(Negative, "Negative", "opset1", signed_numeric);
IRFORGE_UNARY_OP(Floor, "Floor", "opset1", numeric);
IRFORGE_UNARY_OP(Ceiling, "Ceiling", "opset1", numeric);
IRFORGE_UNARY_OP(Sqrt, "Sqrt", "opset1", numeric);
IRFORGE_UNARY_OP(Erf, "Erf", "opset1", numeric);
IRFORGE_UNARY_OP(Sin, "Sin", "opset1", numeric);
IRFORGE_UNARY_OP(Cos, "Cos", "opset1", numeric);
IRFORGE_UNARY_OP(Tan, "Tan", "opset1", numeric);
IRFORGE_UNARY_OP(Asin, "Asin", "opset1", numeric);
IRFORGE_UNARY_OP(Acos, "Acos", "opset1", numeric);
IRFORGE_UNARY_OP(Atan, "Atan", "opset1", numeric);
IRFORGE_UNARY_OP(Sinh, "Sinh", "opset1", numeric);
IRFORGE_UNARY_OP(Cosh, "Cosh", "opset1", numeric);
IRFORGE_UNARY_OP(Asinh, "Asinh", "opset3", numeric);
IRFORGE_UNARY_OP(Acosh, "Acosh", "opset3", numeric);
IRFORGE_UNARY_OP(Atanh, "Atanh", "opset3", numeric);
IRFORGE_UNARY_OP(Sign, "Sign", "opset1", numeric);
IRFORGE_UNARY_OP(SoftPlus, "SoftPlus", "opset4", floating);
IRFORGE_UNARY_OP(HSwish, "HSwish", "opset4", floating);
IRFORGE_UNARY_OP(HSigmoid, "HSigmoid", "opset5", floating);
IRFORGE_UNARY_OP(Mish, "Mish", "opset4", floating);
IRFORGE_UNARY_OP(SoftSign, "SoftSign", "opset9", floating);
IRFORGE_UNARY_OP(LogicalNot, "LogicalNot", "opset1", boolean);

#undef IRFORGE_UNARY_OP

} // namespace irforge::ops
