// Weight compression: FP16 (Const f16 -> Convert, marked decompression) and
// INT8 per output channel (i8 symmetric, u8 with zero point), proven with the
// reference evaluator on graphs built here, on the example model, and, with
// figures, on the corpus models (maximum error, top-1 agreement).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "irforge/frontends/onnx/load.hpp"
#include "irforge/io/npy.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/passes/compress_weights.hpp"
#include "irforge/passes/standard.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/reference/inputs.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_compression_tests { // unity-build scope

/// max |a - b| / max |b|: the error relative to the output's range.
double range_error(const tensor& a, const tensor& b) {
  const auto x = a.as_f64(), y = b.as_f64();
  double diff = 0, range = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::fabs(x[i] - y[i]));
    range = std::max(range, std::fabs(y[i]));
  }
  return range > 0 ? diff / range : diff;
}

/// Fraction of rows (over the last axis) whose argmax agrees.
double top1_agreement(const tensor& a, const tensor& b) {
  const auto x = a.as_f64(), y = b.as_f64();
  const auto k = static_cast<std::size_t>(b.dims().back());
  std::size_t same = 0, rows = x.size() / k;
  for (std::size_t r = 0; r < rows; ++r) {
    const auto ax = std::max_element(x.begin() + r * k, x.begin() + (r + 1) * k) - x.begin();
    const auto ay = std::max_element(y.begin() + r * k, y.begin() + (r + 1) * k) - y.begin();
    same += ax == ay;
  }
  return rows ? static_cast<double>(same) / static_cast<double>(rows) : 1.0;
}

std::size_t count_type(const graph& g, std::string_view type, element_type t = element_type::dynamic) {
  std::size_t n = 0;
  for (node_id id : g.nodes()) {
    const auto& node = g.node(id);
    if (node.op.type_name() != type) continue;
    if (t == element_type::dynamic || g.info({id, 0}).type == t) ++n;
  }
  return n;
}

std::uint64_t bin_size(const graph& g) {
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(g, xml, bin);
  return bin.size();
}

graph small_cnn() {
  graph g = onnx::load((test::source_dir() / "examples" / "models" / "small_cnn.onnx").string());
  passes::standard().run(g);
  return g;
}

TEST_CASE("fp16: weights become f16 constants with a decompression Convert; outputs within FP16 tolerance") {
  const graph fp32 = small_cnn();
  graph g = fp32;
  const auto stats = passes::fp16_compress(g);
  CHECK(stats.constants == 6); // conv1 weights + bias, conv2 weights + bias, fc weights + bias
  CHECK(stats.bytes_after * 2 == stats.bytes_before);
  CHECK(count_type(g, "Const", element_type::f32) == 0);
  for (node_id id : g.nodes())
    if (g.node(id).op.is<ops::Convert>()) {
      CHECK(g.node(id).rt_info == std::vector<std::pair<std::string, std::string>>{{"decompression", ""}});
      CHECK(g.info(g.node(id).inputs[0]).type == element_type::f16);
      CHECK(g.info({id, 0}).type == element_type::f32); // activations stay f32
    }
  // The .bin shrinks by the weights' half.
  CHECK(bin_size(fp32) - bin_size(g) == stats.bytes_before - stats.bytes_after);
  // f16 weights change each weight by at most 2^-11 relative, so outputs move by about that much.
  const auto inputs = reference::gather_inputs(fp32, {}, 17);
  const auto a = reference::evaluate(fp32, inputs), b = reference::evaluate(g, inputs);
  CHECK(range_error(b[0], a[0]) < 2e-3);
  CHECK(top1_agreement(b[0], a[0]) == 1.0);
  // The decompression survives a write/read and constant folding leaves it alone.
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(g, xml, bin);
  CHECK(xml.find("<attribute name=\"decompression\" version=\"0\"/>") != std::string::npos);
  auto owner = std::make_shared<std::vector<std::byte>>(bin);
  graph back = ir::parse(xml, *owner, owner);
  passes::fold_constants(back);
  CHECK(count_type(back, "Convert") == 6);
}

