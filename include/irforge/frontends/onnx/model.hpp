// irforge — the parsed ONNX model: zero-copy views of a ModelProto, and its parser.
//
// load_model maps the file and reads it in a single pass with the protobuf
// wire reader. Names, strings and tensor bytes are views into the mapping
// (std::string_view / std::span): a 100 MB model is parsed without copying a
// weight. Every view stays valid while the model, or any tensor_proto taken
// from it, is alive: each holds a shared_ptr to the source that owns the bytes.
// External data (TensorProto.data_location == EXTERNAL, the way models over
// 2 GB are stored) is resolved while parsing: each external file is mapped
// once and every tensor's [offset, offset + length) is checked against it.
// Values are converted to irforge tensors by to_tensor (tensor_data.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/frontends/onnx/schema.hpp"
#include "irforge/io/mapped_file.hpp"
#include "irforge/io/protobuf_reader.hpp"

namespace irforge::onnx {

/// The bytes a parsed model views, and the name used in messages. Either a
/// mapped file or an owned buffer.
struct source_file {
  std::string path;                                     ///< file name (or a buffer's name)
  std::shared_ptr<const io::mapped_file> file;          ///< set when read from disk
  std::shared_ptr<const std::vector<std::byte>> buffer; ///< set when read from memory
  std::span<const std::byte> bytes;
};

/// A key/value pair (StringStringEntryProto).
struct string_entry {
  std::string_view key;
  std::string_view value;
};

/// One run of a typed data field (float_data, int32_data, ...) as it is in the
/// file: a packed payload, or consecutive unpacked fields (tags included).
/// Decoded on demand, so parsing never copies tensor values.
struct typed_chunk {
  std::uint32_t field = 0;
  bool packed = true;
  std::span<const std::byte> bytes;
  std::uint64_t offset = 0; ///< absolute offset of `bytes` in the model file
};

/// TensorProto. Where the data is: raw_data (in the model file), or the typed
/// fields (see *_values()), or an external file (raw_data then views the
/// resolved bytes in that file).
struct tensor_proto {
  std::string_view name;
  data_type type = data_type::undefined;
  std::vector<std::int64_t> dims;
  data_location location = data_location::default_;
  bool has_raw_data = false;                ///< raw_data present (possibly empty), or external data resolved
  std::span<const std::byte> raw_data;      ///< see has_raw_data
  std::vector<typed_chunk> typed;           ///< float_data / int32_data / int64_data / double_data / uint64_data
  std::vector<std::string_view> string_data; ///< STRING tensors
  std::vector<string_entry> external_data;  ///< the key/value pairs as written
  std::string external_path;                ///< resolved external file ("" unless EXTERNAL)
  std::uint64_t external_offset = 0;        ///< byte range of the data in that file
  bool has_segment = false;                 ///< TensorProto.segment (chunked tensors; unsupported)
  std::uint64_t offset = 0;                 ///< absolute offset of the TensorProto in the model file
  std::shared_ptr<const source_file> source;          ///< keeps the views alive; names the file
  std::shared_ptr<const io::mapped_file> external_file; ///< keeps external data alive

