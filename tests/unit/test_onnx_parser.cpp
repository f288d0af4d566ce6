// The ONNX parser and writer: builder -> parser round trips (every attribute type, every
// element type, raw/typed/external data), malformed files, the real-model corpus, the ONNX
// backend test data, and a mutation fuzz.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "irforge/frontends/onnx/model.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/frontends/onnx/writer.hpp"
#include "irforge/io/protobuf_reader.hpp"
#include "irforge/io/protobuf_writer.hpp"

using namespace irforge;
namespace fs = std::filesystem;
using onnx::attribute_type;
using onnx::data_type;
using onnx::tensor_encoding;

namespace test_onnx_parser_tests {  // unity-build scope: file-local helpers stay apart

namespace {

const std::string corpus_dir = IRFORGE_SOURCE_DIR "/../shared/corpus/onnx";
const std::string backend_node_dir = "/usr/share/libonnx-testdata/data/node";

// A directory removed at the end of the test.
struct temp_dir {
  fs::path path;
  temp_dir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("irforge_onnx_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void write_file(const std::string& path, const std::vector<std::byte>& bytes) {
  std::ofstream os(path, std::ios::binary);
  os.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

template <class F> error error_of(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e;
  }
  FAIL("no irforge::error was thrown");
  return error("");
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Every tensor of a graph, subgraphs included.
void for_each_tensor(const onnx::graph_proto& g, const std::function<void(const onnx::tensor_proto&)>& f) {
  for (const auto& t : g.initializers) f(t);
  for (const auto& n : g.nodes)
    for (const auto& a : n.attributes) {
      if (a.t) f(*a.t);
      for (const auto& t : a.tensors) f(t);
      if (a.g) for_each_tensor(*a.g, f);
      for (const auto& sg : a.graphs) for_each_tensor(sg, f);
    }
}

// Parses and converts everything convertible; what a frontend would touch.
std::size_t load_and_convert(std::vector<std::byte> bytes) {
  auto m = onnx::load_model_from_buffer(std::move(bytes), "fuzz.onnx");
  std::size_t n = 0;
  for_each_tensor(m.graph, [&](const onnx::tensor_proto& t) {
    if (onnx::to_element_type(t.type)) n += onnx::to_tensor(t).bytes().size();
  });
  for (const auto& s : m.graph.sparse_initializers) n += onnx::to_dense_tensor(s).bytes().size();
  for (const auto& v : m.graph.inputs) (void)v.to_partial_shape();
  return n;
}

std::vector<std::byte> read_bytes(const std::string& path) {
  std::ifstream is(path, std::ios::binary);
  std::vector<char> c((std::istreambuf_iterator<char>(is)), std::istreambuf_iterator<char>());
  std::vector<std::byte> b(c.size());
  std::memcpy(b.data(), c.data(), c.size());
  return b;
}

// Deterministic test bytes.
std::vector<std::byte> pattern(std::size_t n, unsigned seed) {
  std::vector<std::byte> b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::byte>((i * 37 + seed * 101 + 11) & 0xff);
  return b;
}

// A ModelProto around a hand-written GraphProto (for files the builder refuses to write).
std::vector<std::byte> model_around(const io::protobuf_writer& graph) {
  io::protobuf_writer opset;
  opset.string_field(1, "");
  opset.int64_field(2, 13);
  io::protobuf_writer m;
  m.int64_field(1, 8);
  m.message_field(7, graph);
  m.message_field(8, opset);
  return m.bytes();
}

bool points_into(std::span<const std::byte> inner, std::span<const std::byte> outer) {
  return !inner.empty() && inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

// The end of the top-level graph field (ModelProto field 7) in a serialized model.
std::size_t graph_end(const std::vector<std::byte>& b) {
  io::protobuf_reader r(b);
  io::protobuf_field f;
  std::size_t end = 0;
  while (r.next(f)) {
    r.skip(f);
    if (f.number == onnx::fields::model_proto::graph) end = r.position();
  }
  return end;
}

// A model with every attribute type and a subgraph, used by several tests.
onnx::model_builder sample_model() {
  onnx::model_builder b("sample");
  b.opset("", 13).opset("com.microsoft", 1).producer("irforge-test", "1.2").model_version(3);
  b.doc_string("a doc").metadata("author", "tests");
  b.input("x", element_type::f32, {"N", 3, onnx::dim_spec{}, 5});
  b.input("u", element_type::i64);
  b.input("flag", element_type::boolean, {});
  b.output("y", element_type::f32, {"N", 3});
  b.value_info("mid", element_type::f16, {2});
  b.initializer("w", tensor::from_values<float>({2, 2}, {1.0f, -2.0f, 3.5f, 4.0f}));
  b.initializer("big", tensor::from_bytes(element_type::f32, {64, 32}, pattern(64 * 32 * 4, 1)));

  onnx::graph_builder then_g("then_body");
  then_g.initializer("sub_w", tensor::from_values<std::int64_t>({2}, {7, -8}));
  then_g.node("Add", {"x", "sub_w"}, {"t_out"}, "then_add");
  then_g.output("t_out", element_type::f32, {"N"});
  onnx::graph_builder else_g("else_body");
  else_g.node("Neg", {"x"}, {"e_out"});
  else_g.output("e_out", element_type::f32);

  b.node("Custom", {"x", "", "w"}, {"y", "y2"}, "custom", "com.microsoft")
      .f("alpha", 0.25f)
      .i("axis", -3)
      .s("mode", "linear")
      .t("value", tensor::from_values<std::int32_t>({3}, {1, -2, 3}))
      .g("then_branch", then_g)
      .floats("scales", {1.5f, -2.0f})
      .ints("pads", {0, 1, -1, 9000000000})
      .strings("names", {"a", "", "ccc"})
      .tensors("list", {tensor::scalar<double>(2.5), tensor::from_values<std::uint8_t>({2}, {0, 255})})
      .graphs("bodies", {then_g, else_g})
      .i("zero", 0)
      .floats("empty_floats", {});
  b.node("Relu", {"y"}, {"z"});
  return b;
}

} // namespace

TEST_CASE("onnx: builder -> parser round trip with every attribute type") {
  const auto bytes = sample_model().serialize();
  const auto m = onnx::load_model_from_buffer(bytes, "sample.onnx");
  CHECK(m.path == "sample.onnx");
  CHECK(m.ir_version == 8);
  CHECK(m.producer_name == "irforge-test");
  CHECK(m.producer_version == "1.2");
  CHECK(m.model_version == 3);
  CHECK(m.doc_string == "a doc");
  REQUIRE(m.metadata_props.size() == 1);
  CHECK(m.metadata_props[0].key == "author");
  CHECK(m.metadata_props[0].value == "tests");
  REQUIRE(m.opset_imports.size() == 2);
  CHECK(m.opset("") == 13);
  CHECK(m.opset("ai.onnx") == 13);
  CHECK(m.onnx_opset() == 13);
  CHECK(m.opset("com.microsoft") == 1);
  CHECK_FALSE(m.opset("ai.onnx.ml").has_value());

  const auto& g = m.graph;
  CHECK(g.name == "sample");
  REQUIRE(g.inputs.size() == 3);
  CHECK(g.inputs[0].name == "x");
  CHECK(g.inputs[0].kind == onnx::type_kind::tensor);
  CHECK(g.inputs[0].elem_type == data_type::float32);
  REQUIRE(g.inputs[0].shape);
  REQUIRE(g.inputs[0].shape->size() == 4);
  CHECK((*g.inputs[0].shape)[0].param == "N");
  CHECK_FALSE((*g.inputs[0].shape)[0].value.has_value());
  CHECK((*g.inputs[0].shape)[1].value == 3);
  CHECK_FALSE((*g.inputs[0].shape)[2].value.has_value());
  CHECK((*g.inputs[0].shape)[2].param.empty());
  CHECK(g.inputs[0].to_partial_shape() == partial_shape{dimension::dynamic(), 3, dimension::dynamic(), 5});
  CHECK(g.inputs[1].elem_type == data_type::int64);
  CHECK_FALSE(g.inputs[1].shape.has_value());
  CHECK_FALSE(g.inputs[1].to_partial_shape().rank_is_static());
  CHECK(g.inputs[2].elem_type == data_type::boolean);
  REQUIRE(g.inputs[2].shape);
  CHECK(g.inputs[2].shape->empty()); // a scalar
  REQUIRE(g.outputs.size() == 1);
  CHECK(g.outputs[0].name == "y");
  REQUIRE(g.value_infos.size() == 1);
  CHECK(g.value_infos[0].elem_type == data_type::float16);
  CHECK(g.find_value_info("mid") == &g.value_infos[0]);

  REQUIRE(g.initializers.size() == 2);
  CHECK(g.find_initializer("w") == &g.initializers[0]);
  CHECK(g.find_initializer("nope") == nullptr);
  const tensor w = onnx::to_tensor(g.initializers[0]);
  CHECK(w.dims() == shape{2, 2});
  CHECK(w.values<float>() == std::vector<float>{1.0f, -2.0f, 3.5f, 4.0f});

  REQUIRE(g.nodes.size() == 2);
  const auto& n = g.nodes[0];
  CHECK(n.name == "custom");
  CHECK(n.op_type == "Custom");
  CHECK(n.domain == "com.microsoft");
  CHECK(n.inputs == std::vector<std::string_view>{"x", "", "w"});
  CHECK(n.outputs == std::vector<std::string_view>{"y", "y2"});
  CHECK(n.offset > 0);
  REQUIRE(n.attributes.size() == 12);
  CHECK(n.find("missing") == nullptr);

  const auto* a = n.find("alpha");
  REQUIRE(a);
  CHECK(a->type == attribute_type::float_);
  CHECK(a->f == 0.25f);
  CHECK(n.find("axis")->type == attribute_type::int_);
  CHECK(n.find("axis")->i == -3);
  CHECK(n.find("zero")->type == attribute_type::int_);
  CHECK(n.find("zero")->i == 0);
  CHECK(n.find("mode")->type == attribute_type::string);
  CHECK(n.find("mode")->s == "linear");
  a = n.find("value");
  REQUIRE(a->t);
  CHECK(a->type == attribute_type::tensor);
  CHECK(onnx::to_tensor(*a->t).values<std::int32_t>() == std::vector<std::int32_t>{1, -2, 3});
  a = n.find("then_branch");
  CHECK(a->type == attribute_type::graph);
  REQUIRE(a->g);
  CHECK(a->g->name == "then_body");
  REQUIRE(a->g->nodes.size() == 1);
  CHECK(a->g->nodes[0].op_type == "Add");
  CHECK(a->g->nodes[0].name == "then_add");
  REQUIRE(a->g->initializers.size() == 1);
  CHECK(onnx::to_tensor(a->g->initializers[0]).values<std::int64_t>() == std::vector<std::int64_t>{7, -8});
  REQUIRE(a->g->outputs.size() == 1);
  CHECK((*a->g->outputs[0].shape)[0].param == "N");
  CHECK(n.find("scales")->type == attribute_type::floats);
  CHECK(n.find("scales")->floats == std::vector<float>{1.5f, -2.0f});
  CHECK(n.find("pads")->type == attribute_type::ints);
  CHECK(n.find("pads")->ints == std::vector<std::int64_t>{0, 1, -1, 9000000000});
  CHECK(n.find("names")->type == attribute_type::strings);
  CHECK(n.find("names")->strings == std::vector<std::string_view>{"a", "", "ccc"});
  a = n.find("list");
  CHECK(a->type == attribute_type::tensors);
  REQUIRE(a->tensors.size() == 2);
  CHECK(onnx::to_tensor(a->tensors[0]).values<double>() == std::vector<double>{2.5});
  CHECK(onnx::to_tensor(a->tensors[0]).dims().empty());
  CHECK(onnx::to_tensor(a->tensors[1]).values<std::uint8_t>() == std::vector<std::uint8_t>{0, 255});
  a = n.find("bodies");
  CHECK(a->type == attribute_type::graphs);
  REQUIRE(a->graphs.size() == 2);
  CHECK(a->graphs[0].name == "then_body");
  CHECK(a->graphs[1].name == "else_body");
  CHECK(a->graphs[1].nodes.at(0).op_type == "Neg");
  CHECK(a->graphs[1].nodes.at(0).name.empty());
  CHECK(n.find("empty_floats")->type == attribute_type::floats);
  CHECK(n.find("empty_floats")->floats.empty());
  CHECK(g.nodes[1].op_type == "Relu");
  CHECK(g.nodes[1].domain.empty());
  CHECK(g.nodes[1].attributes.empty());

  // The same bytes through a file: identical content, views into the mapping.
  temp_dir dir;
  const std::string path = dir / "sample.onnx";
  sample_model().save(path);
  CHECK(read_bytes(path) == bytes); // deterministic
  CHECK(fs::directory_iterator(dir.path) != fs::directory_iterator()); // no temp file is left:
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  const auto mf = onnx::load_model(path);
  REQUIRE(mf.file);
  CHECK(mf.path == path);
  const tensor big = onnx::to_tensor(*mf.graph.find_initializer("big"));
  CHECK(points_into(big.bytes(), mf.file->bytes())); // zero copy
  CHECK(std::equal(big.bytes().begin(), big.bytes().end(), pattern(64 * 32 * 4, 1).begin()));
  CHECK(big.owner() == mf.source);
}

TEST_CASE("onnx: IR-version-1 attributes without a type field get it from the value") {
  io::protobuf_writer attr;
  attr.string_field(1, "k");
  attr.int64_field(3, 42); // i, no `type`
  io::protobuf_writer attr2;
  attr2.string_field(1, "l");
  attr2.int64_field(8, 1);
  attr2.int64_field(8, 2);
  io::protobuf_writer node;
  node.string_field(4, "Op");
  node.message_field(5, attr);
  node.message_field(5, attr2);
  io::protobuf_writer graph;
  graph.message_field(1, node);
  const auto m = onnx::load_model_from_buffer(model_around(graph));
  REQUIRE(m.graph.nodes.size() == 1);
  CHECK(m.graph.nodes[0].find("k")->type == attribute_type::int_);
  CHECK(m.graph.nodes[0].find("k")->i == 42);
  CHECK(m.graph.nodes[0].find("l")->type == attribute_type::ints);
  CHECK(m.graph.nodes[0].find("l")->ints == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("onnx: tensors of every supported element type, raw and typed (packed and unpacked)") {
  const std::vector<element_type> types = {
      element_type::f32, element_type::f64, element_type::f16, element_type::bf16, element_type::i8,
      element_type::i16, element_type::i32, element_type::i64, element_type::u8,   element_type::u16,
      element_type::u32, element_type::u64, element_type::boolean, element_type::i4, element_type::u4};
  const std::vector<tensor_encoding> encodings = {tensor_encoding::raw_data, tensor_encoding::typed,
                                                  tensor_encoding::typed_unpacked};
  onnx::model_builder b;
  std::vector<std::pair<std::string, tensor>> expected;
  unsigned seed = 0;
  for (element_type t : types) {
    for (const shape& s : {shape{2, 3}, shape{5}, shape{}, shape{0, 4}}) {
      ++seed;
      const std::uint64_t count = element_count(s);
      auto bytes = pattern(static_cast<std::size_t>(byte_size(t, count)), seed);
      if (t == element_type::boolean)
        for (auto& x : bytes) x = std::byte{static_cast<unsigned char>(std::to_integer<unsigned>(x) & 1u)};
      const tensor value = tensor::from_bytes(t, s, bytes);
      for (tensor_encoding e : encodings) {
        const std::string name = std::string(to_string(t)) + partial_shape(s).to_string() + "_" +
                                 std::to_string(static_cast<int>(e));
        b.initializer(name, value, e);
        expected.emplace_back(name, value);
      }
    }
  }
  const auto m = onnx::load_model_from_buffer(b.serialize(), "types.onnx");
  REQUIRE(m.graph.initializers.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& tp = m.graph.initializers[i];
    CAPTURE(expected[i].first);
    CHECK(tp.name == expected[i].first);
    CHECK(tp.type == onnx::to_data_type(expected[i].second.type()));
    const tensor got = onnx::to_tensor(tp);
    CHECK(got.same_content(expected[i].second));
    const bool raw = i % 3 == 0;
    CHECK(tp.has_raw_data == raw);
    if (raw && !got.bytes().empty()) {
      CHECK(points_into(got.bytes(), m.source->bytes)); // a view of the model
      CHECK(got.owner() == m.source);
    }
    if (!raw) CHECK(tp.typed.empty() == (got.element_count() == 0));
  }
}

TEST_CASE("onnx: typed fields carry 16-bit floats, bool, small ints and uint32 as ONNX specifies") {
  namespace F = onnx::fields::tensor_proto;
  auto tensor_bytes = [](data_type type, std::vector<std::int64_t> dims, auto&& fill) {
    io::protobuf_writer w;
    for (auto d : dims) w.int64_field(F::dims, d);
    w.int32_field(F::data_type, static_cast<std::int32_t>(type));
    fill(w);
    return w.bytes();
  };
  // FLOAT16 bit patterns in int32_data: 1.0, -2.0, 65504 (max), -0.0.
  auto t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::float16, {4}, [](auto& w) {
    w.packed_varint_field(F::int32_data, std::vector<std::int32_t>{0x3C00, 0xC000, 0x7BFF, 0x8000});
  })));
  CHECK(t.type() == element_type::f16);
  CHECK(t.as_f64() == std::vector<double>{1.0, -2.0, 65504.0, -0.0});
  std::vector<std::uint16_t> bits(4);
  std::memcpy(bits.data(), t.bytes().data(), 8);
  CHECK(bits == std::vector<std::uint16_t>{0x3C00, 0xC000, 0x7BFF, 0x8000});
  // BFLOAT16: 1.0, -3.0.
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::bfloat16, {2}, [](auto& w) {
    w.packed_varint_field(F::int32_data, std::vector<std::int32_t>{0x3F80, 0xC040});
  })));
  CHECK(t.as_f64() == std::vector<double>{1.0, -3.0});
  // BOOL: any non-zero value is true; INT8 -128 (sign-extended on the wire); UINT16 65535.
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::boolean, {3}, [](auto& w) {
    w.packed_varint_field(F::int32_data, std::vector<std::int32_t>{0, 5, 1});
  })));
  CHECK(t.values<std::uint8_t>() == std::vector<std::uint8_t>{0, 1, 1});
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::int8, {2}, [](auto& w) {
    w.int32_field(F::int32_data, -128); // unpacked
    w.int32_field(F::int32_data, 127);
  })));
  CHECK(t.values<std::int8_t>() == std::vector<std::int8_t>{-128, 127});
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::uint16, {1}, [](auto& w) {
    w.packed_varint_field(F::int32_data, std::vector<std::int32_t>{65535});
  })));
  CHECK(t.values<std::uint16_t>() == std::vector<std::uint16_t>{65535});
  // UINT32 and UINT64 live in uint64_data.
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::uint32, {2}, [](auto& w) {
    w.packed_varint_field(F::uint64_data, std::vector<std::uint64_t>{4294967295u, 7});
  })));
  CHECK(t.values<std::uint32_t>() == std::vector<std::uint32_t>{4294967295u, 7});
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::uint64, {1}, [](auto& w) {
    w.packed_varint_field(F::uint64_data, std::vector<std::uint64_t>{18446744073709551615u});
  })));
  CHECK(t.values<std::uint64_t>() == std::vector<std::uint64_t>{18446744073709551615u});
  // Packed and unpacked runs of one field concatenate.
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::float32, {2, 2}, [](auto& w) {
    w.packed_fixed_field(F::float_data, std::vector<float>{1.0f, 2.0f});
    w.float_field(F::float_data, 3.0f);
    w.float_field(F::float_data, 4.0f);
  })));
  CHECK(t.values<float>() == std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::int64, {3}, [](auto& w) {
    w.int64_field(F::int64_data, -1);
    w.packed_varint_field(F::int64_data, std::vector<std::int64_t>{-9000000000, 5});
  })));
  CHECK(t.values<std::int64_t>() == std::vector<std::int64_t>{-1, -9000000000, 5});
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::float64, {1}, [](auto& w) {
    w.double_field(F::double_data, -0.125);
  })));
  CHECK(t.values<double>() == std::vector<double>{-0.125});
  // INT4: each int32_data value is a byte holding two elements (low nibble first).
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::int4, {3}, [](auto& w) {
    w.packed_varint_field(F::int32_data, std::vector<std::int32_t>{0x8F, 0x07});
  })));
  CHECK(t.type() == element_type::i4);
  CHECK(t.bytes().size() == 2);
  CHECK(std::to_integer<int>(t.bytes()[0]) == 0x8F);
  // A zero-element tensor needs no data.
  t = onnx::to_tensor(onnx::parse_tensor_proto(tensor_bytes(data_type::float32, {0, 3}, [](auto&) {})));
  CHECK(t.element_count() == 0);
  CHECK(t.dims() == shape{0, 3});
}

