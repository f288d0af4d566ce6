// The Caffe converter: each layer mapping against Caffe's semantics (values
// from small oracles written here from Caffe's definitions, evaluated on the
// reference evaluator), naming and zero-copy weights, in-place layers,
// training-only layers, input shapes, and bad nets (unknown layers listed at
// once, blob sizes that disagree with the prototxt).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "irforge/frontends/caffe/load.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/ops/detection_output.hpp"
#include "irforge/ops/prior_box.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "support/checks.hpp"
#include "support/caffe_builder.hpp"

using namespace irforge;

namespace test_caffe_converter_tests { // unity-build scope

using irforge::test::caffe_blob;

namespace {

struct converted {
  graph g;
  std::shared_ptr<const caffe::caffemodel> model;
  std::vector<std::string> notes;
};

converted convert(std::string_view prototxt, const irforge::test::caffemodel_builder* weights = nullptr,
                  caffe::load_options options = {}) {
  converted c;
  auto text = std::make_shared<const caffe::text_document>(caffe::parse_text(prototxt, "t.prototxt"));
  if (weights) c.model = std::make_shared<const caffe::caffemodel>(caffe::parse_caffemodel(weights->bytes(), "t.caffemodel"));
  auto* notes = &c.notes;
  options.on_note = [notes](const std::string& s) { notes->push_back(s); };
  c.g = caffe::convert(caffe::make_net(text, c.model), options);
  return c;
}

std::map<std::string, int> op_counts(const graph& g) {
  std::map<std::string, int> out;
  for (auto id : g.nodes()) ++out[std::string(g.node(id).op.type_name())];
  return out;
}

node_id find(const graph& g, std::string_view name) {
  for (auto id : g.nodes())
    if (g.node(id).name == name) return id;
  FAIL("no node " << name);
  return 0;
}

std::vector<float> ramp(std::size_t n, float start = -1.0f, float step = 0.173f) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = start + step * static_cast<float>((i * 7) % 23);
  return v;
}

tensor input(shape dims, float start = -1.0f, float step = 0.173f) {
  return tensor::from_values<float>(dims, ramp(static_cast<std::size_t>(element_count(dims)), start, step));
}

void check_close(const tensor& got, const std::vector<float>& want, const shape& dims, double tol = 1e-5) {
  REQUIRE(got.dims() == dims);
  const auto cmp = reference::compare(got, tensor::from_values<float>(dims, want), tol, tol);
  CHECK_MESSAGE(cmp.ok(), cmp.describe());
}

using irforge::test::error_of;

// Caffe's convolution (grouped, NCHW), written from its definition.
std::vector<float> caffe_conv(const std::vector<float>& x, shape xs, const std::vector<float>& w, std::int64_t out_c,
                              std::int64_t group, std::int64_t kh, std::int64_t kw, std::int64_t sh, std::int64_t sw,
                              std::int64_t ph, std::int64_t pw, const std::vector<float>& bias, shape& out_dims) {
  const auto n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
  const auto oh = (h + 2 * ph - kh) / sh + 1, ow = (wd + 2 * pw - kw) / sw + 1;
  out_dims = {n, out_c, oh, ow};
  std::vector<float> y(static_cast<std::size_t>(n * out_c * oh * ow));
  const auto cg = c / group, og = out_c / group;
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o = 0; o < out_c; ++o)
      for (std::int64_t i = 0; i < oh; ++i)
        for (std::int64_t j = 0; j < ow; ++j) {
          double s = bias.empty() ? 0.0 : bias[static_cast<std::size_t>(o)];
          const auto g = o / og;
          for (std::int64_t ci = 0; ci < cg; ++ci)
            for (std::int64_t u = 0; u < kh; ++u)
              for (std::int64_t v = 0; v < kw; ++v) {
                const auto yy = i * sh - ph + u, xx = j * sw - pw + v;
                if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                s += x[static_cast<std::size_t>(((b * c + g * cg + ci) * h + yy) * wd + xx)] *
                     w[static_cast<std::size_t>(((o * cg + ci) * kh + u) * kw + v)];
              }
          y[static_cast<std::size_t>(((b * out_c + o) * oh + i) * ow + j)] = static_cast<float>(s);
        }
  return y;
}

// Caffe's pooling (pooling_layer.cpp semantics: ceil sizes, clipped windows,
// AVE divides by the window clipped to the padded input).
std::vector<float> caffe_pool(const std::vector<float>& x, shape xs, bool max, std::int64_t kh, std::int64_t kw,
                              std::int64_t sh, std::int64_t sw, std::int64_t ph, std::int64_t pw, shape& out_dims) {
  const auto n = xs[0], c = xs[1], h = xs[2], w = xs[3];
  auto pooled = [](std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t p) {
    auto o = static_cast<std::int64_t>(std::ceil(static_cast<double>(in + 2 * p - k) / static_cast<double>(s))) + 1;
    if (p > 0 && (o - 1) * s >= in + p) --o;
    return o;
  };
  const auto oh = pooled(h, kh, sh, ph), ow = pooled(w, kw, sw, pw);
  out_dims = {n, c, oh, ow};
  std::vector<float> y;
  for (std::int64_t b = 0; b < n * c; ++b)
    for (std::int64_t i = 0; i < oh; ++i)
      for (std::int64_t j = 0; j < ow; ++j) {
        auto hs = i * sh - ph, ws = j * sw - pw;
        auto he = std::min(hs + kh, h + ph), we = std::min(ws + kw, w + pw);
        const auto size = (he - hs) * (we - ws);
        hs = std::max<std::int64_t>(hs, 0);
        ws = std::max<std::int64_t>(ws, 0);
        he = std::min(he, h);
        we = std::min(we, w);
        double acc = max ? -FLT_MAX : 0.0;
        for (auto u = hs; u < he; ++u)
          for (auto v = ws; v < we; ++v) {
            const double e = x[static_cast<std::size_t>((b * h + u) * w + v)];
            acc = max ? std::max(acc, e) : acc + e;
          }
        y.push_back(static_cast<float>(max ? acc : acc / static_cast<double>(size)));
      }
  return y;
}

} // namespace

