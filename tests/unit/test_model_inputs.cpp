// Model Optimizer's model-input options: the grammars, cutting (--input,
// --output, frozen values), shapes (--input_shape, --batch), layouts and
// preprocessing, each proven with the reference evaluator: the converted
// model's outputs equal the original model's with the option applied by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "irforge/cli/input_options.hpp"
#include "irforge/cli/main.hpp"
#include "irforge/cli/mo_syntax.hpp"
#include "irforge/frontends/onnx/load.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/passes/cut_model.hpp"
#include "irforge/passes/model_inputs.hpp"
#include "irforge/passes/standard.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/reference/inputs.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_model_inputs_tests { // unity-build scope

graph small_cnn() { return onnx::load((test::source_dir() / "examples" / "models" / "small_cnn.onnx").string()); }

tensor random_f32(const shape& dims, std::uint64_t seed) {
  reference::random_source rng(seed);
  return reference::random_tensor(element_type::f32, dims, rng);
}

std::size_t count_ops(const graph& g, std::string_view type) {
  std::size_t n = 0;
  for (node_id id : g.nodes()) n += g.node(id).op.type_name() == type;
  return n;
}

double max_relative_error(const tensor& a, const tensor& b) {
  REQUIRE(a.dims() == b.dims());
  const auto x = a.as_f64(), y = b.as_f64();
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    worst = std::max(worst, std::fabs(x[i] - y[i]) / std::max(1e-6, std::fabs(y[i])));
  return worst;
}

/// The tensor named `name` of `g` evaluated on `inputs` (made an extra output of a copy of g).
tensor evaluate_tensor(const graph& original, const std::string& name, const std::vector<tensor>& inputs) {
  graph g = original;
  const auto at = passes::find_model_point(g, name, "test");
  g.add(ops::Result{}, {at.output}, "probe");
  auto outs = reference::evaluate(g, inputs);
  return outs.back();
}

// ---- grammars -----------------------------------------------------------------------------

TEST_CASE("mo syntax: --input items with ports, shapes, types and frozen values") {
  const auto items = cli::parse_input_items("0:conv1[1 3 224 224],data:1[2,5]{i32}->[20 15],mask{boolean}->True,x(1,?,..10,2..)");
  REQUIRE(items.size() == 4);
  CHECK(items[0].name == "0:conv1");
  CHECK(items[0].shape->to_string() == "[1,3,224,224]");
  CHECK(!items[0].type);
  CHECK(items[1].name == "data:1");
  CHECK(items[1].shape->to_string() == "[2,5]");
  CHECK(*items[1].type == element_type::i32);
  CHECK(*items[1].value == std::vector<double>{20, 15});
  CHECK(items[2].name == "mask");
  CHECK(*items[2].type == element_type::boolean);
  CHECK(*items[2].value == std::vector<double>{1});
  CHECK(items[3].shape->to_string() == partial_shape({dimension(1), dimension::dynamic(), dimension(0, 10), dimension(2, -1)}).to_string());
  CHECK_THROWS_WITH_AS(cli::parse_input_items("data[1,3"), doctest::Contains("unclosed bracket"), error);
  CHECK_THROWS_WITH_AS(cli::parse_input_items("data{q7}"), doctest::Contains("unknown element type 'q7'"), error);
  CHECK_THROWS_WITH_AS(cli::parse_input_items("data[1,-3]"), doctest::Contains("negative dimension -3"), error);
  CHECK_THROWS_WITH_AS(cli::parse_input_items("[1,3]"), doctest::Contains("has no name"), error);
}

