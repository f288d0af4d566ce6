// Every ONNX file in ../shared/corpus/onnx converts, or fails with the
// unsupported-op error that lists what is missing; each one that converts
// reads back from its IR as the same graph.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_onnx_corpus_tests {  // unity-build scope

namespace {
/// The graph as a comparable summary: op type/version/attributes, inputs, output types and shapes, names.
std::vector<std::string> describe(const graph& g) {
  std::vector<std::string> out;
  const auto order = g.topological_order();
  std::map<node_id, std::size_t> index;
  for (std::size_t i = 0; i < order.size(); ++i) index[order[i]] = i;
  for (node_id id : order) {
    const auto& n = g.node(id);
    std::string s = std::string(n.op.type_name()) + "/" + std::string(n.op.version()) + " " + n.name + " [";
    for (const auto& [k, v] : n.op.attributes()) s += k + "=" + v + ";";
    s += "] in:";
    for (const auto& in : n.inputs) s += " " + std::to_string(index[in.node]) + ":" + std::to_string(in.index);
    s += " out:";
    for (const auto& p : n.outputs) {
      s += " " + std::string(to_string(p.info.type)) + p.info.shape.to_string();
      for (const auto& nm : p.names) s += "," + nm;
    }
    if (const auto* c = n.op.get_if<ops::Constant>()) s += " bytes=" + std::to_string(c->value.bytes().size());
    out.push_back(std::move(s));
  }
  return out;
}
} // namespace

TEST_CASE("corpus: ONNX models convert and their IR reads back as the same graph" * doctest::test_suite("corpus")) {
  const auto root = test::corpus_dir() / "onnx";
  if (!fs::exists(root)) {
    MESSAGE("skipped: " << root << " is absent");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().extension() == ".onnx") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t converted = 0, unsupported = 0, layers = 0;
  std::set<std::string> missing_ops;
  for (const auto& path : files) {
    CAPTURE(path);
    graph g;
    try {
      g = onnx::load(path.string());
    } catch (const unsupported_ops_error& e) {
      ++unsupported;
      CHECK(!e.ops().empty());
      for (const auto& [op, nodes] : e.ops()) {
        CHECK(!nodes.empty());
        missing_ops.insert(op);
      }
      continue;
    }
    ++converted;
    layers += g.size();
    std::string xml;
    std::vector<std::byte> bin;
    ir::serialize(g, xml, bin);
    auto owner = std::make_shared<std::vector<std::byte>>(bin);
    const graph back = ir::parse(xml, *owner, owner);
    CHECK(describe(back) == describe(g));
  }
  std::string ops;
  for (const auto& op : missing_ops) ops += " " + op;
  std::cout << "[corpus] ONNX: " << files.size() << " models, " << converted << " converted (" << layers
            << " IR layers) and read back identical, " << unsupported << " stopped by unsupported ops:" << ops << "\n";
  CHECK(converted >= 140);
}

} // namespace test_onnx_corpus_tests
