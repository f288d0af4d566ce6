// irforge — Result: a model output.
#pragma once

#include "irforge/core/op.hpp"

namespace irforge::ops {

struct Result {
  static constexpr std::string_view type_name = "Result";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Result);

  void infer(infer_context&) const {} // a Result has no outputs
};

} // namespace irforge::ops