TEST_CASE("mo syntax: --input_shape, --output, mean/scale values and layouts") {
  const auto shapes = cli::parse_input_shapes("[1,3,224,224],(2,?)");
  REQUIRE(shapes.size() == 2);
  CHECK(shapes[0].to_string() == "[1,3,224,224]");
  CHECK(shapes[1].to_string() == partial_shape({dimension(2), dimension::dynamic()}).to_string());
  CHECK_THROWS_WITH_AS(cli::parse_input_shapes("1,3,224"), doctest::Contains("is not a shape"), error);
  CHECK(cli::parse_output_names("relu1, fc:0,0:softmax") == std::vector<std::string>{"relu1", "fc:0", "0:softmax"});
  const auto named = cli::parse_named_values("data[123.68,116.78,103.94],seg(1 2 3)", "mean_values");
  REQUIRE(named.size() == 2);
  CHECK(named[0].name == "data");
  CHECK(named[0].values == std::vector<double>{123.68, 116.78, 103.94});
  CHECK(named[1].name == "seg");
  const auto unnamed = cli::parse_named_values("[255]", "scale_values");
  CHECK(unnamed[0].name.empty());
  CHECK_THROWS_WITH_AS(cli::parse_named_values("data[1,2],[3,4]", "mean_values"), doctest::Contains("every input or none"), error);
  const auto layouts = cli::parse_layouts("data(nhwc->nchw),seg[n,c],nc?", "layout");
  REQUIRE(layouts.size() == 3);
  CHECK(layouts[0].name == "data");
  CHECK(layouts[0].source == "NHWC");
  CHECK(layouts[0].target == "NCHW");
  CHECK(layouts[1].name == "seg");
  CHECK(layouts[1].source == "NC");
  CHECK(layouts[2].name.empty());
  CHECK(layouts[2].source == "NC?");
  const auto arrow = cli::parse_layouts("data[n,h,w,c]->[n,c,h,w]", "layout");
  CHECK(arrow[0].source == "NHWC");
  CHECK(arrow[0].target == "NCHW");
}

TEST_CASE("cli options: MO flags parse, and combinations MO refuses are errors") {
  const auto o = cli::parse_arguments({"--input_model", "m.onnx", "--input", "data[1,3,224,224]", "--output", "fc", "-b",
                                       "4", "--mean_values", "[1,2,3]", "--reverse_input_channels"});
  CHECK(o.cut_inputs == "data[1,3,224,224]");
  CHECK(o.cut_outputs == "fc");
  CHECK(o.batch == 4);
  CHECK(o.reverse_input_channels);
  CHECK_THROWS_WITH_AS(cli::parse_arguments({"--input_model", "m.onnx", "--batch", "2", "--input_shape", "[1,3]"}),
                       doctest::Contains("--batch and --input_shape"), error);
  CHECK_THROWS_WITH_AS(cli::parse_arguments({"--input_model", "m.onnx", "--scale", "2", "--scale_values", "[1]"}),
                       doctest::Contains("--scale and --scale_values"), error);
  CHECK_THROWS_WITH_AS(cli::parse_arguments({"--input_model", "m.onnx", "--batch", "0"}), doctest::Contains("positive"), error);
  // run/verify keep --input for data files.
  CHECK(cli::parse_arguments({"run", "m.xml", "--input", "x.npy"}).inputs == std::vector<std::string>{"x.npy"});
}

// ---- cutting --------------------------------------------------------------------------------

TEST_CASE("cut: --output at an inner tensor gives exactly that tensor of the full model") {
  const graph full = small_cnn();
  graph g = full;
  const auto s = passes::cut_outputs(g, {"pool1"});
  CHECK(s.new_outputs == std::vector<std::string>{"pool1/sink_port_0"});
  CHECK(count_ops(g, "Softmax") == 0);
  CHECK(count_ops(g, "MatMul") == 0);
  REQUIRE(g.results().size() == 1);
  const auto inputs = reference::gather_inputs(full, {}, 7);
  const tensor expected = evaluate_tensor(full, "pool1", inputs);
  const auto got = reference::evaluate(g, inputs);
  REQUIRE(got.size() == 1);
  CHECK(got[0].same_content(expected));
}

