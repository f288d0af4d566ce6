// irforge — ONNX tensor values as irforge tensors.
//
// to_tensor turns a parsed TensorProto into an irforge::tensor. raw_data and
// external data become zero-copy views that keep the mapped file alive; the
// typed fields (float_data, int32_data, ...) are decoded into an owning tensor
// of the declared element type. Every size is checked against dims and type
// first, and the messages name the tensor, the file and both sizes.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/frontends/onnx/model.hpp"
#include "irforge/frontends/onnx/schema.hpp"

namespace irforge::onnx {

namespace detail {

inline std::string dims_text(const std::vector<std::int64_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) { if (i) s += ","; s += std::to_string(dims[i]); }
  return s + "]";
}

/// Typed values -> bytes of element type `type` (each value converted like protobuf's int32 cast).
template <class Store, class Src> void store_values(tensor& out, const std::vector<Src>& values) {
  auto bytes = out.mutable_bytes();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Store v = static_cast<Store>(values[i]);
    std::memcpy(bytes.data() + i * sizeof(Store), &v, sizeof(Store));
  }
}

} // namespace detail

/// The value of a TensorProto as an irforge tensor (a view for raw/external data).
inline tensor to_tensor(const tensor_proto& t) {
  // The messages are built only on failure: this runs once per initializer.
  const auto what = [&t] { return "tensor '" + std::string(t.name) + "'"; };
  const auto where = [&t] { return in_file(t.file(), t.offset); };
  const auto declared = [&t] { return to_string(t.type) + " " + detail::dims_text(t.dims); };
  const auto known = to_element_type(t.type);
  const element_type type = known ? *known : element_type_from(t.type, what(), where());
  if (t.has_segment) throw error(what() + " is stored in segments, which irforge does not support", where());
  shape dims(t.dims.begin(), t.dims.end());
  for (std::int64_t d : dims)
    if (d < 0) throw error(what() + " has a negative dimension in its shape " + detail::dims_text(t.dims), where());
  std::uint64_t count = 0;
  try {
    count = element_count(dims);
  } catch (const error& e) {
    throw error(what() + ": " + e.message(), where());
  }
  if (count > (std::uint64_t{1} << 56))
    throw error(what() + " of shape " + detail::dims_text(t.dims) + " is too large", where());
  const std::uint64_t expected = byte_size(type, count);

  if (t.has_raw_data) {
    if (t.raw_data.size() != expected) {
      const std::string source =
          t.is_external() ? "external data in '" + t.external_path + "'" : std::string("raw_data");
      throw error(what() + ": " + source + " has " + std::to_string(t.raw_data.size()) + " bytes, but " + declared() +
                      " needs " + std::to_string(expected) + " bytes",
                  where());
    }
    std::shared_ptr<const void> owner = t.is_external() ? std::shared_ptr<const void>(t.external_file)
                                                        : std::shared_ptr<const void>(t.source);
    return tensor::view(type, std::move(dims), t.raw_data, std::move(owner));
  }
  if (t.is_external()) throw error(what() + ": external data was not resolved", where());

  namespace F = fields::tensor_proto;
  std::uint32_t field = F::int32_data;
  switch (type) {
  case element_type::f32: field = F::float_data; break;
  case element_type::f64: field = F::double_data; break;
  case element_type::i64: field = F::int64_data; break;
  case element_type::u32:
  case element_type::u64: field = F::uint64_data; break;
  default: break; // the rest are stored in int32_data
  }
  const char* field_name = field == F::float_data    ? "float_data"
                           : field == F::double_data ? "double_data"
                           : field == F::int64_data  ? "int64_data"
                           : field == F::uint64_data ? "uint64_data"
                                                     : "int32_data";
  // 4-bit types: each int32_data value holds one byte of two packed elements.
  const std::uint64_t needed_values = bit_width(type) == 4 ? expected : count;
  auto check_count = [&](std::size_t got) {
    if (got != needed_values) {
      if (got == 0 && count != 0) throw error(what() + " of " + declared() + " has no data", where());
      throw error(what() + ": " + std::string(field_name) + " has " + std::to_string(got) + " values, but " + declared() +
                      " needs " + std::to_string(needed_values),
                  where());
    }
  };
  tensor out;
  if (field == F::float_data) {
    auto v = t.float_values();
    check_count(v.size());
    out = tensor::allocate(type, std::move(dims));
    detail::store_values<float>(out, v);
  } else if (field == F::double_data) {
    auto v = t.double_values();
    check_count(v.size());
    out = tensor::allocate(type, std::move(dims));
    detail::store_values<double>(out, v);
  } else if (field == F::int64_data) {
    auto v = t.int64_values();
    check_count(v.size());
    out = tensor::allocate(type, std::move(dims));
    detail::store_values<std::int64_t>(out, v);
  } else if (field == F::uint64_data) {
    auto v = t.uint64_values();
    check_count(v.size());
    out = tensor::allocate(type, std::move(dims));
    if (type == element_type::u32) detail::store_values<std::uint32_t>(out, v);
    else detail::store_values<std::uint64_t>(out, v);
  } else {
    auto v = t.int32_values();
    check_count(v.size());
    out = tensor::allocate(type, std::move(dims));
    switch (type) {
    case element_type::i32: detail::store_values<std::int32_t>(out, v); break;
    case element_type::i16: detail::store_values<std::int16_t>(out, v); break;
    case element_type::u16:
    case element_type::f16: // the bit pattern is the low 16 bits
    case element_type::bf16: detail::store_values<std::uint16_t>(out, v); break;
    case element_type::i8: detail::store_values<std::int8_t>(out, v); break;
    case element_type::boolean:
      for (auto& x : v) x = x != 0 ? 1 : 0;
      detail::store_values<std::uint8_t>(out, v);
      break;
    default: detail::store_values<std::uint8_t>(out, v); break; // u8, and packed bytes of u4/i4
    }
  }
  return out;
}

