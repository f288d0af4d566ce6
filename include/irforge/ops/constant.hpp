// irforge — Constant (IR type "Const"): a tensor baked into the model.
//
// Its bytes usually view the mapped source model; the IR writer streams them
// into the .bin and adds `offset` and `size` to the attributes.
#pragma once

#include "irforge/core/op.hpp"

namespace irforge::ops {

struct Constant {
  static constexpr std::string_view type_name = "Const";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{0};

  tensor value;

  Constant() = default;
  explicit Constant(tensor v) : value(std::move(v)) {}

  void infer(infer_context& ctx) const {
    ctx.require(!value.empty(), "Const has no value");
    ctx.set_output_value(0, value);
  }

  /// `element_type` and `shape`; the writer adds `offset` and `size`.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> ir_attributes() const {
    return {{"element_type", attr::format(value.type())}, {"shape", attr::format(value.dims())}};
  }
  /// The IR reader builds the tensor itself; these are accepted and ignored.
  bool set_ir_attribute(std::string_view name, std::string_view) {
    return name == "element_type" || name == "shape" || name == "offset" || name == "size";
  }

  friend bool operator==(const Constant& a, const Constant& b) { return a.value.same_content(b.value); }
};

} // namespace irforge::ops
