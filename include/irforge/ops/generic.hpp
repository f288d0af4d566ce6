// irforge — generic_op: an op known only by its name, attributes and outputs.
//
// The IR reader uses it for op types the op set does not know (their output
// types and shapes come from the IR's port descriptions), and a frontend uses
// it to pass an unknown layer through as a custom layer when asked to. Any
// children of the IR <layer> other than data/rt_info/input/output (a Loop's
// body, port_map, back_edges) are kept verbatim so the layer round-trips.
#pragma once

#include "irforge/core/op.hpp"

namespace irforge::ops {

struct generic_op {
  static constexpr std::string_view type_name = "<generic>";
  static constexpr std::string_view version = "<generic>";
  static constexpr arity inputs{0, arity::unbounded};

  std::string type;                                           ///< IR type name
  std::string opset = "extension";                            ///< IR version
  std::vector<std::pair<std::string, std::string>> attributes; ///< IR <data>, in order
  std::vector<value_info> outputs;                            ///< declared outputs
  std::string extra_xml; ///< verbatim XML of other <layer> children
  /// Blobs that Const layers inside extra_xml refer to (as offset="@k").
  std::vector<tensor> embedded_constants;

  [[nodiscard]] op_type_info runtime_type_info() const { return {type, opset, inputs, nullptr}; }

  void infer(infer_context& ctx) const {
    for (std::size_t i = 0; i < outputs.size(); ++i) ctx.set_output(i, outputs[i].type, outputs[i].shape);
  }

  [[nodiscard]] std::vector<std::pair<std::string, std::string>> ir_attributes() const { return attributes; }
  bool set_ir_attribute(std::string_view name, std::string_view value) {
    for (auto& [n, v] : attributes)
      if (n == name) {
        v = value;
        return true;
      }
    attributes.emplace_back(name, value);
    return true;
  }

  friend bool operator==(const generic_op& a, const generic_op& b) {
    if (a.type != b.type || a.opset != b.opset || a.attributes != b.attributes || a.extra_xml != b.extra_xml ||
        a.outputs.size() != b.outputs.size() || a.embedded_constants.size() != b.embedded_constants.size())
      return false;
    for (std::size_t i = 0; i < a.embedded_constants.size(); ++i)
      if (!a.embedded_constants[i].same_content(b.embedded_constants[i])) return false;
    for (std::size_t i = 0; i < a.outputs.size(); ++i)
      if (a.outputs[i].type != b.outputs[i].type || !(a.outputs[i].shape == b.outputs[i].shape)) return false;
    return true;
  }
};

} // namespace irforge::ops
