// The example model that ships in examples/models/small_cnn.onnx, written with
// irforge's own ONNX writer: a small image classifier (Conv+BatchNorm+ReLU,
// MaxPool, grouped Conv+ReLU6, global average pooling, Flatten, Gemm, Softmax)
// with deterministic pseudo-random weights. The tests rebuild it and check
// that the committed file is byte-identical.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <irforge/frontends/onnx/writer.hpp>

namespace irforge::examples {

/// splitmix64: a tiny deterministic generator (same numbers on every machine).
class weight_generator {
public:
  explicit weight_generator(std::uint64_t seed) : state_(seed) {}
  float uniform() { // [-1, 1)
    state_ += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<float>(static_cast<double>(z >> 40) / static_cast<double>(1ull << 23) - 1.0);
  }
  tensor make(shape dims, float scale, float offset = 0.0f) {
    std::vector<float> v(static_cast<std::size_t>(element_count(dims)));
    for (auto& x : v) x = offset + scale * uniform();
    return tensor::from_values<float>(std::move(dims), v);
  }

private:
  std::uint64_t state_;
};

inline onnx::model_builder small_cnn() {
  weight_generator w(20261129);
  onnx::model_builder m("small_cnn");
  m.opset("", 13).producer("irforge-examples", "1");
  m.input("image", element_type::f32, {1, 3, 32, 32});
  m.output("probabilities", element_type::f32, {1, 10});

  m.initializer("conv1.weight", w.make({8, 3, 3, 3}, 1.0f / std::sqrt(27.0f)));
  m.initializer("conv1.bias", w.make({8}, 0.1f));
  m.node("Conv", {"image", "conv1.weight", "conv1.bias"}, {"conv1"}, "conv1").ints("pads", {1, 1, 1, 1});

  m.initializer("bn1.scale", w.make({8}, 0.2f, 1.0f));
  m.initializer("bn1.bias", w.make({8}, 0.1f));
  m.initializer("bn1.mean", w.make({8}, 0.1f));
  m.initializer("bn1.var", w.make({8}, 0.2f, 1.0f));
  m.node("BatchNormalization", {"conv1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"}, {"bn1"}, "bn1")
      .f("epsilon", 1e-5f);
  m.node("Relu", {"bn1"}, {"relu1"}, "relu1");
  m.node("MaxPool", {"relu1"}, {"pool1"}, "pool1").ints("kernel_shape", {2, 2}).ints("strides", {2, 2});

  m.initializer("conv2.weight", w.make({16, 4, 3, 3}, 1.0f / 6.0f));
  m.initializer("conv2.bias", w.make({16}, 0.1f));
  m.node("Conv", {"pool1", "conv2.weight", "conv2.bias"}, {"conv2"}, "conv2")
      .ints("pads", {1, 1, 1, 1})
      .i("group", 2);
  m.initializer("relu6.min", tensor::scalar<float>(0.0f));
  m.initializer("relu6.max", tensor::scalar<float>(6.0f));
  m.node("Clip", {"conv2", "relu6.min", "relu6.max"}, {"relu6"}, "relu6");

  m.node("GlobalAveragePool", {"relu6"}, {"pooled"}, "gap");
  m.node("Flatten", {"pooled"}, {"features"}, "flatten").i("axis", 1);
  m.initializer("fc.weight", w.make({10, 16}, 0.25f));
  m.initializer("fc.bias", w.make({10}, 0.1f));
  m.node("Gemm", {"features", "fc.weight", "fc.bias"}, {"logits"}, "fc").i("transB", 1);
  m.node("Softmax", {"logits"}, {"probabilities"}, "softmax").i("axis", 1);
  return m;
}

} // namespace irforge::examples