TEST_CASE("onnx: sparse initializers become dense tensors") {
  namespace F = onnx::fields::tensor_proto;
  auto tensor_msg = [](data_type type, std::vector<std::int64_t> dims, auto&& fill) {
    io::protobuf_writer w;
    for (auto d : dims) w.int64_field(F::dims, d);
    w.int32_field(F::data_type, static_cast<std::int32_t>(type));
    fill(w);
    return w;
  };
  auto values = tensor_msg(data_type::float32, {3}, [](auto& w) {
    w.string_field(F::name, "sp");
    w.packed_fixed_field(F::float_data, std::vector<float>{1, 2, 3});
  });
  auto linear = tensor_msg(data_type::int64, {3}, [](auto& w) {
    w.packed_varint_field(F::int64_data, std::vector<std::int64_t>{0, 4, 5});
  });
  auto coords = tensor_msg(data_type::int64, {3, 2}, [](auto& w) {
    w.packed_varint_field(F::int64_data, std::vector<std::int64_t>{0, 0, 1, 1, 1, 2});
  });
  auto out_of_range = tensor_msg(data_type::int64, {3}, [](auto& w) {
    w.packed_varint_field(F::int64_data, std::vector<std::int64_t>{0, 4, 6});
  });
  io::protobuf_writer graph;
  for (const auto* idx : {&linear, &coords, &out_of_range}) {
    io::protobuf_writer sparse;
    sparse.message_field(1, values);
    sparse.message_field(2, *idx);
    sparse.int64_field(3, 2);
    sparse.int64_field(3, 3);
    graph.message_field(onnx::fields::graph_proto::sparse_initializer, sparse);
  }
  const auto m = onnx::load_model_from_buffer(model_around(graph));
  REQUIRE(m.graph.sparse_initializers.size() == 3);
  CHECK(m.graph.sparse_initializers[0].dims == std::vector<std::int64_t>{2, 3});
  const std::vector<float> dense{1, 0, 0, 0, 2, 3};
  CHECK(onnx::to_dense_tensor(m.graph.sparse_initializers[0]).values<float>() == dense);
  CHECK(onnx::to_dense_tensor(m.graph.sparse_initializers[1]).values<float>() == dense);
  CHECK(onnx::to_dense_tensor(m.graph.sparse_initializers[1]).dims() == shape{2, 3});
  CHECK_THROWS_AS((void)onnx::to_dense_tensor(m.graph.sparse_initializers[2]), error);
}