TEST_CASE("caffe: Convolution with groups and per-axis spellings; weights stay views, names traced") {
  const auto w = ramp(6 * 2 * 3 * 1, -0.5f, 0.11f);
  const std::vector<float> b{0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};
  irforge::test::caffemodel_builder m;
  m.layer("conv", "Convolution", {caffe_blob{{6, 2, 3, 1}, w}, caffe_blob{{6}, b}});
  const auto c = convert(R"(
input: "data" input_shape { dim: 1 dim: 4 dim: 5 dim: 5 }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 6 group: 2 kernel_h: 3 kernel_w: 1 pad_h: 1 stride_w: 2 } }
)",
                         &m);
  const auto counts = op_counts(c.g);
  CHECK(counts.at("GroupConvolution") == 1);
  CHECK(counts.at("Add") == 1);
  const node_id conv = find(c.g, "conv/WithoutBiases");
  CHECK(c.g.node(conv).source_names == std::vector<std::string>{"conv"});
  CHECK(c.g.info(c.g.input(conv, 1)).shape == partial_shape{2, 3, 2, 3, 1});
  const auto& gc = c.g.node(conv).op.get<ops::GroupConvolution>();
  CHECK(gc.strides == std::vector<std::int64_t>{1, 2});
  CHECK(gc.pads_begin == std::vector<std::int64_t>{1, 0});
  CHECK(gc.pads_end == std::vector<std::int64_t>{1, 0});
  // The weights are a view into the caffemodel's bytes (reshaped, not copied).
  const auto* wc = c.g.node(c.g.input(conv, 1).node).op.get_if<ops::Constant>();
  REQUIRE(wc);
  const auto& buf = *static_cast<const std::vector<std::byte>*>(c.model->owner.get());
  CHECK((wc->value.bytes().data() >= buf.data() && wc->value.bytes().data() < buf.data() + buf.size()));
  CHECK(c.g.node(c.g.input(conv, 1).node).name == "conv/weights");

  const tensor x = input({1, 4, 5, 5});
  shape dims;
  const auto want = caffe_conv(x.values<float>(), x.dims(), w, 6, 2, 3, 1, 1, 2, 1, 0, b, dims);
  CHECK(dims == shape{1, 6, 5, 3});
  check_close(reference::evaluate(c.g, {x})[0], want, dims);
  CHECK(c.g.node(c.g.results()[0]).name == "conv/sink_port_0");
}

TEST_CASE("caffe: Convolution weights from double_data, dilation, no bias") {
  caffe_blob wb{{2, 1, 2, 2}, {1, 2, 3, 4, -1, 0, 0, 1}};
  wb.how = caffe_blob::encoding::doubles;
  irforge::test::caffemodel_builder m;
  m.layer("c", "Convolution", {wb});
  const auto c = convert(R"(input: "x" input_dim: 1 input_dim: 1 input_dim: 3 input_dim: 3
layer { name: "c" type: "Convolution" bottom: "x" top: "y"
        convolution_param { num_output: 2 kernel_size: 2 dilation: 2 bias_term: false } })",
                         &m);
  CHECK(op_counts(c.g).count("Add") == 0);
  const tensor x = tensor::from_values<float>({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  // Dilation 2 with a 2x2 kernel reads the four corners.
  check_close(reference::evaluate(c.g, {x})[0], {1 * 1 + 2 * 3 + 3 * 7 + 4 * 9, -1 * 1 + 9}, {1, 2, 1, 1});
}

TEST_CASE("caffe: Pooling sizes follow Caffe's ceil rounding, AVE counts the padding") {
  struct pool_case {
    const char* params;
    bool max;
    std::int64_t kh, kw, sh, sw, ph, pw;
    ops::rounding_type rounding;
    bool opset14;
  };
  const pool_case cases[] = {
      // H: Caffe drops the window that would start in the padding (= floor); W: ceil keeps one more.
      {"pool: MAX kernel_h: 2 kernel_w: 3 stride: 2 pad: 1", true, 2, 3, 2, 2, 1, 1, ops::rounding_type::ceil_torch, true},
      {"pool: AVE kernel_h: 2 kernel_w: 3 stride: 2 pad: 1", false, 2, 3, 2, 2, 1, 1, ops::rounding_type::ceil_torch, true},
      {"pool: MAX kernel_size: 3 stride: 2", true, 3, 3, 2, 2, 0, 0, ops::rounding_type::ceil, false},
      {"pool: AVE kernel_size: 3 stride: 2 pad: 1", false, 3, 3, 2, 2, 1, 1, ops::rounding_type::ceil, false},
      {"pool: 1 kernel_size: 2 stride: 2", false, 2, 2, 2, 2, 0, 0, ops::rounding_type::ceil, false},
      {"pool: MAX kernel_size: 3 stride: 1", true, 3, 3, 1, 1, 0, 0, ops::rounding_type::floor, false},
  };
  for (const auto& pc : cases) {
    CAPTURE(pc.params);
    const auto c = convert(std::string("input: 'x' input_dim: 1 input_dim: 2 input_dim: 5 input_dim: 6\n"
                                       "layer { name: 'p' type: 'Pooling' bottom: 'x' top: 'p' pooling_param { ") +
                           pc.params + " } }");
    const auto& n = c.g.node(find(c.g, "p"));
    CHECK(n.op.version() == (pc.opset14 ? "opset14" : "opset1"));
    if (pc.max) {
      const auto r = pc.opset14 ? n.op.get<ops::MaxPool>().rounding_type : n.op.get<ops::v1::MaxPool>().rounding_type;
      CHECK(r == pc.rounding);
    } else {
      const auto r = pc.opset14 ? n.op.get<ops::AvgPool>().rounding_type : n.op.get<ops::v1::AvgPool>().rounding_type;
      CHECK(r == pc.rounding);
    }
    const tensor x = input({1, 2, 5, 6});
    shape dims;
    const auto want = caffe_pool(x.values<float>(), x.dims(), pc.max, pc.kh, pc.kw, pc.sh, pc.sw, pc.ph, pc.pw, dims);
    check_close(reference::evaluate(c.g, {x})[0], want, dims);
  }
  SUBCASE("global pooling and round_mode FLOOR") {
    const auto c = convert("input: 'x' input_dim: 2 input_dim: 3 input_dim: 4 input_dim: 5\n"
                           "layer { name: 'g' type: 'Pooling' bottom: 'x' top: 'g' pooling_param { pool: AVE global_pooling: true } }\n"
                           "layer { name: 'f' type: 'Pooling' bottom: 'x' top: 'f' pooling_param { kernel_size: 2 stride: 2 round_mode: FLOOR } }");
    CHECK(op_counts(c.g).at("ReduceMean") == 1);
    CHECK(c.g.info(c.g.input(c.g.results()[0], 0)).shape == partial_shape{2, 3, 1, 1});
    CHECK(c.g.info(c.g.input(c.g.results()[1], 0)).shape == partial_shape{2, 3, 2, 2});
  }
  CHECK(error_of([] { (void)convert("input: 'x' input_dim: 1 input_dim: 1 input_dim: 4 input_dim: 4\n"
                                    "layer { name: 'p' type: 'Pooling' bottom: 'x' top: 'p' pooling_param { pool: STOCHASTIC kernel_size: 2 } }"); })
            .find("STOCHASTIC is not supported") != std::string::npos);
}

TEST_CASE("caffe: InnerProduct flattens from its axis; transpose reads [K, N] weights") {
  const auto w = ramp(4 * 12, -0.3f, 0.05f);
  const std::vector<float> b{1, 2, 3, 4};
  std::vector<float> wt(12 * 4); // the same weights as [K, N]
  for (std::size_t n = 0; n < 4; ++n)
    for (std::size_t k = 0; k < 12; ++k) wt[k * 4 + n] = w[n * 12 + k];
  irforge::test::caffemodel_builder m;
  m.layer("ip", "InnerProduct", {caffe_blob{{1, 1, 4, 12}, w}, caffe_blob{{1, 1, 1, 4}, b}}); // legacy 4-D shapes
  m.layer("ipt", "InnerProduct", {caffe_blob{{12, 4}, wt}});
  m.layer("ip3", "InnerProduct", {caffe_blob{{2, 4}, {1, 0, 0, 0, 0, 0, 0, 1}}});
  const auto c = convert(R"(input: "x" input_shape { dim: 2 dim: 3 dim: 2 dim: 2 }
layer { name: "ip" type: "InnerProduct" bottom: "x" top: "ip" inner_product_param { num_output: 4 } }
layer { name: "ipt" type: "InnerProduct" bottom: "x" top: "ipt" inner_product_param { num_output: 4 transpose: true bias_term: false } }
layer { name: "r" type: "Reshape" bottom: "x" top: "r" reshape_param { shape { dim: 2 dim: 3 dim: 4 } } }
layer { name: "ip3" type: "InnerProduct" bottom: "r" top: "ip3" inner_product_param { num_output: 2 axis: -1 bias_term: false } }
)",
                         &m);
  const tensor x = input({2, 3, 2, 2});
  const auto xv = x.values<float>();
  std::vector<float> want(8), want_t(8);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t n = 0; n < 4; ++n) {
      double s = 0;
      for (std::size_t k = 0; k < 12; ++k) s += xv[i * 12 + k] * w[n * 12 + k];
      want[i * 4 + n] = static_cast<float>(s + b[n]);
      want_t[i * 4 + n] = static_cast<float>(s);
    }
  const auto out = reference::evaluate(c.g, {x});
  REQUIRE(out.size() == 3);
  check_close(out[0], want, {2, 4});
  check_close(out[1], want_t, {2, 4});
  std::vector<float> want3;
  for (std::size_t r = 0; r < 6; ++r) {
    want3.push_back(xv[r * 4]);
    want3.push_back(xv[r * 4 + 3]);
  }
  check_close(out[2], want3, {2, 3, 2});
}

