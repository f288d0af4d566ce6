// Writes a ResNet-50 ONNX model (torchvision's layout) with deterministic
// pseudo-random float32 weights, using irforge's own ONNX writer: the input
// of the conversion benchmark (run_conversion_benchmark.sh).
//
// Layout: 7x7/2 stem Conv + BatchNormalization + Relu + 3x3/2 MaxPool; four
// stages of bottleneck blocks [3, 4, 6, 3] (1x1, 3x3, 1x1 convolutions, the
// stride on the 3x3 as torchvision does, a 1x1 Conv + BatchNormalization
// projection shortcut in each stage's first block); GlobalAveragePool,
// Flatten, Gemm 2048 -> 1000. Every Conv has no bias and is followed by its
// own BatchNormalization node (as an unfused export has), opset 13, input
// "data" [1, 3, 224, 224]. Parameter and buffer names follow torchvision's
// state_dict ("layer1.0.conv1.weight", "layer1.0.bn1.running_var", ...).
//
// Usage: make_resnet50 [--small] out.onnx
//   --small: the same structure at 1/8 of the width, one block per stage,
//            10 classes and a 64x64 input (a quick check, ~0.5 MB).
// Prints the parameter count (every float of every initializer) and the
// BatchNormalization channels on stdout.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <irforge/frontends/onnx/writer.hpp>

namespace {

/// splitmix64: the same numbers on every machine and compiler.
class weight_generator {
public:
  explicit weight_generator(std::uint64_t seed) : state_(seed) {}

  /// Uniform in [-1, 1).
  float uniform() {
    state_ += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<float>(static_cast<double>(z >> 40) / static_cast<double>(1ull << 23) - 1.0);
  }

  /// offset + scale * uniform(), written straight into the tensor's buffer
  /// (no second copy of a 9 MB weight).
  irforge::tensor make(irforge::shape dims, float scale, float offset = 0.0f) {
    irforge::tensor t = irforge::tensor::allocate(irforge::element_type::f32, std::move(dims));
    auto bytes = t.mutable_bytes();
    for (std::size_t i = 0; i < bytes.size(); i += sizeof(float)) {
      const float v = offset + scale * uniform();
      std::memcpy(bytes.data() + i, &v, sizeof v);
    }
    return t;
  }

private:
  std::uint64_t state_;
};

struct config {
  std::int64_t base_width = 64; // channels of the stem and of stage 1's 3x3 convolutions
  std::vector<int> blocks = {3, 4, 6, 3};
  std::int64_t classes = 1000;
  std::int64_t image = 224;
};

class resnet_writer {
public:
  explicit resnet_writer(const config& c) : c_(c), w_(20260101) {
    m_.opset("", 13).producer("irforge-benchmarks", "1");
  }

  irforge::onnx::model_builder build() {
    m_.input("data", irforge::element_type::f32, {1, 3, c_.image, c_.image});
    std::string x = conv_bn("data", "conv1", "bn1", 3, c_.base_width, 7, 2);
    x = relu(x, "relu");
    m_.node("MaxPool", {x}, {"maxpool"}, "maxpool")
        .ints("kernel_shape", {3, 3})
        .ints("strides", {2, 2})
        .ints("pads", {1, 1, 1, 1});
    x = "maxpool";
    std::int64_t in = c_.base_width;
    for (std::size_t s = 0; s < c_.blocks.size(); ++s) {
      const std::int64_t width = c_.base_width << s, out = width * 4;
      for (int b = 0; b < c_.blocks[s]; ++b) {
        const std::string p = "layer" + std::to_string(s + 1) + "." + std::to_string(b);
        const std::int64_t stride = (b == 0 && s > 0) ? 2 : 1;
        std::string y = relu(conv_bn(x, p + ".conv1", p + ".bn1", in, width, 1, 1), p + ".relu1");
        y = relu(conv_bn(y, p + ".conv2", p + ".bn2", width, width, 3, stride), p + ".relu2");
        y = conv_bn(y, p + ".conv3", p + ".bn3", width, out, 1, 1);
        const std::string shortcut =
            b == 0 ? conv_bn(x, p + ".downsample.0", p + ".downsample.1", in, out, 1, stride) : x;
        m_.node("Add", {y, shortcut}, {p + ".add"}, p + ".add");
        x = relu(p + ".add", p + ".relu3");
        in = out;
      }
    }
    m_.node("GlobalAveragePool", {x}, {"avgpool"}, "avgpool");
    m_.node("Flatten", {"avgpool"}, {"flatten"}, "flatten").i("axis", 1);
    m_.initializer("fc.weight", weights({c_.classes, in}, 1.0f / std::sqrt(static_cast<float>(in))));
    m_.initializer("fc.bias", weights({c_.classes}, 0.01f));
    m_.node("Gemm", {"flatten", "fc.weight", "fc.bias"}, {"logits"}, "fc").i("transB", 1);
    m_.output("logits", irforge::element_type::f32, {1, c_.classes});
    return std::move(m_);
  }

