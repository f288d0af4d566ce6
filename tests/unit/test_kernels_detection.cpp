// Reference kernels of the detection ops: PriorBox-8, DetectionOutput-8 and
// ROIPooling-2 — values computed by hand from OpenVINO's specifications and
// reference: box orders, step and offset, clip, variances, scale_all_sizes,
// density and fixed sizes; decoding, thresholds, NMS, top_k / keep_top_k,
// the -1 end marker, clipping, MXNet-style labels, RefineDet inputs; max
// pooling with rounding, clipping and empty bins, bilinear pooling, bad
// batch indices.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "irforge/core/half.hpp"
#include "irforge/core/op.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/reference/kernels/detection_output.hpp"
#include "irforge/reference/kernels/prior_box.hpp"
#include "irforge/reference/kernels/roi_pooling.hpp"
#include "support/checks.hpp"

using namespace irforge;

namespace test_kernels_detection_tests { // unity-build scope

namespace {
using ints_t = std::vector<std::int64_t>;
using floats_t = std::vector<float>;
using doubles_t = std::vector<double>;

template <class Op> tensor run(const Op& op, const std::vector<tensor>& in) { return test::run_kernel(op, in).at(0); }

tensor f32(shape dims, const floats_t& v) { return tensor::from_values<float>(std::move(dims), v); }
tensor f16(shape dims, const floats_t& v) {
  std::vector<std::uint16_t> bits;
  for (float x : v) bits.push_back(f32_to_f16_bits(x));
  return tensor::from_values<std::uint16_t>(std::move(dims), bits).reinterpreted(element_type::f16);
}
tensor i64(const ints_t& v) { return tensor::from_values<std::int64_t>({static_cast<std::int64_t>(v.size())}, v); }
tensor i32(const std::vector<std::int32_t>& v) {
  return tensor::from_values<std::int32_t>({static_cast<std::int64_t>(v.size())}, v);
}

void check_values(const tensor& got, const shape& dims, const doubles_t& expected, double tol = 1e-5) {
  REQUIRE(got.dims() == dims);
  const auto g = got.as_f64();
  REQUIRE(g.size() == expected.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    INFO("element " << i << ": got " << g[i] << ", expected " << expected[i]);
    CHECK(std::fabs(g[i] - expected[i]) <= tol);
  }
}
/// Elements [from, from + expected.size()) of got.
void check_range(const tensor& got, std::size_t from, const doubles_t& expected, double tol = 1e-5) {
  const auto g = got.as_f64();
  REQUIRE(from + expected.size() <= g.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << from + i << ": got " << g[from + i] << ", expected " << expected[i]);
    CHECK(std::fabs(g[from + i] - expected[i]) <= tol);
  }
}
doubles_t concat(std::initializer_list<doubles_t> parts) {
  doubles_t all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}
doubles_t repeat(const doubles_t& v, std::size_t times) {
  doubles_t all;
  for (std::size_t k = 0; k < times; ++k) all.insert(all.end(), v.begin(), v.end());
  return all;
}

const float nan = std::numeric_limits<float>::quiet_NaN();

// ---- PriorBox helpers ----
ops::PriorBox ssd_prior_box() {
  ops::PriorBox op;
  op.min_size = {4};
  op.max_size = {9};
  op.aspect_ratio = {2};
  op.flip = true;
  op.offset = 0.5f;
  op.variance = {0.1f, 0.1f, 0.2f, 0.2f};
  return op;
}
// Feature map 1 x 2 over an 8 x 8 image, step 0: centres (2, 4) and (6, 4).
// Per position: min (half 2), max (half sqrt(4 * 9) / 2 = 3), ratio 2, ratio 1/2.
const doubles_t min0{0.0, 0.25, 0.5, 0.75}, max0{-0.125, 0.125, 0.625, 0.875};
const doubles_t ar2_0{-0.103553, 0.323223, 0.603553, 0.676777}, ar05_0{0.073223, 0.146447, 0.426777, 0.853553};
const doubles_t min1{0.5, 0.25, 1.0, 0.75}, max1{0.375, 0.125, 1.125, 0.875};
const doubles_t ar2_1{0.396447, 0.323223, 1.103553, 0.676777}, ar05_1{0.573223, 0.146447, 0.926777, 0.853553};

doubles_t clipped(doubles_t v) {
  for (auto& x : v) x = std::fmin(std::fmax(x, 0.0), 1.0);
  return v;
}

// ---- DetectionOutput helpers ----
ops::DetectionOutput detection(std::int64_t keep_top_k = -1) {
  ops::DetectionOutput op;
  op.keep_top_k = {keep_top_k};
  op.normalized = true;
  op.nms_threshold = 0.5f;
  return op;
}
/// Proposals [1, 2, P * 4]: the boxes, then the same 4 variances for each.
tensor priors_with_variance(const std::vector<floats_t>& boxes, const floats_t& var) {
  floats_t v;
  for (const auto& b : boxes) v.insert(v.end(), b.begin(), b.end());
  for (std::size_t k = 0; k < boxes.size(); ++k) v.insert(v.end(), var.begin(), var.end());
  return f32({1, 2, static_cast<std::int64_t>(boxes.size() * 4)}, v);
}
tensor rows2d(std::int64_t n, const floats_t& v) { return f32({n, static_cast<std::int64_t>(v.size()) / n}, v); }
doubles_t zeros(std::size_t rows) { return doubles_t(rows * 7, 0.0); }
const doubles_t end_marker{-1, 0, 0, 0, 0, 0, 0};
} // namespace