  [[nodiscard]] bool is_external() const { return location == data_location::external; }
  [[nodiscard]] const std::string& file() const {
    static const std::string none;
    return source ? source->path : none;
  }
  /// True when some typed field has values (packed runs may be empty).
  [[nodiscard]] bool has_typed_field(std::uint32_t field) const {
    return std::any_of(typed.begin(), typed.end(),
                       [&](const typed_chunk& c) { return c.field == field && !c.bytes.empty(); });
  }
  /// The values of a typed field, decoded (packed and unpacked runs, in file order).
  [[nodiscard]] std::vector<float> float_values() const {
    return fixed_values<float>(fields::tensor_proto::float_data);
  }
  [[nodiscard]] std::vector<double> double_values() const {
    return fixed_values<double>(fields::tensor_proto::double_data);
  }
  [[nodiscard]] std::vector<std::int32_t> int32_values() const {
    return varint_values<std::int32_t>(fields::tensor_proto::int32_data);
  }
  [[nodiscard]] std::vector<std::int64_t> int64_values() const {
    return varint_values<std::int64_t>(fields::tensor_proto::int64_data);
  }
  [[nodiscard]] std::vector<std::uint64_t> uint64_values() const {
    return varint_values<std::uint64_t>(fields::tensor_proto::uint64_data);
  }

private:
  template <class T> std::vector<T> varint_values(std::uint32_t field) const {
    std::vector<T> out;
    for (const auto& c : typed) {
      if (c.field != field) continue;
      io::protobuf_reader r(c.bytes, file(), c.offset, "TensorProto");
      if (c.packed) { // the span is the payload: a run of varints, one ends at each byte below 0x80
        const auto ends = std::count_if(c.bytes.begin(), c.bytes.end(),
                                        [](std::byte x) { return (x & std::byte{0x80}) == std::byte{}; });
        out.reserve(out.size() + static_cast<std::size_t>(ends));
        while (!r.at_end()) out.push_back(static_cast<T>(r.read_varint()));
      } else {
        io::protobuf_field f;
        while (r.next(f)) r.read_repeated_varint(f, out);
      }
    }
    return out;
  }
  template <class T> std::vector<T> fixed_values(std::uint32_t field) const {
    std::vector<T> out;
    for (const auto& c : typed) {
      if (c.field != field) continue;
      io::protobuf_reader r(c.bytes, file(), c.offset, "TensorProto");
      if (c.packed) {
        const std::size_t old = out.size();
        out.resize(old + c.bytes.size() / sizeof(T)); // the parser checked the size is a multiple
        if (out.size() > old) std::memcpy(out.data() + old, c.bytes.data(), (out.size() - old) * sizeof(T));
      } else {
        io::protobuf_field f;
        while (r.next(f)) r.read_repeated_fixed(f, out);
      }
    }
    return out;
  }
};

/// SparseTensorProto: values [NNZ], indices [NNZ] (linear) or [NNZ, rank], dense dims.
struct sparse_tensor_proto {
  tensor_proto values;
  tensor_proto indices;
  std::vector<std::int64_t> dims;
  std::uint64_t offset = 0;
};

/// TensorShapeProto.Dimension: a value, a named parameter, or neither (unknown).
struct dimension_proto {
  std::optional<std::int64_t> value;
  std::string_view param;
  std::string_view denotation;
  [[nodiscard]] bool is_static() const { return value.has_value() && *value >= 0; }
};

/// Which member of TypeProto's oneof is set.
enum class type_kind : std::uint8_t { none, tensor, sequence, map, optional, sparse_tensor, opaque };

/// ValueInfoProto (graph inputs, outputs and value_info). elem_type and shape
/// are filled for tensor and sparse tensor types.
struct value_info {
  std::string_view name;
  type_kind kind = type_kind::none;
  data_type elem_type = data_type::undefined;
  std::optional<std::vector<dimension_proto>> shape; ///< nullopt: the rank is unknown
  std::string_view denotation;
  std::uint64_t offset = 0;

  /// The shape as irforge sees it: dim_value >= 0 is static; a dim_param, a
  /// missing value or a negative value (some exporters write -1) is dynamic.
  [[nodiscard]] partial_shape to_partial_shape() const {
    if (!shape) return partial_shape::dynamic_rank();
    std::vector<dimension> dims;
    dims.reserve(shape->size());
    for (const auto& d : *shape) dims.push_back(d.is_static() ? dimension(*d.value) : dimension::dynamic());
    return partial_shape(std::move(dims));
  }
};

struct graph_proto;

/// AttributeProto. Exactly one value member is meaningful, the one `type` says.
struct attribute {
  std::string_view name;
  std::string_view ref_attr_name; ///< in functions: refers to the caller's attribute
  attribute_type type = attribute_type::undefined;
  float f = 0.0f;
  std::int64_t i = 0;
  std::string_view s;
  std::optional<tensor_proto> t;
  std::shared_ptr<const graph_proto> g;
  std::optional<sparse_tensor_proto> sparse_tensor;
  std::vector<float> floats;
  std::vector<std::int64_t> ints;
  std::vector<std::string_view> strings;
  std::vector<tensor_proto> tensors;
  std::vector<graph_proto> graphs;
  std::vector<sparse_tensor_proto> sparse_tensors;
  std::uint64_t offset = 0;
};

/// NodeProto. An empty input name is an omitted optional input.
struct node {
  std::string_view name;
  std::string_view op_type;
  std::string_view domain; ///< "" and "ai.onnx" are the default domain
  std::string_view overload;
  std::vector<std::string_view> inputs;
  std::vector<std::string_view> outputs;
  std::vector<attribute> attributes;
  std::uint64_t offset = 0;

  [[nodiscard]] const attribute* find(std::string_view attr_name) const {
    for (const auto& a : attributes)
      if (a.name == attr_name) return &a;
    return nullptr;
  }
  [[nodiscard]] bool has(std::string_view attr_name) const { return find(attr_name) != nullptr; }
};

/// GraphProto; subgraphs of If/Loop/Scan attributes are parsed recursively.
struct graph_proto {
  std::string_view name;
  std::vector<node> nodes;
  std::vector<tensor_proto> initializers;
  std::vector<sparse_tensor_proto> sparse_initializers;
  std::vector<value_info> inputs;
  std::vector<value_info> outputs;
  std::vector<value_info> value_infos;
  std::uint64_t offset = 0;

