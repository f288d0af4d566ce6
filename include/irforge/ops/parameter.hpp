// irforge — Parameter: a model input.
#pragma once

#include "irforge/core/op.hpp"

namespace irforge::ops {

struct Parameter {
  static constexpr std::string_view type_name = "Parameter";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{0};
  BOOST_HANA_DEFINE_STRUCT(Parameter, (irforge::partial_shape, shape), (irforge::element_type, element_type));

  void infer(infer_context& ctx) const { ctx.set_output(0, element_type, shape); }
};

} // namespace irforge::ops
