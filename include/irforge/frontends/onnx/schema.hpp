// irforge — the ONNX schema: field numbers and enums of onnx.proto, and the
// mapping between ONNX data types and irforge element types.
//
// The parser and the writer use these instead of generated protobuf code.
// Numbers are those of onnx/onnx.in.proto (IR version 11); some fields irforge
// does not read (doc strings, training info) are listed too, so that skipping
// them is a visible decision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <optional>
#include <string_view>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"

namespace irforge::onnx {

/// TensorProto.DataType. Values outside the list can occur in files and are
/// kept as they are (the enum has a fixed underlying type).
enum class data_type : std::int32_t {
  undefined = 0,
  float32 = 1, // FLOAT
  uint8 = 2,
  int8 = 3,
  uint16 = 4,
  int16 = 5,
  int32 = 6,
  int64 = 7,
  string = 8,
  boolean = 9, // BOOL
  float16 = 10,
  float64 = 11, // DOUBLE
  uint32 = 12,
  uint64 = 13,
  complex64 = 14,
  complex128 = 15,
  bfloat16 = 16,
  float8e4m3fn = 17,
  float8e4m3fnuz = 18,
  float8e5m2 = 19,
  float8e5m2fnuz = 20,
  uint4 = 21,
  int4 = 22,
  float4e2m1 = 23,
  float8e8m0 = 24,
  uint2 = 25,
  int2 = 26,
};

/// The ONNX spelling ("FLOAT", "INT64", ...); "UNKNOWN(n)" for values outside the enum.
inline std::string to_string(data_type t) {
  constexpr std::string_view names[] = {
      "UNDEFINED",  "FLOAT",        "UINT8",          "INT8",       "UINT16",         "INT16",     "INT32",
      "INT64",      "STRING",       "BOOL",           "FLOAT16",    "DOUBLE",         "UINT32",    "UINT64",
      "COMPLEX64",  "COMPLEX128",   "BFLOAT16",       "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2",
      "FLOAT8E5M2FNUZ", "UINT4",    "INT4",           "FLOAT4E2M1", "FLOAT8E8M0",     "UINT2",     "INT2"};
  const auto v = static_cast<std::int32_t>(t);
  if (v >= 0 && static_cast<std::size_t>(v) < std::size(names)) return std::string(names[v]);
  return "UNKNOWN(" + std::to_string(v) + ")";
}

/// AttributeProto.AttributeType.
enum class attribute_type : std::int32_t {
  undefined = 0,
  float_ = 1,
  int_ = 2,
  string = 3,
  tensor = 4,
  graph = 5,
  floats = 6,
  ints = 7,
  strings = 8,
  tensors = 9,
  graphs = 10,
  sparse_tensor = 11,
  sparse_tensors = 12,
  type_proto = 13,
  type_protos = 14,
};

inline std::string to_string(attribute_type t) {
  constexpr std::string_view names[] = {"UNDEFINED", "FLOAT",   "INT",           "STRING",         "TENSOR",
                                        "GRAPH",     "FLOATS",  "INTS",          "STRINGS",        "TENSORS",
                                        "GRAPHS",    "SPARSE_TENSOR", "SPARSE_TENSORS", "TYPE_PROTO", "TYPE_PROTOS"};
  const auto v = static_cast<std::int32_t>(t);
  if (v >= 0 && static_cast<std::size_t>(v) < std::size(names)) return std::string(names[v]);
  return "UNKNOWN(" + std::to_string(v) + ")";
}

/// TensorProto.DataLocation.
enum class data_location : std::int32_t {
  default_ = 0, ///< raw_data or the typed fields
  external = 1, ///< external_data: location / offset / length
};

/// The irforge element type of an ONNX data type; nullopt for the types
/// irforge cannot hold (UNDEFINED, STRING, COMPLEX*, FLOAT8*, FLOAT4, INT2/UINT2).
constexpr std::optional<element_type> to_element_type(data_type t) {
  switch (t) {
  case data_type::float32: return element_type::f32;
  case data_type::uint8: return element_type::u8;
  case data_type::int8: return element_type::i8;
  case data_type::uint16: return element_type::u16;
  case data_type::int16: return element_type::i16;
  case data_type::int32: return element_type::i32;
  case data_type::int64: return element_type::i64;
  case data_type::boolean: return element_type::boolean;
  case data_type::float16: return element_type::f16;
  case data_type::float64: return element_type::f64;
  case data_type::uint32: return element_type::u32;
  case data_type::uint64: return element_type::u64;
  case data_type::bfloat16: return element_type::bf16;
  case data_type::uint4: return element_type::u4;
  case data_type::int4: return element_type::i4;
  default: return std::nullopt;
  }
}

/// Like to_element_type, but an unsupported type is an error naming `what`.
inline element_type element_type_from(data_type t, const std::string& what, const error_location& where = {}) {
  if (auto e = to_element_type(t)) return *e;
  if (t == data_type::undefined) throw error(what + " has no data type (UNDEFINED)", where);
  throw error(what + " has data type " + to_string(t) + ", which irforge does not support", where);
}

/// The ONNX data type of an irforge element type (u1 and dynamic have none).
inline data_type to_data_type(element_type t) {
  switch (t) {
  case element_type::f32: return data_type::float32;
  case element_type::u8: return data_type::uint8;
  case element_type::i8: return data_type::int8;
  case element_type::u16: return data_type::uint16;
  case element_type::i16: return data_type::int16;
  case element_type::i32: return data_type::int32;
  case element_type::i64: return data_type::int64;
  case element_type::boolean: return data_type::boolean;
  case element_type::f16: return data_type::float16;
  case element_type::f64: return data_type::float64;
  case element_type::u32: return data_type::uint32;
  case element_type::u64: return data_type::uint64;
  case element_type::bf16: return data_type::bfloat16;
  case element_type::u4: return data_type::uint4;
  case element_type::i4: return data_type::int4;
  default: throw error("element type " + std::string(to_string(t)) + " has no ONNX data type");
  }
}

/// Field numbers, one namespace per message.
namespace fields {

namespace model_proto {
inline constexpr std::uint32_t ir_version = 1;
inline constexpr std::uint32_t producer_name = 2;
inline constexpr std::uint32_t producer_version = 3;
inline constexpr std::uint32_t domain = 4;
inline constexpr std::uint32_t model_version = 5;
inline constexpr std::uint32_t doc_string = 6;
inline constexpr std::uint32_t graph = 7;
inline constexpr std::uint32_t opset_import = 8;
inline constexpr std::uint32_t metadata_props = 14;
inline constexpr std::uint32_t training_info = 20;
inline constexpr std::uint32_t functions = 25;
inline constexpr std::uint32_t configuration = 26;
} // namespace model_proto

namespace operator_set_id_proto {
inline constexpr std::uint32_t domain = 1;
inline constexpr std::uint32_t version = 2;
} // namespace operator_set_id_proto

namespace string_string_entry_proto {
inline constexpr std::uint32_t key = 1;
inline constexpr std::uint32_t value = 2;
} // namespace string_string_entry_proto

namespace graph_proto {
inline constexpr std::uint32_t node = 1;
inline constexpr std::uint32_t name = 2;
inline constexpr std::uint32_t initializer = 5;
inline constexpr std::uint32_t doc_string = 10;
inline constexpr std::uint32_t input = 11;
inline constexpr std::uint32_t output = 12;
inline constexpr std::uint32_t value_info = 13;
inline constexpr std::uint32_t quantization_annotation = 14;
inline constexpr std::uint32_t sparse_initializer = 15;
inline constexpr std::uint32_t metadata_props = 16;
} // namespace graph_proto

namespace node_proto {
inline constexpr std::uint32_t input = 1;
inline constexpr std::uint32_t output = 2;
inline constexpr std::uint32_t name = 3;
inline constexpr std::uint32_t op_type = 4;
inline constexpr std::uint32_t attribute = 5;
inline constexpr std::uint32_t doc_string = 6;
inline constexpr std::uint32_t domain = 7;
inline constexpr std::uint32_t overload = 8;
inline constexpr std::uint32_t metadata_props = 9;
inline constexpr std::uint32_t device_configurations = 10;
} // namespace node_proto

namespace attribute_proto {
inline constexpr std::uint32_t name = 1;
inline constexpr std::uint32_t f = 2;
inline constexpr std::uint32_t i = 3;
inline constexpr std::uint32_t s = 4;
inline constexpr std::uint32_t t = 5;
inline constexpr std::uint32_t g = 6;
inline constexpr std::uint32_t floats = 7;
inline constexpr std::uint32_t ints = 8;
inline constexpr std::uint32_t strings = 9;
inline constexpr std::uint32_t tensors = 10;
inline constexpr std::uint32_t graphs = 11;
inline constexpr std::uint32_t doc_string = 13;
inline constexpr std::uint32_t tp = 14;
inline constexpr std::uint32_t type_protos = 15;
inline constexpr std::uint32_t type = 20;
inline constexpr std::uint32_t ref_attr_name = 21;
inline constexpr std::uint32_t sparse_tensor = 22;
inline constexpr std::uint32_t sparse_tensors = 23;
} // namespace attribute_proto

namespace value_info_proto {
inline constexpr std::uint32_t name = 1;
inline constexpr std::uint32_t type = 2;
inline constexpr std::uint32_t doc_string = 3;
inline constexpr std::uint32_t metadata_props = 4;
} // namespace value_info_proto

namespace type_proto {
inline constexpr std::uint32_t tensor_type = 1;
inline constexpr std::uint32_t sequence_type = 4;
inline constexpr std::uint32_t map_type = 5;
inline constexpr std::uint32_t denotation = 6;
inline constexpr std::uint32_t opaque_type = 7;
inline constexpr std::uint32_t sparse_tensor_type = 8;
inline constexpr std::uint32_t optional_type = 9;
/// TypeProto.Tensor and TypeProto.SparseTensor.
namespace tensor {
inline constexpr std::uint32_t elem_type = 1;
inline constexpr std::uint32_t shape = 2;
} // namespace tensor
/// TypeProto.Sequence and TypeProto.Optional.
namespace sequence {
inline constexpr std::uint32_t elem_type = 1;
} // namespace sequence
namespace map {
inline constexpr std::uint32_t key_type = 1;
inline constexpr std::uint32_t value_type = 2;
} // namespace map
} // namespace type_proto

namespace tensor_shape_proto {
inline constexpr std::uint32_t dim = 1;
namespace dimension {
inline constexpr std::uint32_t dim_value = 1;
inline constexpr std::uint32_t dim_param = 2;
inline constexpr std::uint32_t denotation = 3;
} // namespace dimension
} // namespace tensor_shape_proto

namespace tensor_proto {
inline constexpr std::uint32_t dims = 1;
inline constexpr std::uint32_t data_type = 2;
inline constexpr std::uint32_t segment = 3;
inline constexpr std::uint32_t float_data = 4;
inline constexpr std::uint32_t int32_data = 5;
inline constexpr std::uint32_t string_data = 6;
inline constexpr std::uint32_t int64_data = 7;
inline constexpr std::uint32_t name = 8;
inline constexpr std::uint32_t raw_data = 9;
inline constexpr std::uint32_t double_data = 10;
inline constexpr std::uint32_t uint64_data = 11;
inline constexpr std::uint32_t doc_string = 12;
inline constexpr std::uint32_t external_data = 13;
inline constexpr std::uint32_t data_location = 14;
inline constexpr std::uint32_t metadata_props = 16;
namespace segment_fields {
inline constexpr std::uint32_t begin = 1;
inline constexpr std::uint32_t end = 2;
} // namespace segment_fields
} // namespace tensor_proto

namespace sparse_tensor_proto {
inline constexpr std::uint32_t values = 1;
inline constexpr std::uint32_t indices = 2;
inline constexpr std::uint32_t dims = 3;
} // namespace sparse_tensor_proto

namespace function_proto {
inline constexpr std::uint32_t name = 1;
inline constexpr std::uint32_t input = 4;
inline constexpr std::uint32_t output = 5;
inline constexpr std::uint32_t attribute = 6;
inline constexpr std::uint32_t node = 7;
inline constexpr std::uint32_t doc_string = 8;
inline constexpr std::uint32_t opset_import = 9;
inline constexpr std::uint32_t domain = 10;
inline constexpr std::uint32_t attribute_proto = 11;
inline constexpr std::uint32_t value_info = 12;
inline constexpr std::uint32_t overload = 13;
inline constexpr std::uint32_t metadata_props = 14;
} // namespace function_proto

} // namespace fields

/// The IR version irforge writes by default (ONNX 1.13+ reads it; opset <= 18 era).
inline constexpr std::int64_t default_ir_version = 8;

} // namespace irforge::onnx