TEST_CASE("caffe: BatchNorm divides by its moving-average factor; Scale and Bias broadcast from their axis") {
  const std::vector<float> mean{2, -4}, var{8, 2};
  const std::vector<float> gamma{1.5f, -1}, beta{0.25f, 3};
  irforge::test::caffemodel_builder m;
  m.layer("bn", "BatchNorm", {caffe_blob{{2}, mean}, caffe_blob{{2}, var}, caffe_blob{{1}, {2}}});
  m.layer("sc", "Scale", {caffe_blob{{2}, gamma}, caffe_blob{{2}, beta}});
  m.layer("bias", "Bias", {caffe_blob{{3, 2}, {1, 2, 3, 4, 5, 6}}});
  const auto c = convert(R"(input: "x" input_shape { dim: 1 dim: 2 dim: 3 dim: 2 }
layer { name: "bn" type: "BatchNorm" bottom: "x" top: "x" batch_norm_param { eps: 0.001 } }
layer { name: "sc" type: "Scale" bottom: "x" top: "x" scale_param { bias_term: true } }
layer { name: "bias" type: "Bias" bottom: "x" top: "b" bias_param { axis: 2 num_axes: 2 } }
layer { name: "two" type: "Scale" bottom: "b" bottom: "s" top: "two" scale_param { axis: 0 } }
input: "s" input_shape { dim: 1 dim: 2 }
)",
                         &m);
  CHECK(op_counts(c.g).at("BatchNormInference") == 1);
  const tensor x = input({1, 2, 3, 2});
  const tensor s = tensor::from_values<float>({1, 2}, {10, -10});
  const auto out = reference::evaluate(c.g, std::vector<tensor>{x, s});
  const auto xv = x.values<float>();
  std::vector<float> want;
  for (std::size_t ch = 0; ch < 2; ++ch)
    for (std::size_t i = 0; i < 6; ++i) {
      const float m1 = mean[ch] / 2, v1 = var[ch] / 2;
      const float y = (xv[ch * 6 + i] - m1) / std::sqrt(v1 + 0.001f) * gamma[ch] + beta[ch];
      want.push_back((y + static_cast<float>(i + 1)) * (ch == 0 ? 10.0f : -10.0f));
    }
  check_close(out[0], want, {1, 2, 3, 2}, 1e-4);
}

TEST_CASE("caffe: elementwise layers compute Caffe's formulas") {
  const auto c = convert(R"(input: "x" input_shape { dim: 1 dim: 1 dim: 1 dim: 4 }
layer { name: "relu" type: "ReLU" bottom: "x" top: "relu" relu_param { negative_slope: 0.1 } }
layer { name: "relu6" type: "ReLU6" bottom: "x" top: "relu6" }
layer { name: "elu" type: "ELU" bottom: "x" top: "elu" elu_param { alpha: 0.5 } }
layer { name: "sig" type: "Sigmoid" bottom: "x" top: "sig" }
layer { name: "tanh" type: "TanH" bottom: "x" top: "tanh" }
layer { name: "abs" type: "AbsVal" bottom: "x" top: "abs" }
layer { name: "bnll" type: "BNLL" bottom: "x" top: "bnll" }
layer { name: "pow" type: "Power" bottom: "x" top: "pow" power_param { power: 2 scale: 0.5 shift: 3 } }
layer { name: "exp" type: "Exp" bottom: "x" top: "exp" exp_param { base: 2 scale: 0.5 shift: 1 } }
layer { name: "log" type: "Log" bottom: "abs" top: "log" log_param { base: 10 scale: 2 shift: 1 } }
layer { name: "sum" type: "Eltwise" bottom: "x" bottom: "abs" top: "sum" eltwise_param { coeff: 0.5 coeff: -2 } }
layer { name: "prod" type: "Eltwise" bottom: "x" bottom: "abs" bottom: "x" top: "prod" eltwise_param { operation: PROD } }
layer { name: "max" type: "Eltwise" bottom: "x" bottom: "relu" top: "max" eltwise_param { operation: MAX } }
layer { name: "clip" type: "Clip" bottom: "x" top: "clip" clip_param { min: -1 max: 1.5 } }
)");
  const std::vector<float> xv{-2.0f, -0.5f, 0.5f, 3.0f};
  const auto out = reference::evaluate(c.g, {tensor::from_values<float>({1, 1, 1, 4}, xv)});
  std::map<std::string, tensor> by;
  for (std::size_t k = 0; k < out.size(); ++k) by[c.g.node(c.g.results()[k]).source_names[0]] = out[k];
  auto expect = [&](const std::string& name, auto f) {
    CAPTURE(name);
    REQUIRE(by.count(name));
    std::vector<float> want;
    for (float v : xv) want.push_back(static_cast<float>(f(static_cast<double>(v))));
    check_close(by[name], want, {1, 1, 1, 4}, 1e-5);
  };
  CHECK(by.count("relu") == 0); // consumed by "max"
  CHECK(by.count("abs") == 0);
  expect("relu6", [](double v) { return std::min(std::max(v, 0.0), 6.0); });
  expect("elu", [](double v) { return v > 0 ? v : 0.5 * (std::exp(v) - 1); });
  expect("sig", [](double v) { return 1 / (1 + std::exp(-v)); });
  expect("tanh", [](double v) { return std::tanh(v); });
  expect("bnll", [](double v) { return v > 0 ? v + std::log(1 + std::exp(-v)) : std::log(1 + std::exp(v)); });
  expect("pow", [](double v) { return std::pow(3 + 0.5 * v, 2); });
  expect("exp", [](double v) { return std::pow(2.0, 1 + 0.5 * v); });
  expect("log", [](double v) { return std::log10(1 + 2 * std::fabs(v)); });
  expect("sum", [](double v) { return 0.5 * v - 2 * std::fabs(v); });
  expect("prod", [](double v) { return v * v * std::fabs(v); });
  expect("max", [](double v) { return std::max(v, v > 0 ? v : 0.1 * v); });
  expect("clip", [](double v) { return std::min(std::max(v, -1.0), 1.5); });
}

