// The ONNX backend node tests (Debian libonnx-testdata): every test whose ops
// are mapped converts, its IR round-trips, and the inferred output types and
// shapes agree with the expected outputs shipped with the test.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_onnx_backend_tests {  // unity-build scope: file-local helpers stay apart

namespace {
/// tests/data/onnx_backend_conversion_failures.txt: "<test name>  <reason>" lines.
std::map<std::string, std::string> known_failures() {
  std::map<std::string, std::string> out;
  std::ifstream f(test::source_dir() / "tests" / "data" / "onnx_backend_conversion_failures.txt");
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find_first_of(" \t");
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", space));
  }
  return out;
}
} // namespace

TEST_CASE("backend: ONNX node tests convert, round-trip and infer the expected output shapes" *
          doctest::test_suite("backend")) {
  const auto root = test::onnx_backend_dir() / "node";
  if (!fs::exists(root)) {
    MESSAGE("skipped: " << root << " is absent (apt-get install libonnx-testdata)");
    return;
  }
  const auto known = known_failures();
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());

  std::size_t converted = 0, unsupported = 0, known_failed = 0, exact_shapes = 0, compatible_shapes = 0;
  std::set<std::string> unsupported_ops;
  std::vector<std::string> unexpected;
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    CAPTURE(name);
    graph g;
    try {
      g = onnx::load((dir / "model.onnx").string());
    } catch (const unsupported_ops_error& e) {
      ++unsupported;
      for (const auto& [op, nodes] : e.ops()) unsupported_ops.insert(op);
      continue;
    } catch (const error& e) {
      if (known.count(name)) {
        ++known_failed;
        continue;
      }
      unexpected.push_back(name + ": " + e.what());
      continue;
    }
    ++converted;
    if (known.count(name)) unexpected.push_back(name + ": converts now; remove it from the known-failures list");

    // IR round trip: write, read, write again gives the same files.
    std::string xml1, xml2;
    std::vector<std::byte> bin1, bin2;
    ir::serialize(g, xml1, bin1);
    auto owner = std::make_shared<std::vector<std::byte>>(bin1);
    graph again = ir::parse(xml1, *owner, owner);
    ir::serialize(again, xml2, bin2);
    CHECK(xml1 == xml2);
    CHECK(bin1 == bin2);

    // Output types and shapes against the expected outputs.
    const auto data = dir / "test_data_set_0";
    for (std::size_t k = 0; k < g.results().size(); ++k) {
      const auto file = data / ("output_" + std::to_string(k) + ".pb");
      if (!fs::exists(file)) continue;
      const tensor expected = onnx::read_tensor_file(file.string());
      const auto& info = g.info(g.input(g.results()[k], 0));
      // ONNX 1.12's test data stores bfloat16 expectations as their uint16 bits.
      const bool bf16_as_bits = info.type == element_type::bf16 && expected.type() == element_type::u16;
      CHECK_MESSAGE((info.type == expected.type() || bf16_as_bits), name << " output " << k << ": type " << to_string(info.type)
                                                       << " expected " << to_string(expected.type()));
      CHECK_MESSAGE(info.shape.compatible(partial_shape(expected.dims())),
                    name << " output " << k << ": shape " << info.shape.to_string() << " expected "
                         << partial_shape(expected.dims()).to_string());
      if (info.shape == partial_shape(expected.dims())) ++exact_shapes;
      else ++compatible_shapes;
    }
  }
  for (const auto& u : unexpected) FAIL_CHECK(u);
  std::string ops;
  for (const auto& op : unsupported_ops) ops += (ops.empty() ? "" : " ") + op;
  std::cout << "[backend] ONNX node tests: " << dirs.size() << " in all, " << converted << " converted and round-tripped ("
            << exact_shapes << " outputs with the exact expected shape, " << compatible_shapes
            << " with a compatible partly dynamic shape), " << known_failed << " known conversion failures, "
            << unsupported << " use unmapped ops\n[backend] unmapped: " << ops << "\n";
}

} // namespace test_onnx_backend_tests
