// The ONNX models of ../shared/corpus that come with reference inputs and
// outputs produced by their authors' frameworks, evaluated on the reference
// evaluator: the ONNX conformance models (pytorch-converted, pytorch-operator,
// simple: test_data_set_N/*.pb) and opencv_extra's (data/input_X.npy ->
// data/output_X.npy). Tolerance: the suite's own, rtol 1e-3, atol 1e-7 (.pb) and
// 1e-4 absolute for opencv_extra (its tests' tolerance). Failures must be listed
// with a reason in tests/data/onnx_corpus_numeric_failures.txt.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/io/npy.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/passes/standard.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_onnx_corpus_numeric_tests {  // unity-build scope

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

struct case_data {
  std::string name;
  fs::path model;
  std::vector<std::vector<fs::path>> inputs, outputs; // per data set
  double rtol, atol;
};

std::vector<case_data> collect() {
  std::vector<case_data> cases;
  const auto root = test::corpus_dir() / "onnx";
  for (const char* group : {"pytorch-converted", "pytorch-operator", "simple"}) {
    const auto dir = root / "onnx" / group;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      case_data c{std::string(group) + "/" + e.path().filename().string(), e.path() / "model.onnx", {}, {}, 1e-3, 1e-7};
      for (int set = 0; fs::exists(e.path() / ("test_data_set_" + std::to_string(set))); ++set) {
        const auto d = e.path() / ("test_data_set_" + std::to_string(set));
        std::vector<fs::path> in, out;
        for (int k = 0; fs::exists(d / ("input_" + std::to_string(k) + ".pb")); ++k) in.push_back(d / ("input_" + std::to_string(k) + ".pb"));
        for (int k = 0; fs::exists(d / ("output_" + std::to_string(k) + ".pb")); ++k) out.push_back(d / ("output_" + std::to_string(k) + ".pb"));
        c.inputs.push_back(in);
        c.outputs.push_back(out);
      }
      if (fs::exists(c.model) && !c.inputs.empty()) cases.push_back(c);
    }
  }
  const auto cv = root / "opencv_extra" / "onnx";
  if (fs::exists(cv / "models")) {
    for (const auto& e : fs::directory_iterator(cv / "models")) {
      const std::string stem = e.path().stem().string();
      case_data c{"opencv_extra/" + stem, e.path(), {}, {}, 0.0, 1e-4};
      std::vector<fs::path> in, out;
      if (fs::exists(cv / "data" / ("input_" + stem + ".npy"))) in.push_back(cv / "data" / ("input_" + stem + ".npy"));
      for (int k = 0; fs::exists(cv / "data" / ("input_" + stem + "_" + std::to_string(k) + ".npy")); ++k)
        in.push_back(cv / "data" / ("input_" + stem + "_" + std::to_string(k) + ".npy"));
      if (fs::exists(cv / "data" / ("output_" + stem + ".npy"))) out.push_back(cv / "data" / ("output_" + stem + ".npy"));
      if (in.empty() || out.empty()) continue;
      c.inputs.push_back(in);
      c.outputs.push_back(out);
      cases.push_back(c);
    }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

tensor read_data(const fs::path& p) {
  return p.extension() == ".npy" ? io::read_npy(p.string()) : onnx::read_tensor_file(p.string());
}
} // namespace

TEST_CASE("corpus: ONNX models match their reference outputs, also after the standard pipeline, and their IR evaluates bit for bit the same" *
          doctest::test_suite("corpus")) {
  if (!fs::exists(test::corpus_dir() / "onnx")) {
    MESSAGE("skipped: the corpus is absent");
    return;
  }
  const auto known = listed("onnx_corpus_numeric_failures.txt");
  std::size_t checked = 0, passed = 0, known_failed = 0, unsupported = 0, outputs_checked = 0;
  std::vector<std::string> unexpected;
  for (const auto& c : collect()) {
    std::string failure;
    try {
      graph g;
      try {
        g = onnx::load(c.model.string());
      } catch (const unsupported_ops_error&) {
        ++unsupported;
        continue;
      }
      ++checked;
      // The IR read back must evaluate bit for bit like the graph it came from.
      std::string xml;
      std::vector<std::byte> bin;
      ir::serialize(g, xml, bin);
      auto owner = std::make_shared<std::vector<std::byte>>(bin);
      const graph back = ir::parse(xml, *owner, owner);
      // The standard pipeline (folding, fusions, CSE ...) must keep the reference outputs too.
      graph optimized = g;
      passes::standard().run(optimized);
      for (std::size_t set = 0; set < c.inputs.size() && failure.empty(); ++set) {
        std::vector<tensor> inputs;
        for (const auto& p : c.inputs[set]) inputs.push_back(read_data(p));
        const auto got = reference::evaluate(g, inputs);
        const auto got_back = reference::evaluate(back, inputs);
        const auto got_optimized = reference::evaluate(optimized, inputs);
        for (std::size_t k = 0; k < c.outputs[set].size() && failure.empty(); ++k) {
          tensor expected = read_data(c.outputs[set][k]);
          if (k >= got.size()) {
            failure = "fewer outputs than reference files";
            break;
          }
          // opencv_extra stores outputs of other ranks (e.g. flattened): compare the values.
          if (expected.dims() != got[k].dims() && expected.element_count() == got[k].element_count())
            expected = expected.reshaped(got[k].dims());
          const auto cmp = reference::compare(got[k], expected, c.rtol, c.atol);
          ++outputs_checked;
          if (!cmp.ok()) failure = "set " + std::to_string(set) + " output " + std::to_string(k) + ": " + cmp.describe();
          else if (!reference::compare(got_back[k], got[k], 0, 0).ok()) failure = "the IR read back evaluates differently";
          else if (got_back[k].bytes().size() != got[k].bytes().size() ||
                   std::memcmp(got_back[k].bytes().data(), got[k].bytes().data(), got[k].bytes().size()) != 0)
            failure = "the IR read back is not bit-identical";
          else if (k >= got_optimized.size())
            failure = "the optimized graph has fewer outputs";
          else if (const auto opt = reference::compare(got_optimized[k], expected, c.rtol, c.atol); !opt.ok())
            failure = "set " + std::to_string(set) + " output " + std::to_string(k) +
                      " after the standard pipeline: " + opt.describe();
        }
      }
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (failure.empty()) {
      ++passed;
      if (known.count(c.name)) unexpected.push_back(c.name + ": passes now; remove it from onnx_corpus_numeric_failures.txt");
    } else if (known.count(c.name)) {
      ++known_failed;
    } else {
      unexpected.push_back(c.name + ": " + failure);
    }
  }
  for (const auto& u : unexpected) FAIL_CHECK(u);
  std::cout << "[corpus] ONNX models with reference outputs: " << checked << " evaluated (" << outputs_checked
            << " outputs), " << passed << " match, " << known_failed << " known failures, " << unsupported
            << " use unsupported ops\n";
}

} // namespace test_onnx_corpus_numeric_tests