TEST_CASE("cut: --input at an inner tensor makes a Parameter there; upstream layers and inputs go") {
  const graph full = small_cnn();
  graph g = full;
  const auto s = passes::cut_inputs(g, {{"relu1", {}, {}, {}}});
  CHECK(s.new_inputs == std::vector<std::string>{"relu1"});
  REQUIRE(g.parameters().size() == 1);
  const auto& p = g.node(g.parameters()[0]);
  CHECK(p.name == "relu1");
  CHECK(p.outputs[0].names == std::vector<std::string>{"relu1"}); // the tensor keeps its name
  CHECK(g.info({g.parameters()[0], 0}).shape.to_string() == "[1,8,32,32]");
  CHECK(count_ops(g, "Convolution") == 0); // conv1 is gone, conv2 (GroupConvolution) stays
  // The cut model fed with relu1's values gives the full model's answer.
  const auto inputs = reference::gather_inputs(full, {}, 3);
  const tensor relu1 = evaluate_tensor(full, "relu1", inputs);
  const auto expected = reference::evaluate(full, inputs);
  const auto got = reference::evaluate(g, {relu1});
  CHECK(got[0].same_content(expected[0]));
}

TEST_CASE("cut: ports, whole nodes, frozen values, order, and names that do not exist") {
  {
    graph g = small_cnn();
    // "0:relu1": a Parameter on relu1's input port, named as MO names it.
    const auto s = passes::cut_inputs(g, {{"0:relu1", {}, {}, {}}});
    CHECK(s.new_inputs == std::vector<std::string>{"relu1/placeholder_port_0"});
    CHECK(g.parameters().size() == 1);
  }
  {
    graph g = small_cnn();
    // "relu1:0": its output port.
    const auto s = passes::cut_inputs(g, {{"relu1:0", {}, {}, {}}});
    CHECK(s.new_inputs == std::vector<std::string>{"relu1/placeholder_out_port_0"});
  }
  {
    graph g = small_cnn();
    // --output 0:softmax: softmax goes, its producer becomes the output.
    passes::cut_outputs(g, {"0:softmax"});
    CHECK(count_ops(g, "Softmax") == 0);
    REQUIRE(g.results().size() == 1);
    CHECK(g.node(g.node(g.results()[0]).inputs[0].node).name == "fc");
  }
  {
    graph g = small_cnn();
    CHECK_THROWS_WITH_AS(passes::cut_inputs(g, {{"relu", {}, {}, {}}}),
                         doctest::Contains("--input: no node or tensor named 'relu' in the model; did you mean 'relu1'"), error);
    CHECK_THROWS_WITH_AS(passes::cut_outputs(g, {"softmx"}), doctest::Contains("did you mean 'softmax'"), error);
    CHECK_THROWS_WITH_AS(passes::cut_inputs(g, {{"5:relu1", {}, {}, {}}}), doctest::Contains("has 1 input ports"), error);
  }
  {
    // A frozen input: two inputs, one becomes a constant; the model keeps answering the same.
    graph g;
    auto a = g.add(ops::Parameter{partial_shape{2, 3}, element_type::f32}, {}, "a");
    auto b = g.add(ops::Parameter{partial_shape{3}, element_type::f32}, {}, "b");
    auto y = g.add(ops::Multiply{}, {{a, 0}, {b, 0}}, "y");
    g.add(ops::Result{}, {{y, 0}}, "y/sink_port_0");
    const graph original = g;
    const auto s = passes::cut_inputs(g, {{"b", {}, {}, std::vector<double>{1, 2, 3}}});
    CHECK(s.frozen.size() == 1);
    REQUIRE(g.parameters().size() == 1);
    CHECK(g.node(g.parameters()[0]).name == "a");
    const tensor x = tensor::from_values<float>({2, 3}, {1, 1, 1, 2, 2, 2});
    const auto got = reference::evaluate(g, {x});
    const auto expected = reference::evaluate(original, std::vector<tensor>{x, tensor::from_values<float>({3}, {1, 2, 3})});
    CHECK(got[0].same_content(expected[0]));
    graph h = original;
    CHECK_THROWS_WITH_AS(passes::cut_inputs(h, {{"b", {}, {}, std::vector<double>{1, 2}}}),
                         doctest::Contains("2 values do not fill the shape [3]"), error);
    // Input order follows --input.
    graph k = original;
    passes::cut_inputs(k, {{"b", {}, {}, {}}, {"a", {}, {}, {}}});
    CHECK(k.node(k.parameters()[0]).name == "b");
    CHECK(k.node(k.parameters()[1]).name == "a");
  }
}

