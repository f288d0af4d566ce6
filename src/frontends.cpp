// irforge, separately compiled (IRFORGE_SEPARATE_COMPILATION): the standard
// op registry (IR reading) and the ONNX and Caffe mapping tables.
#include "irforge/frontends/caffe/mappings.hpp"
#include "irforge/frontends/onnx/mappings.hpp"
#include "irforge/ops/standard.hpp"

template const irforge::op_registry& irforge::registry<irforge::ops::standard>();
template irforge::onnx::mapping_table irforge::onnx::detail::build_standard_mappings<void>();
template irforge::caffe::mapping_table irforge::caffe::detail::build_standard_mappings<void>();
