// The ONNX backend node tests, evaluated: every test that converts runs on the
// reference evaluator with its input_N.pb and must match output_N.pb
// (rtol 1e-3, atol 1e-7, the suite's own tolerance), or be listed with a
// reason in tests/data/onnx_backend_numeric_failures.txt (a list that only shrinks).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_onnx_backend_numeric_tests {  // unity-build scope

namespace {
std::map<std::string, std::string> listed(const char* file) {
  std::map<std::string, std::string> out;
  std::ifstream f(test::source_dir() / "tests" / "data" / file);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find_first_of(" \t");
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", space));
  }
  return out;
}

/// ONNX 1.12 stores bfloat16 data as uint16 bits: read them as what the model declares.
tensor as_declared(tensor t, element_type declared) {
  if (t.type() == element_type::u16 && declared == element_type::bf16) return t.reinterpreted(element_type::bf16);
  return t;
}
} // namespace

TEST_CASE("backend: ONNX node tests give the expected outputs on the reference evaluator" *
          doctest::test_suite("backend")) {
  const auto root = test::onnx_backend_dir() / "node";
  if (!fs::exists(root)) {
    MESSAGE("skipped: " << root << " is absent (apt-get install libonnx-testdata)");
    return;
  }
  const auto known = listed("onnx_backend_numeric_failures.txt");
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());

  std::size_t evaluated = 0, passed = 0, known_failed = 0, not_converted = 0;
  std::vector<std::string> unexpected;
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    graph g;
    try {
      g = onnx::load((dir / "model.onnx").string());
    } catch (const error&) {
      ++not_converted; // the conversion suite accounts for these
      continue;
    }
    ++evaluated;
    std::string failure;
    try {
      const auto data = dir / "test_data_set_0";
      std::vector<tensor> inputs;
      for (std::size_t k = 0; k < g.parameters().size(); ++k) {
        const tensor t = onnx::read_tensor_file((data / ("input_" + std::to_string(k) + ".pb")).string());
        inputs.push_back(as_declared(t, g.info({g.parameters()[k], 0}).type));
      }
      const auto outputs = reference::evaluate(g, inputs);
      for (std::size_t k = 0; k < outputs.size() && failure.empty(); ++k) {
        const auto file = data / ("output_" + std::to_string(k) + ".pb");
        if (!fs::exists(file)) continue;
        const tensor expected = as_declared(onnx::read_tensor_file(file.string()), outputs[k].type());
        const auto c = reference::compare(outputs[k], expected, 1e-3, 1e-7);
        if (!c.ok())
          failure = "output " + std::to_string(k) + ": " + c.describe() + " (got " + std::string(to_string(outputs[k].type())) +
                    partial_shape(outputs[k].dims()).to_string() + ", expected " + std::string(to_string(expected.type())) +
                    partial_shape(expected.dims()).to_string() + ")";
      }
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (failure.empty()) {
      ++passed;
      if (known.count(name)) unexpected.push_back(name + ": passes now; remove it from onnx_backend_numeric_failures.txt");
    } else if (known.count(name)) {
      ++known_failed;
    } else {
      unexpected.push_back(name + ": " + failure);
    }
  }
  for (const auto& u : unexpected) FAIL_CHECK(u);
  std::cout << "[backend] evaluated " << evaluated << " converted ONNX node tests: " << passed
            << " match the expected outputs, " << known_failed << " known failures (listed with reasons), "
            << unexpected.size() << " unexpected\n";
}

} // namespace test_onnx_backend_numeric_tests