// ---- shapes -----------------------------------------------------------------------------------

TEST_CASE("shapes: --batch and --input_shape propagate through the graph and the batch evaluates per sample") {
  graph g = small_cnn();
  passes::set_batch(g, 4);
  passes::standard().run(g);
  const node_id result = g.results()[0];
  CHECK(g.info(g.node(result).inputs[0]).shape.to_string() == "[4,10]");
  // Each sample of the batch gives what the batch-1 model gives for it.
  const graph one = small_cnn();
  const tensor batch = random_f32({4, 3, 32, 32}, 11);
  const auto out = reference::evaluate(g, {batch});
  const auto all = out[0].as_f64();
  for (std::int64_t n = 0; n < 4; ++n) {
    const auto all_values = batch.values<float>();
    std::vector<float> sample(all_values.begin() + n * 3072, all_values.begin() + (n + 1) * 3072);
    const auto single = reference::evaluate(one, {tensor::from_values<float>({1, 3, 32, 32}, sample)})[0].as_f64();
    for (std::size_t i = 0; i < 10; ++i)
      CHECK(std::fabs(all[static_cast<std::size_t>(n) * 10 + i] - single[i]) <= 1e-5 * std::max(1.0, std::fabs(single[i])));
  }
  // --input_shape with a dynamic batch stays dynamic; a batch that is not axis 0 is refused.
  graph d = small_cnn();
  passes::cut_inputs(d, {{"image", partial_shape{dimension::dynamic(), 3, 32, 32}, {}, {}}});
  CHECK(d.info(d.node(d.results()[0]).inputs[0]).shape.to_string() == "[?,10]");
  graph e;
  auto p = e.add(ops::Parameter{partial_shape{3, 224, 224}, element_type::f32}, {}, "chw");
  e.add(ops::Result{}, {{p, 0}}, "out");
  CHECK_THROWS_WITH_AS(passes::set_batch(e, 2), doctest::Contains("first dimension is not 1 or dynamic"), error);
  // A shape the model cannot take is an error naming the node where it fails.
  graph f = small_cnn();
  CHECK_THROWS_WITH_AS(passes::cut_inputs(f, {{"image", partial_shape{1, 4, 32, 32}, {}, {}}}),
                       doctest::Contains("conv1"), error);
}

TEST_CASE("layouts: recorded on the input port; source->target inserts a Transpose and keeps the answers") {
  graph g = small_cnn();
  const graph original = g;
  passes::set_layouts(g, {{"image", "NCHW", "NHWC"}});
  const node_id p = g.parameters()[0];
  CHECK(g.info({p, 0}).shape.to_string() == "[1,32,32,3]");
  CHECK(g.port({p, 0}).rt_info == std::vector<std::pair<std::string, std::string>>{{"layout", "[N,H,W,C]"}});
  CHECK(count_ops(g, "Transpose") == 1);
  const tensor nchw = random_f32({1, 3, 32, 32}, 5);
  // The same image in NHWC, by hand.
  std::vector<float> nhwc(3072);
  const auto v = nchw.values<float>();
  for (int c = 0; c < 3; ++c)
    for (int h = 0; h < 32; ++h)
      for (int w = 0; w < 32; ++w) nhwc[static_cast<std::size_t>((h * 32 + w) * 3 + c)] = v[static_cast<std::size_t>((c * 32 + h) * 32 + w)];
  const auto got = reference::evaluate(g, {tensor::from_values<float>({1, 32, 32, 3}, nhwc)});
  const auto expected = reference::evaluate(original, {nchw});
  CHECK(got[0].same_content(expected[0]));
  // The layout is written to the IR.
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(g, xml, bin);
  CHECK(xml.find("<attribute name=\"layout\" version=\"0\" layout=\"[N,H,W,C]\"/>") != std::string::npos);
}

// ---- preprocessing -------------------------------------------------------------------------------