  /// Linear lookups (a frontend indexes the graph once instead).
  [[nodiscard]] const tensor_proto* find_initializer(std::string_view n) const {
    for (const auto& t : initializers)
      if (t.name == n) return &t;
    return nullptr;
  }
  [[nodiscard]] const value_info* find_value_info(std::string_view n) const {
    for (const auto* list : {&inputs, &outputs, &value_infos})
      for (const auto& v : *list)
        if (v.name == n) return &v;
    return nullptr;
  }
};

/// OperatorSetIdProto.
struct opset_import {
  std::string_view domain;
  std::int64_t version = 0;
};

/// True for "" and "ai.onnx", the two spellings of the default operator set.
constexpr bool is_default_domain(std::string_view d) { return d.empty() || d == "ai.onnx"; }

/// FunctionProto (model-local functions).
struct function_proto {
  std::string_view name;
  std::string_view domain;
  std::string_view overload;
  std::vector<std::string_view> inputs;
  std::vector<std::string_view> outputs;
  std::vector<std::string_view> attribute_names;
  std::vector<attribute> attribute_defaults;
  std::vector<node> nodes;
  std::vector<opset_import> opset_imports;
  std::vector<value_info> value_infos;
  std::uint64_t offset = 0;
};

/// ModelProto.
struct model {
  std::int64_t ir_version = 0;
  std::vector<opset_import> opset_imports;
  std::string_view producer_name;
  std::string_view producer_version;
  std::string_view domain;
  std::int64_t model_version = 0;
  std::string_view doc_string;
  std::vector<string_entry> metadata_props;
  graph_proto graph;
  std::vector<function_proto> functions;

  std::string path;                                  ///< the model file (or the buffer's name)
  std::shared_ptr<const io::mapped_file> file;       ///< the mapping (null when loaded from memory)
  std::shared_ptr<const source_file> source;         ///< owns the bytes every view points into
  std::map<std::string, std::shared_ptr<const io::mapped_file>> external_files; ///< by resolved path

  /// The version imported for `domain` ("" and "ai.onnx" are the same); the
  /// highest if a domain is listed twice.
  [[nodiscard]] std::optional<std::int64_t> opset(std::string_view d) const {
    std::optional<std::int64_t> v;
    const bool def = is_default_domain(d);
    for (const auto& o : opset_imports)
      if (def ? is_default_domain(o.domain) : o.domain == d)
        if (!v || o.version > *v) v = o.version;
    return v;
  }
  /// The default-domain opset; an error when the model imports none.
  [[nodiscard]] std::int64_t onnx_opset() const {
    if (auto v = opset("")) return *v;
    throw error("the model imports no version of the default ONNX operator set", in_file(path));
  }
};

namespace detail {

/// Checks an external_data location: relative, inside the model's directory.
inline void check_external_location(std::string_view loc, const std::string& what, const error_location& where) {
  if (loc.empty()) throw error(what + ": external data without a location", where);
  if (loc.find('\0') != std::string_view::npos)
    throw error(what + ": external data location contains a NUL byte", where);
  if (loc.front() == '/' || loc.front() == '\\' || (loc.size() >= 2 && loc[1] == ':'))
    throw error(what + ": external data location '" + std::string(loc) + "' is an absolute path", where);
  std::size_t start = 0;
  while (start <= loc.size()) {
    std::size_t end = loc.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = loc.size();
    if (loc.substr(start, end - start) == "..")
      throw error(what + ": external data location '" + std::string(loc) + "' leaves the model's directory", where);
    start = end + 1;
  }
}

/// A non-negative decimal integer as written in external_data offset/length.
inline std::uint64_t parse_external_number(std::string_view s, const std::string& what, const error_location& where) {
  std::uint64_t v = 0;
  bool ok = !s.empty() && s.size() <= 20;
  for (char c : s) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      ok = false;
      break;
    }
    v = v * 10 + digit;
  }
  if (!ok) throw error(what + " '" + std::string(s) + "' is not a non-negative integer", where);
  return v;
}

class onnx_parser {
public:
  static constexpr int max_graph_depth = 64;

  onnx_parser(std::shared_ptr<const source_file> src, std::optional<std::string> external_dir,
              std::map<std::string, std::shared_ptr<const io::mapped_file>>& external_files)
      : src_(std::move(src)), external_dir_(std::move(external_dir)), external_files_(external_files) {}

  io::protobuf_reader root(std::string_view message) const {
    return io::protobuf_reader(src_->bytes, src_->path, 0, message);
  }

