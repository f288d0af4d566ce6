// irforge — the standard Caffe layer mapping table.
#pragma once

#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/mappings_detection.hpp"
#include "irforge/frontends/caffe/mappings_math.hpp"
#include "irforge/frontends/caffe/mappings_nn.hpp"
#include "irforge/frontends/caffe/mappings_tensor.hpp"

namespace irforge::caffe {

/// Layer types that only feed or score training: dropped with a note (a data
/// layer's top can still become a model input through an input shape).
inline constexpr std::string_view train_only_layers[] = {
    "Data",         "ImageData",  "HDF5Data",  "HDF5Output",   "MemoryData",  "WindowData",
    "DummyData",    "AnnotatedData", "SoftmaxWithLoss", "EuclideanLoss", "HingeLoss", "InfogainLoss",
    "MultinomialLogisticLoss", "SigmoidCrossEntropyLoss", "ContrastiveLoss", "MultiBoxLoss", "SmoothL1Loss",
    "Accuracy",
};

namespace detail {
// A template (of nothing) so that IRFORGE_SEPARATE_COMPILATION can compile the
// mappings once (src/frontends.cpp) instead of in every translation unit.
template <class = void> mapping_table build_standard_mappings() {
  mapping_table t;
  t.add_input("Input");
  for (auto type : train_only_layers) t.add_train_only(std::string(type));
  detail::add_nn_mappings(t);
  detail::add_math_mappings(t);
  detail::add_tensor_mappings(t);
  detail::add_detection_mappings(t);
  return t;
}
} // namespace detail
#ifdef IRFORGE_SEPARATE_COMPILATION
extern template mapping_table detail::build_standard_mappings<void>();
#endif

/// A fresh table with every built-in mapping; add or replace entries to
/// extend the converter with your own layers.
inline mapping_table make_standard_mappings() { return detail::build_standard_mappings(); }

/// The built-in table, built once.
inline const mapping_table& standard_mappings() {
  static const mapping_table table = make_standard_mappings();
  return table;
}

} // namespace irforge::caffe