TEST_CASE("caffe: ArgMax gives float indices (and values), Threshold gives 0/1") {
  const auto c = convert(R"(input: "x" input_shape { dim: 2 dim: 3 dim: 2 }
layer { name: "flat" type: "ArgMax" bottom: "x" top: "flat" argmax_param { top_k: 2 } }
layer { name: "both" type: "ArgMax" bottom: "x" top: "both" argmax_param { out_max_val: true } }
layer { name: "ax" type: "ArgMax" bottom: "x" top: "ax" argmax_param { axis: 1 } }
layer { name: "axv" type: "ArgMax" bottom: "x" top: "axv" argmax_param { axis: -1 out_max_val: true } }
layer { name: "th" type: "Threshold" bottom: "x" top: "th" threshold_param { threshold: 0.5 } }
)");
  const std::vector<float> xv{0.1f, 0.9f, 0.7f, 0.2f, 0.3f, 0.8f, //
                              -1, -2, 5, 0, 4, -3};
  const auto out = reference::evaluate(c.g, {tensor::from_values<float>({2, 3, 2}, xv)});
  REQUIRE(out.size() == 5);
  check_close(out[0], {1, 5, 2, 4}, {2, 1, 2});
  check_close(out[1], {1, 0.9f, 2, 5}, {2, 2, 1});
  check_close(out[2], {1, 0, 1, 1}, {2, 1, 2});
  check_close(out[3], {0.9f, 0.7f, 0.8f, -1, 5, 4}, {2, 3, 1});
  check_close(out[4], {0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0}, {2, 3, 2});
}

TEST_CASE("caffe: layers that move data") {
  const auto c = convert(R"(input: "x" input_shape { dim: 2 dim: 4 dim: 3 dim: 5 }
input: "ref" input_shape { dim: 2 dim: 4 dim: 2 dim: 3 }
layer { name: "flat" type: "Flatten" bottom: "x" top: "flat" flatten_param { axis: 1 end_axis: 2 } }
layer { name: "flat_all" type: "Flatten" bottom: "x" top: "flat_all" }
layer { name: "rs" type: "Reshape" bottom: "x" top: "rs" reshape_param { shape { dim: 0 dim: -1 dim: 5 } } }
layer { name: "rs_part" type: "Reshape" bottom: "x" top: "rs_part" reshape_param { shape { dim: 2 dim: 2 } axis: 1 num_axes: 1 } }
layer { name: "perm" type: "Permute" bottom: "x" top: "perm" permute_param { order: 0 order: 2 } }
layer { name: "slice" type: "Slice" bottom: "x" top: "s1" top: "s2" top: "s3" slice_param { axis: 1 slice_point: 1 slice_point: 3 } }
layer { name: "cat" type: "Concat" bottom: "s3" bottom: "s1" top: "cat" concat_param { axis: 1 } }
layer { name: "crop" type: "Crop" bottom: "x" bottom: "ref" top: "crop" crop_param { axis: 2 offset: 1 offset: 2 } }
layer { name: "tile" type: "Tile" bottom: "s1" top: "tile" tile_param { axis: 1 tiles: 3 } }
)");
  std::map<std::string, partial_shape> shapes;
  for (auto r : c.g.results()) shapes[c.g.node(r).source_names[0]] = c.g.info(c.g.input(r, 0)).shape;
  CHECK(shapes.at("flat") == partial_shape{2, 12, 5});
  CHECK(shapes.at("flat_all") == partial_shape{2, 60});
  CHECK(shapes.at("rs") == partial_shape{2, 12, 5});
  CHECK(shapes.at("rs_part") == partial_shape{2, 2, 2, 3, 5});
  CHECK(shapes.at("perm") == partial_shape{2, 3, 4, 5});
  CHECK(shapes.at("s2") == partial_shape{2, 2, 3, 5});
  CHECK(shapes.at("cat") == partial_shape{2, 2, 3, 5});
  CHECK(shapes.at("crop") == partial_shape{2, 4, 2, 3});
  CHECK(shapes.at("tile") == partial_shape{2, 3, 3, 5});
}