TEST_CASE("onnx: external data") {
  temp_dir dir;
  const tensor a = tensor::from_bytes(element_type::f32, {64, 64}, pattern(64 * 64 * 4, 3));
  const tensor b = tensor::from_values<std::int64_t>({3}, {1, -2, 3});
  const tensor c = tensor::from_bytes(element_type::f16, {100}, pattern(200, 4));
  const tensor d = tensor::from_values<float>({2}, {5.0f, 6.0f});

  SUBCASE("written by the builder, mapped once, views of the data file") {
    onnx::model_builder mb;
    mb.initializer("a", a, tensor_encoding::external)
        .initializer("b", b, tensor_encoding::external)
        .initializer("c", c, tensor_encoding::external)
        .initializer("d", d);
    const std::string path = dir / "model.onnx";
    mb.save(path);
    CHECK(fs::exists(dir / "model.onnx.data"));
    CHECK_THROWS_AS((void)mb.serialize(), error); // external data needs save()
    const auto m = onnx::load_model(path);
    CHECK(m.external_files.size() == 1);
    const auto& file = m.external_files.begin()->second;
    CHECK(file->path() == dir / "model.onnx.data");
    const std::vector<const tensor*> want{&a, &b, &c, &d};
    for (std::size_t i = 0; i < 4; ++i) {
      const auto& tp = m.graph.initializers[i];
      CAPTURE(tp.name);
      const tensor t = onnx::to_tensor(tp);
      CHECK(t.same_content(*want[i]));
      if (i < 3) {
        CHECK(tp.is_external());
        CHECK(tp.external_offset % 4096 == 0);
        CHECK(points_into(t.bytes(), file->bytes()));
        CHECK(t.owner() == tp.external_file);
        CHECK(tp.external_file == file);
      } else {
        CHECK_FALSE(tp.is_external());
      }
    }
    // The data file must stay beside the model.
    mb.external_data_location("../outside.bin");
    CHECK_THROWS_AS(mb.save(dir / "model3.onnx"), error);
    CHECK_FALSE(fs::exists(dir / "model3.onnx"));
    // External data inside a subgraph is not written by the builder.
    onnx::graph_builder sub("body");
    CHECK_THROWS_AS((void)sub.initializer("s", a, tensor_encoding::external).encode(), error);
    // A custom file name.
    mb.external_data_location("weights.bin");
    mb.save(dir / "model2.onnx");
    const auto m2 = onnx::load_model(dir / "model2.onnx");
    CHECK(m2.graph.initializers[0].external_path == dir / "weights.bin");
    CHECK(onnx::to_tensor(m2.graph.initializers[0]).same_content(a));
  }

  // Hand-placed data: 8 junk bytes, then 4 floats.
  fs::create_directories(dir.path / "sub");
  std::vector<std::byte> data(8 + 16);
  const float values[4] = {1.5f, -2.5f, 3.5f, -4.5f};
  std::memcpy(data.data() + 8, values, 16);
  write_file(dir / "sub/data.bin", data);
  auto load_with = [&](std::function<void(onnx::model_builder&)> add) {
    onnx::model_builder mb;
    add(mb);
    mb.save(dir / "hand.onnx");
    return onnx::load_model(dir / "hand.onnx");
  };
  // A model whose initializer "w" (FLOAT [4]) is external data at `loc`.
  auto external_w = [&](const std::string& loc, std::optional<std::uint64_t> offset = std::nullopt,
                        std::optional<std::uint64_t> length = std::nullopt) {
    return load_with([&](auto& mb) { mb.external_initializer("w", data_type::float32, {4}, loc, offset, length); });
  };

  SUBCASE("offset and length, a subdirectory, no length") {
    auto m = load_with([](auto& mb) {
      mb.external_initializer("w", data_type::float32, {4}, "sub/data.bin", 8, 16);
      mb.external_initializer("v", data_type::float32, {2, 2}, "sub/data.bin", 8);
      mb.external_initializer("u", data_type::float32, {2}, "sub/data.bin", 16, 8);
    });
    CHECK(m.external_files.size() == 1);
    CHECK(onnx::to_tensor(m.graph.initializers[0]).values<float>() == std::vector<float>{1.5f, -2.5f, 3.5f, -4.5f});
    CHECK(onnx::to_tensor(m.graph.initializers[1]).values<float>() == std::vector<float>{1.5f, -2.5f, 3.5f, -4.5f});
    CHECK(onnx::to_tensor(m.graph.initializers[2]).values<float>() == std::vector<float>{3.5f, -4.5f});
  }
  SUBCASE("a missing file") {
    auto e = error_of([&] { (void)external_w("missing.bin"); });
    CHECK(contains(e.what(), "'w'"));
    CHECK(contains(e.what(), "missing.bin"));
    CHECK(contains(e.what(), "hand.onnx"));
  }
  SUBCASE("a file too short for offset + length") {
    auto e = error_of([&] { (void)external_w("sub/data.bin", 16, 16); });
    CHECK(contains(e.what(), "'w'"));
    CHECK(contains(e.what(), "[16, 32)"));
    CHECK(contains(e.what(), "24 bytes"));
    e = error_of([&] { (void)external_w("sub/data.bin", 100); });
    CHECK(contains(e.what(), "beyond the end"));
    // The range fits the file but not the shape: caught by to_tensor.
    auto m = external_w("sub/data.bin", 8, 8);
    e = error_of([&] { (void)onnx::to_tensor(m.graph.initializers[0]); });
    CHECK(contains(e.what(), "'w'"));
    CHECK(contains(e.what(), "8 bytes"));
    CHECK(contains(e.what(), "needs 16 bytes"));
    CHECK(contains(e.what(), "data.bin"));
  }
  SUBCASE("locations escaping the model's directory") {
    for (const char* loc :
         {"../data.bin", "sub/../../data.bin", "..", "/etc/passwd", "..\\data.bin", "C:\\x.bin", ""}) {
      CAPTURE(loc);
      auto e = error_of([&] { (void)external_w(loc); });
      CHECK(contains(e.what(), "'w'"));
      CHECK((contains(e.what(), "leaves the model's directory") || contains(e.what(), "absolute path") ||
             contains(e.what(), "without a location")));
    }
    // "a..b" is an ordinary file name, not an escape.
    write_file(dir / "a..b", data);
    auto m = external_w("a..b", 8, 16);
    CHECK(onnx::to_tensor(m.graph.initializers[0]).values<float>()[0] == 1.5f);
  }
  SUBCASE("a bad offset, a model from memory") {
    namespace F = onnx::fields::tensor_proto;
    auto with_offset = [&](std::string_view offset) {
      io::protobuf_writer t;
      t.int64_field(F::dims, 4);
      t.int32_field(F::data_type, 1);
      t.string_field(F::name, "w");
      using entry = std::pair<std::string_view, std::string_view>;
      for (auto [k, v] : {entry{"location", "sub/data.bin"}, entry{"offset", offset}}) {
        io::protobuf_writer e;
        e.string_field(1, k);
        e.string_field(2, v);
        t.message_field(F::external_data, e);
      }
      t.int32_field(F::data_location, 1);
      io::protobuf_writer g;
      g.message_field(onnx::fields::graph_proto::initializer, t);
      return model_around(g);
    };
    const std::string here = dir.path.string();
    auto e = error_of([&] { (void)onnx::load_model_from_buffer(with_offset("8x"), "m.onnx", here); });
    CHECK(contains(e.what(), "offset '8x'"));
    e = error_of([&] { (void)onnx::load_model_from_buffer(with_offset("-8"), "m.onnx", here); });
    CHECK(contains(e.what(), "offset '-8'"));
    e = error_of([&] { (void)onnx::load_model_from_buffer(with_offset("99999999999999999999999"), "m.onnx", here); });
    CHECK(contains(e.what(), "not a non-negative integer"));
    const auto m = onnx::load_model_from_buffer(with_offset("8"), "m.onnx", here);
    CHECK(onnx::to_tensor(m.graph.initializers[0]).values<float>()[3] == -4.5f);
    e = error_of([&] { (void)onnx::load_model_from_buffer(with_offset("8"), "m.onnx"); });
    CHECK(contains(e.what(), "from memory"));
  }
}