// ---- PriorBox --------------------------------------------------------------------------------

TEST_CASE("kernels: PriorBox Caffe order (min, max, ratios), flip, step from image/feature size, 4 variances") {
  const tensor out = run(ssd_prior_box(), {i64({1, 2}), i64({8, 8})});
  check_values(out, {2, 32},
               concat({min0, max0, ar2_0, ar05_0, min1, max1, ar2_1, ar05_1, repeat({0.1, 0.1, 0.2, 0.2}, 8)}));
}

TEST_CASE("kernels: PriorBox min_max_aspect_ratios_order false puts the max box last; i32 inputs") {
  auto op = ssd_prior_box();
  op.min_max_aspect_ratios_order = false;
  const tensor out = run(op, {i32({1, 2}), i32({8, 8})});
  check_values(out, {2, 32},
               concat({min0, ar2_0, ar05_0, max0, min1, ar2_1, ar05_1, max1, repeat({0.1, 0.1, 0.2, 0.2}, 8)}));
}

TEST_CASE("kernels: PriorBox clip clamps every box value to [0, 1], not the variances") {
  auto op = ssd_prior_box();
  op.clip = true;
  op.variance = {2.5f};
  const tensor out = run(op, {i64({1, 2}), i64({8, 8})});
  check_values(out, {2, 32},
               concat({clipped(concat({min0, max0, ar2_0, ar05_0, min1, max1, ar2_1, ar05_1})), doubles_t(32, 2.5)}));
}

TEST_CASE("kernels: PriorBox explicit step and offset, one variance value, no variance (0.1)") {
  ops::PriorBox op;
  op.min_size = {2};
  op.step = 4;
  op.offset = 0.25f;
  op.variance = {0.5f};
  // H = 2, W = 1 over a 8 (h) x 16 (w) image: centres (1, 1) and (1, 5).
  const doubles_t boxes{0, 0, 0.125, 0.25, 0, 0.5, 0.125, 0.75};
  check_values(run(op, {i64({2, 1}), i64({8, 16})}), {2, 8}, concat({boxes, doubles_t(8, 0.5)}));
  op.variance = {};
  check_values(run(op, {i64({2, 1}), i64({8, 16})}), {2, 8}, concat({boxes, doubles_t(8, 0.1)}));
}

