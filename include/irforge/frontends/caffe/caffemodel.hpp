// irforge — the binary .caffemodel (a NetParameter in the protobuf wire
// format): layer names, types, bottoms, tops and weight blobs.
//
// Only what a conversion needs is decoded; the layers' parameter messages are
// skipped (the .prototxt is the authority on topology and parameters, as in
// Caffe and Model Optimizer). Both layer lists are read: V2 `layer` (field
// 100) and V1 `layers` (field 2, enum types, with an optional nested V0
// `layer`). A blob's values come from `data` (float) or `double_data`; its
// shape from BlobShape, or the legacy num/channels/height/width, or else is
// 1-D. A blob stored as one packed run (what Caffe writes) stays a view into
// the mapped file; anything else is gathered into an owned buffer. Field
// numbers are those of BVLC caffe.proto.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/io/mapped_file.hpp"
#include "irforge/io/protobuf_reader.hpp"

namespace irforge::caffe {

/// Field numbers of the caffe.proto messages the reader decodes.
namespace fields {
namespace net_parameter {
inline constexpr std::uint32_t name = 1, layers = 2, input = 3, input_dim = 4, input_shape = 8, layer = 100;
}
namespace blob_shape {
inline constexpr std::uint32_t dim = 1;
}
namespace blob_proto {
inline constexpr std::uint32_t num = 1, channels = 2, height = 3, width = 4, data = 5, diff = 6, shape = 7,
                               double_data = 8, double_diff = 9;
}
namespace layer_parameter {
inline constexpr std::uint32_t name = 1, type = 2, bottom = 3, top = 4, blobs = 7;
}
namespace v1_layer_parameter {
inline constexpr std::uint32_t layer = 1, bottom = 2, top = 3, name = 4, type = 5, blobs = 6;
}
namespace v0_layer_parameter {
inline constexpr std::uint32_t name = 1, type = 2, blobs = 50;
}
} // namespace fields

/// The V2 type name of a V1 `LayerType` enum value ("" when unknown).
inline std::string_view v1_type_name(std::int64_t value) {
  struct entry {
    std::int64_t value;
    std::string_view name;
  };
  static constexpr entry table[] = {
      {35, "AbsVal"},      {1, "Accuracy"},       {30, "ArgMax"},         {2, "BNLL"},
      {3, "Concat"},       {37, "ContrastiveLoss"}, {4, "Convolution"},   {5, "Data"},
      {39, "Deconvolution"}, {6, "Dropout"},      {32, "DummyData"},      {7, "EuclideanLoss"},
      {25, "Eltwise"},     {38, "Exp"},           {8, "Flatten"},         {9, "HDF5Data"},
      {10, "HDF5Output"},  {28, "HingeLoss"},     {11, "Im2col"},         {12, "ImageData"},
      {13, "InfogainLoss"}, {14, "InnerProduct"}, {15, "LRN"},            {29, "MemoryData"},
      {16, "MultinomialLogisticLoss"}, {34, "MVN"}, {17, "Pooling"},      {26, "Power"},
      {18, "ReLU"},        {19, "Sigmoid"},       {27, "SigmoidCrossEntropyLoss"}, {36, "Silence"},
      {20, "Softmax"},     {21, "SoftmaxWithLoss"}, {22, "Split"},        {33, "Slice"},
      {23, "TanH"},        {24, "WindowData"},    {31, "Threshold"},
  };
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return {};
}

/// The V2 type name of a V1 `LayerType` identifier ("CONVOLUTION" -> "Convolution"; "" when unknown).
inline std::string_view v1_type_name(std::string_view identifier) {
  struct entry {
    std::string_view id;
    std::int64_t value;
  };
  static constexpr entry table[] = {
      {"ABSVAL", 35},  {"ACCURACY", 1},  {"ARGMAX", 30}, {"BNLL", 2},       {"CONCAT", 3},
      {"CONTRASTIVE_LOSS", 37}, {"CONVOLUTION", 4}, {"DATA", 5}, {"DECONVOLUTION", 39}, {"DROPOUT", 6},
      {"DUMMY_DATA", 32}, {"EUCLIDEAN_LOSS", 7}, {"ELTWISE", 25}, {"EXP", 38}, {"FLATTEN", 8},
      {"HDF5_DATA", 9}, {"HDF5_OUTPUT", 10}, {"HINGE_LOSS", 28}, {"IM2COL", 11}, {"IMAGE_DATA", 12},
      {"INFOGAIN_LOSS", 13}, {"INNER_PRODUCT", 14}, {"LRN", 15}, {"MEMORY_DATA", 29},
      {"MULTINOMIAL_LOGISTIC_LOSS", 16}, {"MVN", 34}, {"POOLING", 17}, {"POWER", 26}, {"RELU", 18},
      {"SIGMOID", 19}, {"SIGMOID_CROSS_ENTROPY_LOSS", 27}, {"SILENCE", 36}, {"SOFTMAX", 20},
      {"SOFTMAX_LOSS", 21}, {"SPLIT", 22}, {"SLICE", 33}, {"TANH", 23}, {"WINDOW_DATA", 24},
      {"THRESHOLD", 31},
  };
  for (const auto& e : table)
    if (e.id == identifier) return v1_type_name(e.value);
  return {};
}

/// One weight blob (BlobProto).
struct blob {
  /// The shape as stored: BlobShape dims, or the legacy [num, channels,
  /// height, width], or [count] when the blob records neither.
  shape dims;
  bool legacy_shape = false;
  /// The values, 1-D: f32 (`data`) or f64 (`double_data`). A view into the
  /// file when stored as one packed run; its owner keeps the mapping alive.
  tensor values;
  std::uint64_t offset = 0; ///< of the BlobProto in the file
};

/// One layer of the binary model.
struct model_layer {
  std::string name;
  std::string type; ///< V2 spelling ("Convolution"); V1 enum values are translated
  std::vector<std::string> bottoms, tops;
  std::vector<blob> blobs;
  std::uint64_t offset = 0; ///< of the layer message in the file
  bool v1 = false;          ///< from the legacy `layers` list
};

/// A parsed .caffemodel.
struct caffemodel {
  std::string path;
  std::shared_ptr<const void> owner; ///< the mapped file (or buffer) the blobs view
  std::string name;
  std::vector<model_layer> layers;