TEST_CASE("caffe: Slice without points splits equally; Crop takes its offsets; Permute moves data") {
  const auto c = convert(R"(input: "x" input_shape { dim: 1 dim: 4 dim: 3 dim: 4 }
input: "ref" input_shape { dim: 1 dim: 4 dim: 2 dim: 2 }
layer { name: "halves" type: "Slice" bottom: "x" top: "h1" top: "h2" slice_param { axis: -1 } }
layer { name: "crop" type: "Crop" bottom: "x" bottom: "ref" top: "crop" crop_param { axis: 2 offset: 1 offset: 2 } }
layer { name: "perm" type: "Permute" bottom: "x" top: "perm" permute_param { order: 0 order: 3 order: 1 order: 2 } }
)");
  std::vector<float> xv(48);
  for (std::size_t i = 0; i < 48; ++i) xv[i] = static_cast<float>(i);
  const tensor x = tensor::from_values<float>({1, 4, 3, 4}, xv);
  const auto out = reference::evaluate(c.g, std::vector<tensor>{x, tensor::allocate(element_type::f32, {1, 4, 2, 2})});
  REQUIRE(out.size() == 4);
  std::vector<float> h2, crop, perm;
  for (std::size_t ch = 0; ch < 4; ++ch)
    for (std::size_t y = 0; y < 3; ++y)
      for (std::size_t w = 2; w < 4; ++w) h2.push_back(xv[(ch * 3 + y) * 4 + w]);
  for (std::size_t ch = 0; ch < 4; ++ch)
    for (std::size_t y = 1; y < 3; ++y)
      for (std::size_t w = 2; w < 4; ++w) crop.push_back(xv[(ch * 3 + y) * 4 + w]);
  for (std::size_t w = 0; w < 4; ++w)
    for (std::size_t ch = 0; ch < 4; ++ch)
      for (std::size_t y = 0; y < 3; ++y) perm.push_back(xv[(ch * 3 + y) * 4 + w]);
  check_close(out[1], h2, {1, 4, 3, 2});
  check_close(out[2], crop, {1, 4, 2, 2});
  check_close(out[3], perm, {1, 4, 4, 3});
}

TEST_CASE("caffe: Interp, Upsample, ShuffleChannel and Axpy") {
  const auto c = convert(R"(input: "x" input_shape { dim: 1 dim: 4 dim: 2 dim: 3 }
input: "a" input_shape { dim: 1 dim: 4 }
layer { name: "zoom" type: "Interp" bottom: "x" top: "zoom" interp_param { zoom_factor: 2 } }
layer { name: "shrink" type: "Interp" bottom: "x" top: "shrink" interp_param { shrink_factor: 2 } }
layer { name: "sized" type: "Interp" bottom: "x" top: "sized" interp_param { height: 5 width: 4 } }
layer { name: "up" type: "Upsample" bottom: "x" top: "up" upsample_param { scale: 2 } }
layer { name: "shuffle" type: "ShuffleChannel" bottom: "x" top: "shuffle" shuffle_channel_param { group: 2 } }
layer { name: "axpy" type: "Axpy" bottom: "a" bottom: "x" bottom: "x" top: "axpy" }
)");
  std::vector<float> xv(24);
  for (std::size_t i = 0; i < 24; ++i) xv[i] = static_cast<float>(i * i % 7);
  const std::vector<float> av{1, 2, -1, 0.5f};
  const auto out = reference::evaluate(
      c.g, std::vector<tensor>{tensor::from_values<float>({1, 4, 2, 3}, xv), tensor::from_values<float>({1, 4}, av)});
  REQUIRE(out.size() == 6);
  // Bilinear with aligned corners.
  auto bilinear = [&](std::int64_t oh, std::int64_t ow) {
    std::vector<float> y;
    for (std::size_t ch = 0; ch < 4; ++ch)
      for (std::int64_t i = 0; i < oh; ++i)
        for (std::int64_t j = 0; j < ow; ++j) {
          const double sy = oh > 1 ? static_cast<double>(i) * 1 / static_cast<double>(oh - 1) : 0;
          const double sx = ow > 1 ? static_cast<double>(j) * 2 / static_cast<double>(ow - 1) : 0;
          const auto y0 = static_cast<std::size_t>(sy), x0 = static_cast<std::size_t>(sx);
          const auto y1 = std::min<std::size_t>(y0 + 1, 1), x1 = std::min<std::size_t>(x0 + 1, 2);
          const double fy = sy - static_cast<double>(y0), fx = sx - static_cast<double>(x0);
          auto at = [&](std::size_t yy, std::size_t xx) { return static_cast<double>(xv[(ch * 2 + yy) * 3 + xx]); };
          y.push_back(static_cast<float>((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) +
                                         fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1))));
        }
    return y;
  };
  check_close(out[0], bilinear(3, 5), {1, 4, 3, 5}, 1e-5);
  check_close(out[1], bilinear(1, 2), {1, 4, 1, 2}, 1e-5);
  check_close(out[2], bilinear(5, 4), {1, 4, 5, 4}, 1e-5);
  std::vector<float> up, shuffle, axpy;
  for (std::size_t ch = 0; ch < 4; ++ch)
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 6; ++j) up.push_back(xv[(ch * 2 + i / 2) * 3 + j / 2]);
  for (std::size_t ch : {0, 2, 1, 3}) // [2 groups x 2] transposed
    for (std::size_t i = 0; i < 6; ++i) shuffle.push_back(xv[ch * 6 + i]);
  for (std::size_t ch = 0; ch < 4; ++ch)
    for (std::size_t i = 0; i < 6; ++i) axpy.push_back(av[ch] * xv[ch * 6 + i] + xv[ch * 6 + i]);
  check_close(out[3], up, {1, 4, 4, 6});
  check_close(out[4], shuffle, {1, 4, 2, 3});
  check_close(out[5], axpy, {1, 4, 2, 3});
}