/// The image with channels reversed, mean subtracted and divided by scale, by hand (NCHW).
tensor preprocess_by_hand(const tensor& x, const std::vector<double>& mean, const std::vector<double>& scale, bool reverse) {
  const auto d = x.dims();
  const auto v = x.values<float>();
  const std::size_t c = static_cast<std::size_t>(d[1]), plane = v.size() / c / static_cast<std::size_t>(d[0]);
  std::vector<float> out(v.size());
  for (std::size_t n = 0; n < static_cast<std::size_t>(d[0]); ++n)
    for (std::size_t ch = 0; ch < c; ++ch)
      for (std::size_t i = 0; i < plane; ++i) {
        const std::size_t src_ch = reverse ? c - 1 - ch : ch;
        const double value = v[(n * c + src_ch) * plane + i];
        out[(n * c + ch) * plane + i] = static_cast<float>((value - mean[ch]) / scale[ch]);
      }
  return tensor::from_values<float>(d, out);
}

TEST_CASE("preprocessing: reverse, mean and scale give the original model's answers on preprocessed data") {
  const std::vector<double> mean{123.675, 116.28, 103.53}, scale{58.395, 57.12, 57.375};
  const graph original = small_cnn();
  graph g = original;
  const auto applied = passes::add_preprocessing(g, {{"image", mean, scale, true}});
  CHECK(applied == std::vector<std::string>{"image: reverse_input_channels mean_values scale_values"});
  const tensor raw = [] {
    auto t = random_f32({1, 3, 32, 32}, 9);
    std::vector<float> v = t.values<float>();
    for (auto& x : v) x = 128 + 100 * x; // pixel-like values
    return tensor::from_values<float>({1, 3, 32, 32}, v);
  }();
  const auto expected = reference::evaluate(original, {preprocess_by_hand(raw, mean, scale, true)});
  const auto inserted = reference::evaluate(g, {raw});
  CHECK(max_relative_error(inserted[0], expected[0]) < 1e-5);
  // After optimization the reversal and the scale live in conv1's weights; the mean stays
  // (conv1 is padded, so folding it would change the border).
  passes::standard().run(g);
  CHECK(count_ops(g, "Gather") == 0);
  CHECK(count_ops(g, "Multiply") == 0);
  CHECK(count_ops(g, "Subtract") == 1);
  const auto optimized = reference::evaluate(g, {raw});
  CHECK(max_relative_error(optimized[0], expected[0]) < 1e-5);
}

TEST_CASE("preprocessing: into an unpadded convolution everything folds, the mean into a bias") {
  graph g;
  auto x = g.add(ops::Parameter{partial_shape{1, 3, 6, 6}, element_type::f32}, {}, "data");
  const tensor w = random_f32({4, 3, 3, 3}, 21);
  auto wc = g.add(ops::Constant(w), {}, "conv/weights");
  auto conv = g.add(ops::Convolution({1, 1}, {1, 1}, {0, 0}, {0, 0}), {{x, 0}, {wc, 0}}, "conv");
  auto relu = g.add(ops::Relu{}, {{conv, 0}}, "relu");
  g.add(ops::Result{}, {{relu, 0}}, "relu/sink_port_0");
  const graph original = g;
  const std::vector<double> mean{10, 20, 30}, scale{2, 4, 8};
  passes::add_preprocessing(g, {{"data", mean, scale, true}});
  const auto report = passes::standard().run(g);
  CHECK(count_ops(g, "Gather") == 0);
  CHECK(count_ops(g, "Multiply") == 0);
  CHECK(count_ops(g, "Subtract") == 0);
  CHECK(count_ops(g, "Add") == 1); // the mean, as a bias
  const tensor raw = random_f32({1, 3, 6, 6}, 4);
  const auto expected = reference::evaluate(original, {preprocess_by_hand(raw, mean, scale, true)});
  const auto got = reference::evaluate(g, {raw});
  CHECK(max_relative_error(got[0], expected[0]) < 1e-5);
  // The fused layers are traceable.
  bool traced = false;
  for (node_id id : g.nodes())
    if (g.node(id).op.is<ops::Convolution>())
      traced = std::count(g.node(id).source_names.begin(), g.node(id).source_names.end(), "data/scale_values") == 1;
  CHECK(traced);
}