  void parse_model(io::protobuf_reader r, model& m) {
    io::protobuf_field f;
    bool has_graph = false;
    namespace F = fields::model_proto;
    while (r.next(f)) {
      switch (f.number) {
      case F::ir_version: r.expect(f, io::wire_type::varint); m.ir_version = r.read_int64(); break;
      case F::producer_name: str_field(r, f, m.producer_name); break;
      case F::producer_version: str_field(r, f, m.producer_version); break;
      case F::domain: str_field(r, f, m.domain); break;
      case F::model_version: r.expect(f, io::wire_type::varint); m.model_version = r.read_int64(); break;
      case F::doc_string: str_field(r, f, m.doc_string); break;
      case F::graph:
        r.expect(f, io::wire_type::length_delimited);
        if (!has_graph) m.graph.offset = f.offset;
        has_graph = true;
        parse_graph(r.read_message("GraphProto"), m.graph, 0); // a repeated message field merges
        break;
      case F::opset_import:
        r.expect(f, io::wire_type::length_delimited);
        m.opset_imports.push_back(parse_opset(r.read_message("OperatorSetIdProto")));
        break;
      case F::metadata_props:
        r.expect(f, io::wire_type::length_delimited);
        m.metadata_props.push_back(parse_entry(r.read_message("StringStringEntryProto")));
        break;
      case F::functions:
        r.expect(f, io::wire_type::length_delimited);
        m.functions.emplace_back();
        m.functions.back().offset = f.offset;
        parse_function(r.read_message("FunctionProto"), m.functions.back());
        break;
      default: r.skip(f);
      }
    }
    if (!has_graph) throw error("not an ONNX model: ModelProto has no graph", in_file(src_->path, 0));
  }

  void parse_tensor(io::protobuf_reader r, tensor_proto& t) {
    namespace F = fields::tensor_proto;
    t.source = src_;
    io::protobuf_field f;
    while (r.next(f)) {
      switch (f.number) {
      case F::dims: r.read_repeated_varint(f, t.dims); break;
      case F::data_type: r.expect(f, io::wire_type::varint); t.type = static_cast<data_type>(r.read_int32()); break;
      case F::segment: t.has_segment = true; r.skip(f); break;
      case F::float_data: typed(r, f, t, io::wire_type::fixed32); break;
      case F::int32_data: typed(r, f, t, io::wire_type::varint); break;
      case F::int64_data: typed(r, f, t, io::wire_type::varint); break;
      case F::double_data: typed(r, f, t, io::wire_type::fixed64); break;
      case F::uint64_data: typed(r, f, t, io::wire_type::varint); break;
      case F::string_data:
        r.expect(f, io::wire_type::length_delimited);
        t.string_data.push_back(r.read_string());
        break;
      case F::name: str_field(r, f, t.name); break;
      case F::raw_data:
        r.expect(f, io::wire_type::length_delimited);
        t.raw_data = r.read_bytes();
        t.has_raw_data = true;
        break;
      case F::external_data:
        r.expect(f, io::wire_type::length_delimited);
        t.external_data.push_back(parse_entry(r.read_message("StringStringEntryProto")));
        break;
      case F::data_location:
        r.expect(f, io::wire_type::varint);
        t.location = static_cast<data_location>(r.read_int32());
        break;
      default: r.skip(f);
      }
    }
    if (t.location == data_location::external) resolve_external(t);
    else if (t.location != data_location::default_)
      throw error("tensor '" + std::string(t.name) + "' has the unknown data_location " +
                      std::to_string(static_cast<std::int32_t>(t.location)),
                  in_file(src_->path, t.offset));
  }

private:
  void str_field(io::protobuf_reader& r, const io::protobuf_field& f, std::string_view& out) {
    r.expect(f, io::wire_type::length_delimited);
    out = r.read_string();
  }

  // A typed data field: keep the packed payload, or the run of unpacked fields, as a view.
  void typed(io::protobuf_reader& r, const io::protobuf_field& f, tensor_proto& t, io::wire_type element) {
    if (f.type == io::wire_type::length_delimited) {
      const auto payload = r.read_bytes();
      const std::uint64_t at = r.offset() - payload.size();
      if (element != io::wire_type::varint) {
        const std::size_t size = element == io::wire_type::fixed32 ? 4 : 8;
        if (payload.size() % size != 0)
          r.fail("packed field " + std::to_string(f.number) + " has " + std::to_string(payload.size()) +
                     " bytes, not a multiple of " + std::to_string(size),
                 f.offset);
      } else if (!payload.empty() && (std::to_integer<unsigned>(payload.back()) & 0x80u) != 0) {
        r.fail("packed field " + std::to_string(f.number) + " ends inside a varint", f.offset);
      }
      t.typed.push_back({f.number, true, payload, at});
      return;
    }
    r.expect(f, element);
    const std::size_t begin = static_cast<std::size_t>(f.offset - r.base_offset());
    r.skip(f);
    const std::size_t end = r.position();
    const auto all = r.bytes();
    if (!t.typed.empty()) {
      auto& last = t.typed.back();
      // Consecutive unpacked values of one field extend the previous run.
      if (!last.packed && last.field == f.number && last.offset + last.bytes.size() == f.offset) {
        last.bytes = std::span<const std::byte>(last.bytes.data(), last.bytes.size() + (end - begin));
        return;
      }
    }
    t.typed.push_back({f.number, false, all.subspan(begin, end - begin), f.offset});
  }

