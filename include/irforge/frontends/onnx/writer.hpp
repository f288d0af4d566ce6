// irforge — writing ONNX files from C++: model_builder and write_tensor_file.
//
// Used by tests, by the example-model generator and by benchmarks that build
// large models. Fields are written in field-number order with the encodings
// libprotobuf uses for onnx.proto (proto2: dims and attribute lists unpacked,
// the *_data fields packed), so files look like those of the ONNX tools.
// Initializer bytes are referenced, not copied, until the file is written;
// save() writes to a temporary file and renames it (atomic).
//
//   irforge::onnx::model_builder b;
//   b.opset("", 13);
//   b.input("x", element_type::f32, {"N", 3, 224, 224});
//   b.initializer("w", weights);
//   b.node("Conv", {"x", "w"}, {"y"}, "conv1").ints("pads", {1, 1, 1, 1});
//   b.output("y", element_type::f32, {"N", 64, 224, 224});
//   b.save("model.onnx");
#pragma once

#include <atomic>
#include <cerrno>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/frontends/onnx/schema.hpp"
#include "irforge/io/protobuf_writer.hpp"

namespace irforge::onnx {

/// A dimension of a graph input/output: a static value, a named dynamic
/// dimension (dim_param), or unknown (default-constructed).
struct dim_spec {
  std::optional<std::int64_t> value;
  std::string param;

  dim_spec() = default;
  template <std::integral T> dim_spec(T v) : value(static_cast<std::int64_t>(v)) {}
  dim_spec(std::string p) : param(std::move(p)) {}
  dim_spec(const char* p) : param(p) {}
};

/// How a tensor's values are stored in a TensorProto.
enum class tensor_encoding : std::uint8_t {
  raw_data,       ///< raw_data (what exporters write)
  typed,          ///< float_data / int32_data / int64_data / double_data / uint64_data, packed
  typed_unpacked, ///< the same fields, one field per value (legal, rare)
  external,       ///< an external data file (model_builder::save only)
};

class graph_builder;

namespace detail {

/// Collects the bytes of external initializers while a model is encoded.
struct external_sink {
  static constexpr std::uint64_t alignment = 4096; // ONNX recommends page-aligned offsets (mmap)
  std::string location;
  std::uint64_t size = 0;
  std::vector<std::pair<std::uint64_t, std::span<const std::byte>>> pieces;