TEST_CASE("onnx: malformed tensors are clear errors") {
  onnx::model_builder b;
  b.raw_initializer("conv1.weight", data_type::float32, {2, 3}, pattern(20, 0));
  b.raw_initializer("neg", data_type::float32, {-1, 2}, {});
  b.raw_initializer("undef", data_type::undefined, {1}, pattern(4, 0));
  b.raw_initializer("str", data_type::string, {1}, {});
  b.raw_initializer("cplx", data_type::complex64, {1}, pattern(8, 0));
  b.raw_initializer("f8", data_type::float8e4m3fn, {1}, pattern(1, 0));
  b.raw_initializer("odd", static_cast<data_type>(99), {1}, pattern(1, 0));
  b.raw_initializer("huge", data_type::float32, {1 << 30, 1 << 30, 1 << 30}, {});
  const auto m = onnx::load_model_from_buffer(b.serialize(), "bad.onnx");
  auto msg = [&](std::size_t i) {
    return std::string(error_of([&] { (void)onnx::to_tensor(m.graph.initializers[i]); }).what());
  };
  const std::string size = msg(0);
  CHECK(contains(size, "bad.onnx at byte "));
  CHECK(contains(size, "'conv1.weight'"));
  CHECK(contains(size, "raw_data has 20 bytes, but FLOAT [2,3] needs 24 bytes"));
  CHECK(contains(msg(1), "'neg' has a negative dimension in its shape [-1,2]"));
  CHECK(contains(msg(2), "'undef' has no data type (UNDEFINED)"));
  CHECK(contains(msg(3), "'str' has data type STRING, which irforge does not support"));
  CHECK(contains(msg(4), "COMPLEX64"));
  CHECK(contains(msg(5), "FLOAT8E4M3FN"));
  CHECK(contains(msg(6), "UNKNOWN(99)"));
  CHECK(contains(msg(7), "'huge'"));

  namespace F = onnx::fields::tensor_proto;
  io::protobuf_writer t;
  t.int64_field(F::dims, 2);
  t.int64_field(F::dims, 2);
  t.int32_field(F::data_type, 1);
  t.string_field(F::name, "few");
  t.packed_fixed_field(F::float_data, std::vector<float>{1, 2, 3});
  auto e = error_of([&] { (void)onnx::to_tensor(onnx::parse_tensor_proto(t.bytes(), "few.pb")); });
  CHECK(contains(e.what(), "'few': float_data has 3 values, but FLOAT [2,2] needs 4"));
  io::protobuf_writer none;
  none.int64_field(F::dims, 2);
  none.int32_field(F::data_type, 7);
  none.string_field(F::name, "empty");
  e = error_of([&] { (void)onnx::to_tensor(onnx::parse_tensor_proto(none.bytes())); });
  CHECK(contains(e.what(), "'empty' of INT64 [2] has no data"));
  io::protobuf_writer seg;
  seg.int32_field(F::data_type, 1);
  seg.bytes_field(F::segment, {});
  CHECK_THROWS_AS((void)onnx::to_tensor(onnx::parse_tensor_proto(seg.bytes())), error);
  io::protobuf_writer odd;
  odd.int32_field(F::data_type, 1);
  odd.bytes_field(F::float_data, pattern(7, 0));
  e = error_of([&] { (void)onnx::parse_tensor_proto(odd.bytes(), "odd.pb"); });
  CHECK(contains(e.what(), "odd.pb at byte 2: TensorProto: packed field 4 has 7 bytes, not a multiple of 4"));
  io::protobuf_writer loc;
  loc.int32_field(F::data_location, 5);
  CHECK_THROWS_AS((void)onnx::parse_tensor_proto(loc.bytes()), error);
}

