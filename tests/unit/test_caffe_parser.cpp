// The Caffe readers: the protobuf text format parser (every syntax feature,
// errors with line and column), the binary .caffemodel reader on hand-made
// bytes (V1/V2 layers, packed/unpacked/double data, legacy shapes, zero copy,
// truncated and garbage input), and the net description built from both
// (TEST-phase filtering, inputs, V1 type names).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/caffemodel.hpp"
#include "irforge/frontends/caffe/net.hpp"
#include "irforge/frontends/caffe/prototxt.hpp"
#include "irforge/io/protobuf_writer.hpp"
#include "support/checks.hpp"
#include "support/caffe_builder.hpp"

using namespace irforge;

namespace test_caffe_parser_tests { // unity-build scope

namespace {
caffe::text_document parse(std::string_view text) { return caffe::parse_text(text, "t.prototxt"); }

using irforge::test::error_of;

std::shared_ptr<const caffe::text_document> doc(std::string_view text) {
  return std::make_shared<const caffe::text_document>(parse(text));
}
} // namespace

// ---- text format ----------------------------------------------------------------------

TEST_CASE("prototxt: fields, nesting, repetition, comments and separators") {
  const auto d = parse(R"(# a comment line
name: "net"   # trailing comment
layer {
  name: 'conv'; type: "Convolution",
  convolution_param { num_output: 8 kernel_size: 3 kernel_size: 5 }
  param: { lr_mult: 1 }
  param < lr_mult: 2 >
}
layer{name:"b" type:"ReLU"}
)");
  const auto root = caffe::root_of(d);
  CHECK(root.string("name") == "net");
  const auto layers = root.messages("layer");
  REQUIRE(layers.size() == 2);
  CHECK(layers[0].string("name") == "conv");
  CHECK(layers[0].string("type") == "Convolution");
  const auto conv = layers[0].message("convolution_param");
  CHECK(conv.integer("num_output", 0) == 8);
  CHECK(conv.integers("kernel_size") == std::vector<std::int64_t>{3, 5});
  CHECK(conv.integer("kernel_size", 0) == 5); // a singular read takes the last occurrence
  const auto params = layers[0].messages("param");
  REQUIRE(params.size() == 2);
  CHECK(params[0].number("lr_mult", 0) == 1.0);
  CHECK(params[1].number("lr_mult", 0) == 2.0);
  CHECK(layers[1].string("type") == "ReLU");
  // Positions are 1-based lines and columns of the field names.
  CHECK(layers[0].line() == 3);
  CHECK(layers[0].column() == 1);
  CHECK(layers[1].line() == 9);
  // Absent fields give the fallback; absent messages are empty views.
  CHECK(conv.integer("group", 1) == 1);
  CHECK(layers[1].message("relu_param").empty());
  CHECK(layers[1].message("relu_param").number("negative_slope", 0.5) == 0.5);
}

TEST_CASE("prototxt: numbers in every spelling") {
  const auto d = parse("a: 42 b: -7 c: 0x1F d: 017 e: 1.5 f: -2.5e-3 g: 1E3 h: .25 i: 5. j: 3.0f k: inf "
                       "l: -inf m: nan n: -Infinity o: 9223372036854775807 p: -9223372036854775808 q: 1e999");
  const auto r = caffe::root_of(d);
  CHECK(r.integer("a", 0) == 42);
  CHECK(r.integer("b", 0) == -7);
  CHECK(r.integer("c", 0) == 31);
  CHECK(r.integer("d", 0) == 15);
  CHECK(r.number("e", 0) == 1.5);
  CHECK(r.number("f", 0) == doctest::Approx(-2.5e-3));
  CHECK(r.number("g", 0) == 1000.0);
  CHECK(r.number("h", 0) == 0.25);
  CHECK(r.number("i", 0) == 5.0);
  CHECK(r.number("j", 0) == 3.0);
  CHECK(std::isinf(r.number("k", 0)));
  CHECK(r.number("k", 0) > 0);
  CHECK(r.number("l", 0) < 0);
  CHECK(std::isinf(r.number("l", 0)));
  CHECK(std::isnan(r.number("m", 0)));
  CHECK(r.number("n", 0) == -std::numeric_limits<double>::infinity());
  CHECK(r.integer("o", 0) == std::numeric_limits<std::int64_t>::max());
  CHECK(r.integer("p", 0) == std::numeric_limits<std::int64_t>::min());
  CHECK(std::isinf(r.number("q", 0)));
  CHECK(r.number("a", 0) == 42.0); // integers read as floats too
  CHECK(r.number("c", 0) == 31.0);
}

TEST_CASE("prototxt: strings with escapes, both quotes, concatenation") {
  const auto d = parse(R"(a: "tab\there" b: 'it\'s' c: "q\"uote\\" d: "\101\x42\u00e9\n" e: "con" 'cat' "enated" f: "\?\a\0")");
  const auto r = caffe::root_of(d);
  CHECK(r.string("a") == "tab\there");
  CHECK(r.string("b") == "it's");
  CHECK(r.string("c") == "q\"uote\\");
  CHECK(r.string("d") == "AB\xC3\xA9\n");
  CHECK(r.string("e") == "concatenated");
  CHECK(r.string("f") == std::string("?\a\0", 3));
}

TEST_CASE("prototxt: enums, booleans, lists and extension names") {
  const auto d = parse("pool: AVE mode: 1 flag: true f2: False f3: t f4: 0 dims: [1, 2, 3] empty: [] "
                       "shapes: [{dim: 1}, <dim: 2>] [ext.name] { x: 1 } names: [\"a\", 'b']");
  const auto r = caffe::root_of(d);
  constexpr std::string_view pools[] = {"MAX", "AVE", "STOCHASTIC"};
  CHECK(r.enumeration("pool", "MAX", pools) == "AVE");
  CHECK(r.enumeration("mode", "MAX", pools) == "AVE"); // a number names the enum value
  CHECK(r.enumeration("absent", "MAX", pools) == "MAX");
  CHECK(r.boolean("flag", false));
  CHECK_FALSE(r.boolean("f2", true));
  CHECK(r.boolean("f3", false));
  CHECK_FALSE(r.boolean("f4", true));
  CHECK(r.integers("dims") == std::vector<std::int64_t>{1, 2, 3});
  CHECK(r.count("empty") == 0);
  const auto shapes = r.messages("shapes");
  REQUIRE(shapes.size() == 2);
  CHECK(shapes[1].integer("dim", 0) == 2);
  CHECK(r.message("[ext.name]").integer("x", 0) == 1);
  CHECK(r.strings("names") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("prototxt: syntax errors name the file, line and column") {
  struct bad {
    const char* text;
    const char* where;
    const char* what;
  };
  const bad cases[] = {
      {"layer {\n  name \"x\"\n}", "line 2, column 8", "expected ':' or '{' after field name 'name'"},
      {"layer {\n  name: \"x\n}", "line 2, column 9", "unterminated string"},
      {"a: 1\n}", "line 2, column 1", "expected a field name, found '}'"},
      {"layer {\n  a: 1\n", "line 3, column 1", "expected '}' before the end of the file"},
      {"a: 1.2.3", "line 1, column 4", "invalid number '1.2.3'"},
      {"a: \"\\q\"", "line 1, column 5", "invalid escape"},
      {"a: -foo", "line 1, column 5", "is not a number"},
      {"a: [1, 2", "line 1, column 9", "expected ',' or ']'"},
      {"a:", "line 1, column 3", "expected a value for field 'a'"},
      {"a: 08", "line 1, column 4", "invalid number '08'"},
      {"  [x.y", "line 1, column 7", "unterminated extension name"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const std::string msg = error_of([&] { (void)parse(c.text); });
    CHECK(msg.find("t.prototxt") != std::string::npos);
    CHECK(msg.find(c.where) != std::string::npos);
    CHECK(msg.find(c.what) != std::string::npos);
  }
  // Nesting is bounded (no stack overflow on hostile input).
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "a {";
  CHECK(error_of([&] { (void)parse(deep); }).find("nested more than 100") != std::string::npos);
}

TEST_CASE("prototxt: value conversion errors name the field's line and column") {
  const auto d = parse("a: 1.5\nb: \"s\"\n  c: maybe\nd: 99999999999999999999\ne { }\nf: 3");
  const auto r = caffe::root_of(d);
  CHECK(error_of([&] { (void)r.integer("a", 0); }).find("line 1, column 1: field 'a' must be an integer, got '1.5'") !=
        std::string::npos);
  CHECK(error_of([&] { (void)r.number("b", 0); }).find("line 2, column 1: field 'b' must be a number") != std::string::npos);
  CHECK(error_of([&] { (void)r.boolean("c", false); }).find("line 3, column 3: field 'c' must be true or false") !=
        std::string::npos);
  CHECK(error_of([&] { (void)r.integer("d", 0); }).find("out of range") != std::string::npos);
  CHECK(error_of([&] { (void)r.string("e"); }).find("field 'e' must be a string, got a message") != std::string::npos);
  CHECK(error_of([&] { (void)r.message("f"); }).find("line 6, column 1: field 'f' must be a message") != std::string::npos);
  constexpr std::string_view two[] = {"A", "B"};
  CHECK(error_of([&] { (void)r.enumeration("f", "A", two); }).find("3 is not a known enum value") != std::string::npos);
}

TEST_CASE("prototxt: random mutations give a parse or an error with a position, never a crash") {
  const std::string good = R"(name: "n" input: "data" input_shape { dim: 1 dim: 3 }
layer { name: 'c' type: "Convolution" bottom: "data" top: "c"
  convolution_param { num_output: 8 kernel_size: [3, 3] pad: 1 weight_filler { type: "xavier" std: 1e-2 } }
  include { phase: TEST } }  # done
layers < name: "old" type: RELU >)";
  REQUIRE_NOTHROW((void)parse(good));
  const char alphabet[] = "{}[]<>:;,'\"\\#-.0123456789eExXabc \n\t";
  std::mt19937 rng(11);
  std::size_t errors = 0, unplaced = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % text.size();
      const char c = alphabet[rng() % (sizeof alphabet - 1)];
      switch (rng() % 3) {
      case 0: text[at] = c; break;
      case 1: text.insert(at, 1, c); break;
      default: text.erase(at, 1); break;
      }
    }
    try {
      const auto d = parse(text);
      (void)caffe::make_net(std::make_shared<const caffe::text_document>(d));
    } catch (const irforge::error& e) {
      ++errors;
      unplaced += std::string(e.what()).find("t.prototxt: line ") != 0;
    }
  }
  CHECK(errors > 1000);
  CHECK(unplaced == 0);
}

// ---- binary caffemodel ----------------------------------------------------------------

TEST_CASE("caffemodel: V2 layers, blob shapes and encodings") {
  using test::caffe_blob;
  caffe_blob packed{{2, 3}, {1, 2, 3, 4, 5, 6}};
  caffe_blob legacy{{1, 1, 1, 2}, {7, 8}};
  legacy.legacy = true;
  caffe_blob unpacked{{3}, {0.5f, 1.5f, 2.5f}};
  unpacked.how = caffe_blob::encoding::unpacked;
  caffe_blob doubles{{2}, {0.25f, -4}};
  doubles.how = caffe_blob::encoding::doubles;
  io::protobuf_writer unknown; // fields the reader must skip
  unknown.varint_field(5, 1);  // force_backward
  unknown.string_field(3, "data");
  const auto bytes = test::caffemodel_builder("mynet")
                         .raw(unknown)
                         .layer("conv", "Convolution", {packed, legacy}, {"data"}, {"conv"})
                         .layer("other", "Scale", {unpacked, doubles})
                         .bytes();
  const caffe::caffemodel m = caffe::parse_caffemodel(bytes, "m.caffemodel");
  CHECK(m.name == "mynet");
  REQUIRE(m.layers.size() == 2);
  const auto& conv = m.layers[0];
  CHECK(conv.name == "conv");
  CHECK(conv.type == "Convolution");
  CHECK(conv.bottoms == std::vector<std::string>{"data"});
  CHECK(conv.tops == std::vector<std::string>{"conv"});
  REQUIRE(conv.blobs.size() == 2);
  CHECK(conv.blobs[0].dims == shape{2, 3});
  CHECK_FALSE(conv.blobs[0].legacy_shape);
  CHECK(conv.blobs[0].values.values<float>() == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(conv.blobs[1].dims == shape{1, 1, 1, 2});
  CHECK(conv.blobs[1].legacy_shape);
  CHECK(conv.blobs[1].values.values<float>() == std::vector<float>{7, 8});
  const auto& other = m.layers[1];
  CHECK(other.blobs[0].values.values<float>() == std::vector<float>{0.5f, 1.5f, 2.5f});
  CHECK(other.blobs[1].values.type() == element_type::f64);
  CHECK(other.blobs[1].values.values<double>() == std::vector<double>{0.25, -4});
  CHECK(m.find("other") == &m.layers[1]);
  CHECK(m.find("nope") == nullptr);

  // Packed data stays a view into the buffer; unpacked data is gathered into an owned copy.
  const auto* base = static_cast<const std::vector<std::byte>*>(m.owner.get())->data();
  const auto size = static_cast<const std::vector<std::byte>*>(m.owner.get())->size();
  const auto* p = conv.blobs[0].values.bytes().data();
  CHECK((p >= base && p + 24 <= base + size));
  const auto* q = other.blobs[0].values.bytes().data();
  CHECK_FALSE((q >= base && q < base + size));
}

TEST_CASE("caffemodel: V1 layers with enum types, and a nested V0 layer") {
  test::caffe_blob w{{4}, {1, 2, 3, 4}};
  io::protobuf_writer v0; // V0LayerParameter: name 1, type 2, blobs 50
  v0.string_field(1, "old");
  v0.string_field(2, "innerproduct");
  v0.message_field(50, w.message());
  io::protobuf_writer v1;
  v1.message_field(1, v0);
  io::protobuf_writer net;
  net.message_field(2, v1);
  const auto bytes = test::caffemodel_builder("n").v1_layer("ip", 14, {w}).v1_layer("c", 4, {}).v1_layer("z", 77, {}).bytes();
  const caffe::caffemodel m = caffe::parse_caffemodel(bytes);
  REQUIRE(m.layers.size() == 3);
  CHECK(m.layers[0].type == "InnerProduct");
  CHECK(m.layers[0].v1);
  CHECK(m.layers[0].blobs[0].values.values<float>() == std::vector<float>{1, 2, 3, 4});
  CHECK(m.layers[1].type == "Convolution");
  CHECK(m.layers[2].type == "V1_LAYER_TYPE_77");
  const caffe::caffemodel old = caffe::parse_caffemodel(net.bytes());
  REQUIRE(old.layers.size() == 1);
  CHECK(old.layers[0].name == "old");
  CHECK(old.layers[0].type == "innerproduct");
  CHECK(old.layers[0].blobs.size() == 1);
  CHECK(caffe::v1_type_name("SOFTMAX_LOSS") == "SoftmaxWithLoss");
  CHECK(caffe::v1_type_name(std::int64_t{39}) == "Deconvolution");
  CHECK(caffe::v1_type_name("NOPE").empty());
}

TEST_CASE("caffemodel: a blob whose shape and data disagree is an error at its offset") {
  test::caffe_blob b{{2, 3}, {1, 2, 3, 4, 5}};
  const auto bytes = test::caffemodel_builder().layer("conv", "Convolution", {b}).bytes();
  const std::string msg = error_of([&] { (void)caffe::parse_caffemodel(bytes, "bad.caffemodel"); });
  CHECK(msg.find("bad.caffemodel at byte") != std::string::npos);
  CHECK(msg.find("blob of shape [2,3] needs 6 values, it holds 5") != std::string::npos);
  test::caffe_blob neg{{-2}, {}};
  CHECK(error_of([&] { (void)caffe::parse_caffemodel(test::caffemodel_builder().layer("x", "X", {neg}).bytes()); })
            .find("negative") != std::string::npos);
  io::protobuf_writer odd; // packed floats of 5 bytes
  odd.bytes_field(5, std::vector<std::byte>(5));
  io::protobuf_writer layer;
  layer.message_field(7, odd);
  io::protobuf_writer net;
  net.message_field(100, layer);
  CHECK(error_of([&] { (void)caffe::parse_caffemodel(net.bytes()); }).find("not a multiple of 4") != std::string::npos);
}

TEST_CASE("caffemodel: truncated, garbage and empty inputs are errors, never crashes") {
  test::caffe_blob w{{2, 2}, {1, 2, 3, 4}};
  const auto good = test::caffemodel_builder("n").layer("conv", "Convolution", {w, w}, {"a"}, {"b"}).bytes();
  REQUIRE_NOTHROW((void)caffe::parse_caffemodel(good));
  CHECK(error_of([&] { (void)caffe::parse_caffemodel(std::vector<std::byte>{}); }).find("empty") != std::string::npos);
  // Every proper prefix that cuts a field in two is an error.
  std::size_t errors = 0;
  for (std::size_t n = 1; n < good.size(); ++n) {
    const std::vector<std::byte> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    try {
      (void)caffe::parse_caffemodel(cut);
    } catch (const irforge::error&) {
      ++errors;
    }
  }
  CHECK(errors >= good.size() - 4); // a few cuts fall between whole fields
  // Random bytes and random mutations: an irforge::error or a parse, nothing else.
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::byte> bytes = good;
    if (round % 2 == 0) {
      for (int k = 0; k < 3; ++k)
        bytes[rng() % bytes.size()] = static_cast<std::byte>(rng() & 0xff);
    } else {
      bytes.resize(1 + rng() % 64);
      for (auto& b : bytes) b = static_cast<std::byte>(rng() & 0xff);
    }
    try {
      (void)caffe::parse_caffemodel(bytes);
    } catch (const irforge::error&) {
    }
  }
}

// ---- the net description ------------------------------------------------------------

TEST_CASE("net: inputs from input_dim and input_shape") {
  const auto n = caffe::make_net(doc("input: 'a' input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8 "
                                     "input: 'b' input_dim: 2 input_dim: 1 input_dim: 1 input_dim: -1"));
  REQUIRE(n.inputs.size() == 2);
  CHECK(n.inputs[0].name == "a");
  CHECK(n.inputs[0].shape == partial_shape{1, 3, 8, 8});
  CHECK(n.inputs[1].shape == partial_shape{2, 1, 1, dimension::dynamic()});
  const auto s = caffe::make_net(doc("input: 'x' input_shape { dim: 1 dim: 10 } input: 'y' input_shape { dim: 4 }"));
  CHECK(s.inputs[0].shape == partial_shape{1, 10});
  CHECK(s.inputs[1].shape == partial_shape{4});
  CHECK(error_of([] { (void)caffe::make_net(doc("input: 'a' input_dim: 1 input_dim: 2")); })
            .find("1 inputs need 4 input_dim values (4 each), got 2") != std::string::npos);
  CHECK(error_of([] { (void)caffe::make_net(doc("input: 'a' input: 'b' input_shape { dim: 1 }")); })
            .find("2 inputs but 1 input_shape messages") != std::string::npos);
}

TEST_CASE("net: the TEST phase decides which layers exist") {
  const auto n = caffe::make_net(doc(R"(
layer { name: "train_data" type: "Data" top: "data" include { phase: TRAIN } }
layer { name: "test_data" type: "Data" top: "data" include { phase: TEST } }
layer { name: "both" type: "ReLU" bottom: "data" top: "data" }
layer { name: "not_test" type: "ReLU" bottom: "data" top: "data" exclude { phase: TEST } }
layer { name: "staged" type: "ReLU" bottom: "data" top: "data" include { stage: "deploy" } }
layer { name: "leveled" type: "ReLU" bottom: "data" top: "data" include { min_level: 1 } }
layer { name: "numeric" type: "ReLU" bottom: "data" top: "data" include { phase: 1 } }
layer { type: "ReLU" bottom: "data" top: "data" }
)"));
  std::vector<std::string> names;
  for (const auto& l : n.layers) names.push_back(l.name);
  CHECK(names == std::vector<std::string>{"test_data", "both", "numeric", "ReLU_7"});
  CHECK(n.excluded == std::vector<std::string>{"train_data (Data)", "not_test (ReLU)", "staged (ReLU)", "leveled (ReLU)"});
  CHECK(n.layers[1].bottoms == std::vector<std::string>{"data"});
  CHECK(n.layers[1].line() == 4);
}

TEST_CASE("net: V1 layers get V2 type names; weights attach by layer name") {
  test::caffe_blob w{{2}, {1, 2}};
  auto model = std::make_shared<const caffe::caffemodel>(
      caffe::parse_caffemodel(test::caffemodel_builder().v1_layer("ip", 14, {w}).bytes()));
  const auto n = caffe::make_net(doc("layers { name: 'ip' type: INNER_PRODUCT } layers { name: 's' type: 20 }"), model);
  REQUIRE(n.layers.size() == 2);
  CHECK(n.layers[0].type == "InnerProduct");
  CHECK(n.layers[0].v1);
  CHECK(n.layers[0].weights == &model->layers[0]);
  CHECK(n.layers[1].type == "Softmax");
  CHECK(n.layers[1].weights == nullptr);
  CHECK(n.has_weights());
  CHECK(error_of([] { (void)caffe::make_net(doc("layers { name: 'x' type: WHATEVER }")); })
            .find("line 1, column 20: unknown V1 layer type 'WHATEVER'") != std::string::npos);
  CHECK(error_of([] { (void)caffe::make_net(doc("layer { type: 'A' } layers { type: RELU }")); })
            .find("mixes V2 'layer' and V1 'layers'") != std::string::npos);
  CHECK(error_of([] { (void)caffe::make_net(doc("layers { layer { name: 'x' type: 'conv' } }")); })
            .find("V0 layers") != std::string::npos);
  CHECK(error_of([] { (void)caffe::make_net(doc("name: 'empty'")); }).find("no layers") != std::string::npos);
  CHECK(caffe::default_prototxt_path("dir.v2/model.caffemodel") == "dir.v2/model.prototxt");
  CHECK(caffe::default_prototxt_path("dir.v2/model") == "dir.v2/model.prototxt");
}

} // namespace test_caffe_parser_tests