  void resolve_external(tensor_proto& t) {
    const std::string what = "tensor '" + std::string(t.name) + "'";
    const error_location where = in_file(src_->path, t.offset);
    std::string_view location;
    std::optional<std::uint64_t> offset, length;
    for (const auto& e : t.external_data) {
      if (e.key == "location") location = e.value;
      else if (e.key == "offset") offset = parse_external_number(e.value, what + ": external data offset", where);
      else if (e.key == "length") length = parse_external_number(e.value, what + ": external data length", where);
    }
    check_external_location(location, what, where);
    if (!external_dir_)
      throw error(what + ": has external data ('" + std::string(location) +
                      "') but the model was read from memory without a directory for it",
                  where);
    std::string path = external_dir_->empty() ? std::string(location) : *external_dir_ + "/" + std::string(location);
    auto it = external_files_.find(path);
    if (it == external_files_.end()) {
      std::shared_ptr<const io::mapped_file> file;
      try {
        file = io::mapped_file::open(path);
      } catch (const error& e) {
        throw error(what + ": external data file '" + path + "': " + e.message(), where);
      }
      it = external_files_.emplace(path, std::move(file)).first;
    }
    const auto& file = it->second;
    const std::uint64_t size = file->size();
    const std::uint64_t begin = offset.value_or(0);
    if (begin > size || (length && *length > size - begin))
      throw error(what + ": external data [" + std::to_string(begin) + ", " +
                      (length ? std::to_string(begin + *length) : std::string("end")) + ") lies beyond the end of '" +
                      path + "' (" + std::to_string(size) + " bytes)",
                  where);
    const std::uint64_t n = length.value_or(size - begin);
    t.raw_data = file->bytes().subspan(static_cast<std::size_t>(begin), static_cast<std::size_t>(n));
    t.has_raw_data = true;
    t.external_path = std::move(path);
    t.external_offset = begin;
    t.external_file = file;
  }

  string_entry parse_entry(io::protobuf_reader r) {
    string_entry e;
    io::protobuf_field f;
    while (r.next(f)) {
      if (f.number == fields::string_string_entry_proto::key) str_field(r, f, e.key);
      else if (f.number == fields::string_string_entry_proto::value) str_field(r, f, e.value);
      else r.skip(f);
    }
    return e;
  }

  opset_import parse_opset(io::protobuf_reader r) {
    opset_import o;
    io::protobuf_field f;
    while (r.next(f)) {
      if (f.number == fields::operator_set_id_proto::domain) str_field(r, f, o.domain);
      else if (f.number == fields::operator_set_id_proto::version) {
        r.expect(f, io::wire_type::varint);
        o.version = r.read_int64();
      } else r.skip(f);
    }
    return o;
  }

  // How often each field number below 32 occurs in a message: a quick skip
  // through it, so repeated fields are reserved once instead of regrown.
  static std::array<std::uint32_t, 32> count_fields(io::protobuf_reader r) {
    std::array<std::uint32_t, 32> count{};
    io::protobuf_field f;
    while (r.next(f)) {
      if (f.number < count.size()) ++count[f.number];
      r.skip(f);
    }
    return count;
  }

  void parse_graph(io::protobuf_reader r, graph_proto& g, int depth) {
    if (depth > max_graph_depth)
      r.fail("subgraphs nested deeper than " + std::to_string(max_graph_depth) + " levels", r.base_offset());
    namespace F = fields::graph_proto;
    {
      const auto count = count_fields(r);
      g.nodes.reserve(count[F::node]);
      g.initializers.reserve(count[F::initializer]);
    }
    io::protobuf_field f;
    while (r.next(f)) {
      switch (f.number) {
      case F::node:
        r.expect(f, io::wire_type::length_delimited);
        g.nodes.emplace_back();
        g.nodes.back().offset = f.offset;
        parse_node(r.read_message("NodeProto"), g.nodes.back(), depth);
        break;
      case F::name: str_field(r, f, g.name); break;
      case F::initializer:
        r.expect(f, io::wire_type::length_delimited);
        g.initializers.emplace_back();
        g.initializers.back().offset = f.offset;
        parse_tensor(r.read_message("TensorProto"), g.initializers.back());
        break;
      case F::sparse_initializer:
        r.expect(f, io::wire_type::length_delimited);
        g.sparse_initializers.emplace_back();
        g.sparse_initializers.back().offset = f.offset;
        parse_sparse(r.read_message("SparseTensorProto"), g.sparse_initializers.back());
        break;
      case F::input: value_info_field(r, f, g.inputs); break;
      case F::output: value_info_field(r, f, g.outputs); break;
      case F::value_info: value_info_field(r, f, g.value_infos); break;
      default: r.skip(f);
      }
    }
  }