TEST_CASE("kernels: PriorBox several min sizes: each with its max and ratio boxes; duplicate ratios ignored") {
  ops::PriorBox op;
  op.min_size = {2, 4};
  op.max_size = {4, 8};
  op.aspect_ratio = {2, 2, 1}; // only 2 counts; no flip
  op.offset = 0.5f;
  op.variance = {0.1f};
  // One position at (8, 8) of a 16 x 16 image.
  const tensor out = run(op, {i64({1, 1}), i64({16, 16})});
  check_values(out, {2, 24},
               concat({{0.4375, 0.4375, 0.5625, 0.5625},
                       {0.411612, 0.411612, 0.588388, 0.588388}, // sqrt(2 * 4)
                       {0.411612, 0.455806, 0.588388, 0.544194}, // ratio 2 of min 2
                       {0.375, 0.375, 0.625, 0.625},
                       {0.323223, 0.323223, 0.676777, 0.676777}, // sqrt(4 * 8)
                       {0.323223, 0.411612, 0.676777, 0.588388}, // ratio 2 of min 4
                       doubles_t(24, 0.1)}));
}

TEST_CASE("kernels: PriorBox scale_all_sizes false: sizes times image height, step -1, max_size ignored") {
  ops::PriorBox op;
  op.min_size = {0.25f, 0.5f}; // 2 and 4 pixels
  op.max_size = {16};          // ignored
  op.aspect_ratio = {2};
  op.scale_all_sizes = false;
  op.step = -1; // image height / feature height = 4
  op.offset = 0.5f;
  op.variance = {0.1f};
  // 3 boxes per position: min 2, min 4, then ratio 2 built on the first min size.
  const tensor out = run(op, {i64({2, 2}), i64({8, 8})});
  REQUIRE(out.dims() == shape{2, 48});
  check_range(out, 0, concat({{0.125, 0.125, 0.375, 0.375}, {0, 0, 0.5, 0.5}, {0.073223, 0.161612, 0.426777, 0.338388}}));
  check_range(out, 44, {0.573223, 0.661612, 0.926777, 0.838388}); // ratio box at centre (6, 6)
  check_range(out, 48, doubles_t(48, 0.1));
}

TEST_CASE("kernels: PriorBox fixed_size with density grids, one-sided clipping of the grid boxes") {
  ops::PriorBox op;
  op.fixed_size = {6};
  op.density = {2};
  op.aspect_ratio = {2};
  op.offset = 0.5f;
  op.variance = {0.1f};
  // One position (3, 3) of a 6 x 6 image; grid centres 1.5 and 4.5 (shift 3).
  const tensor out = run(op, {i64({1, 1}), i64({6, 6})});
  check_values(out, {2, 32},
               concat({{0, 0, 0.75, 0.75},
                       {0.25, 0, 1, 0.75},
                       {0, 0.25, 0.75, 1},
                       {0.25, 0.25, 1, 1},
                       // ratio 2: half sizes 3 sqrt 2 and 3 / sqrt 2
                       {0, 0, 0.957107, 0.603553},
                       {0.042893, 0, 1, 0.603553},
                       {0, 0.396447, 0.957107, 1},
                       {0.042893, 0.396447, 1, 1},
                       doubles_t(32, 0.1)}));
}

TEST_CASE("kernels: PriorBox fixed_ratio with density 1") {
  ops::PriorBox op;
  op.fixed_size = {4};
  op.fixed_ratio = {4};
  op.density = {1};
  op.offset = 0.5f;
  op.variance = {0.1f, 0.2f, 0.3f, 0.4f};
  // Centre (4, 4) of an 8 x 8 image, half sizes 4 * 2 / 2 = 4 and 4 / 2 / 2 = 1.
  check_values(run(op, {i64({1, 1}), i64({8, 8})}), {2, 4}, {0, 0.375, 1, 0.625, 0.1, 0.2, 0.3, 0.4});
}

TEST_CASE("kernels: PriorBox empty feature map and inconsistent attributes") {
  const tensor empty = run(ssd_prior_box(), {i64({0, 3}), i64({8, 8})});
  CHECK(empty.dims() == shape{2, 0});
  ops::PriorBox op; // fixed_size without density: OpenVINO's reference writes no box
  op.fixed_size = {4};
  op.variance = {0.1f};
  CHECK_THROWS_AS(run(op, {i64({1, 1}), i64({8, 8})}), error);
  CHECK_THROWS_AS(run(ssd_prior_box(), {i64({1, 1}), i64({8, 8, 8})}), error); // image size of 3 values
}