TEST_CASE("caffe: SSD's Normalize, PriorBox and DetectionOutput") {
  irforge::test::caffemodel_builder m;
  m.layer("norm", "Normalize", {caffe_blob{{3}, {2, 3, 4}}});
  const auto c = convert(R"(input: "data" input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }
input: "loc" input_shape { dim: 1 dim: 256 }
input: "conf" input_shape { dim: 1 dim: 64 dim: 3 }
layer { name: "norm" type: "Normalize" bottom: "data" top: "norm" norm_param { across_spatial: false channel_shared: false } }
layer { name: "pool" type: "Pooling" bottom: "norm" top: "feat" pooling_param { pool: MAX kernel_size: 8 stride: 8 } }
layer { name: "pb" type: "PriorBox" bottom: "feat" bottom: "data" top: "pb"
  prior_box_param { min_size: 10 max_size: 20 aspect_ratio: 2 flip: true clip: false variance: 0.1 variance: 0.1
                    variance: 0.2 variance: 0.2 step: 8 offset: 0.5 } }
layer { name: "det" type: "DetectionOutput" bottom: "loc" bottom: "conf" bottom: "pb" top: "det"
  detection_output_param { num_classes: 3 share_location: true background_label_id: 0
    nms_param { nms_threshold: 0.45 top_k: 400 } code_type: CENTER_SIZE keep_top_k: 200 confidence_threshold: 0.01 } }
)",
                         &m);
  const auto& pb = c.g.node(find(c.g, "pb/priors")).op.get<ops::PriorBox>();
  CHECK(pb.min_size == std::vector<float>{10});
  CHECK(pb.max_size == std::vector<float>{20});
  CHECK(pb.variance == std::vector<float>{0.1f, 0.1f, 0.2f, 0.2f});
  CHECK(pb.number_of_priors() == 4); // 1, 2 and 1/2 at min size, and sqrt(min * max)
  CHECK(pb.step == 8.0f);
  CHECK(c.g.info({find(c.g, "pb"), 0}).shape == partial_shape{1, 2, 4 * 4 * 4 * 4});
  const auto& det = c.g.node(find(c.g, "det")).op.get<ops::DetectionOutput>();
  CHECK(det.code_type == "caffe.PriorBoxParameter.CENTER_SIZE");
  CHECK(det.keep_top_k == std::vector<std::int64_t>{200});
  CHECK(det.top_k == 400);
  CHECK(det.nms_threshold == doctest::Approx(0.45));
  CHECK(det.normalized);
  CHECK(c.g.info({find(c.g, "det"), 0}).shape == partial_shape{1, 1, 200, 7});
  // conf [1, 64, 3] was flattened to [1, 192] for the IR op.
  CHECK(c.g.info(c.g.input(find(c.g, "det"), 1)).shape == partial_shape{1, 192});
  // Normalize: x / ||x|| over channels, times a per-channel scale.
  const auto attrs = c.g.node(find(c.g, "norm/normalize")).op.attributes();
  CHECK(attrs[1] == std::pair<std::string, std::string>{"eps_mode", "add"});
  CHECK(c.g.info(c.g.input(find(c.g, "norm"), 1)).shape == partial_shape{1, 3, 1, 1});
  // The IR spells the attributes as OpenVINO does.
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(c.g, xml, bin);
  CHECK(xml.find("type=\"PriorBox\" version=\"opset8\"") != std::string::npos);
  CHECK(xml.find("min_size=\"10\" max_size=\"20\" aspect_ratio=\"2\"") != std::string::npos);
  CHECK(xml.find("variance=\"0.1, 0.1, 0.2, 0.2\" scale_all_sizes=\"true\" min_max_aspect_ratios_order=\"true\"") !=
        std::string::npos);
  CHECK(xml.find("type=\"DetectionOutput\" version=\"opset8\"") != std::string::npos);
  CHECK(xml.find("keep_top_k=\"200\" code_type=\"caffe.PriorBoxParameter.CENTER_SIZE\"") != std::string::npos);
}

TEST_CASE("caffe: in-place layers chain, tensor names move to the newest value, Split and Dropout alias") {
  irforge::test::caffemodel_builder m;
  m.layer("conv", "Convolution", {caffe_blob{{2, 1, 1, 1}, {1, -1}}, caffe_blob{{2}, {0, 0}}});
  const auto c = convert(R"(input: "data" input_dim: 1 input_dim: 1 input_dim: 2 input_dim: 2
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 2 kernel_size: 1 } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "drop" type: "Dropout" bottom: "conv" top: "conv" dropout_param { dropout_ratio: 0.5 } }
layer { name: "split" type: "Split" bottom: "conv" top: "a" top: "b" }
layer { name: "sum" type: "Eltwise" bottom: "a" bottom: "b" top: "sum" }
)",
                         &m);
  CHECK(op_counts(c.g).count("Dropout") == 0);
  const node_id relu = find(c.g, "relu");
  const auto& names = c.g.port({relu, 0}).names;
  CHECK(names == std::vector<std::string>{"conv", "a", "b"});
  CHECK(c.g.port({find(c.g, "conv"), 0}).names.empty()); // "conv" moved to the ReLU's output
  REQUIRE(c.g.results().size() == 1);
  const auto out = reference::evaluate(c.g, {tensor::from_values<float>({1, 1, 2, 2}, {1, -2, 3, -4})});
  check_close(out[0], {2, 0, 6, 0, 0, 4, 0, 8}, {1, 2, 2, 2});

  // In place on a model input: the input keeps its name (it is fed by it).
  const auto on_input = convert("input: 'data' input_shape { dim: 1 dim: 2 }\n"
                                "layer { name: 'relu' type: 'ReLU' bottom: 'data' top: 'data' }");
  CHECK(on_input.g.port({on_input.g.parameters()[0], 0}).names == std::vector<std::string>{"data"});
  CHECK(on_input.g.port({find(on_input.g, "relu"), 0}).names.empty());
  REQUIRE(on_input.g.results().size() == 1);
  CHECK(on_input.g.node(on_input.g.results()[0]).name == "data/sink_port_0");
  CHECK(on_input.g.input(on_input.g.results()[0], 0).node == find(on_input.g, "relu"));
}

TEST_CASE("caffe: training-only layers are dropped with a note; a data top becomes an input when given a shape") {
  irforge::test::caffemodel_builder m;
  m.layer("ip", "InnerProduct", {caffe_blob{{2, 3}, {1, 0, 0, 0, 1, 0}}, caffe_blob{{2}, {0, 0}}});
  const std::string proto = R"(
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TRAIN } }
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TEST } data_param { batch_size: 10 } }
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 2 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
layer { name: "acc" type: "Accuracy" bottom: "ip" bottom: "label" top: "acc" include { phase: TEST } }
)";
  const std::string msg = error_of([&] { (void)convert(proto, &m); });
  CHECK(msg.find("node 'ip' (InnerProduct)") != std::string::npos);
  CHECK(msg.find("bottom 'data' comes from the training-only layer 'data' (Data), which is dropped; give an input shape "
                 "for 'data'") != std::string::npos);
  caffe::load_options o;
  o.input_shapes["data"] = partial_shape{4, 3};
  const auto c = convert(proto, &m, o);
  REQUIRE(c.g.parameters().size() == 1);
  CHECK(c.g.node(c.g.parameters()[0]).name == "data");
  CHECK(c.g.info({c.g.parameters()[0], 0}).shape == partial_shape{4, 3});
  REQUIRE(c.g.results().size() == 1);
  CHECK(c.g.node(c.g.results()[0]).name == "ip/sink_port_0");
  REQUIRE(c.notes.size() == 2);
  CHECK(c.notes[0] == "skipped 1 layer(s) that the TEST phase excludes: data (Data)");
  CHECK(c.notes[1] == "dropped 3 training-only layer(s): data (Data), loss (SoftmaxWithLoss), acc (Accuracy)");
}