  void value_info_field(io::protobuf_reader& r, const io::protobuf_field& f, std::vector<value_info>& out) {
    r.expect(f, io::wire_type::length_delimited);
    out.emplace_back();
    out.back().offset = f.offset;
    parse_value_info(r.read_message("ValueInfoProto"), out.back());
  }

  void parse_node(io::protobuf_reader r, node& n, int depth) {
    namespace F = fields::node_proto;
    {
      const auto count = count_fields(r);
      n.inputs.reserve(count[F::input]);
      n.outputs.reserve(count[F::output]);
      n.attributes.reserve(count[F::attribute]);
    }
    io::protobuf_field f;
    while (r.next(f)) {
      switch (f.number) {
      case F::input: r.expect(f, io::wire_type::length_delimited); n.inputs.push_back(r.read_string()); break;
      case F::output: r.expect(f, io::wire_type::length_delimited); n.outputs.push_back(r.read_string()); break;
      case F::name: str_field(r, f, n.name); break;
      case F::op_type: str_field(r, f, n.op_type); break;
      case F::domain: str_field(r, f, n.domain); break;
      case F::overload: str_field(r, f, n.overload); break;
      case F::attribute:
        r.expect(f, io::wire_type::length_delimited);
        n.attributes.emplace_back();
        n.attributes.back().offset = f.offset;
        parse_attribute(r.read_message("AttributeProto"), n.attributes.back(), depth);
        break;
      default: r.skip(f);
      }
    }
  }

  void parse_attribute(io::protobuf_reader r, attribute& a, int depth) {
    namespace F = fields::attribute_proto;
    io::protobuf_field f;
    attribute_type seen = attribute_type::undefined; // for IR version 1 files, which have no `type`
    while (r.next(f)) {
      switch (f.number) {
      case F::name: str_field(r, f, a.name); break;
      case F::ref_attr_name: str_field(r, f, a.ref_attr_name); break;
      case F::type: r.expect(f, io::wire_type::varint); a.type = static_cast<attribute_type>(r.read_int32()); break;
      case F::f: r.expect(f, io::wire_type::fixed32); a.f = r.read_float(); seen = attribute_type::float_; break;
      case F::i: r.expect(f, io::wire_type::varint); a.i = r.read_int64(); seen = attribute_type::int_; break;
      case F::s: str_field(r, f, a.s); seen = attribute_type::string; break;
      case F::t:
        r.expect(f, io::wire_type::length_delimited);
        if (!a.t) {
          a.t.emplace();
          a.t->offset = f.offset;
        }
        parse_tensor(r.read_message("TensorProto"), *a.t);
        seen = attribute_type::tensor;
        break;
      case F::g: {
        r.expect(f, io::wire_type::length_delimited);
        auto g = std::make_shared<graph_proto>();
        g->offset = f.offset;
        parse_graph(r.read_message("GraphProto"), *g, depth + 1);
        a.g = std::move(g);
        seen = attribute_type::graph;
        break;
      }
      case F::sparse_tensor:
        r.expect(f, io::wire_type::length_delimited);
        a.sparse_tensor.emplace();
        a.sparse_tensor->offset = f.offset;
        parse_sparse(r.read_message("SparseTensorProto"), *a.sparse_tensor);
        seen = attribute_type::sparse_tensor;
        break;
      case F::floats: r.read_repeated_float(f, a.floats); seen = attribute_type::floats; break;
      case F::ints: r.read_repeated_varint(f, a.ints); seen = attribute_type::ints; break;
      case F::strings:
        r.expect(f, io::wire_type::length_delimited);
        a.strings.push_back(r.read_string());
        seen = attribute_type::strings;
        break;
      case F::tensors:
        r.expect(f, io::wire_type::length_delimited);
        a.tensors.emplace_back();
        a.tensors.back().offset = f.offset;
        parse_tensor(r.read_message("TensorProto"), a.tensors.back());
        seen = attribute_type::tensors;
        break;
      case F::graphs:
        r.expect(f, io::wire_type::length_delimited);
        a.graphs.emplace_back();
        a.graphs.back().offset = f.offset;
        parse_graph(r.read_message("GraphProto"), a.graphs.back(), depth + 1);
        seen = attribute_type::graphs;
        break;
      case F::sparse_tensors:
        r.expect(f, io::wire_type::length_delimited);
        a.sparse_tensors.emplace_back();
        a.sparse_tensors.back().offset = f.offset;
        parse_sparse(r.read_message("SparseTensorProto"), a.sparse_tensors.back());
        seen = attribute_type::sparse_tensors;
        break;
      case F::tp: r.skip(f); seen = attribute_type::type_proto; break;
      case F::type_protos: r.skip(f); seen = attribute_type::type_protos; break;
      default: r.skip(f);
      }
    }
    if (a.type == attribute_type::undefined) a.type = seen;
  }