  /// The first layer called `layer_name` (as Caffe's weight sharing by name does), or null.
  [[nodiscard]] const model_layer* find(std::string_view layer_name) const {
    for (const auto& l : layers)
      if (l.name == layer_name) return &l;
    return nullptr;
  }
};

namespace detail {

class caffemodel_parser {
public:
  caffemodel_parser(std::span<const std::byte> bytes, std::shared_ptr<const void> owner, const std::string& path)
      : bytes_(bytes), owner_(std::move(owner)), path_(path) {}

  caffemodel parse() {
    caffemodel m;
    m.path = path_;
    m.owner = owner_;
    io::protobuf_reader r(bytes_, path_, 0, "NetParameter");
    io::protobuf_field f;
    namespace F = fields::net_parameter;
    while (r.next(f)) {
      switch (f.number) {
      case F::name: r.expect(f, io::wire_type::length_delimited); m.name = std::string(r.read_string()); break;
      case F::layer:
        r.expect(f, io::wire_type::length_delimited);
        m.layers.push_back(parse_layer(r.read_message("LayerParameter"), f.offset));
        break;
      case F::layers:
        r.expect(f, io::wire_type::length_delimited);
        m.layers.push_back(parse_v1_layer(r.read_message("V1LayerParameter"), f.offset));
        break;
      default: r.skip(f);
      }
    }
    return m;
  }

private:
  static std::string str(io::protobuf_reader& r, const io::protobuf_field& f) {
    r.expect(f, io::wire_type::length_delimited);
    return std::string(r.read_string());
  }