  std::uint64_t add(std::span<const std::byte> bytes) {
    const std::uint64_t offset = (size + alignment - 1) / alignment * alignment;
    pieces.emplace_back(offset, bytes);
    size = offset + bytes.size();
    return offset;
  }
};

/// proto2 repeated int64 without [packed = true]: one field per value.
inline void unpacked_int64s(io::protobuf_writer& w, std::uint32_t field, std::span<const std::int64_t> values) {
  for (std::int64_t v : values) w.int64_field(field, v);
}

inline void write_string_entry(io::protobuf_writer& w, std::uint32_t field, std::string_view key,
                               std::string_view value) {
  io::protobuf_writer e;
  e.string_field(fields::string_string_entry_proto::key, key);
  e.string_field(fields::string_string_entry_proto::value, value);
  w.message_field(field, e);
}

/// The values of a tensor as its typed TensorProto field holds them.
inline void typed_values(io::protobuf_writer& w, const tensor& t, bool packed) {
  namespace F = fields::tensor_proto;
  const auto bytes = t.bytes();
  const std::size_t n = static_cast<std::size_t>(t.element_count());
  if (n == 0) return; // like protobuf, an empty repeated field is not written
  auto load = [&](auto tag, std::size_t i) {
    decltype(tag) v;
    std::memcpy(&v, bytes.data() + i * sizeof(v), sizeof(v));
    return v;
  };
  auto fixed = [&](std::uint32_t field, auto tag) {
    using T = decltype(tag);
    if (packed) return w.bytes_field(field, bytes); // a packed fixed-size field is the little-endian values
    for (std::size_t i = 0; i < n; ++i) {
      if constexpr (sizeof(T) == 4) w.float_field(field, load(T{}, i));
      else w.double_field(field, load(T{}, i));
    }
  };
  std::vector<std::int64_t> ints; // varint fields: values as int64 (int32 sign-extended)
  std::uint32_t field = F::int32_data;
  switch (t.type()) {
  case element_type::f32: return fixed(F::float_data, float{});
  case element_type::f64: return fixed(F::double_data, double{});
  case element_type::i64:
    field = F::int64_data;
    for (std::size_t i = 0; i < n; ++i) ints.push_back(load(std::int64_t{}, i));
    break;
  case element_type::u64:
    field = F::uint64_data;
    for (std::size_t i = 0; i < n; ++i) ints.push_back(static_cast<std::int64_t>(load(std::uint64_t{}, i)));
    break;
  case element_type::u32:
    field = F::uint64_data;
    for (std::size_t i = 0; i < n; ++i) ints.push_back(load(std::uint32_t{}, i));
    break;
  case element_type::i32: for (std::size_t i = 0; i < n; ++i) ints.push_back(load(std::int32_t{}, i)); break;
  case element_type::i16: for (std::size_t i = 0; i < n; ++i) ints.push_back(load(std::int16_t{}, i)); break;
  case element_type::i8: for (std::size_t i = 0; i < n; ++i) ints.push_back(load(std::int8_t{}, i)); break;
  case element_type::u16:
  case element_type::f16:
  case element_type::bf16: for (std::size_t i = 0; i < n; ++i) ints.push_back(load(std::uint16_t{}, i)); break;
  case element_type::u8:
  case element_type::boolean:
  case element_type::u4:
  case element_type::i4: // 4-bit types: one value per byte of two packed elements
    for (std::byte b : bytes) ints.push_back(std::to_integer<std::uint8_t>(b));
    break;
  default: throw error("cannot write a tensor of type " + std::string(to_string(t.type())) + " to ONNX");
  }
  if (packed) w.packed_varint_field(field, ints);
  else
    for (std::int64_t v : ints) w.int64_field(field, v);
}

/// A TensorProto of `t` named `name`.
inline io::protobuf_writer encode_tensor(std::string_view name, const tensor& t, tensor_encoding enc,
                                         external_sink* sink) {
  namespace F = fields::tensor_proto;
  io::protobuf_writer w;
  unpacked_int64s(w, F::dims, t.dims());
  w.int32_field(F::data_type, static_cast<std::int32_t>(to_data_type(t.type())));
  // Fields in field-number order: float/int32/int64_data (4, 5, 7), name (8),
  // raw_data (9), double/uint64_data (10, 11), external_data (13), data_location (14).
  const bool typed = enc == tensor_encoding::typed || enc == tensor_encoding::typed_unpacked;
  const bool typed_after_name =
      t.type() == element_type::f64 || t.type() == element_type::u32 || t.type() == element_type::u64;
  if (typed && !typed_after_name) typed_values(w, t, enc == tensor_encoding::typed);
  if (!name.empty()) w.string_field(F::name, name);
  if (enc == tensor_encoding::raw_data) w.bytes_field_view(F::raw_data, t.bytes());
  if (typed && typed_after_name) typed_values(w, t, enc == tensor_encoding::typed);
  if (enc == tensor_encoding::external) {
    if (!sink)
      throw error("tensor '" + std::string(name) +
                  "': external data is written by model_builder::save, only for initializers of the main graph");
    const std::uint64_t offset = sink->add(t.bytes());
    write_string_entry(w, F::external_data, "location", sink->location);
    write_string_entry(w, F::external_data, "offset", std::to_string(offset));
    write_string_entry(w, F::external_data, "length", std::to_string(t.bytes().size()));
    w.int32_field(F::data_location, static_cast<std::int32_t>(data_location::external));
  }
  return w;
}

/// A ValueInfoProto of a tensor; no shape when `shape` is nullopt (unknown rank).
inline io::protobuf_writer encode_value_info(std::string_view name, data_type type,
                                             const std::optional<std::vector<dim_spec>>& shape) {
  io::protobuf_writer tensor_type;
  tensor_type.int32_field(fields::type_proto::tensor::elem_type, static_cast<std::int32_t>(type));
  if (shape) {
    io::protobuf_writer s;
    for (const auto& d : *shape) {
      io::protobuf_writer dim;
      if (d.value) dim.int64_field(fields::tensor_shape_proto::dimension::dim_value, *d.value);
      else if (!d.param.empty()) dim.string_field(fields::tensor_shape_proto::dimension::dim_param, d.param);
      s.message_field(fields::tensor_shape_proto::dim, dim);
    }
    tensor_type.message_field(fields::type_proto::tensor::shape, s);
  }
  io::protobuf_writer type_proto;
  type_proto.message_field(fields::type_proto::tensor_type, tensor_type);
  io::protobuf_writer w;
  w.string_field(fields::value_info_proto::name, name);
  w.message_field(fields::value_info_proto::type, type_proto);
  return w;
}

/// Writes `path` through a temporary file in the same directory and a rename,
/// so a failure never leaves a partial file.
inline std::string temporary_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

template <class Write> void write_file_atomically(const std::string& path, Write&& write) {
  const std::string tmp = temporary_name(path);
  std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
  if (!os) throw error(std::string("cannot create file: ") + std::strerror(errno), in_file(tmp));
  try {
    write(os);
    os.close();
    if (!os) throw error("cannot write file (disk full?)", in_file(tmp));
  } catch (...) {
    if (os.is_open()) os.close();
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::remove(tmp.c_str());
    throw error(std::string("cannot rename the temporary file into place: ") + std::strerror(e), in_file(path));
  }
}

/// True for a relative path that stays inside its directory (no "..", not absolute).
inline bool is_contained_relative_path(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.front() == '\\') return false;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = p.size();
    if (p.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

inline std::string file_name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace detail

/// One node; attribute setters are named after AttributeProto's fields.
class node_builder {
public:
  node_builder(std::string op_type, std::vector<std::string> inputs, std::vector<std::string> outputs,
               std::string name = {}, std::string domain = {})
      : op_type_(std::move(op_type)), name_(std::move(name)), domain_(std::move(domain)),
        inputs_(std::move(inputs)), outputs_(std::move(outputs)) {}

  node_builder& name(std::string n) {
    name_ = std::move(n);
    return *this;
  }
  node_builder& domain(std::string d) {
    domain_ = std::move(d);
    return *this;
  }

  node_builder& f(std::string_view attr, float v) {
    auto& w = begin(attr);
    w.float_field(fields::attribute_proto::f, v);
    return end(w, attribute_type::float_);
  }
  node_builder& i(std::string_view attr, std::int64_t v) {
    auto& w = begin(attr);
    w.int64_field(fields::attribute_proto::i, v);
    return end(w, attribute_type::int_);
  }
  node_builder& s(std::string_view attr, std::string_view v) {
    auto& w = begin(attr);
    w.string_field(fields::attribute_proto::s, v);
    return end(w, attribute_type::string);
  }
  node_builder& t(std::string_view attr, const tensor& v, tensor_encoding enc = tensor_encoding::raw_data) {
    keep_alive_.push_back(v);
    auto& w = begin(attr);
    w.message_field(fields::attribute_proto::t, detail::encode_tensor({}, v, enc, nullptr));
    return end(w, attribute_type::tensor);
  }
  node_builder& g(std::string_view attr, const graph_builder& graph);
  node_builder& floats(std::string_view attr, const std::vector<float>& v) {
    auto& w = begin(attr);
    for (float x : v) w.float_field(fields::attribute_proto::floats, x);
    return end(w, attribute_type::floats);
  }
  node_builder& ints(std::string_view attr, const std::vector<std::int64_t>& v) {
    auto& w = begin(attr);
    detail::unpacked_int64s(w, fields::attribute_proto::ints, v);
    return end(w, attribute_type::ints);
  }
  node_builder& strings(std::string_view attr, const std::vector<std::string>& v) {
    auto& w = begin(attr);
    for (const auto& x : v) w.string_field(fields::attribute_proto::strings, x);
    return end(w, attribute_type::strings);
  }
  node_builder& tensors(std::string_view attr, const std::vector<tensor>& v,
                        tensor_encoding enc = tensor_encoding::raw_data) {
    auto& w = begin(attr);
    for (const auto& x : v) {
      keep_alive_.push_back(x);
      w.message_field(fields::attribute_proto::tensors, detail::encode_tensor({}, x, enc, nullptr));
    }
    return end(w, attribute_type::tensors);
  }
  node_builder& graphs(std::string_view attr, const std::vector<graph_builder>& v);

  /// The NodeProto.
  [[nodiscard]] io::protobuf_writer encode() const {
    namespace F = fields::node_proto;
    io::protobuf_writer w;
    for (const auto& x : inputs_) w.string_field(F::input, x);
    for (const auto& x : outputs_) w.string_field(F::output, x);
    if (!name_.empty()) w.string_field(F::name, name_);
    w.string_field(F::op_type, op_type_);
    for (const auto& a : attributes_) w.message_field(F::attribute, a);
    if (!domain_.empty()) w.string_field(F::domain, domain_);
    return w;
  }
  /// Tensors whose bytes the encoding references.
  [[nodiscard]] const std::vector<tensor>& referenced_tensors() const { return keep_alive_; }

private:
  io::protobuf_writer& begin(std::string_view attr) {
    attributes_.emplace_back();
    attributes_.back().string_field(fields::attribute_proto::name, attr);
    return attributes_.back();
  }
  node_builder& end(io::protobuf_writer& w, attribute_type type) {
    w.int32_field(fields::attribute_proto::type, static_cast<std::int32_t>(type));
    return *this;
  }

  std::string op_type_, name_, domain_;
  std::vector<std::string> inputs_, outputs_;
  std::vector<io::protobuf_writer> attributes_; // encoded when added (field order: name, value, type)
  std::vector<tensor> keep_alive_;
};

/// A GraphProto: the main graph of a model, or a subgraph for If/Loop/Scan.
class graph_builder {
public:
  explicit graph_builder(std::string name = "main_graph") : name_(std::move(name)) {}

  graph_builder& name(std::string n) {
    name_ = std::move(n);
    return *this;
  }
  /// A graph input with a shape (static values, dim_param names or unknown dims).
  graph_builder& input(std::string name, element_type type, std::vector<dim_spec> shape) {
    inputs_.push_back({std::move(name), to_data_type(type), std::move(shape)});
    return *this;
  }
  /// A graph input of unknown rank.
  graph_builder& input(std::string name, element_type type) {
    inputs_.push_back({std::move(name), to_data_type(type), std::nullopt});
    return *this;
  }
  graph_builder& output(std::string name, element_type type, std::vector<dim_spec> shape) {
    outputs_.push_back({std::move(name), to_data_type(type), std::move(shape)});
    return *this;
  }
  graph_builder& output(std::string name, element_type type) {
    outputs_.push_back({std::move(name), to_data_type(type), std::nullopt});
    return *this;
  }
  graph_builder& value_info(std::string name, element_type type, std::vector<dim_spec> shape) {
    value_infos_.push_back({std::move(name), to_data_type(type), std::move(shape)});
    return *this;
  }
  graph_builder& value_info(std::string name, element_type type) {
    value_infos_.push_back({std::move(name), to_data_type(type), std::nullopt});
    return *this;
  }

  /// An initializer; its bytes are referenced (the tensor shares them) until written.
  graph_builder& initializer(std::string name, tensor value, tensor_encoding enc = tensor_encoding::raw_data) {
    if (value.empty()) throw error("initializer '" + name + "' has no value");
    initializer_spec s;
    s.name = std::move(name);
    s.value = std::move(value);
    s.encoding = enc;
    initializers_.push_back(std::move(s));
    return *this;
  }
  /// An initializer written exactly as given, unchecked (to produce malformed files in tests).
  graph_builder& raw_initializer(std::string name, data_type type, std::vector<std::int64_t> dims,
                                 std::vector<std::byte> raw_data) {
    initializer_spec s;
    s.name = std::move(name);
    s.manual = true;
    s.type = type;
    s.dims = std::move(dims);
    s.raw = std::move(raw_data);
    initializers_.push_back(std::move(s));
    return *this;
  }
  /// An initializer whose data the caller has put in an external file
  /// (`location` relative to the model's directory); written unchecked.
  graph_builder& external_initializer(std::string name, data_type type, std::vector<std::int64_t> dims,
                                      std::string location, std::optional<std::uint64_t> offset = std::nullopt,
                                      std::optional<std::uint64_t> length = std::nullopt) {
    initializer_spec s;
    s.name = std::move(name);
    s.manual = true;
    s.external_ref = true;
    s.type = type;
    s.dims = std::move(dims);
    s.location = std::move(location);
    s.offset = offset;
    s.length = length;
    initializers_.push_back(std::move(s));
    return *this;
  }

  /// Adds a node; set its attributes on the returned builder (valid until the graph is destroyed).
  node_builder& node(std::string op_type, std::vector<std::string> inputs, std::vector<std::string> outputs,
                     std::string name = {}, std::string domain = {}) {
    return nodes_.emplace_back(std::move(op_type), std::move(inputs), std::move(outputs), std::move(name),
                               std::move(domain));
  }

  [[nodiscard]] std::size_t node_count() const { return nodes_.size(); }

  /// The GraphProto. Initializers encoded as external need `sink` (model_builder::save).
  [[nodiscard]] io::protobuf_writer encode(detail::external_sink* sink = nullptr) const {
    namespace F = fields::graph_proto;
    io::protobuf_writer w;
    for (const auto& n : nodes_) w.message_field(F::node, n.encode());
    w.string_field(F::name, name_);
    for (const auto& s : initializers_) w.message_field(F::initializer, encode_initializer(s, sink));
    for (const auto& v : inputs_) w.message_field(F::input, detail::encode_value_info(v.name, v.type, v.shape));
    for (const auto& v : outputs_) w.message_field(F::output, detail::encode_value_info(v.name, v.type, v.shape));
    for (const auto& v : value_infos_)
      w.message_field(F::value_info, detail::encode_value_info(v.name, v.type, v.shape));
    return w;
  }

  /// Every tensor whose bytes encode() references (to keep them alive).
  [[nodiscard]] std::vector<tensor> referenced_tensors() const {
    std::vector<tensor> out;
    for (const auto& s : initializers_)
      if (!s.manual) out.push_back(s.value);
    for (const auto& n : nodes_) out.insert(out.end(), n.referenced_tensors().begin(), n.referenced_tensors().end());
    return out;
  }

private:
  struct io_spec {
    std::string name;
    data_type type;
    std::optional<std::vector<dim_spec>> shape;
  };
  struct initializer_spec {
    std::string name;
    tensor value;
    tensor_encoding encoding = tensor_encoding::raw_data;
    // manual: written as given (raw_initializer / external_initializer)
    bool manual = false;
    bool external_ref = false;
    data_type type = data_type::undefined;
    std::vector<std::int64_t> dims;
    std::vector<std::byte> raw;
    std::string location;
    std::optional<std::uint64_t> offset, length;
  };

  static io::protobuf_writer encode_initializer(const initializer_spec& s, detail::external_sink* sink) {
    if (!s.manual) return detail::encode_tensor(s.name, s.value, s.encoding, sink);
    namespace F = fields::tensor_proto;
    io::protobuf_writer w;
    detail::unpacked_int64s(w, F::dims, s.dims);
    w.int32_field(F::data_type, static_cast<std::int32_t>(s.type));
    w.string_field(F::name, s.name);
    if (!s.external_ref) {
      w.bytes_field(F::raw_data, s.raw);
      return w;
    }
    detail::write_string_entry(w, F::external_data, "location", s.location);
    if (s.offset) detail::write_string_entry(w, F::external_data, "offset", std::to_string(*s.offset));
    if (s.length) detail::write_string_entry(w, F::external_data, "length", std::to_string(*s.length));
    w.int32_field(F::data_location, static_cast<std::int32_t>(data_location::external));
    return w;
  }

  std::string name_;
  std::deque<node_builder> nodes_; // a deque: node() hands out references that must stay valid
  std::vector<initializer_spec> initializers_;
  std::vector<io_spec> inputs_, outputs_, value_infos_;
};

inline node_builder& node_builder::g(std::string_view attr, const graph_builder& graph) {
  const auto refs = graph.referenced_tensors();
  keep_alive_.insert(keep_alive_.end(), refs.begin(), refs.end());
  auto& w = begin(attr);
  w.message_field(fields::attribute_proto::g, graph.encode());
  return end(w, attribute_type::graph);
}

inline node_builder& node_builder::graphs(std::string_view attr, const std::vector<graph_builder>& v) {
  auto& w = begin(attr);
  for (const auto& graph : v) {
    const auto refs = graph.referenced_tensors();
    keep_alive_.insert(keep_alive_.end(), refs.begin(), refs.end());
    w.message_field(fields::attribute_proto::graphs, graph.encode());
  }
  return end(w, attribute_type::graphs);
}

/// A whole ModelProto: model metadata plus the main graph (this graph_builder).
class model_builder : public graph_builder {
public:
  /// The default-domain opset written when none was given.
  static constexpr std::int64_t default_opset = 17;

  explicit model_builder(std::string graph_name = "main_graph") : graph_builder(std::move(graph_name)) {}

  model_builder& ir_version(std::int64_t v) {
    ir_version_ = v;
    return *this;
  }
  /// Imports `version` of operator set `domain` ("" is the default ONNX domain).
  model_builder& opset(std::string domain, std::int64_t version) {
    for (auto& o : opsets_)
      if (o.first == domain) {
        o.second = version;
        return *this;
      }
    opsets_.emplace_back(std::move(domain), version);
    return *this;
  }
  model_builder& producer(std::string name, std::string version = {}) {
    producer_name_ = std::move(name);
    producer_version_ = std::move(version);
    return *this;
  }
  model_builder& model_version(std::int64_t v) {
    model_version_ = v;
    return *this;
  }
  model_builder& doc_string(std::string s) {
    doc_string_ = std::move(s);
    return *this;
  }
  model_builder& metadata(std::string key, std::string value) {
    metadata_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  /// File (relative to the model's directory) that save() writes external
  /// initializers to; default: "<model file name>.data".
  model_builder& external_data_location(std::string location) {
    external_location_ = std::move(location);
    return *this;
  }

  /// The model file's bytes; an error if an initializer is to be stored as external data.
  [[nodiscard]] std::vector<std::byte> serialize() const { return encode_model(nullptr).bytes(); }

  /// Writes the model (and its external data file, if any) atomically.
  void save(const std::string& path) const {
    detail::external_sink sink;
    sink.location = external_location_.empty() ? detail::file_name_of(path) + ".data" : external_location_;
    if (!detail::is_contained_relative_path(sink.location))
      throw error("external data location '" + sink.location + "' must be a relative path inside the model's directory",
                  in_file(path));
    const io::protobuf_writer w = encode_model(&sink);
    if (!sink.pieces.empty()) {
      const auto slash = path.find_last_of('/');
      const std::string data_path =
          slash == std::string::npos ? sink.location : path.substr(0, slash + 1) + sink.location;
      detail::write_file_atomically(data_path, [&](std::ostream& os) {
        std::uint64_t at = 0;
        const std::vector<char> zeros(detail::external_sink::alignment, 0);
        for (const auto& [offset, bytes] : sink.pieces) {
          os.write(zeros.data(), static_cast<std::streamsize>(offset - at));
          os.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
          at = offset + bytes.size();
        }
      });
    }
    detail::write_file_atomically(path, [&](std::ostream& os) { w.write_to(os); });
  }

private:
  [[nodiscard]] io::protobuf_writer encode_model(detail::external_sink* sink) const {
    namespace F = fields::model_proto;
    io::protobuf_writer w;
    w.int64_field(F::ir_version, ir_version_);
    w.string_field(F::producer_name, producer_name_);
    if (!producer_version_.empty()) w.string_field(F::producer_version, producer_version_);
    if (model_version_) w.int64_field(F::model_version, *model_version_);
    if (!doc_string_.empty()) w.string_field(F::doc_string, doc_string_);
    w.message_field(F::graph, encode(sink));
    auto write_opset = [&](std::string_view domain, std::int64_t version) {
      io::protobuf_writer o;
      o.string_field(fields::operator_set_id_proto::domain, domain);
      o.int64_field(fields::operator_set_id_proto::version, version);
      w.message_field(F::opset_import, o);
    };
    if (opsets_.empty()) write_opset("", default_opset);
    for (const auto& [domain, version] : opsets_) write_opset(domain, version);
    for (const auto& [key, value] : metadata_) detail::write_string_entry(w, F::metadata_props, key, value);
    return w;
  }

  std::int64_t ir_version_ = default_ir_version;
  std::vector<std::pair<std::string, std::int64_t>> opsets_;
  std::string producer_name_ = "irforge";
  std::string producer_version_;
  std::optional<std::int64_t> model_version_;
  std::string doc_string_;
  std::vector<std::pair<std::string, std::string>> metadata_;
  std::string external_location_;
};

/// A serialized TensorProto (the .pb files of the ONNX backend tests).
inline std::vector<std::byte> serialize_tensor(const tensor& t, std::string_view name = {},
                                               tensor_encoding enc = tensor_encoding::raw_data) {
  return detail::encode_tensor(name, t, enc, nullptr).bytes();
}

/// Writes a TensorProto file (raw_data) atomically.
inline void write_tensor_file(const std::string& path, const tensor& t, std::string_view name = {},
                              tensor_encoding enc = tensor_encoding::raw_data) {
  const auto w = detail::encode_tensor(name, t, enc, nullptr);
  detail::write_file_atomically(path, [&](std::ostream& os) { w.write_to(os); });
}

} // namespace irforge::onnx
