// Writes a long chain of Conv + BatchNormalization + Relu blocks as ONNX, using
// irforge's own ONNX writer: the input of the scale benchmark
// (run_conversion_benchmark.sh --model chain), which shows that matching and
// rewriting stay linear in the size of the graph.
//
// Each block: Conv 3x3 (pad 1, no bias) over C channels -> BatchNormalization ->
// Relu; input "data" [1, C, 8, 8]; opset 13; deterministic pseudo-random
// weights. 6667 blocks (the default) make 20002 nodes (with the final Identity).
//
// Usage: make_chain [--blocks N] [--channels C] out.onnx
// Prints "P parameters, B batch-norm channels, N nodes" on stdout.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include <irforge/frontends/onnx/writer.hpp>

namespace {

/// splitmix64 mapped to [-1, 1): the same weights on every machine.
class weight_generator {
public:
  explicit weight_generator(std::uint64_t seed) : state_(seed) {}
  irforge::tensor make(irforge::shape dims, float scale, float offset = 0.0f) {
    irforge::tensor t = irforge::tensor::allocate(irforge::element_type::f32, std::move(dims));
    auto bytes = t.mutable_bytes();
    for (std::size_t i = 0; i < bytes.size(); i += sizeof(float)) {
      state_ += 0x9e3779b97f4a7c15ull;
      std::uint64_t z = state_;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      z ^= z >> 31;
      const float v = offset + scale * static_cast<float>(static_cast<double>(z >> 40) / static_cast<double>(1ull << 23) - 1.0);
      std::memcpy(bytes.data() + i, &v, sizeof v);
    }
    return t;
  }

private:
  std::uint64_t state_;
};

} // namespace

int main(int argc, char** argv) {
  std::int64_t blocks = 6667, channels = 8;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto number = [&](std::int64_t& target) {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a number");
      target = std::stoll(argv[++i]);
      if (target <= 0) throw std::invalid_argument(a + " must be positive");
    };
    try {
      if (a == "--blocks") number(blocks);
      else if (a == "--channels") number(channels);
      else if (a == "-h" || a == "--help") {
        std::cout << "usage: make_chain [--blocks N] [--channels C] out.onnx\n";
        return 0;
      } else if (!a.empty() && a.front() == '-') throw std::invalid_argument("unknown option " + a);
      else path = a;
    } catch (const std::exception& e) {
      std::cerr << "[ ERROR ]  " << e.what() << "\n";
      return 2;
    }
  }
  if (path.empty()) {
    std::cerr << "usage: make_chain [--blocks N] [--channels C] out.onnx\n";
    return 2;
  }
  try {
    irforge::onnx::model_builder m("conv_bn_relu_chain");
    m.opset("", 13).producer("irforge-benchmarks", "1");
    m.input("data", irforge::element_type::f32, {1, channels, 8, 8});
    weight_generator w(20261129);
    std::uint64_t parameters = 0;
    auto weights = [&](irforge::shape dims, float scale, float offset = 0.0f) {
      irforge::tensor t = w.make(std::move(dims), scale, offset);
      parameters += t.element_count();
      return t;
    };
    const float conv_scale = std::sqrt(3.0f / static_cast<float>(channels * 9));
    std::string x = "data";
    for (std::int64_t b = 0; b < blocks; ++b) {
      const std::string p = "block" + std::to_string(b);
      m.initializer(p + ".conv.weight", weights({channels, channels, 3, 3}, conv_scale));
      m.node("Conv", {x, p + ".conv.weight"}, {p + ".conv"}, p + ".conv")
          .ints("kernel_shape", {3, 3})
          .ints("pads", {1, 1, 1, 1});
      m.initializer(p + ".bn.weight", weights({channels}, 0.2f, 1.0f));
      m.initializer(p + ".bn.bias", weights({channels}, 0.1f));
      m.initializer(p + ".bn.running_mean", weights({channels}, 0.1f));
      m.initializer(p + ".bn.running_var", weights({channels}, 0.2f, 1.0f));
      m.node("BatchNormalization",
             {p + ".conv", p + ".bn.weight", p + ".bn.bias", p + ".bn.running_mean", p + ".bn.running_var"},
             {p + ".bn"}, p + ".bn")
          .f("epsilon", 1e-5f);
      m.node("Relu", {p + ".bn"}, {p + ".relu"}, p + ".relu");
      x = p + ".relu";
    }
    m.node("Identity", {x}, {"output"}, "output");
    m.output("output", irforge::element_type::f32, {1, channels, 8, 8});
    m.save(path);
    std::cout << "wrote " << path << ": " << parameters << " parameters, " << blocks * channels
              << " batch-norm channels, " << m.node_count() << " nodes\n";
  } catch (const std::exception& e) {
    std::cerr << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
  return 0;
}
