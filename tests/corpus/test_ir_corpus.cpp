// Every IR written by OpenVINO's own tools in ../shared/corpus/openvino_ir is read
// (v10 and v11), and re-reads identically after our writer.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_ir_corpus_tests {  // unity-build scope: file-local helpers stay apart

TEST_CASE("corpus: OpenVINO IR files are read and round-trip" * doctest::test_suite("corpus")) {
  const auto root = test::corpus_dir() / "openvino_ir";
  if (!fs::exists(root)) {
    MESSAGE("skipped: " << root << " is absent");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().extension() == ".xml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t read = 0, old_format = 0, generic_layers = 0, layers = 0;
  for (const auto& xml_path : files) {
    CAPTURE(xml_path);
    const std::string text = [&] {
      std::ifstream f(xml_path);
      return std::string(std::istreambuf_iterator<char>(f), {});
    }();
    if (text.find("<net") != std::string::npos &&
        (text.find("version=\"10\"") == std::string::npos && text.find("version=\"11\"") == std::string::npos)) {
      // IR v4..v7 (Inference Engine's pre-2020 format) is refused with a clear message.
      CHECK_THROWS_WITH_AS(ir::load(xml_path.string()), doctest::Contains("is not supported (versions 10 and 11 are)"),
                           error);
      ++old_format;
      continue;
    }
    graph g = ir::load(xml_path.string());
    ++read;
    layers += g.size();
    for (node_id id : g.nodes()) generic_layers += g.node(id).op.is<ops::generic_op>() ? 1 : 0;
    CHECK(!g.parameters().empty());
    CHECK(!g.results().empty());
    std::string xml1, xml2;
    std::vector<std::byte> bin1, bin2;
    ir::serialize(g, xml1, bin1);
    auto owner = std::make_shared<std::vector<std::byte>>(bin1);
    graph again = ir::parse(xml1, *owner, owner);
    CHECK(again.size() == g.size());
    ir::serialize(again, xml2, bin2);
    CHECK(xml1 == xml2);
    CHECK(bin1 == bin2);
  }
  std::cout << "[corpus] OpenVINO IR: " << read << " files read and round-tripped (" << layers << " layers, "
            << generic_layers << " as generic ops), " << old_format << " pre-v10 files refused\n";
  CHECK(read >= 13);
}

} // namespace test_ir_corpus_tests