  void parse_sparse(io::protobuf_reader r, sparse_tensor_proto& s) {
    namespace F = fields::sparse_tensor_proto;
    io::protobuf_field f;
    while (r.next(f)) {
      switch (f.number) {
      case F::values:
        r.expect(f, io::wire_type::length_delimited);
        s.values.offset = f.offset;
        parse_tensor(r.read_message("TensorProto"), s.values);
        break;
      case F::indices:
        r.expect(f, io::wire_type::length_delimited);
        s.indices.offset = f.offset;
        parse_tensor(r.read_message("TensorProto"), s.indices);
        break;
      case F::dims: r.read_repeated_varint(f, s.dims); break;
      default: r.skip(f);
      }
    }
  }

  void parse_value_info(io::protobuf_reader r, value_info& v) {
    namespace F = fields::value_info_proto;
    io::protobuf_field f;
    while (r.next(f)) {
      if (f.number == F::name) str_field(r, f, v.name);
      else if (f.number == F::type) {
        r.expect(f, io::wire_type::length_delimited);
        parse_type(r.read_message("TypeProto"), v);
      } else r.skip(f);
    }
  }

  void parse_type(io::protobuf_reader r, value_info& v) {
    namespace F = fields::type_proto;
    io::protobuf_field f;
    while (r.next(f)) {
      switch (f.number) {
      case F::tensor_type:
      case F::sparse_tensor_type:
        r.expect(f, io::wire_type::length_delimited);
        v.kind = f.number == F::tensor_type ? type_kind::tensor : type_kind::sparse_tensor;
        parse_tensor_type(r.read_message("TypeProto.Tensor"), v);
        break;
      // Sequences, maps, optionals and opaque types: the kind is enough (irforge converts tensors).
      case F::sequence_type:
      case F::map_type:
      case F::optional_type:
      case F::opaque_type:
        r.expect(f, io::wire_type::length_delimited);
        r.skip(f);
        v.kind = f.number == F::sequence_type ? type_kind::sequence
                 : f.number == F::map_type    ? type_kind::map
                 : f.number == F::optional_type ? type_kind::optional
                                                : type_kind::opaque;
        break;
      case F::denotation: str_field(r, f, v.denotation); break;
      default: r.skip(f);
      }
    }
  }

  void parse_tensor_type(io::protobuf_reader r, value_info& v) {
    namespace F = fields::type_proto::tensor;
    io::protobuf_field f;
    while (r.next(f)) {
      if (f.number == F::elem_type) {
        r.expect(f, io::wire_type::varint);
        v.elem_type = static_cast<data_type>(r.read_int32());
      } else if (f.number == F::shape) {
        r.expect(f, io::wire_type::length_delimited);
        if (!v.shape) v.shape.emplace();
        parse_shape(r.read_message("TensorShapeProto"), *v.shape);
      } else r.skip(f);
    }
  }

  void parse_shape(io::protobuf_reader r, std::vector<dimension_proto>& dims) {
    io::protobuf_field f;
    while (r.next(f)) {
      if (f.number != fields::tensor_shape_proto::dim) {
        r.skip(f);
        continue;
      }
      r.expect(f, io::wire_type::length_delimited);
      io::protobuf_reader d = r.read_message("TensorShapeProto.Dimension");
      namespace D = fields::tensor_shape_proto::dimension;
      dimension_proto dim;
      io::protobuf_field g;
      while (d.next(g)) {
        if (g.number == D::dim_value) {
          d.expect(g, io::wire_type::varint);
          dim.value = d.read_int64();
          dim.param = {};
        } else if (g.number == D::dim_param) {
          str_field(d, g, dim.param);
          dim.value.reset(); // a oneof: the last member set wins
        } else if (g.number == D::denotation) {
          str_field(d, g, dim.denotation);
        } else d.skip(g);
      }
      dims.push_back(dim);
    }
  }