TEST_CASE("fp16: shape-like constants stay exact, huge values clamp, mostly-huge constants stay") {
  graph g;
  auto x = g.add(ops::Parameter{partial_shape{1, 4}, element_type::f32}, {}, "x");
  auto big = g.add(ops::Constant(tensor::from_values<float>({4}, {1e6f, 1.0f, -1e6f, 2.0f})), {}, "mostly_fine");
  auto huge = g.add(ops::Constant(tensor::from_values<float>({4}, {1e6f, 2e6f, -1e6f, 2.0f})), {}, "mostly_huge");
  auto a = g.add(ops::Multiply{}, {{x, 0}, {big, 0}}, "a");
  auto b = g.add(ops::Add{}, {{a, 0}, {huge, 0}}, "b");
  auto scales = g.add(ops::Constant(tensor::from_values<float>({2}, {1.0f, 2.0f})), {}, "scales");
  auto axes = g.add(ops::Constant(tensor::from_values<std::int64_t>({2}, {0, 1})), {}, "axes");
  ops::Interpolate resize;
  resize.mode = ops::interpolate_mode::nearest;
  resize.shape_calculation_mode = ops::shape_calculation_mode::scales;
  auto r = g.add(resize, {{b, 0}, {scales, 0}, {axes, 0}}, "resize"); // Interpolate-11: data, scales, axes
  g.add(ops::Result{}, {{r, 0}}, "out");
  const auto stats = passes::fp16_compress(g);
  CHECK(stats.constants == 1); // mostly_fine
  CHECK(stats.clamped == 2);   // its two values beyond 65504
  CHECK(stats.kept == 2);      // mostly_huge (3 of 4 out of range) and the Interpolate scales
  bool scales_exact = false;
  for (node_id id : g.nodes())
    if (g.node(id).name == "scales") scales_exact = g.info({id, 0}).type == element_type::f32;
  CHECK(scales_exact);
}

TEST_CASE("int8: per-output-channel weights, symmetric and asymmetric; outputs close, 4x smaller weights") {
  const graph fp32 = small_cnn();
  reference::random_source rng(23);
  std::vector<std::vector<tensor>> samples;
  for (int i = 0; i < 8; ++i) samples.push_back({reference::random_tensor(element_type::f32, {1, 3, 32, 32}, rng)});
  for (auto mode : {passes::int8_mode::symmetric, passes::int8_mode::asymmetric}) {
    CAPTURE(static_cast<int>(mode));
    graph g = fp32;
    const auto stats = passes::compress_weights_int8(g, mode);
    CHECK(stats.constants == 3); // conv1, conv2 (grouped), fc
    const element_type q = mode == passes::int8_mode::symmetric ? element_type::i8 : element_type::u8;
    CHECK(count_type(g, "Const", q) == 3);
    CHECK(count_type(g, "Subtract") == (mode == passes::int8_mode::asymmetric ? 3u : 0u));
    CHECK(stats.bytes_after * 3 < stats.bytes_before); // 1 byte per weight plus per-channel scales
    double worst = 0, agree = 0;
    for (const auto& in : samples) {
      const auto a = reference::evaluate(fp32, in), b = reference::evaluate(g, in);
      worst = std::max(worst, range_error(b[0], a[0]));
      agree += top1_agreement(b[0], a[0]);
    }
    // 8-bit steps are 1/127 of a channel's range: outputs move by about a percent.
    CHECK(worst < 0.05);
    CHECK(agree / static_cast<double>(samples.size()) >= 0.875);
    // Round trip keeps the compressed form.
    std::string xml;
    std::vector<std::byte> bin;
    ir::serialize(g, xml, bin);
    auto owner = std::make_shared<std::vector<std::byte>>(bin);
    const graph back = ir::parse(xml, *owner, owner);
    CHECK(count_type(back, "Const", q) == 3);
    const auto a = reference::evaluate(g, samples[0]), b = reference::evaluate(back, samples[0]);
    CHECK(a[0].same_content(b[0]));
  }
}