  model_layer parse_layer(io::protobuf_reader r, std::uint64_t offset) {
    model_layer l;
    l.offset = offset;
    io::protobuf_field f;
    namespace F = fields::layer_parameter;
    while (r.next(f)) {
      switch (f.number) {
      case F::name: l.name = str(r, f); break;
      case F::type: l.type = str(r, f); break;
      case F::bottom: l.bottoms.push_back(str(r, f)); break;
      case F::top: l.tops.push_back(str(r, f)); break;
      case F::blobs:
        r.expect(f, io::wire_type::length_delimited);
        l.blobs.push_back(parse_blob(r.read_message("BlobProto"), f.offset));
        break;
      default: r.skip(f);
      }
    }
    return l;
  }

  model_layer parse_v1_layer(io::protobuf_reader r, std::uint64_t offset) {
    model_layer l;
    l.offset = offset;
    l.v1 = true;
    io::protobuf_field f;
    namespace F = fields::v1_layer_parameter;
    while (r.next(f)) {
      switch (f.number) {
      case F::name: l.name = str(r, f); break;
      case F::type: {
        r.expect(f, io::wire_type::varint);
        const auto v = r.read_int64();
        const auto t = v1_type_name(v);
        l.type = t.empty() ? "V1_LAYER_TYPE_" + std::to_string(v) : std::string(t);
        break;
      }
      case F::bottom: l.bottoms.push_back(str(r, f)); break;
      case F::top: l.tops.push_back(str(r, f)); break;
      case F::blobs:
        r.expect(f, io::wire_type::length_delimited);
        l.blobs.push_back(parse_blob(r.read_message("BlobProto"), f.offset));
        break;
      case F::layer: { // a V0 layer inside: name, type and blobs may live there
        r.expect(f, io::wire_type::length_delimited);
        io::protobuf_reader v0 = r.read_message("V0LayerParameter");
        io::protobuf_field g;
        namespace G = fields::v0_layer_parameter;
        while (v0.next(g)) {
          if (g.number == G::name && l.name.empty()) l.name = str(v0, g);
          else if (g.number == G::type && l.type.empty()) l.type = str(v0, g);
          else if (g.number == G::blobs) {
            v0.expect(g, io::wire_type::length_delimited);
            l.blobs.push_back(parse_blob(v0.read_message("BlobProto"), g.offset));
          } else {
            v0.skip(g);
          }
        }
        break;
      }
      default: r.skip(f);
      }
    }
    return l;
  }

  /// One run of a repeated float/double field: a packed payload or one unpacked value.
  struct chunk {
    std::span<const std::byte> bytes;
    bool packed = true;
  };