/// A SparseTensorProto as a dense tensor (zeros where no value is given). The
/// dense size is not bounded by the file, so it is capped by `max_bytes`.
inline tensor to_dense_tensor(const sparse_tensor_proto& s, std::uint64_t max_bytes = std::uint64_t{1} << 32) {
  const std::string what = "sparse tensor '" + std::string(s.values.name) + "'";
  const error_location where = in_file(s.values.file(), s.offset);
  const tensor values = to_tensor(s.values);
  const tensor indices = to_tensor(s.indices);
  shape dims(s.dims.begin(), s.dims.end());
  for (std::int64_t d : dims)
    if (d < 0) throw error(what + " has a negative dimension in its shape " + detail::dims_text(s.dims), where);
  const std::uint64_t total = element_count(dims);
  if (bit_width(values.type()) < 8) throw error(what + ": sub-byte value types are not supported", where);
  if (indices.type() != element_type::i64) throw error(what + ": indices must be INT64", where);
  if (total > max_bytes || byte_size(values.type(), total) > max_bytes)
    throw error(what + " of shape " + detail::dims_text(s.dims) + " is larger than " + std::to_string(max_bytes) +
                    " bytes when dense",
                where);
  const std::uint64_t nnz = values.element_count();
  if (values.dims().size() != 1) throw error(what + ": values must be one-dimensional", where);
  const auto& idims = indices.dims();
  const bool linear = idims.size() == 1;
  if (!(linear && static_cast<std::uint64_t>(idims[0]) == nnz) &&
      !(idims.size() == 2 && static_cast<std::uint64_t>(idims[0]) == nnz &&
        static_cast<std::uint64_t>(idims[1]) == dims.size()))
    throw error(what + ": indices of shape " + detail::dims_text(idims) + " do not fit " + std::to_string(nnz) +
                    " values of a rank-" + std::to_string(dims.size()) + " tensor",
                where);
  tensor out = tensor::allocate(values.type(), dims);
  const std::size_t esize = bit_width(values.type()) / 8;
  const auto idx = indices.values<std::int64_t>();
  for (std::uint64_t k = 0; k < nnz; ++k) {
    std::uint64_t pos = 0;
    if (linear) {
      if (idx[k] < 0 || static_cast<std::uint64_t>(idx[k]) >= total) throw error(what + ": index out of range", where);
      pos = static_cast<std::uint64_t>(idx[k]);
    } else {
      for (std::size_t a = 0; a < dims.size(); ++a) {
        const std::int64_t i = idx[k * dims.size() + a];
        if (i < 0 || i >= dims[a]) throw error(what + ": index out of range", where);
        pos = pos * static_cast<std::uint64_t>(dims[a]) + static_cast<std::uint64_t>(i);
      }
    }
    std::memcpy(out.mutable_bytes().data() + pos * esize, values.bytes().data() + k * esize, esize);
  }
  return out;
}

/// Reads a serialized TensorProto file (input_0.pb / output_0.pb of the ONNX
/// backend tests). raw_data becomes a view of the mapped file.
inline tensor read_tensor_file(const std::string& path) { return to_tensor(load_tensor_proto(path)); }

} // namespace irforge::onnx
