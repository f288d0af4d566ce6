// The Caffe nets of ../shared/corpus/caffe: every one converts (or fails with
// the list of its unsupported layers); its IR, read back, evaluates bit for
// bit like the graph; opencv_extra's layer tests match Caffe's own outputs;
// ResNet-20's BatchNorm+Scale pairs fold into the convolutions without
// changing its outputs; and broken copies of real files give precise errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/load.hpp"
#include "irforge/io/npy.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/passes/standard.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "support/checks.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_caffe_corpus_tests { // unity-build scope

namespace {
fs::path caffe_dir() { return test::corpus_dir() / "caffe"; }

/// The weights of a prototxt: the .caffemodel of the same stem, else the only
/// .caffemodel in its directory; none for opencv_extra's weightless layer tests.
std::string weights_for(const fs::path& prototxt) {
  auto same = prototxt;
  same.replace_extension(".caffemodel");
  if (fs::exists(same)) return same.string();
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(prototxt.parent_path()))
    if (e.path().extension() == ".caffemodel") found.push_back(e.path());
  return found.size() == 1 && prototxt.parent_path().filename() != "layers" ? found[0].string() : std::string();
}

/// Inputs the prototxt cannot give (train_test nets start from a Data layer).
caffe::load_options options_for(const fs::path& prototxt) {
  caffe::load_options o;
  if (prototxt.filename() == "res20_cifar_train_test.prototxt") o.input_shapes["Data1"] = partial_shape{1, 3, 32, 32};
  return o;
}