  [[nodiscard]] std::uint64_t parameters() const { return parameters_; }
  [[nodiscard]] std::uint64_t batch_norm_channels() const { return batch_norm_channels_; }

private:
  irforge::tensor weights(irforge::shape dims, float scale, float offset = 0.0f) {
    irforge::tensor t = w_.make(std::move(dims), scale, offset);
    parameters_ += t.element_count();
    return t;
  }

  std::string relu(const std::string& x, const std::string& name) {
    m_.node("Relu", {x}, {name}, name);
    return name;
  }

  /// Conv (no bias) followed by its own BatchNormalization node.
  std::string conv_bn(const std::string& x, const std::string& conv, const std::string& bn, std::int64_t in,
                      std::int64_t out, std::int64_t k, std::int64_t stride) {
    const float fan_in = static_cast<float>(in * k * k);
    m_.initializer(conv + ".weight", weights({out, in, k, k}, std::sqrt(3.0f / fan_in)));
    const std::int64_t pad = k / 2;
    m_.node("Conv", {x, conv + ".weight"}, {conv}, conv)
        .ints("kernel_shape", {k, k})
        .ints("strides", {stride, stride})
        .ints("pads", {pad, pad, pad, pad})
        .ints("dilations", {1, 1})
        .i("group", 1);
    batch_norm_channels_ += static_cast<std::uint64_t>(out);
    m_.initializer(bn + ".weight", weights({out}, 0.2f, 1.0f));
    m_.initializer(bn + ".bias", weights({out}, 0.1f));
    m_.initializer(bn + ".running_mean", weights({out}, 0.1f));
    m_.initializer(bn + ".running_var", weights({out}, 0.2f, 1.0f)); // in [0.8, 1.2): positive
    m_.node("BatchNormalization",
            {conv, bn + ".weight", bn + ".bias", bn + ".running_mean", bn + ".running_var"}, {bn}, bn)
        .f("epsilon", 1e-5f)
        .f("momentum", 0.9f);
    return bn;
  }

  config c_;
  weight_generator w_;
  irforge::onnx::model_builder m_{"resnet50"};
  std::uint64_t parameters_ = 0;
  std::uint64_t batch_norm_channels_ = 0;
};

} // namespace

int main(int argc, char** argv) {
  config c;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--small") {
      c.base_width = 8;
      c.blocks = {1, 1, 1, 1};
      c.classes = 10;
      c.image = 64;
    } else if (a == "-h" || a == "--help") {
      std::cout << "usage: make_resnet50 [--small] out.onnx\n";
      return 0;
    } else if (!a.empty() && a.front() == '-') {
      std::cerr << "[ ERROR ]  unknown option " << a << "\n";
      return 2;
    } else if (path.empty()) {
      path = a;
    } else {
      std::cerr << "[ ERROR ]  more than one output path\n";
      return 2;
    }
  }
  if (path.empty()) {
    std::cerr << "usage: make_resnet50 [--small] out.onnx\n";
    return 2;
  }
  try {
    resnet_writer r(c);
    const irforge::onnx::model_builder m = r.build();
    m.save(path);
    std::cout << "wrote " << path << ": " << r.parameters() << " parameters, " << r.batch_norm_channels()
              << " batch-norm channels, " << m.node_count() << " nodes\n";
  } catch (const std::exception& e) {
    std::cerr << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
  return 0;
}