TEST_CASE("onnx: truncated, garbage and non-ONNX inputs are errors, never crashes") {
  const auto bytes = sample_model().serialize();
  const std::size_t end_of_graph = graph_end(bytes);
  REQUIRE(end_of_graph > 1000);
  std::size_t errors = 0;
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    std::vector<std::byte> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    try {
      (void)load_and_convert(std::move(prefix));
      CHECK(cut >= end_of_graph); // only a cut after the graph can leave a valid model
    } catch (const error&) {
      ++errors;
    }
  }
  CHECK(errors >= end_of_graph);
  MESSAGE("truncation: " << errors << " of " << bytes.size() << " cuts are errors");

  const auto e = error_of([&] {
    (void)onnx::load_model_from_buffer(std::vector<std::byte>(bytes.begin(), bytes.begin() + 100), "cut.onnx");
  });
  CHECK(e.where().file == "cut.onnx");
  CHECK(e.where().offset.has_value());

  std::mt19937 rng(12345);
  for (int i = 0; i < 300; ++i) {
    std::vector<std::byte> garbage(1 + rng() % 3000);
    for (auto& x : garbage) x = static_cast<std::byte>(rng());
    CHECK_THROWS_AS((void)onnx::load_model_from_buffer(std::move(garbage)), error);
  }
  const std::string text = "this is not an ONNX model, just some text\n";
  const auto* text_bytes = reinterpret_cast<const std::byte*>(text.data());
  CHECK_THROWS_AS((void)onnx::load_model_from_buffer(std::vector<std::byte>(text_bytes, text_bytes + text.size())),
                  error);
  CHECK_THROWS_AS((void)onnx::load_model_from_buffer({}), error);
  CHECK_THROWS_AS((void)onnx::load_model(IRFORGE_SOURCE_DIR "/no/such/model.onnx"), error);
  temp_dir dir;
  write_file(dir / "empty.onnx", {});
  CHECK_THROWS_AS((void)onnx::load_model(dir / "empty.onnx"), error);
  // A TensorProto is valid protobuf but not a model.
  const auto tensor_file = onnx::serialize_tensor(tensor::from_values<float>({2}, {1, 2}), "t");
  CHECK_THROWS_AS((void)onnx::load_model_from_buffer(tensor_file), error);
  // A known field with the wrong wire type names the message and the offset.
  io::protobuf_writer w;
  w.string_field(1, "8");
  const auto we = error_of([&] { (void)onnx::load_model_from_buffer(w.bytes(), "w.onnx"); });
  CHECK(std::string(we.what()) ==
        "w.onnx at byte 0: ModelProto: field 1 has wire type length-delimited, expected varint");
}

