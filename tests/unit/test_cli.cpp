// The command line: flags, summary, exit codes, one-line errors, no partial output.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "irforge/cli/main.hpp"
#include "irforge/frontends/onnx/writer.hpp"
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

} // namespace test_cli_tests