TEST_CASE("compression on the corpus: size and accuracy of FP16 and INT8 weights" * doctest::test_suite("corpus")) {
  const auto root = test::corpus_dir() / "onnx";
  if (!fs::exists(root)) {
    MESSAGE("skipped: the corpus is absent");
    return;
  }
  // Real models with real weights: the face detectors (random image-like inputs)
  // and opencv_extra's models with their own inputs.
  std::vector<std::pair<fs::path, fs::path>> models; // model, input (.npy or empty)
  const auto faces = root / "Ultra-Light-Fast-Generic-Face-Detector-1MB" / "models_onnx";
  if (fs::exists(faces))
    for (const char* m : {"version-RFB-320.onnx", "version-slim-320.onnx", "version-RFB-640.onnx"})
      if (fs::exists(faces / m)) models.emplace_back(faces / m, fs::path());
  std::size_t evaluated = 0;
  std::uint64_t before_total = 0, fp16_total = 0, int8_total = 0;
  double fp16_worst = 0, int8_worst = 0, int8_asym_worst = 0, fp16_agree_min = 1, int8_agree_min = 1;
  for (const auto& [model, input] : models) {
    graph g;
    try {
      g = onnx::load(model.string());
    } catch (const error& e) {
      MESSAGE(model.filename().string() << ": not convertible: " << e.what());
      continue;
    }
    passes::standard().run(g);
    const auto inputs = reference::gather_inputs(g, {}, 5);
    const auto reference_out = reference::evaluate(g, inputs);
    graph h = g, q = g, qa = g;
    const auto s16 = passes::fp16_compress(h);
    const auto s8 = passes::compress_weights_int8(q, passes::int8_mode::symmetric);
    passes::compress_weights_int8(qa, passes::int8_mode::asymmetric);
    const auto o16 = reference::evaluate(h, inputs), o8 = reference::evaluate(q, inputs), o8a = reference::evaluate(qa, inputs);
    double e16 = 0, e8 = 0, e8a = 0, a16 = 1, a8 = 1;
    for (std::size_t k = 0; k < reference_out.size(); ++k) {
      e16 = std::max(e16, range_error(o16[k], reference_out[k]));
      e8 = std::max(e8, range_error(o8[k], reference_out[k]));
      e8a = std::max(e8a, range_error(o8a[k], reference_out[k]));
      if (reference_out[k].dims().size() >= 2 && reference_out[k].dims().back() >= 2) { // class scores
        a16 = std::min(a16, top1_agreement(o16[k], reference_out[k]));
        a8 = std::min(a8, top1_agreement(o8[k], reference_out[k]));
      }
    }
    const auto b32 = bin_size(g), b16 = bin_size(h), b8 = bin_size(q);
    MESSAGE(model.filename().string() << ": .bin " << b32 << " -> FP16 " << b16 << " / INT8 " << b8 << " bytes; max error (of the output range) FP16 "
                                      << e16 << ", INT8 " << e8 << ", INT8 asym " << e8a << "; top-1 agreement FP16 " << a16 * 100 << "%, INT8 "
                                      << a8 * 100 << "%");
    CHECK(s16.constants > 0);
    CHECK(s8.constants > 0);
    ++evaluated;
    before_total += b32;
    fp16_total += b16;
    int8_total += b8;
    fp16_worst = std::max(fp16_worst, e16);
    int8_worst = std::max(int8_worst, e8);
    int8_asym_worst = std::max(int8_asym_worst, e8a);
    fp16_agree_min = std::min(fp16_agree_min, a16);
    int8_agree_min = std::min(int8_agree_min, a8);
  }
  MESSAGE("[compression] " << evaluated << " corpus models: .bin " << before_total << " -> FP16 " << fp16_total << " -> INT8 "
                           << int8_total << " bytes; worst error FP16 " << fp16_worst << ", INT8 " << int8_worst
                           << ", INT8 asym " << int8_asym_worst << "; lowest top-1 agreement FP16 " << fp16_agree_min * 100
                           << "%, INT8 " << int8_agree_min * 100 << "%");
  if (evaluated) {
    CHECK(fp16_worst < 1e-2);
    CHECK(fp16_total * 10 < before_total * 6); // weights dominate: close to half
    CHECK(int8_total * 10 < before_total * 4);
  }
}

} // namespace test_compression_tests