TEST_CASE("caffe: input shapes come from the prototxt or the caller; Input layers make inputs") {
  const std::string proto = R"(input: "a" input_dim: 1 input_dim: 3 input_dim: 4 input_dim: 4
layer { name: "in" type: "Input" top: "b" input_param { shape { dim: 2 dim: 5 } } }
layer { name: "two" type: "Input" top: "c" top: "d" input_param { shape { dim: 7 } } }
layer { name: "r" type: "ReLU" bottom: "a" top: "ra" }
layer { name: "s" type: "Sigmoid" bottom: "b" top: "sb" }
layer { name: "cat" type: "Concat" bottom: "c" bottom: "d" top: "cd" concat_param { axis: 0 } }
)";
  const auto plain = convert(proto);
  REQUIRE(plain.g.parameters().size() == 4);
  CHECK(plain.g.node(plain.g.parameters()[1]).name == "in"); // named after the layer, its tensor after the top
  CHECK(plain.g.port({plain.g.parameters()[1], 0}).names == std::vector<std::string>{"b"});
  CHECK(plain.g.info({plain.g.parameters()[2], 0}).shape == partial_shape{7});
  CHECK(plain.g.node(plain.g.parameters()[2]).name == "c");
  caffe::load_options o;
  o.input_shapes["a"] = partial_shape{2, 3, 8, 8};
  o.input_shapes["in"] = partial_shape{1, 5}; // by the Input layer's name
  o.input_shapes["d"] = partial_shape{dimension::dynamic()};
  const auto over = convert(proto, nullptr, o);
  CHECK(over.g.info({over.g.parameters()[0], 0}).shape == partial_shape{2, 3, 8, 8});
  CHECK(over.g.info({over.g.parameters()[1], 0}).shape == partial_shape{1, 5});
  CHECK(over.g.info({over.g.parameters()[3], 0}).shape == partial_shape{dimension::dynamic()});
  caffe::load_options bad;
  bad.input_shapes["nope"] = partial_shape{1};
  const std::string msg = error_of([&] { (void)convert(proto, nullptr, bad); });
  CHECK(msg.find("input shapes given for 'nope', which name no input of the net (its inputs: 'a', 'b', 'c', 'd')") !=
        std::string::npos);
  CHECK(error_of([] { (void)convert("input: 'x' layer { name: 'r' type: 'ReLU' bottom: 'x' top: 'y' }"); })
            .find("input 'x' has no shape in the prototxt; give one") != std::string::npos);
}

TEST_CASE("caffe: input_names lists what an input shape may name, in input order") {
  auto names = [](std::string_view text) {
    return caffe::input_names(caffe::make_net(std::make_shared<const caffe::text_document>(caffe::parse_text(text))));
  };
  CHECK(names("input: 'a' layer { name: 'in' type: 'Input' top: 'b' top: 'c' } layer { name: 'd' type: 'Data' top: 'x' }") ==
        std::vector<std::string>{"a", "b", "c"});
  CHECK(names("layer { name: 'd' type: 'Data' top: 'img' top: 'label' include { phase: TEST } }\n"
              "layer { name: 't' type: 'Data' top: 'train_img' include { phase: TRAIN } }") == std::vector<std::string>{"img"});
}

TEST_CASE("caffe: unknown layer types are all listed at once") {
  const std::string proto = R"(input: "x" input_dim: 1 input_dim: 1 input_dim: 2 input_dim: 2
layer { name: "p1" type: "Python" bottom: "x" top: "p1" }
layer { name: "r" type: "ReLU" bottom: "p1" top: "r" }
layer { name: "m1" type: "MyMagic" bottom: "r" top: "m1" }
layer { name: "p2" type: "Python" bottom: "m1" top: "p2" }
)";
  try {
    (void)convert(proto);
    FAIL("no error");
  } catch (const unsupported_ops_error& e) {
    REQUIRE(e.ops().size() == 2);
    CHECK(e.ops()[0].first == "Python");
    CHECK(e.ops()[0].second == std::vector<std::string>{"p1", "p2"});
    CHECK(e.ops()[1].first == "MyMagic");
    CHECK(std::string(e.what()) ==
          "t.prototxt: 3 nodes use unsupported Caffe operations: Python (p1, p2); MyMagic (m1)");
  }
}

TEST_CASE("caffe: weights that disagree with the prototxt name the layer and both sizes") {
  const std::string proto = R"(input: "x" input_dim: 1 input_dim: 2 input_dim: 4 input_dim: 4
layer { name: "conv1" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 3 kernel_size: 3 } }
)";
  irforge::test::caffemodel_builder small;
  small.layer("conv1", "Convolution", {caffe_blob{{3, 2, 2, 2}, ramp(24)}, caffe_blob{{3}, {0, 0, 0}}});
  const std::string msg = error_of([&] { (void)convert(proto, &small); });
  CHECK(msg.find("t.prototxt, node 'conv1' (Convolution): line 2: ") != std::string::npos);
  CHECK(msg.find("blob 0 (weights) in the caffemodel holds 24 values (shape [3,2,2,2]), but the prototxt's parameters "
                 "need 54 (shape [3,2,3,3])") != std::string::npos);
  irforge::test::caffemodel_builder no_bias;
  no_bias.layer("conv1", "Convolution", {caffe_blob{{3, 2, 3, 3}, ramp(54)}});
  CHECK(error_of([&] { (void)convert(proto, &no_bias); })
            .find("the caffemodel stores 1 blob(s) for this layer; blob 1 (bias) is missing") != std::string::npos);
  irforge::test::caffemodel_builder other;
  other.layer("conv2", "Convolution", {});
  CHECK(error_of([&] { (void)convert(proto, &other); })
            .find("the caffemodel 't.caffemodel' has no layer of this name, so no weights for it") != std::string::npos);
}

TEST_CASE("caffe: a prototxt alone converts, with made-up weights and a note") {
  const auto c = convert(R"(input: "x" input_dim: 1 input_dim: 2 input_dim: 3 input_dim: 3
layer { name: "conv" type: "Convolution" bottom: "x" top: "c"
  convolution_param { num_output: 4 kernel_size: 3 bias_filler { type: "constant" value: 0.5 } } }
layer { name: "prelu" type: "PReLU" bottom: "c" top: "c" }
)");
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].find("no .caffemodel: converted from 't.prototxt' alone, for topology checks; 3 weight blob(s) are "
                        "made up") != std::string::npos);
  CHECK(c.g.info(c.g.input(c.g.results()[0], 0)).shape == partial_shape{1, 4, 1, 1});
  const auto out = reference::evaluate(c.g, {input({1, 2, 3, 3})});
  check_close(out[0], {0, 0, 0, 0}, {1, 4, 1, 1}); // zero weights; the bias filler is not applied
}