TEST_CASE("onnx: subgraph nesting is limited") {
  auto nested = [](int depth) {
    onnx::graph_builder inner("g0");
    inner.node("Identity", {"a"}, {"b"});
    for (int i = 1; i < depth; ++i) {
      onnx::graph_builder outer("g" + std::to_string(i));
      outer.node("If", {"c"}, {"b"}).g("then_branch", inner);
      inner = outer;
    }
    onnx::model_builder mb;
    mb.node("If", {"c"}, {"b"}).g("then_branch", inner);
    return mb.serialize();
  };
  const auto m = onnx::load_model_from_buffer(nested(20));
  const onnx::graph_proto* g = &m.graph;
  int depth = 0;
  while (!g->nodes.empty() && g->nodes[0].find("then_branch")) {
    g = g->nodes[0].find("then_branch")->g.get();
    ++depth;
  }
  CHECK(depth == 20);
  CHECK(g->name == "g0");
  const auto e = error_of([&] { (void)onnx::load_model_from_buffer(nested(100)); });
  CHECK(contains(e.what(), "nested deeper than 64"));
}

TEST_CASE("onnx: tensor files (.pb) round trip") {
  temp_dir dir;
  const tensor t = tensor::from_values<std::int16_t>({2, 2}, {-1, 2, -300, 4});
  onnx::write_tensor_file(dir / "input_0.pb", t, "x");
  const tensor back = onnx::read_tensor_file(dir / "input_0.pb");
  CHECK(back.same_content(t));
  CHECK(onnx::load_tensor_proto(dir / "input_0.pb").name == "x");
  onnx::write_tensor_file(dir / "typed.pb", t, "y", tensor_encoding::typed);
  CHECK(onnx::read_tensor_file(dir / "typed.pb").same_content(t));
  CHECK(onnx::load_tensor_proto(dir / "typed.pb").int32_values() == std::vector<std::int32_t>{-1, 2, -300, 4});
}

TEST_CASE("onnx: a large model is parsed without copying its weights") {
  onnx::model_builder b;
  b.input("x", element_type::f32, {"N", 64, 56, 56});
  std::string prev = "x";
  std::vector<tensor> weights;
  for (int i = 0; i < 24; ++i) { // 24 x 1 MB
    const auto seed = static_cast<unsigned>(i);
    weights.push_back(tensor::from_bytes(element_type::f32, {256, 256, 2, 2}, pattern(256 * 256 * 2 * 2 * 4, seed)));
    const std::string w = "w" + std::to_string(i), y = "y" + std::to_string(i);
    b.initializer(w, weights.back());
    b.node("Conv", {prev, w}, {y}, "conv" + std::to_string(i)).ints("strides", {1, 1});
    prev = y;
  }
  b.output(prev, element_type::f32);
  const auto m = onnx::load_model_from_buffer(b.serialize());
  REQUIRE(m.graph.initializers.size() == 24);
  for (std::size_t i = 0; i < 24; ++i) {
    const tensor t = onnx::to_tensor(m.graph.initializers[i]);
    CHECK(points_into(t.bytes(), m.source->bytes));
    CHECK(t.same_content(weights[i]));
  }
}

TEST_CASE("onnx: mutation fuzz of a built model (only irforge::error)") {
  const auto original = sample_model().serialize();
  std::mt19937 rng(2024);
  int ok = 0, errors = 0;
  for (int i = 0; i < 2000; ++i) {
    auto b = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      const std::size_t pos = rng() % b.size();
      switch (rng() % 4) {
      case 0: b[pos] ^= static_cast<std::byte>(1u << (rng() % 8)); break;
      case 1: b[pos] = static_cast<std::byte>(rng()); break;
      case 2: b.resize(pos + 1); break;
      default: b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::byte>(rng())); break;
      }
    }
    try {
      (void)load_and_convert(std::move(b));
      ++ok;
    } catch (const error&) {
      ++errors;
    } catch (const std::exception& e) {
      FAIL("not an irforge::error: " << e.what());
    }
  }
  MESSAGE("fuzz (built model): " << ok << " parsed, " << errors << " rejected");
  CHECK(ok + errors == 2000);
  CHECK(errors > 0);
}

