// irforge — the standard ONNX op mapping table (ai.onnx domain).
#pragma once

#include "irforge/frontends/onnx/converter.hpp"
#include "irforge/frontends/onnx/mappings_math.hpp"
#include "irforge/frontends/onnx/mappings_nn.hpp"
#include "irforge/frontends/onnx/mappings_tensor.hpp"

namespace irforge::onnx {

namespace detail {
// A template (of nothing) so that IRFORGE_SEPARATE_COMPILATION can compile the
// mappings once (src/frontends.cpp) instead of in every translation unit.
template <class = void> mapping_table build_standard_mappings() {
  mapping_table t;
  detail::add_math_mappings(t);
  detail::add_nn_mappings(t);
  detail::add_tensor_mappings(t);
  return t;
}
} // namespace detail
#ifdef IRFORGE_SEPARATE_COMPILATION
extern template mapping_table detail::build_standard_mappings<void>();
#endif

/// A fresh table with every built-in mapping; add or replace entries to
/// extend the converter with your own ops.
inline mapping_table make_standard_mappings() { return detail::build_standard_mappings(); }

/// The built-in table, built once.
inline const mapping_table& standard_mappings() {
  static const mapping_table table = make_standard_mappings();
  return table;
}

} // namespace irforge::onnx