TEST_CASE("caffe: bad layer parameters are errors naming the layer and the prototxt line") {
  const char* nets[][2] = {
      {"layer { name: 'c' type: 'Convolution' bottom: 'x' top: 'y' convolution_param { kernel_size: 3 } }",
       "num_output must be positive"},
      {"layer { name: 'c' type: 'Convolution' bottom: 'x' top: 'y' convolution_param { num_output: 2 group: 3 kernel_size: 1 } }",
       "group 3 must divide both the input channels (2) and num_output (2)"},
      {"layer { name: 'c' type: 'Convolution' bottom: 'x' top: 'y' convolution_param { num_output: 2 } }",
       "kernel_size (or kernel_h and kernel_w) is required"},
      {"layer { name: 'c' type: 'Slice' bottom: 'x' top: 'y' top: 'z' slice_param { slice_point: 1 slice_point: 2 } }",
       "2 slice points for 2 tops"},
      {"layer { name: 'c' type: 'Eltwise' bottom: 'x' bottom: 'x' top: 'y' eltwise_param { coeff: 1 } }",
       "coeff has 1 values for 2 bottoms"},
      {"layer { name: 'c' type: 'ReLU' bottom: 'nothing' top: 'y' }",
       "bottom 'nothing' is not produced by any earlier layer or input"},
      {"layer { name: 'c' type: 'Permute' bottom: 'x' top: 'y' permute_param { order: 0 order: 0 } }",
       "order names axis 0 twice"},
  };
  for (const auto& n : nets) {
    CAPTURE(n[0]);
    const std::string msg = error_of([&] {
      (void)convert(std::string("input: 'x' input_dim: 1 input_dim: 2 input_dim: 4 input_dim: 4\n") + n[0]);
    });
    CHECK(msg.find("node 'c'") != std::string::npos);
    CHECK(msg.find(n[1]) != std::string::npos);
  }
}

TEST_CASE("caffe: hostile parameter values are errors, never crashes or undefined behaviour") {
  const std::string net = R"(input: "x" input_shape { dim: 1 dim: 4 dim: 8 dim: 8 }
layer { name: "conv" type: "Convolution" bottom: "x" top: "conv" convolution_param { num_output: 4 kernel_size: 3 pad: 1 stride: 1 dilation: 1 group: 2 } }
layer { name: "deconv" type: "Deconvolution" bottom: "conv" top: "deconv" convolution_param { num_output: 4 kernel_h: 2 kernel_w: 2 stride: 2 group: 1 } }
layer { name: "pool" type: "Pooling" bottom: "deconv" top: "pool" pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }
layer { name: "bn" type: "BatchNorm" bottom: "pool" top: "pool" batch_norm_param { eps: 0.001 } }
layer { name: "sc" type: "Scale" bottom: "pool" top: "pool" scale_param { axis: 1 num_axes: 1 bias_term: true } }
layer { name: "lrn" type: "LRN" bottom: "pool" top: "lrn" lrn_param { local_size: 5 alpha: 0.0001 beta: 0.75 k: 1 } }
layer { name: "mvn" type: "MVN" bottom: "lrn" top: "mvn" mvn_param { eps: 0.001 } }
layer { name: "interp" type: "Interp" bottom: "mvn" top: "interp" interp_param { zoom_factor: 2 pad_beg: 0 pad_end: 0 } }
layer { name: "up" type: "Upsample" bottom: "interp" top: "up" upsample_param { scale: 2 } }
layer { name: "shuffle" type: "ShuffleChannel" bottom: "up" top: "shuffle" shuffle_channel_param { group: 2 } }
layer { name: "slice" type: "Slice" bottom: "shuffle" top: "s1" top: "s2" slice_param { axis: 1 slice_point: 2 } }
layer { name: "cat" type: "Concat" bottom: "s1" bottom: "s2" top: "cat" concat_param { axis: 1 } }
layer { name: "crop" type: "Crop" bottom: "cat" bottom: "x" top: "crop" crop_param { axis: 2 offset: 1 } }
layer { name: "perm" type: "Permute" bottom: "crop" top: "perm" permute_param { order: 0 order: 2 order: 3 order: 1 } }
layer { name: "flat" type: "Flatten" bottom: "perm" top: "flat" flatten_param { axis: 1 end_axis: -1 } }
layer { name: "rs" type: "Reshape" bottom: "flat" top: "rs" reshape_param { shape { dim: 0 dim: -1 dim: 4 } axis: 0 num_axes: -1 } }
layer { name: "sm" type: "Softmax" bottom: "rs" top: "sm" softmax_param { axis: 2 } }
layer { name: "ip" type: "InnerProduct" bottom: "sm" top: "ip" inner_product_param { num_output: 3 axis: 1 } }
layer { name: "pw" type: "Power" bottom: "ip" top: "pw" power_param { power: 2 scale: 0.5 shift: 1 } }
layer { name: "el" type: "Eltwise" bottom: "pw" bottom: "ip" top: "el" eltwise_param { coeff: 1 coeff: -1 } }
layer { name: "tile" type: "Tile" bottom: "el" top: "tile" tile_param { axis: 1 tiles: 2 } }
layer { name: "relu" type: "ReLU" bottom: "tile" top: "relu" relu_param { negative_slope: 0.1 } }
layer { name: "pb" type: "PriorBox" bottom: "conv" bottom: "x" top: "pb" prior_box_param { min_size: 4 max_size: 8 aspect_ratio: 2 variance: 0.1 step: 2 offset: 0.5 density: 1 } }
layer { name: "norm" type: "Normalize" bottom: "conv" top: "norm" norm_param { eps: 0.0000000001 across_spatial: false } }
layer { name: "exp" type: "Exp" bottom: "norm" top: "exp" exp_param { base: 2 scale: 1 shift: 0 } }
layer { name: "log" type: "Log" bottom: "exp" top: "log" log_param { base: 10 scale: 1 shift: 1 } }
layer { name: "elu" type: "ELU" bottom: "log" top: "elu" elu_param { alpha: 1 } }
)";
  REQUIRE_NOTHROW((void)convert(net));
  // Every number, in turn, replaced by each hostile value.
  const char* hostile[] = {"-1", "0", "3", "-2147483649", "2147483648", "4611686018427387904", "-9223372036854775808",
                           "1e30", "-1e300", "nan", "inf"};
  std::vector<std::size_t> numbers;
  for (std::size_t i = 1; i < net.size(); ++i)
    if ((net[i] == '-' || std::isdigit(static_cast<unsigned char>(net[i]))) && net[i - 1] == ' ' && i >= 2 &&
        net[i - 2] == ':')
      numbers.push_back(i);
  REQUIRE(numbers.size() > 70);
  std::size_t ok = 0, errors = 0;
  for (std::size_t at : numbers) {
    std::size_t end = at + 1;
    while (end < net.size() && net[end] != ' ' && net[end] != '\n') ++end;
    for (const char* v : hostile) {
      const std::string mutated = net.substr(0, at) + v + net.substr(end);
      try {
        (void)convert(mutated);
        ++ok;
      } catch (const irforge::error&) {
        ++errors;
      }
    }
  }
  CHECK(ok + errors == numbers.size() * std::size(hostile));
  CHECK(errors > ok / 4); // most extreme values are rejected
  MESSAGE("hostile values: " << ok << " conversions succeeded, " << errors << " were clean errors");
}

} // namespace test_caffe_converter_tests
