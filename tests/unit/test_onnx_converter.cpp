// The ONNX converter: mapping, naming and traceability, opset-dependent
// semantics, determinism, zero-copy weights, and bad models.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/frontends/onnx/writer.hpp"
#include "irforge/ir/writer.hpp"
#include "support/test_paths.hpp"

using namespace irforge;

namespace test_onnx_converter_tests {  // unity-build scope

namespace {
graph convert_built(const onnx::model_builder& b) {
  const onnx::model m = onnx::load_model_from_buffer(b.serialize(), "built.onnx");
  return onnx::convert(m);
}

std::map<std::string, int> op_counts(const graph& g) {
  std::map<std::string, int> out;
  for (auto id : g.nodes()) ++out[std::string(g.node(id).op.type_name())];
  return out;
}

node_id find(const graph& g, std::string_view name) {
  for (auto id : g.nodes())
    if (g.node(id).name == name) return id;
  FAIL("no node " << name);
  return 0;
}

tensor weights(shape dims, float start = 0.5f) {
  std::vector<float> v(static_cast<std::size_t>(element_count(dims)));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = start + 0.01f * static_cast<float>(i % 97);
  return tensor::from_values<float>(std::move(dims), v);
}

onnx::model_builder conv_model() {
  onnx::model_builder b("g");
  b.opset("", 13);
  b.input("x", element_type::f32, {1, 4, 8, 8});
  b.output("y", element_type::f32, {1, 6, 8, 8});
  b.initializer("w", weights({6, 2, 3, 3}));
  b.initializer("b", weights({6}));
  b.node("Conv", {"x", "w", "b"}, {"c"}, "conv").ints("pads", {1, 1, 1, 1}).i("group", 2);
  b.node("Identity", {"c"}, {"c_alias"}, "id");
  b.node("Relu", {"c_alias"}, {"y"}, "relu");
  b.node("Sigmoid", {"x"}, {"unused"}, "dead_end"); // no output needs it
  return b;
}
} // namespace

TEST_CASE("onnx: a grouped conv with bias becomes GroupConvolution + Add, names traced") {
  const graph g = convert_built(conv_model());
  const auto counts = op_counts(g);
  CHECK(counts.at("GroupConvolution") == 1);
  CHECK(counts.at("Add") == 1);
  CHECK(counts.at("ReLU") == 1);
  CHECK(counts.count("Sigmoid") == 0); // dead code dropped
  CHECK(counts.count("Identity") == 0);

  const node_id conv = find(g, "conv/WithoutBiases");
  CHECK(g.node(conv).source_names == std::vector<std::string>{"conv"});
  const auto weights_port = g.input(conv, 1);
  CHECK(g.info(weights_port).shape == partial_shape{2, 3, 2, 3, 3});
  const node_id add = find(g, "conv");
  // The Identity's output name stays on the tensor it aliases.
  const auto& names = g.port({add, 0}).names;
  CHECK(std::find(names.begin(), names.end(), "c") != names.end());
  CHECK(std::find(names.begin(), names.end(), "c_alias") != names.end());
  CHECK(g.info({add, 0}).shape == partial_shape{1, 6, 8, 8});
  // The result keeps the graph output's name.
  CHECK(g.node(g.results()[0]).name == "y/sink_port_0");
}

TEST_CASE("onnx: weights stay views into the model file (copied at most once, into the .bin)") {
  const auto dir = test::temp_dir("onnx_zero_copy");
  conv_model().save((dir / "m.onnx").string());
  const onnx::model m = onnx::load_model((dir / "m.onnx").string());
  const graph g = onnx::convert(m);
  const auto file = m.file->bytes();
  std::size_t constants = 0;
  for (auto id : g.nodes())
    if (const auto* c = g.node(id).op.get_if<ops::Constant>(); c && c->value.bytes().size() > 16) {
      ++constants;
      const auto* p = c->value.bytes().data();
      CHECK((p >= file.data() && p + c->value.bytes().size() <= file.data() + file.size()));
    }
  CHECK(constants == 2); // the grouped weights and the [1,6,1,1] bias: both re-shaped views, no copies
  std::filesystem::remove_all(dir);
}

TEST_CASE("onnx: conversion is deterministic") {
  std::string x1, x2;
  std::vector<std::byte> b1, b2;
  ir::serialize(convert_built(conv_model()), x1, b1);
  ir::serialize(convert_built(conv_model()), x2, b2);
  CHECK(x1 == x2);
  CHECK(b1 == b2);
}

TEST_CASE("onnx: opset decides the semantics") {
  SUBCASE("Reshape: shape attribute before opset 5, input after") {
    onnx::model_builder b("g");
    b.opset("", 1);
    b.input("x", element_type::f32, {2, 3, 4});
    b.output("y", element_type::f32, {6, 4});
    b.node("Reshape", {"x"}, {"y"}, "r").ints("shape", {6, 4});
    const graph g = convert_built(b);
    CHECK(g.info(g.input(g.results()[0], 0)).shape == partial_shape{6, 4});
  }
  SUBCASE("Squeeze: axes attribute before opset 13") {
    onnx::model_builder b("g");
    b.opset("", 11);
    b.input("x", element_type::f32, {1, 3, 1});
    b.output("y", element_type::f32, {3, 1});
    b.node("Squeeze", {"x"}, {"y"}, "s").ints("axes", {0});
    const graph g = convert_built(b);
    CHECK(g.info(g.input(g.results()[0], 0)).shape == partial_shape{3, 1});
  }
  SUBCASE("Softmax before opset 13 flattens at axis") {
    onnx::model_builder b("g");
    b.opset("", 11);
    b.input("x", element_type::f32, {2, 3, 4});
    b.output("y", element_type::f32, {2, 3, 4});
    b.node("Softmax", {"x"}, {"y"}, "sm"); // axis 1: over 3*4 values
    const graph g = convert_built(b);
    const auto counts = op_counts(g);
    CHECK(counts.at("Reshape") == 2);
    CHECK(g.info(g.input(g.results()[0], 0)).shape == partial_shape{2, 3, 4});
  }
  SUBCASE("Softmax from opset 13 is one op on the given axis") {
    onnx::model_builder b("g");
    b.opset("", 13);
    b.input("x", element_type::f32, {2, 3, 4});
    b.output("y", element_type::f32, {2, 3, 4});
    b.node("Softmax", {"x"}, {"y"}, "sm").i("axis", 1);
    const graph g = convert_built(b);
    CHECK(op_counts(g).count("Reshape") == 0);
    CHECK(g.node(find(g, "sm")).op.attributes() == std::vector<std::pair<std::string, std::string>>{{"axis", "1"}});
  }
}

TEST_CASE("onnx: shape sub-graphs of exported models give static shapes") {
  // x.view(x.size(0), -1) as PyTorch exports it: Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
  onnx::model_builder b("g");
  b.opset("", 13);
  b.input("x", element_type::f32, {2, 3, 4});
  b.output("y", element_type::f32, {2, 12});
  b.initializer("zero", tensor::scalar<std::int64_t>(0));
  b.initializer("axes", tensor::from_values<std::int64_t>({1}, {0}));
  b.initializer("minus_one", tensor::from_values<std::int64_t>({1}, {-1}));
  b.node("Shape", {"x"}, {"s"}, "shape");
  b.node("Gather", {"s", "zero"}, {"n"}, "gather");
  b.node("Unsqueeze", {"n", "axes"}, {"n1"}, "unsqueeze");
  b.node("Concat", {"n1", "minus_one"}, {"target"}, "concat").i("axis", 0);
  b.node("Reshape", {"x", "target"}, {"y"}, "reshape");
  const graph g = convert_built(b);
  CHECK(g.info(g.input(g.results()[0], 0)).shape == partial_shape{2, 12});
}

TEST_CASE("onnx: every unsupported op is listed at once, with its nodes") {
  onnx::model_builder b("g");
  b.opset("", 13).opset("com.acme", 1);
  b.input("x", element_type::f32, {2});
  b.output("y", element_type::f32, {2});
  b.node("Frobnicate", {"x"}, {"a"}, "f1");
  b.node("Relu", {"a"}, {"b"}, "ok");
  b.node("Twiddle", {"b"}, {"c"}, "t1", "com.acme");
  b.node("Frobnicate", {"c"}, {"y"}, ""); // unnamed: reported by its output
  try {
    (void)convert_built(b);
    FAIL("no error");
  } catch (const unsupported_ops_error& e) {
    REQUIRE(e.ops().size() == 2);
    CHECK(e.ops()[0].first == "Frobnicate");
    CHECK(e.ops()[0].second == std::vector<std::string>{"f1", "y"});
    CHECK(e.ops()[1].first == "com.acme.Twiddle");
    CHECK(std::string(e.what()) ==
          "built.onnx: 3 nodes use unsupported ONNX operations: Frobnicate (f1, y); com.acme.Twiddle (t1)");
  }
}

TEST_CASE("onnx: bad models are clear errors naming file and node") {
  SUBCASE("an input naming no tensor") {
    onnx::model_builder b("g");
    b.opset("", 13);
    b.input("x", element_type::f32, {2});
    b.output("y", element_type::f32, {2});
    b.node("Add", {"x", "ghost"}, {"y"}, "adder");
    CHECK_THROWS_WITH_AS(convert_built(b), doctest::Contains("node 'adder' (Add): input 'ghost' names no tensor"), error);
  }
  SUBCASE("a cycle") {
    onnx::model_builder b("g");
    b.opset("", 13);
    b.input("x", element_type::f32, {2});
    b.output("y", element_type::f32, {2});
    b.node("Add", {"x", "q"}, {"p"}, "first");
    b.node("Relu", {"p"}, {"q"}, "second");
    b.node("Relu", {"p"}, {"y"}, "third");
    CHECK_THROWS_WITH_AS(convert_built(b), doctest::Contains("cycle"), error);
  }
  SUBCASE("an initializer whose bytes do not match its shape") {
    onnx::model_builder b("g");
    b.opset("", 13);
    b.input("x", element_type::f32, {2, 3});
    b.output("y", element_type::f32, {2, 3});
    std::vector<std::byte> five_floats(20);
    b.raw_initializer("bias", onnx::data_type::float32, {2, 3}, five_floats);
    b.node("Add", {"x", "bias"}, {"y"}, "add");
    CHECK_THROWS_WITH_AS(convert_built(b), doctest::Contains("bias"), error);
    CHECK_THROWS_WITH_AS(convert_built(b), doctest::Contains("20 bytes"), error);
  }
  SUBCASE("shapes that do not fit") {
    onnx::model_builder b("g");
    b.opset("", 13);
    b.input("x", element_type::f32, {2, 3});
    b.input("z", element_type::f32, {4});
    b.output("y", element_type::f32, {2, 3});
    b.node("Add", {"x", "z"}, {"y"}, "mismatch");
    CHECK_THROWS_WITH_AS(convert_built(b), doctest::Contains("node 'mismatch' (Add)"), error);
  }
  SUBCASE("a truncated file") {
    auto bytes = conv_model().serialize();
    bytes.resize(bytes.size() / 2);
    CHECK_THROWS_AS(onnx::convert(onnx::load_model_from_buffer(bytes, "cut.onnx")), error);
  }
  SUBCASE("a file that is not a model") {
    const auto dir = test::temp_dir("onnx_garbage");
    { std::ofstream(dir / "g.onnx") << "this is not a protobuf\n"; }
    CHECK_THROWS_WITH_AS(onnx::load((dir / "g.onnx").string()), doctest::Contains("g.onnx"), error);
    CHECK_THROWS_WITH_AS(onnx::load((dir / "missing.onnx").string()), doctest::Contains("missing.onnx"), error);
    std::filesystem::remove_all(dir);
  }
}

} // namespace test_onnx_converter_tests