  void parse_function(io::protobuf_reader r, function_proto& fn) {
    namespace F = fields::function_proto;
    io::protobuf_field f;
    while (r.next(f)) {
      switch (f.number) {
      case F::name: str_field(r, f, fn.name); break;
      case F::domain: str_field(r, f, fn.domain); break;
      case F::overload: str_field(r, f, fn.overload); break;
      case F::input: r.expect(f, io::wire_type::length_delimited); fn.inputs.push_back(r.read_string()); break;
      case F::output: r.expect(f, io::wire_type::length_delimited); fn.outputs.push_back(r.read_string()); break;
      case F::attribute:
        r.expect(f, io::wire_type::length_delimited);
        fn.attribute_names.push_back(r.read_string());
        break;
      case F::attribute_proto:
        r.expect(f, io::wire_type::length_delimited);
        fn.attribute_defaults.emplace_back();
        fn.attribute_defaults.back().offset = f.offset;
        parse_attribute(r.read_message("AttributeProto"), fn.attribute_defaults.back(), 0);
        break;
      case F::node:
        r.expect(f, io::wire_type::length_delimited);
        fn.nodes.emplace_back();
        fn.nodes.back().offset = f.offset;
        parse_node(r.read_message("NodeProto"), fn.nodes.back(), 0);
        break;
      case F::opset_import:
        r.expect(f, io::wire_type::length_delimited);
        fn.opset_imports.push_back(parse_opset(r.read_message("OperatorSetIdProto")));
        break;
      case F::value_info: value_info_field(r, f, fn.value_infos); break;
      default: r.skip(f);
      }
    }
  }

  std::shared_ptr<const source_file> src_;
  std::optional<std::string> external_dir_; ///< nullopt: external data is an error
  std::map<std::string, std::shared_ptr<const io::mapped_file>>& external_files_;
};

/// The directory part of a path ("" for a bare file name: the current directory).
inline std::string parent_directory(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return {};
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

inline model parse_model(std::shared_ptr<const source_file> src, std::optional<std::string> external_dir) {
  model m;
  m.path = src->path;
  m.file = src->file;
  m.source = src;
  onnx_parser p(src, std::move(external_dir), m.external_files);
  p.parse_model(p.root("ModelProto"), m);
  return m;
}

} // namespace detail

/// Reads an ONNX model file (memory-mapped; nothing is copied). External data
/// is looked up relative to the model's directory.
inline model load_model(const std::string& path) {
  auto src = std::make_shared<source_file>();
  src->path = path;
  src->file = io::mapped_file::open(path);
  src->bytes = src->file->bytes();
  if (src->bytes.empty()) throw error("not an ONNX model: the file is empty", in_file(path));
  return detail::parse_model(std::move(src), detail::parent_directory(path));
}

/// Reads an ONNX model from memory (the model takes the buffer). `name` is
/// used in messages; external data is looked up in `external_data_dir`, and
/// is an error when no directory is given.
inline model load_model_from_buffer(std::vector<std::byte> bytes, std::string name = "<memory>",
                                    std::optional<std::string> external_data_dir = std::nullopt) {
  auto src = std::make_shared<source_file>();
  src->path = std::move(name);
  src->buffer = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
  src->bytes = std::span<const std::byte>(src->buffer->data(), src->buffer->size());
  if (src->bytes.empty()) throw error("not an ONNX model: the buffer is empty", in_file(src->path));
  return detail::parse_model(std::move(src), std::move(external_data_dir));
}

/// Reads a serialized TensorProto file (.pb, as the ONNX backend tests store
/// inputs and outputs). The tensor keeps the mapping alive.
inline tensor_proto load_tensor_proto(const std::string& path) {
  auto src = std::make_shared<source_file>();
  src->path = path;
  src->file = io::mapped_file::open(path);
  src->bytes = src->file->bytes();
  std::map<std::string, std::shared_ptr<const io::mapped_file>> external_files;
  detail::onnx_parser p(src, detail::parent_directory(path), external_files);
  tensor_proto t;
  p.parse_tensor(p.root("TensorProto"), t);
  return t;
}

/// Parses a serialized TensorProto held in memory (the tensor takes the buffer).
inline tensor_proto parse_tensor_proto(std::vector<std::byte> bytes, std::string name = "<memory>",
                                       std::optional<std::string> external_data_dir = std::nullopt) {
  auto src = std::make_shared<source_file>();
  src->path = std::move(name);
  src->buffer = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
  src->bytes = std::span<const std::byte>(src->buffer->data(), src->buffer->size());
  std::map<std::string, std::shared_ptr<const io::mapped_file>> external_files;
  detail::onnx_parser p(src, std::move(external_data_dir), external_files);
  tensor_proto t;
  p.parse_tensor(p.root("TensorProto"), t);
  return t;
}

} // namespace irforge::onnx
