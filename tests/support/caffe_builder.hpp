// Test support: hand-made .caffemodel bytes (NetParameter in the protobuf wire
// format, field numbers of BVLC caffe.proto), written with io::protobuf_writer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "irforge/core/shape.hpp"
#include "irforge/io/protobuf_writer.hpp"

namespace irforge::test {

/// One BlobProto: values with a BlobShape, or legacy num/channels/height/width,
/// as float (`data`, packed or not) or as double (`double_data`).
struct caffe_blob {
  shape dims;
  std::vector<float> values;
  enum class encoding { packed, unpacked, doubles } how = encoding::packed;
  bool legacy = false; ///< write num/channels/height/width (dims must have 4 values) instead of BlobShape

  [[nodiscard]] io::protobuf_writer message() const {
    io::protobuf_writer b;
    if (legacy) {
      for (std::uint32_t k = 0; k < 4 && k < dims.size(); ++k) b.int32_field(1 + k, static_cast<std::int32_t>(dims[k]));
    } else {
      io::protobuf_writer s;
      s.packed_varint_field<std::int64_t>(1, dims);
      b.message_field(7, s);
    }
    switch (how) {
    case encoding::packed: b.packed_fixed_field<float>(5, values); break;
    case encoding::unpacked:
      for (float v : values) b.float_field(5, v);
      break;
    case encoding::doubles: {
      std::vector<double> d(values.begin(), values.end());
      b.packed_fixed_field<double>(8, d);
      break;
    }
    }
    return b;
  }
};

/// A NetParameter with V2 `layer` (field 100) or V1 `layers` (field 2) entries.
class caffemodel_builder {
public:
  explicit caffemodel_builder(std::string name = "net") { w_.string_field(1, name); }

  /// A V2 layer: name 1, type 2, bottom 3, top 4, blobs 7.
  caffemodel_builder& layer(const std::string& name, const std::string& type, const std::vector<caffe_blob>& blobs,
                            const std::vector<std::string>& bottoms = {}, const std::vector<std::string>& tops = {}) {
    io::protobuf_writer l;
    l.string_field(1, name);
    l.string_field(2, type);
    for (const auto& b : bottoms) l.string_field(3, b);
    for (const auto& t : tops) l.string_field(4, t);
    for (const auto& b : blobs) l.message_field(7, b.message());
    w_.message_field(100, l);
    return *this;
  }
  /// A V1 layer: bottom 2, top 3, name 4, type 5 (enum), blobs 6.
  caffemodel_builder& v1_layer(const std::string& name, std::int64_t type, const std::vector<caffe_blob>& blobs) {
    io::protobuf_writer l;
    l.string_field(4, name);
    l.int64_field(5, type);
    for (const auto& b : blobs) l.message_field(6, b.message());
    w_.message_field(2, l);
    return *this;
  }
  /// Raw extra bytes (unknown fields a reader must skip).
  caffemodel_builder& raw(const io::protobuf_writer& w) {
    w_.write_raw(w.bytes());
    return *this;
  }

  [[nodiscard]] std::vector<std::byte> bytes() const { return w_.bytes(); }

private:
  io::protobuf_writer w_;
};

} // namespace irforge::test