std::vector<fs::path> prototxts() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(caffe_dir()))
    if (e.path().extension() == ".prototxt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// Deterministic inputs, one per Parameter: a smooth pattern in [-1, 1] scaled by `scale`.
std::vector<tensor> make_inputs(const graph& g, float scale) {
  std::vector<tensor> in;
  for (auto p : g.parameters()) {
    const shape s = g.info({p, 0}).shape.to_shape();
    std::vector<float> v(static_cast<std::size_t>(element_count(s)));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * std::sin(0.37f * static_cast<float>(i) + 0.5f);
    in.push_back(tensor::from_values<float>(s, v));
  }
  return in;
}

bool bit_identical(const tensor& a, const tensor& b) {
  return a.dims() == b.dims() && a.bytes().size() == b.bytes().size() &&
         std::memcmp(a.bytes().data(), b.bytes().data(), a.bytes().size()) == 0;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

using irforge::test::error_of;

bool skip_without_corpus() {
  if (fs::exists(caffe_dir())) return false;
  MESSAGE("skipped: ../shared/corpus/caffe is absent");
  return true;
}
} // namespace

TEST_CASE("corpus: every Caffe net converts, and its IR evaluates like the graph" * doctest::test_suite("corpus")) {
  if (skip_without_corpus()) return;
  std::size_t converted = 0, evaluated = 0, outputs = 0, unsupported = 0;
  for (const auto& proto : prototxts()) {
    CAPTURE(proto.string());
    const std::string weights = weights_for(proto);
    graph g;
    try {
      g = caffe::load(weights, proto.string(), options_for(proto));
    } catch (const unsupported_ops_error& e) {
      ++unsupported; // acceptable only with the list of what is missing
      CHECK(!e.ops().empty());
      continue;
    }
    ++converted;
    CHECK(g.results().size() >= 1);
    std::string xml;
    std::vector<std::byte> bin;
    ir::serialize(g, xml, bin);
    auto owner = std::make_shared<std::vector<std::byte>>(bin);
    const graph back = ir::parse(xml, *owner, owner);
    REQUIRE(back.results().size() == g.results().size());
    // Random data is no valid ROI list (batch indices must name an image): such nets only convert.
    bool runnable = true;
    for (auto id : g.nodes()) runnable = runnable && g.node(id).op.type_name() != "ROIPooling";
    if (!runnable) continue;
    const auto in = make_inputs(g, 1.0f);
    const auto got = reference::evaluate(g, in);
    const auto got_back = reference::evaluate(back, in);
    REQUIRE(got.size() == got_back.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      CHECK(bit_identical(got[k], got_back[k]));
      std::size_t non_finite = 0;
      for (double v : got[k].as_f64()) non_finite += !std::isfinite(v);
      CHECK(non_finite == 0);
      // Softmax outputs are distributions over the channel axis.
      const std::string out_name = g.node(g.results()[k]).source_names[0];
      if ((out_name == "prob" || out_name == "prob1") && got[k].dims().size() >= 2) {
        double worst = 0;
        const auto v = got[k].as_f64();
        const auto c = static_cast<std::size_t>(got[k].dims()[1]);
        const std::size_t inner = v.size() / static_cast<std::size_t>(got[k].dims()[0]) / c;
        for (std::size_t n = 0; n < static_cast<std::size_t>(got[k].dims()[0]); ++n)
          for (std::size_t i = 0; i < inner; ++i) {
            double sum = 0;
            for (std::size_t ch = 0; ch < c; ++ch) sum += v[(n * c + ch) * inner + i];
            worst = std::max(worst, std::fabs(sum - 1.0));
          }
        CHECK(worst < 1e-5);
      }
      ++outputs;
    }
    ++evaluated;
  }
  CHECK(unsupported == 0);
  CHECK(converted >= 20);
  MESSAGE("Caffe corpus: " << converted << " nets converted (" << evaluated << " evaluated, " << outputs
                           << " outputs, IR round trip bit-identical), " << unsupported << " with unsupported layers");
}

TEST_CASE("corpus: opencv_extra's Caffe layer tests match Caffe's outputs" * doctest::test_suite("corpus")) {
  if (skip_without_corpus()) return;
  const fs::path dir = caffe_dir() / "opencv_extra" / "layers";
  std::size_t compared = 0, matched = 0;
  for (const auto& proto : prototxts()) {
    if (proto.parent_path() != dir) continue;
    const std::string stem = proto.stem().string();
    const fs::path expected_file = dir / (stem + ".npy");
    fs::path input_file = dir / (stem + ".input.npy");
    if (!fs::exists(input_file)) input_file = dir / "blob.npy";
    if (!fs::exists(expected_file)) continue; // no reference output (e.g. the ROI pooling net lacks its rois)
    CAPTURE(stem);
    const fs::path model = dir / (stem + ".caffemodel");
    const graph g = caffe::load(fs::exists(model) ? model.string() : std::string(), proto.string());
    if (g.parameters().size() != 1) continue; // the data of its other inputs is not in the corpus
    const auto got = reference::evaluate(g, {io::read_npy(input_file.string())});
    REQUIRE(got.size() == 1);
    tensor expected = io::read_npy(expected_file.string());
    const auto cmp = reference::compare(got[0], expected, 1e-3, 1e-5);
    ++compared;
    CHECK_MESSAGE(cmp.ok(), cmp.describe());
    matched += cmp.ok();
  }
  CHECK(compared >= 9);
  MESSAGE("opencv_extra Caffe layer tests: " << matched << " of " << compared << " match Caffe's outputs (rtol 1e-3, atol 1e-5)");
}

TEST_CASE("corpus: ResNet-20's BatchNorm+Scale fold into its convolutions, outputs unchanged" * doctest::test_suite("corpus")) {
  if (skip_without_corpus()) return;
  const fs::path dir = caffe_dir() / "ResNet-on-Cifar10" / "ResNet_20";
  caffe::load_options o;
  o.input_shapes["Data1"] = partial_shape{1, 3, 32, 32};
  std::vector<std::string> notes;
  o.on_note = [&](const std::string& s) { notes.push_back(s); };
  graph g = caffe::load((dir / "ResNet_20.caffemodel").string(), (dir / "res20_cifar_train_test.prototxt").string(), o);
  auto count = [&](std::string_view type) {
    std::size_t n = 0;
    for (auto id : g.nodes()) n += g.node(id).op.type_name() == type;
    return n;
  };
  CHECK(count("BatchNormInference") == 21);
  CHECK(count("Multiply") == 21); // the Scale layers
  CHECK(count("Convolution") == 21);
  REQUIRE(notes.size() == 2);
  CHECK(notes[1] == "dropped 3 training-only layer(s): Data1 (Data), SoftmaxWithLoss1 (SoftmaxWithLoss), Accuracy1 (Accuracy)");
  const auto in = make_inputs(g, 100.0f); // roughly the scale of mean-subtracted pixels
  const auto before = reference::evaluate(g, in);
  passes::standard().run(g);
  CHECK(count("BatchNormInference") == 0);
  CHECK(count("Multiply") == 0);
  CHECK(count("Convolution") == 21);
  const auto after = reference::evaluate(g, in);
  REQUIRE(after.size() == 1);
  CHECK(after[0].dims() == shape{1, 10});
  const auto cmp = reference::compare(after[0], before[0], 1e-4, 1e-5);
  CHECK_MESSAGE(cmp.ok(), cmp.describe());
  // Every folded layer's name stays on the conv it went into.
  std::size_t traced = 0;
  for (auto id : g.nodes())
    for (const auto& s : g.node(id).source_names) traced += s.rfind("BatchNorm", 0) == 0 || s.rfind("Scale", 0) == 0;
  CHECK(traced >= 42);
}

TEST_CASE("corpus: broken copies of real Caffe files give precise errors" * doctest::test_suite("corpus")) {
  if (skip_without_corpus()) return;
  const fs::path mtcnn = caffe_dir() / "mxnet_mtcnn_face_detection";
  const std::string det1 = read_file(mtcnn / "det1.prototxt");
  const auto dir = test::temp_dir("caffe_corpus_bad");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  auto line_of = [&](const std::string& text, std::size_t offset) {
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  };

  SUBCASE("a syntax error names the line and column") {
    std::string broken = det1;
    const auto at = broken.find("kernel_size: 3");
    REQUIRE(at != std::string::npos);
    broken.replace(at, 14, "kernel_size 3"); // the ':' is missing
    const std::string path = write("syntax.prototxt", broken);
    const auto col = at - broken.rfind('\n', at); // 1-based column of "kernel_size"
    const std::string msg = error_of([&] { (void)caffe::load((mtcnn / "det1.caffemodel").string(), path); });
    CHECK(msg.find(path) != std::string::npos);
    CHECK(msg.find("line " + std::to_string(line_of(broken, at)) + ", column " + std::to_string(col + 12)) !=
          std::string::npos);
    CHECK(msg.find("expected ':' or '{' after field name 'kernel_size'") != std::string::npos);
  }
  SUBCASE("blob sizes that disagree with the prototxt name the layer and both sizes") {
    std::string changed = det1;
    const auto at = changed.find("num_output: 10");
    REQUIRE(at != std::string::npos);
    changed.replace(at, 14, "num_output: 12");
    const std::string path = write("sizes.prototxt", changed);
    const std::string msg = error_of([&] { (void)caffe::load((mtcnn / "det1.caffemodel").string(), path); });
    CHECK(msg.find("node 'conv1' (Convolution)") != std::string::npos);
    CHECK(msg.find("holds 270 values (shape [10,3,3,3]), but the prototxt's parameters need 324 (shape [12,3,3,3])") !=
          std::string::npos);
  }
  SUBCASE("unknown layer types are listed all at once") {
    std::string changed = det1;
    for (std::size_t at = 0; (at = changed.find("type: \"PReLU\"", at)) != std::string::npos;)
      changed.replace(at, 13, "type: \"PReLUx\"");
    const auto at = changed.find("type: \"Softmax\"");
    REQUIRE(at != std::string::npos);
    changed.replace(at, 15, "type: \"SoftmaxV2\"");
    const std::string path = write("unknown.prototxt", changed);
    try {
      (void)caffe::load((mtcnn / "det1.caffemodel").string(), path);
      FAIL("no error");
    } catch (const unsupported_ops_error& e) {
      REQUIRE(e.ops().size() == 2);
      CHECK(e.ops()[0].first == "PReLUx");
      CHECK(e.ops()[0].second == std::vector<std::string>{"PReLU1", "PReLU2", "PReLU3"});
      CHECK(e.ops()[1].first == "SoftmaxV2");
      CHECK(e.ops()[1].second == std::vector<std::string>{"prob1"});
    }
  }
  SUBCASE("a truncated caffemodel is an error at a byte offset") {
    const std::string bytes = read_file(mtcnn / "det1.caffemodel");
    std::ofstream(dir / "cut.caffemodel", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    const std::string msg = error_of([&] { (void)caffe::load((dir / "cut.caffemodel").string(), (mtcnn / "det1.prototxt").string()); });
    CHECK(msg.find("cut.caffemodel at byte") != std::string::npos);
  }
  fs::remove_all(dir);
}

} // namespace test_caffe_corpus_tests