// ---- DetectionOutput ---------------------------------------------------------------------------

namespace {
// Three priors; 0 and 1 overlap (IoU 0.78), prior 2 is moved right by its offset 0.1 * 1.
const std::vector<floats_t> three_priors{{0.1f, 0.1f, 0.5f, 0.5f}, {0.15f, 0.1f, 0.55f, 0.5f}, {0.6f, 0.6f, 0.9f, 0.9f}};
const floats_t caffe_var{0.1f, 0.1f, 0.2f, 0.2f};
const floats_t three_loc{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
const floats_t three_conf{0.1f, 0.9f, 0.2f, 0.8f, 0.3f, 0.7f}; // [background, class 1] per prior
} // namespace

TEST_CASE("kernels: DetectionOutput CORNER with variances, NMS, background skipped, end marker") {
  auto op = detection();
  op.confidence_threshold = 0.1f;
  const std::vector<tensor> in{rows2d(1, three_loc), rows2d(1, three_conf), priors_with_variance(three_priors, caffe_var)};
  // Rows = N * classes * priors = 6; prior 1 is suppressed by prior 0.
  check_values(run(op, in), {1, 1, 6, 7},
               concat({{0, 1, 0.9, 0.1, 0.1, 0.5, 0.5}, {0, 1, 0.7, 0.7, 0.6, 0.9, 0.9}, end_marker, zeros(3)}));

  SUBCASE("a score equal to confidence_threshold is dropped") {
    op.confidence_threshold = 0.7f;
    check_values(run(op, in), {1, 1, 6, 7}, concat({{0, 1, 0.9, 0.1, 0.1, 0.5, 0.5}, end_marker, zeros(4)}));
  }
  SUBCASE("no background class: class 0 comes first") {
    op.background_label_id = -1;
    check_values(run(op, in), {1, 1, 6, 7},
                 concat({{0, 0, 0.3, 0.7, 0.6, 0.9, 0.9},
                         {0, 0, 0.2, 0.15, 0.1, 0.55, 0.5},
                         {0, 1, 0.9, 0.1, 0.1, 0.5, 0.5},
                         {0, 1, 0.7, 0.7, 0.6, 0.9, 0.9},
                         end_marker,
                         zeros(1)}));
  }
  SUBCASE("a higher nms_threshold keeps the overlapping box") {
    op.nms_threshold = 0.8f;
    check_values(run(op, in), {1, 1, 6, 7},
                 concat({{0, 1, 0.9, 0.1, 0.1, 0.5, 0.5},
                         {0, 1, 0.8, 0.15, 0.1, 0.55, 0.5},
                         {0, 1, 0.7, 0.7, 0.6, 0.9, 0.9},
                         end_marker,
                         zeros(2)}));
  }
  SUBCASE("f16") {
    std::vector<tensor> h;
    for (const auto& t : in) {
      const auto v = t.as_f64();
      h.push_back(f16(t.dims(), floats_t(v.begin(), v.end())));
    }
    const tensor out = run(op, h);
    CHECK(out.type() == element_type::f16);
    check_values(out, {1, 1, 6, 7},
                 concat({{0, 1, 0.9, 0.1, 0.1, 0.5, 0.5}, {0, 1, 0.7, 0.7, 0.6, 0.9, 0.9}, end_marker, zeros(3)}), 2e-3);
  }
}

TEST_CASE("kernels: DetectionOutput CENTER_SIZE, variance in the priors or encoded in the target") {
  auto op = detection();
  op.code_type = "caffe.PriorBoxParameter.CENTER_SIZE";
  // Prior: centre (0.4, 0.3), size 0.4 x 0.2. The offsets move the centre by
  // (0.1 * 0.4, -0.2 * 0.2) and double the width: [0.04, 0.16, 0.84, 0.36].
  const doubles_t expected = concat({{0, 1, 0.6, 0.04, 0.16, 0.84, 0.36}, end_marker});
  const tensor conf = rows2d(1, {0.4f, 0.6f});
  const float ln2 = std::log(2.0f);
  check_values(run(op, {rows2d(1, {1, -2, ln2 / 0.2f, 0}), conf, priors_with_variance({{0.2f, 0.2f, 0.6f, 0.4f}}, caffe_var)}),
               {1, 1, 2, 7}, expected);
  op.variance_encoded_in_target = true;
  check_values(run(op, {rows2d(1, {0.1f, -0.2f, ln2, 0}), conf, f32({1, 1, 4}, {0.2f, 0.2f, 0.6f, 0.4f})}), {1, 1, 2, 7},
               expected);
  op.code_type = "caffe.PriorBoxParameter.CORNER"; // prior + offset
  check_values(run(op, {rows2d(1, {0.1f, -0.1f, 0.2f, 0}), conf, f32({1, 1, 4}, {0.2f, 0.2f, 0.6f, 0.4f})}),
               {1, 1, 2, 7}, concat({{0, 1, 0.6, 0.3, 0.1, 0.8, 0.4}, end_marker}));
}

TEST_CASE("kernels: DetectionOutput share_location false: boxes per class, background boxes never read") {
  auto op = detection();
  op.share_location = false;
  op.confidence_threshold = 0.25f;
  // Per prior: 3 classes x 4 offsets; the background's are NaN.
  const floats_t loc{nan, nan, nan, nan, 0, 0, 0, 0, 0.1f, 0.1f, 0.1f, 0.1f, //
                     nan, nan, nan, nan, -0.1f, 0, 0, 0, 0, 0, 0, 0};
  const floats_t conf{0.5f, 0.6f, 0.3f, 0.5f, 0.2f, 0.8f};
  const tensor priors = priors_with_variance({{0.1f, 0.1f, 0.3f, 0.3f}, {0.5f, 0.5f, 0.7f, 0.7f}}, {1, 1, 1, 1});
  check_values(run(op, {rows2d(1, loc), rows2d(1, conf), priors}), {1, 1, 6, 7},
               concat({{0, 1, 0.6, 0.1, 0.1, 0.3, 0.3},
                       {0, 2, 0.8, 0.5, 0.5, 0.7, 0.7},
                       {0, 2, 0.3, 0.2, 0.2, 0.4, 0.4},
                       end_marker,
                       zeros(2)}));
}

namespace {
// Four disjoint priors [0.2k, 0, 0.2k + 0.1, 0.1], zero offsets, two images.
tensor disjoint_priors() {
  std::vector<floats_t> boxes;
  for (int k = 0; k < 4; ++k) boxes.push_back({0.2f * static_cast<float>(k), 0, 0.2f * static_cast<float>(k) + 0.1f, 0.1f});
  return priors_with_variance(boxes, {1, 1, 1, 1});
}
doubles_t det(double image, double label, double score, int prior) {
  return {image, label, score, 0.2 * prior, 0, 0.2 * prior + 0.1, 0.1};
}
} // namespace

TEST_CASE("kernels: DetectionOutput top_k, keep_top_k, ties by prior index, several images") {
  const tensor loc = rows2d(2, floats_t(32, 0));
  // Class 1 scores: image 0 [0.5, 0.9, 0.7, 0.6], image 1 [0.4, 0.4, 0.3, 0.95].
  const tensor conf = rows2d(2, {0, 0.5f, 0, 0.9f, 0, 0.7f, 0, 0.6f, 0, 0.4f, 0, 0.4f, 0, 0.3f, 0, 0.95f});
  auto op = detection(2);
  op.top_k = 3;
  // Rows = N * keep_top_k = 4, all used: no end marker.
  check_values(run(op, {loc, conf, disjoint_priors()}), {1, 1, 4, 7},
               concat({det(0, 1, 0.9, 1), det(0, 1, 0.7, 2), det(1, 1, 0.95, 3), det(1, 1, 0.4, 0)}));

  SUBCASE("image 1 follows image 0 directly; the marker, then zeros") {
    op.keep_top_k = {3};
    op.top_k = 1;
    check_values(run(op, {loc, conf, disjoint_priors()}), {1, 1, 6, 7},
                 concat({det(0, 1, 0.9, 1), det(1, 1, 0.95, 3), end_marker, zeros(3)}));
  }
  SUBCASE("top_k alone decides the rows: N * top_k * classes") {
    op.keep_top_k = {-1};
    op.top_k = 2;
    check_values(run(op, {loc, conf, disjoint_priors()}), {1, 1, 8, 7},
                 concat({det(0, 1, 0.9, 1), det(0, 1, 0.7, 2), det(1, 1, 0.95, 3), det(1, 1, 0.4, 0), end_marker,
                         zeros(3)}));
  }
  SUBCASE("proposals per image") {
    const floats_t image0 = disjoint_priors().values<float>();
    floats_t p = image0;
    p.insert(p.end(), image0.begin(), image0.end()); // image 1: priors moved down by 0.5
    for (std::size_t k = p.size() / 2; k < p.size() / 2 + 16; k += 2) p[k + 1] += 0.5f;
    const doubles_t d3 = det(1, 1, 0.95, 3), d0 = det(1, 1, 0.4, 0);
    check_values(run(op, {loc, conf, f32({2, 2, 16}, p)}), {1, 1, 4, 7},
                 concat({det(0, 1, 0.9, 1), det(0, 1, 0.7, 2), {1, 1, 0.95, d3[3], 0.5, d3[5], 0.6},
                         {1, 1, 0.4, d0[3], 0.5, d0[5], 0.6}}));
  }
}

TEST_CASE("kernels: DetectionOutput keep_top_k keeps the best over all classes, output stays by class") {
  auto op = detection(2);
  // Classes 1 and 2; priors 0..3; no suppression (disjoint), 8 detections. The best two: class 2 prior 0
  // (0.9), class 1 prior 1 (0.8).
  const floats_t conf{0, 0.1f, 0.9f, 0, 0.8f, 0.2f, 0, 0.3f, 0.4f, 0, 0.6f, 0.7f};
  check_values(run(op, {rows2d(1, floats_t(16, 0)), rows2d(1, conf), disjoint_priors()}), {1, 1, 2, 7},
               concat({det(0, 1, 0.8, 1), det(0, 2, 0.9, 0)}));
}

TEST_CASE("kernels: DetectionOutput normalized false: 5-value priors divided by input size, variances read by 4") {
  auto op = detection();
  op.normalized = false;
  op.input_width = 200;
  op.input_height = 100;
  // Priors [id, x1, y1, x2, y2] in pixels; the variance row is read 4 per prior.
  const tensor priors = f32({1, 2, 10}, {0, 20, 10, 100, 50, 0, 120, 60, 180, 90, //
                                         0.1f, 0.1f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.2f, 9, 9});
  const tensor loc = rows2d(1, {1, 1, 1, 1, 0, 0, 0, 0});
  const tensor conf = rows2d(1, {0, 0.9f, 0, 0.8f});
  check_values(run(op, {loc, conf, priors}), {1, 1, 4, 7},
               concat({{0, 1, 0.9, 0.2, 0.2, 0.7, 0.7}, {0, 1, 0.8, 0.6, 0.6, 0.9, 0.9}, end_marker, zeros(1)}));
}

TEST_CASE("kernels: DetectionOutput clip_before_nms changes the suppression, clip_after_nms only the output") {
  auto op = detection();
  op.nms_threshold = 0.6f;
  // Unclipped IoU is 0.5; clipped, the boxes are equal.
  const tensor priors = priors_with_variance({{-0.5f, 0, 0.5f, 1}, {0, 0, 0.5f, 1}}, {1, 1, 1, 1});
  const std::vector<tensor> in{rows2d(1, floats_t(8, 0)), rows2d(1, {0, 0.9f, 0, 0.8f}), priors};
  check_values(run(op, in), {1, 1, 4, 7},
               concat({{0, 1, 0.9, -0.5, 0, 0.5, 1}, {0, 1, 0.8, 0, 0, 0.5, 1}, end_marker, zeros(1)}));
  op.clip_after_nms = true;
  check_values(run(op, in), {1, 1, 4, 7},
               concat({{0, 1, 0.9, 0, 0, 0.5, 1}, {0, 1, 0.8, 0, 0, 0.5, 1}, end_marker, zeros(1)}));
  op.clip_after_nms = false;
  op.clip_before_nms = true;
  check_values(run(op, in), {1, 1, 4, 7}, concat({{0, 1, 0.9, 0, 0, 0.5, 1}, end_marker, zeros(2)}));
}

TEST_CASE("kernels: DetectionOutput decrease_label_id (MXNet): best class per prior, >= threshold, labels - 1") {
  auto op = detection();
  op.decrease_label_id = true;
  op.confidence_threshold = 0.5f;
  // Prior 2 overlaps prior 0 (IoU 0.9) and loses class 2 to it; prior 1 ties classes 1 and 2: class 1.
  const tensor priors = priors_with_variance({{0, 0, 0.4f, 0.4f}, {0.5f, 0.5f, 0.9f, 0.9f}, {0.02f, 0, 0.42f, 0.4f}}, {1, 1, 1, 1});
  const tensor conf = rows2d(1, {0.9f, 0.3f, 0.6f, 0.1f, 0.5f, 0.5f, 0.0f, 0.2f, 0.55f});
  const tensor loc = rows2d(1, floats_t(12, 0));
  check_values(run(op, {loc, conf, priors}), {1, 1, 9, 7},
               concat({{0, 0, 0.5, 0.5, 0.5, 0.9, 0.9}, {0, 1, 0.6, 0, 0, 0.4, 0.4}, end_marker, zeros(6)}));
  op.top_k = 1; // over the image, not per class
  check_values(run(op, {loc, conf, priors}), {1, 1, 3, 7}, concat({{0, 1, 0.6, 0, 0, 0.4, 0.4}, end_marker, zeros(1)}));
}

TEST_CASE("kernels: DetectionOutput with the RefineDet inputs: objectness filter and two-step decoding") {
  auto op = detection();
  op.objectness_score = 0.3f;
  const tensor priors = priors_with_variance({{0.1f, 0.1f, 0.3f, 0.3f}, {0.5f, 0.5f, 0.7f, 0.7f}}, {1, 1, 1, 1});
  const tensor loc = rows2d(1, {0, 0, 0, 0, 0, 0.1f, 0, 0});
  const tensor conf = rows2d(1, {0.1f, 0.9f, 0.2f, 0.8f});
  const tensor arm_conf = rows2d(1, {0.5f, 0.1f, 0.2f, 0.8f}); // prior 0 is not an object
  const tensor arm_loc = rows2d(1, {0, 0, 0, 0, 0.1f, 0, 0, 0});
  check_values(run(op, {loc, conf, priors, arm_conf, arm_loc}), {1, 1, 4, 7},
               concat({{0, 1, 0.8, 0.6, 0.6, 0.7, 0.7}, end_marker, zeros(2)}));
}

TEST_CASE("kernels: DetectionOutput bad proposal batch, no priors") {
  auto op = detection();
  const tensor loc = rows2d(2, floats_t(32, 0)), conf = rows2d(2, floats_t(16, 0));
  const tensor three = f32({3, 2, 16}, floats_t(96, 0));
  CHECK_THROWS_AS(run(op, {loc, conf, three}), error);
  op.keep_top_k = {5};
  check_values(run(op, {f32({1, 0}, {}), f32({1, 0}, {}), f32({1, 2, 0}, {})}), {1, 1, 5, 7}, concat({end_marker, zeros(4)}));
}

// ---- ROIPooling ---------------------------------------------------------------------------------

namespace {
// One 4 x 4 map holding 0 .. 15 row by row.
tensor ramp(std::int64_t n = 1, std::int64_t c = 1) {
  floats_t v(static_cast<std::size_t>(n * c * 16));
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = static_cast<float>(k);
  return f32({n, c, 4, 4}, v);
}
tensor boxes(const std::vector<floats_t>& b) {
  floats_t v;
  for (const auto& r : b) v.insert(v.end(), r.begin(), r.end());
  return f32({static_cast<std::int64_t>(b.size()), 5}, v);
}
} // namespace

TEST_CASE("kernels: ROIPooling max: bins, boxes partly outside, empty bins 0, rounding, malformed boxes") {
  const ops::ROIPooling op(2, 2, 1.0f);
  const tensor out = run(op, {ramp(), boxes({{0, 0, 0, 3, 3}, {0, 2, 2, 5, 5}, {0, -2, -2, 1, 1}, {0, 3, 3, 1, 1}})});
  check_values(out, {4, 1, 2, 2},
               concat({{5, 7, 13, 15},   // the whole map in 2 x 2 bins
                       {15, 0, 0, 0},    // rows/columns 4.. are outside: empty bins
                       {0, 0, 0, 5},     // rows/columns -2, -1 likewise
                       {15, 15, 15, 15}})); // x2 < x1: a 1 x 1 box at (3, 3)
  // Scale 0.5: round(0.5) = 1 and round(2.5) = 3 (half away from zero): a 3 x 3 box from (1, 1), bins of 1.5.
  check_values(run(ops::ROIPooling(2, 2, 0.5f), {ramp(), boxes({{0, 1, 1, 5, 5}})}), {1, 1, 2, 2}, {10, 11, 14, 15});
}

TEST_CASE("kernels: ROIPooling batch index truncated, channels, f16; index out of range is an error") {
  const ops::ROIPooling op(1, 1, 1.0f);
  const tensor maps = ramp(2, 2); // batch 1 starts at 32
  check_values(run(op, {maps, boxes({{1.7f, 0, 0, 1, 1}, {-0.5f, 2, 2, 3, 3}})}), {2, 2, 1, 1}, {37, 53, 15, 31});
  const tensor h = run(op, {f16({1, 1, 4, 4}, ramp().values<float>()), f16({1, 5}, {0, 1, 1, 2, 2})});
  CHECK(h.type() == element_type::f16);
  check_values(h, {1, 1, 1, 1}, {10});
  CHECK_THROWS_AS(run(op, {maps, boxes({{2, 0, 0, 1, 1}})}), error);
  CHECK_THROWS_AS(run(op, {maps, boxes({{-1, 0, 0, 1, 1}})}), error);
  CHECK_THROWS_AS(run(op, {maps, boxes({{0, nan, 0, 1, 1}})}), error);
  CHECK(run(op, {maps, f32({0, 5}, {})}).dims() == shape{0, 2, 1, 1});
}

TEST_CASE("kernels: ROIPooling huge boxes stay defined (no overflowing casts)") {
  const tensor huge = boxes({{0, -3e38f, -3e38f, 3e38f, 3e38f}});
  const tensor max_out = run(ops::ROIPooling(2, 2, 1.0f), {ramp(), huge});
  REQUIRE(max_out.dims() == shape{1, 1, 2, 2});
  for (double v : max_out.as_f64()) CHECK(std::isfinite(v));
  // Bilinear: the points overflow to infinity or NaN, which count as outside.
  check_values(run(ops::ROIPooling(2, 2, 1.0f, "bilinear"), {ramp(), huge}), {1, 1, 2, 2}, {0, 0, 0, 0});
}

TEST_CASE("kernels: ROIPooling bilinear: normalized corners, single-point centre, points outside give 0") {
  // A 3 x 3 map with f(y, x) = 3y + x: bilinear interpolation is exact.
  const tensor map = f32({1, 1, 3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  const ops::ROIPooling op(2, 2, 1.0f, "bilinear");
  check_values(run(op, {map, boxes({{0, 0, 0, 1, 1}, {0, 0.25f, 0.25f, 0.75f, 0.75f}, {0, 0.5f, 0.5f, 1.5f, 1.5f}})}),
               {3, 1, 2, 2}, concat({{0, 2, 6, 8}, {2, 3, 5, 6}, {4, 0, 0, 0}}));
  check_values(run(ops::ROIPooling(1, 1, 1.0f, "bilinear"), {map, boxes({{0, 0.25f, 0.25f, 0.75f, 0.75f}})}),
               {1, 1, 1, 1}, {4});
  // Non-linear data: (0.5, 0.5) between 0, 10, 20, 40.
  check_values(run(ops::ROIPooling(1, 1, 1.0f, "bilinear"), {f32({1, 1, 2, 2}, {0, 10, 20, 40}), boxes({{0, 0, 0, 1, 1}})}),
               {1, 1, 1, 1}, {17.5});
}

} // namespace test_kernels_detection_tests