TEST_SUITE("corpus") {
  TEST_CASE("onnx corpus: every model parses, every tensor converts") {
    if (!fs::exists(corpus_dir)) {
      MESSAGE("skipped: " << corpus_dir << " is absent");
      return;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(corpus_dir))
      if (e.is_regular_file() && e.path().extension() == ".onnx") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    std::size_t nodes = 0, tensors = 0, bytes = 0, pb_files = 0;
    for (const auto& f : files) {
      CAPTURE(f);
      try {
        const auto m = onnx::load_model(f);
        CHECK(m.graph.outputs.size() > 0);
        nodes += m.graph.nodes.size();
        for_each_tensor(m.graph, [&](const onnx::tensor_proto& t) {
          ++tensors;
          bytes += onnx::to_tensor(t).bytes().size();
        });
        // Backend-test style data beside the model.
        const fs::path data = fs::path(f).parent_path() / "test_data_set_0";
        if (!fs::exists(data)) continue;
        // input_N is the N-th graph input that is not an initializer (older models list
        // initializers among the inputs); output_N the N-th output.
        std::vector<const onnx::value_info*> inputs;
        for (const auto& v : m.graph.inputs)
          if (!m.graph.find_initializer(v.name)) inputs.push_back(&v);
        for (const auto& e : fs::directory_iterator(data)) {
          const std::string name = e.path().filename().string();
          const bool is_input = name.rfind("input_", 0) == 0;
          const std::size_t index = std::stoul(name.substr(is_input ? 6 : 7));
          const auto* vi = is_input ? inputs.at(index) : &m.graph.outputs.at(index);
          if (vi->kind != onnx::type_kind::tensor) continue; // sequences etc. are other messages
          const auto t = onnx::load_tensor_proto(e.path().string());
          ++pb_files;
          CHECK(t.type == vi->elem_type);
          if (onnx::to_element_type(t.type)) {
            const tensor v = onnx::to_tensor(t);
            if (vi->shape) CHECK(vi->to_partial_shape().compatible(partial_shape(v.dims())));
          }
        }
      } catch (const error& e) {
        FAIL(e.what());
      }
    }
    MESSAGE("onnx corpus: " << files.size() << " models, " << nodes << " nodes, " << tensors << " tensors ("
                            << bytes << " bytes), " << pb_files << " tensor files");
    CHECK(files.size() >= 150);
  }

  TEST_CASE("onnx corpus: known facts of two models") {
    const std::string mnist = corpus_dir + "/wonnx/opt-mnist.onnx";
    const std::string expand = corpus_dir + "/onnx/simple/test_expand_shape_model1";
    if (!fs::exists(mnist) || !fs::exists(expand)) {
      MESSAGE("skipped: corpus absent");
      return;
    }
    // The ONNX model zoo MNIST (CNTK 2.5.1, opset 8).
    const auto m = onnx::load_model(mnist);
    CHECK(m.producer_name == "CNTK");
    CHECK(m.onnx_opset() == 8);
    CHECK(m.graph.name == "CNTKGraph");
    std::vector<std::string_view> ops;
    for (const auto& n : m.graph.nodes) ops.push_back(n.op_type);
    CHECK(ops ==
          std::vector<std::string_view>{"Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm"});
    CHECK(m.graph.inputs.at(0).name == "Input3");
    CHECK(m.graph.inputs.at(0).to_partial_shape() == partial_shape{1, 1, 28, 28});
    CHECK(m.graph.outputs.at(0).name == "Plus214_Output_0");
    CHECK(m.graph.outputs.at(0).to_partial_shape() == partial_shape{1, 10});
    CHECK(m.graph.nodes[0].find("kernel_shape")->ints == std::vector<std::int64_t>{5, 5});
    CHECK(m.graph.nodes[5].find("strides")->ints == std::vector<std::int64_t>{3, 3});
    // Weights stored in the typed fields (float_data, int64_data) in this file.
    const auto* shape_init = m.graph.find_initializer("Pooling160_Output_0_reshape0_shape");
    REQUIRE(shape_init);
    CHECK_FALSE(shape_init->has_raw_data);
    CHECK(onnx::to_tensor(*shape_init).values<std::int64_t>() == std::vector<std::int64_t>{1, 256});
    CHECK(onnx::to_tensor(*m.graph.find_initializer("Parameter5")).dims() == shape{8, 1, 5, 5});
    CHECK(onnx::to_tensor(*m.graph.find_initializer("Parameter193_reshape1")).dims() == shape{256, 10});

    // onnx/backend/test/case/model/expand.py, first case.
    const auto e = onnx::load_model(expand + "/model.onnx");
    CHECK(e.producer_name == "backend-test");
    CHECK(e.onnx_opset() == 9);
    REQUIRE(e.graph.nodes.size() == 1);
    CHECK(e.graph.nodes[0].op_type == "Expand");
    CHECK(e.graph.nodes[0].name == "test");
    CHECK(e.graph.inputs.at(1).elem_type == data_type::int64);
    const tensor x = onnx::read_tensor_file(expand + "/test_data_set_0/input_0.pb");
    CHECK(x.dims() == shape{1, 3, 1});
    CHECK(x.values<float>() == std::vector<float>{1, 1, 1});
    const tensor s = onnx::read_tensor_file(expand + "/test_data_set_0/input_1.pb");
    CHECK(s.values<std::int64_t>() == std::vector<std::int64_t>{3, 1});
  }

  TEST_CASE("onnx corpus: truncating a real model at many points") {
    const std::string mnist = corpus_dir + "/wonnx/opt-mnist.onnx";
    if (!fs::exists(mnist)) {
      MESSAGE("skipped: corpus absent");
      return;
    }
    const auto bytes = read_bytes(mnist);
    const std::size_t end = graph_end(bytes);
    std::size_t errors = 0, cuts = 0;
    for (std::size_t cut = 0; cut < bytes.size(); cut += 1 + cut / 64) {
      ++cuts;
      try {
        (void)load_and_convert(std::vector<std::byte>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)));
        CHECK(cut >= end);
      } catch (const error&) {
        ++errors;
      }
    }
    MESSAGE("opt-mnist truncated at " << cuts << " points: " << errors << " errors");
    CHECK(errors > 0);
  }

  TEST_CASE("onnx corpus: mutation fuzz of real models (only irforge::error)") {
    const std::vector<std::string> models = {corpus_dir + "/wonnx/opt-mnist.onnx",
                                             corpus_dir + "/opencv_extra/onnx/models/two_convolution.onnx",
                                             corpus_dir + "/onnx/simple/test_expand_shape_model1/model.onnx"};
    if (!fs::exists(models[0])) {
      MESSAGE("skipped: corpus absent");
      return;
    }
    std::mt19937 rng(7);
    int ok = 0, errors = 0;
    for (const auto& path : models) {
      const auto original = read_bytes(path);
      REQUIRE(!original.empty());
      for (int i = 0; i < 1200; ++i) {
        auto b = original;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < edits; ++k) {
          const std::size_t pos = rng() % b.size();
          switch (rng() % 4) {
          case 0: b[pos] ^= static_cast<std::byte>(1u << (rng() % 8)); break;
          case 1: b[pos] = static_cast<std::byte>(rng()); break;
          case 2: b.resize(pos + 1); break;
          default: b.erase(b.begin() + static_cast<std::ptrdiff_t>(pos)); break;
          }
          if (b.empty()) b.push_back(std::byte{0x08});
        }
        try {
          (void)load_and_convert(std::move(b));
          ++ok;
        } catch (const error&) {
          ++errors;
        } catch (const std::exception& e) {
          FAIL("not an irforge::error: " << e.what());
        }
      }
    }
    MESSAGE("fuzz (corpus): " << ok << " parsed, " << errors << " rejected");
    CHECK(ok + errors == 3600);
  }
}