TEST_CASE("preprocessing: errors name the input and the problem") {
  graph g = small_cnn();
  CHECK_THROWS_WITH_AS(passes::add_preprocessing(g, {{"image", {1, 2}, {}, false}}),
                       doctest::Contains("cannot tell the channel axis of input 'image'"), error);
  CHECK_THROWS_WITH_AS(passes::add_preprocessing(g, {{"imag", {1, 2, 3}, {}, false}}),
                       doctest::Contains("did you mean 'image'"), error);
  CHECK_THROWS_WITH_AS(passes::add_preprocessing(g, {{"relu1", {1, 2, 3}, {}, false}}),
                       doctest::Contains("'relu1' is not a model input"), error);
  CHECK_THROWS_WITH_AS(passes::add_preprocessing(g, {{"image", {}, {1, 0, 1}, false}}),
                       doctest::Contains("a scale value of 0"), error);
}

// ---- the command line ------------------------------------------------------------------------------

TEST_CASE("cli: cutting, shapes and preprocessing from the command line, with the report") {
  const auto dir = test::temp_dir("model_inputs_cli");
  const std::string model = (test::source_dir() / "examples" / "models" / "small_cnn.onnx").string();
  std::ostringstream out, err;
  const int rc = cli::run({"--input_model", model, "--output_dir", dir.string(), "--input", "image[2,3,32,32]", "--output",
                           "logits", "--mean_values", "image[1,2,3]", "--scale", "255", "--reverse_input_channels",
                           "--report", (dir / "report.json").string(), "--silent"},
                          out, err);
  INFO(err.str());
  REQUIRE(rc == 0);
  const graph g = ir::load((dir / "small_cnn.xml").string());
  REQUIRE(g.parameters().size() == 1);
  CHECK(g.info({g.parameters()[0], 0}).shape.to_string() == "[2,3,32,32]");
  REQUIRE(g.results().size() == 1);
  CHECK(g.info(g.node(g.results()[0]).inputs[0]).shape.to_string() == "[2,10]");
  CHECK(count_ops(g, "Softmax") == 0);
  // The IR answers as the original model on data preprocessed by hand.
  const graph original = small_cnn();
  const tensor raw = random_f32({2, 3, 32, 32}, 2);
  const auto got = reference::evaluate(g, {raw})[0].as_f64();
  const auto v = raw.values<float>();
  for (std::int64_t n = 0; n < 2; ++n) {
    std::vector<float> one(v.begin() + n * 3072, v.begin() + (n + 1) * 3072);
    const tensor pre = preprocess_by_hand(tensor::from_values<float>({1, 3, 32, 32}, one), {1, 2, 3}, {255, 255, 255}, true);
    const auto expected = evaluate_tensor(original, "logits", {pre}).as_f64();
    for (std::size_t i = 0; i < 10; ++i)
      CHECK(std::fabs(got[static_cast<std::size_t>(n) * 10 + i] - expected[i]) <= 1e-5 * std::max(1.0, std::fabs(expected[i])));
  }
  std::ifstream f(dir / "report.json");
  const auto report = nlohmann::json::parse(f);
  CHECK(report["model_inputs"]["outputs"] == nlohmann::json::array({"logits/sink_port_0"}));
  CHECK(report["model_inputs"]["preprocessing"][0] == "image: reverse_input_channels mean_values scale_values");
  // A wrong name fails with a suggestion and writes nothing.
  std::ostringstream out2, err2;
  CHECK(cli::run({"--input_model", model, "--output_dir", (dir / "bad").string(), "--output", "logit"}, out2, err2) == 1);
  CHECK(err2.str().find("did you mean 'logits'") != std::string::npos);
  CHECK(!fs::exists(dir / "bad" / "small_cnn.xml"));
  fs::remove_all(dir);
}

} // namespace test_model_inputs_tests
