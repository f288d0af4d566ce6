// The command line: flags, summary, exit codes, one-line errors, no partial output.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "irforge/cli/main.hpp"
#include "irforge/frontends/onnx/writer.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/reference/evaluator.hpp"
#include "support/caffe_builder.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_cli_tests {  // unity-build scope

namespace {
struct outcome {
  int code;
  std::string out, err;
};
outcome run(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = cli::run(args, out, err);
  return {code, out.str(), err.str()};
}
std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }
} // namespace

TEST_CASE("cli: help, version and argument errors") {
  auto help = run({"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("--input_model") != std::string::npos);
  CHECK(help.out.find("--output_dir") != std::string::npos);
  CHECK(run({"--version"}).out == "irforge " + std::string(version_string) + "\n");

  auto missing = run({});
  CHECK(missing.code == 1);
  CHECK(missing.err == "[ ERROR ]  the following arguments are required: --input_model\n");
  auto unknown = run({"--input_model", "m.onnx", "--frobnicate"});
  CHECK(unknown.code == 1);
  CHECK(unknown.err == "[ ERROR ]  unrecognized arguments: --frobnicate (see --help)\n");
  auto no_value = run({"--input_model"});
  CHECK(no_value.err == "[ ERROR ]  argument --input_model: expected one argument\n");
  auto level = run({"-m", "x.onnx", "--log_level", "LOUD"});
  CHECK(level.err.find("invalid choice: 'LOUD'") != std::string::npos);
}

TEST_CASE("cli: converts a model and reports what it did") {
  const auto dir = test::temp_dir("cli_convert");
  const auto model = (test::source_dir() / "examples" / "models" / "small_cnn.onnx").string();
  auto r = run({"--input_model", model, "--output_dir", (dir / "out").string()});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("[ SUCCESS ] Generated IR version 11 model.\n") == 0);
  CHECK(r.out.find("small_cnn.xml") != std::string::npos);
  CHECK(r.out.find("Layers: 10 in the source model") != std::string::npos);
  CHECK(r.out.find("Total execution time:") != std::string::npos);
  CHECK(fs::exists(dir / "out" / "small_cnn.xml"));
  CHECK(fs::exists(dir / "out" / "small_cnn.bin"));

  // -m and -o aliases, --flag=value, --silent
  auto named = run({"-m", model, "-o", (dir / "o2").string(), "--model_name=net", "--silent"});
  CHECK(named.code == 0);
  CHECK(named.out.empty());
  CHECK(fs::exists(dir / "o2" / "net.xml"));
  fs::remove_all(dir);
}

TEST_CASE("cli: a failure is one line naming file and node, and leaves no files") {
  const auto dir = test::temp_dir("cli_fail");
  onnx::model_builder b("g");
  b.opset("", 13);
  b.input("x", element_type::f32, {2});
  b.output("y", element_type::f32, {2});
  b.node("Relu", {"x"}, {"a"}, "relu");
  b.node("Frobnicate", {"a"}, {"y"}, "frob");
  b.save((dir / "bad.onnx").string());
  auto r = run({"--input_model", (dir / "bad.onnx").string(), "--output_dir", (dir / "out").string()});
  CHECK(r.code == 1);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find("bad.onnx: 1 node uses unsupported ONNX operations: Frobnicate (frob)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out" / "bad.xml"));

  auto absent = run({"--input_model", (dir / "absent.onnx").string(), "--output_dir", (dir / "out").string()});
  CHECK(absent.code == 1);
  CHECK(lines(absent.err) == 1);
  CHECK(absent.err.find("absent.onnx") != std::string::npos);

  auto framework = run({"--input_model", (dir / "x.weird").string()});
  CHECK(framework.err.find("--framework") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("cli: --report and --dot say what was done; output is byte-identical run to run") {
  const auto dir = test::temp_dir("cli_report");
  const auto model = (test::source_dir() / "examples" / "models" / "small_cnn.onnx").string();
  auto slurp = [](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  for (const char* run_dir : {"a", "b"}) {
    auto r = run({"--input_model", model, "--output_dir", (dir / run_dir).string(), "--report",
                  (dir / run_dir / "report.json").string(), "--dot", (dir / run_dir / "graph.dot").string(),
                  "--compress_to_fp16", "--silent"});
    REQUIRE(r.code == 0);
  }
  CHECK(slurp(dir / "a" / "small_cnn.xml") == slurp(dir / "b" / "small_cnn.xml"));
  CHECK(slurp(dir / "a" / "small_cnn.bin") == slurp(dir / "b" / "small_cnn.bin"));
  CHECK(slurp(dir / "a" / "graph.dot") == slurp(dir / "b" / "graph.dot"));
  auto a = nlohmann::json::parse(slurp(dir / "a" / "report.json"));
  auto b = nlohmann::json::parse(slurp(dir / "b" / "report.json"));
  CHECK(a["status"] == "success");
  CHECK(a["options"]["compress_to_fp16"] == "True");
  CHECK(a["source"]["layers"] == 10);
  CHECK(a["compression"]["tensors"] == 6);
  CHECK(a["compression"]["bytes_after"].get<int>() * 2 == a["compression"]["bytes_before"].get<int>());
  // BatchNorm bn1 went into conv1's weights and bias; the report says where.
  bool bn1_fused = false;
  for (const auto& f : a["layers"]["fused"])
    if (f["layer"] == "bn1") bn1_fused = true;
  CHECK(bn1_fused);
  bool linear_fusion = false;
  for (const auto& p : a["passes"])
    if (p["name"] == "LinearFusion") linear_fusion = p["rules"]["MultiplyIntoWeights"].get<int>() >= 1;
  CHECK(linear_fusion);
  // Only the timing differs between two runs.
  a.erase("timing");
  b.erase("timing");
  for (auto* j : {&a, &b}) { // the output paths differ by design
    (*j)["ir"].erase("xml");
    (*j)["ir"].erase("bin");
    for (const char* key : {"output_dir", "report", "dot"}) (*j)["options"].erase(key);
  }
  CHECK(a.dump() == b.dump());
  const std::string dot = slurp(dir / "a" / "graph.dot");
  CHECK(dot.rfind("digraph \"small_cnn\" {", 0) == 0);
  CHECK(dot.find("Convolution") != std::string::npos);
  // A failed conversion still writes the report, with the unsupported ops.
  onnx::model_builder bad("g");
  bad.opset("", 13);
  bad.input("x", element_type::f32, {2});
  bad.output("y", element_type::f32, {2});
  bad.node("Frobnicate", {"x"}, {"y"}, "frob");
  bad.save((dir / "bad.onnx").string());
  auto r = run({"--input_model", (dir / "bad.onnx").string(), "--output_dir", (dir / "c").string(), "--report",
                (dir / "bad.json").string()});
  CHECK(r.code == 1);
  const auto failed = nlohmann::json::parse(slurp(dir / "bad.json"));
  CHECK(failed["status"] == "error");
  CHECK(failed["unsupported_operations"][0]["op"] == "Frobnicate");
  CHECK(failed["unsupported_operations"][0]["nodes"][0] == "frob");
  fs::remove_all(dir);
}

std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

TEST_CASE("cli: --log_level INFO says what each step did, DEBUG every rule firing, WARNING what did not apply") {
  const auto dir = test::temp_dir("cli_log");
  const auto model = (test::source_dir() / "examples" / "models" / "small_cnn.onnx").string();
  auto quiet = run({"-m", model, "-o", (dir / "a").string()});
  REQUIRE(quiet.code == 0);
  CHECK(quiet.err.empty()); // the default level shows warnings only, and there are none

  auto info = run({"-m", model, "-o", (dir / "b").string(), "--log_level", "INFO"});
  REQUIRE(info.code == 0);
  CHECK(info.err.find("[ INFO ]  Imported small_cnn.onnx (onnx): 10 layers") != std::string::npos);
  CHECK(info.err.find("[ INFO ]  ConstantFolding: ") != std::string::npos);
  CHECK(info.err.find("[ INFO ]  DeadCodeElimination: ") != std::string::npos);
  CHECK(info.err.find("MultiplyIntoWeights x") != std::string::npos);
  CHECK(lines_starting(info.err, "[ DEBUG ]").empty());

  // DEBUG: one line per rewrite, naming rule and node; as many as the report counts.
  auto debug = run({"-m", model, "-o", (dir / "c").string(), "--log_level", "DEBUG", "--report",
                    (dir / "c.json").string(), "--disable_passes", "ConstantFolding"});
  REQUIRE(debug.code == 0);
  std::ifstream report_file(dir / "c.json");
  const auto report = nlohmann::json::parse(report_file);
  int fired = 0;
  for (const auto& p : report["passes"])
    if (p.contains("rules"))
      for (const auto& [rule, n] : p["rules"].items()) fired += n.get<int>();
  const auto firings = lines_starting(debug.err, "[ DEBUG ]");
  CHECK(fired > 0);
  CHECK(static_cast<int>(firings.size()) == fired);
  CHECK(debug.err.find("[ INFO ]  ConstantFolding: skipped (disabled)") != std::string::npos);
  bool bn1 = false;
  for (const auto& l : firings) bn1 = bn1 || l.find(" at 'bn1'") != std::string::npos;
  CHECK(bn1);

  // A warning for an input --reverse_input_channels cannot apply to; ERROR and --silent hide it.
  onnx::model_builder b("g");
  b.opset("", 13);
  b.input("x", element_type::f32, {1, 2, 4});
  b.output("y", element_type::f32, {1, 2, 4});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.save((dir / "two.onnx").string());
  const std::string two = (dir / "two.onnx").string();
  auto warned = run({"-m", two, "-o", (dir / "d").string(), "--reverse_input_channels"});
  REQUIRE(warned.code == 0);
  CHECK(warned.err ==
        "[ WARNING ]  --reverse_input_channels: input 'x' [1,2,4] has no 3-channel axis (1 or last); left as it is\n");
  CHECK(run({"-m", two, "-o", (dir / "e").string(), "--reverse_input_channels", "--log_level", "ERROR"}).err.empty());
  CHECK(run({"-m", two, "-o", (dir / "f").string(), "--reverse_input_channels", "--silent"}).err.empty());
  auto level = run({"-m", two, "--log_level", "LOUD"});
  CHECK(level.code == 1);
  fs::remove_all(dir);
}

TEST_CASE("cli: Caffe models: .caffemodel with its .prototxt, --input_proto, a prototxt alone, --input_shape, verify") {
  const auto dir = test::temp_dir("cli_caffe");
  const std::string prototxt = R"(name: "tiny"
input: "data" input_shape { dim: 1 dim: 2 dim: 4 dim: 4 }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 3 kernel_size: 3 pad: 1 } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
)";
  std::vector<float> w(3 * 2 * 3 * 3);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(static_cast<int>(i % 7) - 3) * 0.25f;
  irforge::test::caffemodel_builder weights("tiny");
  weights.layer("conv", "Convolution", {{{3, 2, 3, 3}, w}, {{3}, {0.5f, -0.25f, 0.f}}});
  auto write = [](const fs::path& p, const auto& bytes) {
    std::ofstream f(p, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  };
  write(dir / "tiny.caffemodel", weights.bytes());
  write(dir / "tiny.prototxt", prototxt);
  write(dir / "deploy.prototxt", prototxt);
  fs::copy_file(dir / "tiny.caffemodel", dir / "weights.caffemodel");

  // The prototxt beside the model is found by name, as Model Optimizer does.
  auto r = run({"--input_model", (dir / "tiny.caffemodel").string(), "-o", (dir / "a").string()});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("Layers: 2 in the source model") != std::string::npos);
  const graph ir = ir::load((dir / "a" / "tiny.xml").string());
  const graph source = caffe::load((dir / "tiny.caffemodel").string());
  std::vector<float> xs(2 * 4 * 4);
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<float>(i % 5) - 2.f;
  const tensor x = tensor::from_values<float>({1, 2, 4, 4}, xs);
  const auto want = reference::evaluate(source, {x})[0];
  const auto got = reference::evaluate(ir, {x})[0];
  CHECK(got.dims() == shape{1, 3, 4, 4});
  CHECK(reference::compare(got, want, 1e-6, 1e-7).ok());
  // Its tensor and layer names came through.
  CHECK(ir.node(ir.parameters()[0]).name == "data");

  // Another name: --input_proto; a missing prototxt is an error naming it.
  auto proto = run({"-m", (dir / "weights.caffemodel").string(), "--input_proto", (dir / "deploy.prototxt").string(),
                    "-o", (dir / "b").string()});
  CHECK(proto.code == 0);
  CHECK(fs::exists(dir / "b" / "weights.xml"));
  auto missing = run({"-m", (dir / "weights.caffemodel").string(), "-o", (dir / "c").string()});
  CHECK(missing.code == 1);
  CHECK(missing.err.find("weights.prototxt") != std::string::npos);

  // A prototxt alone converts for topology checks, with a warning that says so.
  auto alone = run({"-m", (dir / "deploy.prototxt").string(), "-o", (dir / "d").string()});
  CHECK(alone.code == 0);
  CHECK(alone.err.find("[ WARNING ]  no .caffemodel") != std::string::npos);
  CHECK(fs::exists(dir / "d" / "deploy.xml"));

  // --input_shape replaces the prototxt's shape before conversion; --batch after it.
  auto shaped = run({"-m", (dir / "tiny.caffemodel").string(), "-o", (dir / "e").string(), "--input_shape", "[1,2,6,5]"});
  REQUIRE(shaped.code == 0);
  const graph ir6 = ir::load((dir / "e" / "tiny.xml").string());
  CHECK(ir6.info({ir6.parameters()[0], 0}).shape == partial_shape{1, 2, 6, 5});
  CHECK(ir6.info(ir6.input(ir6.results()[0], 0)).shape == partial_shape{1, 3, 6, 5});
  auto batched = run({"-m", (dir / "tiny.caffemodel").string(), "-o", (dir / "f").string(), "-b", "4"});
  REQUIRE(batched.code == 0);
  const graph ir4 = ir::load((dir / "f" / "tiny.xml").string());
  CHECK(ir4.info(ir4.input(ir4.results()[0], 0)).shape == partial_shape{4, 3, 4, 4});

  // verify: imported, optimized and read-back IR agree.
  std::ostringstream out, err;
  const int code = cli::run({"verify", "-m", (dir / "tiny.caffemodel").string()}, out, err);
  CHECK(code == 0);
  CHECK(out.str().find("[ SUCCESS ] 1 output(s) agree") != std::string::npos);
  fs::remove_all(dir);
}

} // namespace test_cli_tests