TEST_SUITE("backend") {
  TEST_CASE("onnx backend node tests: every model.onnx and every input/output .pb") {
    if (!fs::exists(backend_node_dir)) {
      MESSAGE("skipped: " << backend_node_dir << " is absent (Debian package libonnx-testdata)");
      return;
    }
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(backend_node_dir))
      if (e.is_directory()) dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    std::size_t models = 0, converted = 0, unsupported_type = 0, not_tensor = 0, bf16_as_u16 = 0, shape_quirks = 0;
    for (const auto& d : dirs) {
      CAPTURE(d.string());
      try {
        const auto m = onnx::load_model((d / "model.onnx").string());
        ++models;
        for_each_tensor(m.graph, [&](const onnx::tensor_proto& t) {
          if (onnx::to_element_type(t.type)) (void)onnx::to_tensor(t);
        });
        for (const auto& set : fs::directory_iterator(d)) {
          if (!set.is_directory()) continue;
          for (const auto& f : fs::directory_iterator(set.path())) {
            const std::string name = f.path().filename().string();
            const bool is_input = name.rfind("input_", 0) == 0, is_output = name.rfind("output_", 0) == 0;
            if (!(is_input || is_output) || f.path().extension() != ".pb") continue;
            const std::size_t index = std::stoul(name.substr(is_input ? 6 : 7));
            const auto& list = is_input ? m.graph.inputs : m.graph.outputs;
            REQUIRE(index < list.size());
            const auto& vi = list[index];
            if (vi.kind != onnx::type_kind::tensor) {
              ++not_tensor; // a SequenceProto / OptionalProto / MapProto, not a TensorProto
              continue;
            }
            const auto t = onnx::load_tensor_proto(f.path().string());
            // Quirk of this test data: older ONNX wrote BFLOAT16 data as UINT16 tensors.
            if (vi.elem_type == data_type::bfloat16 && t.type == data_type::uint16) ++bf16_as_u16;
            else CHECK(t.type == vi.elem_type);
            if (!onnx::to_element_type(t.type)) {
              ++unsupported_type;
              CHECK_THROWS_AS((void)onnx::to_tensor(t), error);
              continue;
            }
            const tensor v = onnx::to_tensor(t);
            if (vi.shape && !vi.to_partial_shape().compatible(partial_shape(v.dims()))) {
              // Another quirk: CastLike's 'like' input is stored as [1] where the model declares [3,4].
              CHECK(contains(d.filename().string(), "castlike"));
              ++shape_quirks;
            }
            ++converted;
          }
        }
      } catch (const error& e) {
        FAIL(e.what());
      }
    }
    MESSAGE("onnx backend node tests: " << models << " models; tensor files: " << converted << " converted, "
                                        << unsupported_type << " of unsupported types (string, float8, ...), "
                                        << not_tensor << " not tensors; quirks: " << bf16_as_u16
                                        << " BFLOAT16 stored as UINT16, " << shape_quirks
                                        << " shapes differing from the model");
    CHECK(models >= 900);
    CHECK(converted >= 2500);
  }

  TEST_CASE("onnx backend node tests: known facts (Conv with strides and padding, If)") {
    if (!fs::exists(backend_node_dir)) {
      MESSAGE("skipped: " << backend_node_dir << " is absent");
      return;
    }
    // onnx/backend/test/case/node/conv.py, export_conv_with_strides.
    const std::string conv = backend_node_dir + "/test_conv_with_strides_padding";
    const auto m = onnx::load_model(conv + "/model.onnx");
    REQUIRE(m.graph.nodes.size() == 1);
    const auto& n = m.graph.nodes[0];
    CHECK(n.op_type == "Conv");
    CHECK(n.inputs == std::vector<std::string_view>{"x", "W"});
    CHECK(n.find("kernel_shape")->ints == std::vector<std::int64_t>{3, 3});
    CHECK(n.find("pads")->ints == std::vector<std::int64_t>{1, 1, 1, 1});
    CHECK(n.find("strides")->ints == std::vector<std::int64_t>{2, 2});
    const tensor x = onnx::read_tensor_file(conv + "/test_data_set_0/input_0.pb");
    CHECK(x.dims() == shape{1, 1, 7, 5});
    std::vector<float> iota(35);
    for (int i = 0; i < 35; ++i) iota[static_cast<std::size_t>(i)] = static_cast<float>(i);
    CHECK(x.values<float>() == iota);
    const tensor y = onnx::read_tensor_file(conv + "/test_data_set_0/output_0.pb");
    CHECK(y.dims() == shape{1, 1, 4, 3});
    CHECK(y.values<float>() == std::vector<float>{12, 27, 24, 63, 108, 81, 123, 198, 141, 112, 177, 124});

    // onnx/backend/test/case/node/if_.py, export_if: constants in both branches.
    const auto i = onnx::load_model(backend_node_dir + "/test_if/model.onnx");
    CHECK(i.onnx_opset() == 11);
    const auto& node = i.graph.nodes.at(0);
    CHECK(node.op_type == "If");
    const auto* then_b = node.find("then_branch");
    const auto* else_b = node.find("else_branch");
    REQUIRE(then_b);
    REQUIRE(else_b);
    CHECK(then_b->g->name == "then_body");
    CHECK(else_b->g->name == "else_body");
    const auto& then_const = then_b->g->nodes.at(0);
    CHECK(then_const.op_type == "Constant");
    CHECK(onnx::to_tensor(*then_const.find("value")->t).values<float>() == std::vector<float>{1, 2, 3, 4, 5});
    CHECK(onnx::to_tensor(*else_b->g->nodes.at(0).find("value")->t).values<float>() ==
          std::vector<float>{5, 4, 3, 2, 1});
  }
}

} // namespace test_onnx_parser_tests