  blob parse_blob(io::protobuf_reader r, std::uint64_t offset) {
    blob b;
    b.offset = offset;
    std::vector<chunk> data, doubles;
    std::vector<std::int64_t> dims;
    bool has_shape = false, has_legacy = false;
    std::int64_t legacy[4] = {0, 0, 0, 0};
    io::protobuf_field f;
    namespace F = fields::blob_proto;
    while (r.next(f)) {
      switch (f.number) {
      case F::shape: {
        r.expect(f, io::wire_type::length_delimited);
        has_shape = true;
        dims.clear(); // a repeated singular message merges; the dims of the last one count
        io::protobuf_reader s = r.read_message("BlobShape");
        io::protobuf_field g;
        while (s.next(g)) {
          if (g.number == fields::blob_shape::dim) s.read_repeated_varint(g, dims);
          else s.skip(g);
        }
        break;
      }
      case F::num:
      case F::channels:
      case F::height:
      case F::width:
        r.expect(f, io::wire_type::varint);
        legacy[f.number - F::num] = r.read_int32();
        has_legacy = true;
        break;
      case F::data: read_chunk(r, f, 4, data); break;
      case F::double_data: read_chunk(r, f, 8, doubles); break;
      default: r.skip(f); // diff, double_diff: training state
      }
    }

    const bool use_double = total_bytes(doubles) > 0;
    const element_type type = use_double ? element_type::f64 : element_type::f32;
    const auto& chunks = use_double ? doubles : data;
    const std::uint64_t count = total_bytes(chunks) / (use_double ? 8 : 4);
    if (chunks.size() == 1 && chunks[0].packed) {
      b.values = tensor::view(type, {static_cast<std::int64_t>(count)}, chunks[0].bytes, owner_);
    } else {
      std::vector<std::byte> owned;
      owned.reserve(static_cast<std::size_t>(total_bytes(chunks)));
      for (const auto& c : chunks) owned.insert(owned.end(), c.bytes.begin(), c.bytes.end());
      b.values = tensor::from_bytes(type, {static_cast<std::int64_t>(count)}, std::move(owned));
    }

    if (has_shape) {
      b.dims = std::move(dims);
    } else if (has_legacy) {
      b.dims.assign(std::begin(legacy), std::end(legacy));
      b.legacy_shape = true;
    } else {
      b.dims = {static_cast<std::int64_t>(count)};
    }
    for (auto d : b.dims)
      if (d < 0) r.fail("blob dimension " + std::to_string(d) + " is negative", offset);
    std::uint64_t expected = 0;
    try {
      expected = element_count(b.dims);
    } catch (const error& e) {
      r.fail("blob shape " + partial_shape(b.dims).to_string() + ": " + e.message(), offset);
    }
    if (expected != count)
      r.fail("blob of shape " + partial_shape(b.dims).to_string() + " needs " + std::to_string(expected) +
                 " values, it holds " + std::to_string(count),
             offset);
    return b;
  }

  static std::uint64_t total_bytes(const std::vector<chunk>& chunks) {
    std::uint64_t n = 0;
    for (const auto& c : chunks) n += c.bytes.size();
    return n;
  }

  static void read_chunk(io::protobuf_reader& r, const io::protobuf_field& f, std::size_t width,
                         std::vector<chunk>& out) {
    const io::wire_type single = width == 4 ? io::wire_type::fixed32 : io::wire_type::fixed64;
    if (f.type == single) {
      const std::uint64_t at = r.offset();
      if (r.remaining() < width)
        r.fail("truncated " + std::string(width == 4 ? "float" : "double") + " value", at);
      const auto all = r.bytes();
      out.push_back({all.subspan(r.position(), width), false});
      r.skip(f);
      return;
    }
    r.expect(f, io::wire_type::length_delimited);
    const std::uint64_t at = r.offset();
    const auto payload = r.read_bytes();
    if (payload.size() % width != 0)
      r.fail("packed " + std::string(width == 4 ? "float" : "double") + " data of " + std::to_string(payload.size()) +
                 " bytes is not a multiple of " + std::to_string(width),
             at);
    if (!payload.empty()) out.push_back({payload, true});
  }

  std::span<const std::byte> bytes_;
  std::shared_ptr<const void> owner_;
  const std::string& path_;
};

} // namespace detail

/// Parses a .caffemodel held in memory; the blobs view `bytes`, which `owner` keeps alive.
inline caffemodel parse_caffemodel(std::span<const std::byte> bytes, std::shared_ptr<const void> owner,
                                   const std::string& name = "<memory>") {
  if (bytes.empty()) throw error("not a Caffe model: the data is empty", in_file(name));
  return detail::caffemodel_parser(bytes, std::move(owner), name).parse();
}

/// Parses a .caffemodel from an owned buffer (the model keeps it).
inline caffemodel parse_caffemodel(std::vector<std::byte> bytes, const std::string& name = "<memory>") {
  auto buffer = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
  const std::span<const std::byte> view(buffer->data(), buffer->size());
  return parse_caffemodel(view, buffer, name);
}

/// Maps and parses a .caffemodel file; weights stay views into the mapping.
inline caffemodel load_caffemodel(const std::string& path) {
  const auto file = io::mapped_file::open(path);
  return parse_caffemodel(file->bytes(), file, path);
}

} // namespace irforge::caffe
