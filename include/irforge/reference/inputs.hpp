// irforge — input data for evaluation: files (.npy, ONNX .pb) matched to a
// graph's inputs by name or position, and deterministic random inputs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/onnx/tensor_data.hpp"
#include "irforge/io/npy.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/reference/element.hpp"

namespace irforge::reference {

/// A .npy or serialized ONNX TensorProto (.pb) file.
inline tensor read_tensor(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".npy") return io::read_npy(path);
  if (ext == ".pb") return onnx::read_tensor_file(path);
  throw error("input data must be a .npy or an ONNX TensorProto .pb file", in_file(path));
}

/// Deterministic pseudo-random numbers (splitmix64).
class random_source {
public:
  explicit random_source(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [-1, 1).
  double uniform() { return static_cast<double>(next() >> 11) / static_cast<double>(1ull << 52) - 1.0; }

private:
  std::uint64_t state_;
};

/// A tensor of type `type` and shape `dims` with random values: floats in
/// [-1, 1), integers in [0, 4) (small, so they are valid indices), booleans.
inline tensor random_tensor(element_type type, const shape& dims, random_source& rng) {
  tensor t = tensor::allocate(type, dims);
  dispatch<types::all>(type, [&]<class T>() {
    auto bytes = t.mutable_bytes();
    T* p = reinterpret_cast<T*>(bytes.data());
    const std::size_t n = bytes.size() / sizeof(T);
    for (std::size_t i = 0; i < n; ++i) {
      if constexpr (is_floating_v<T>) p[i] = T(static_cast<compute_t<T>>(rng.uniform()));
      else if constexpr (std::is_same_v<T, boolean>) p[i] = boolean((rng.next() & 1) != 0);
      else p[i] = static_cast<T>(rng.next() % 4);
    }
  }, "random inputs");
  return t;
}

/// The concrete shape used for a Parameter when none is given: dynamic dims become 1.
inline shape concrete_shape(const partial_shape& p) {
  if (!p.rank_is_static()) throw error("an input of dynamic rank needs data");
  shape s;
  for (const auto& d : p.dims()) s.push_back(d.is_static() ? d.min() : (d.min() > 0 ? d.min() : 1));
  return s;
}

/// Inputs for `g` in Parameter order: files given as "path" (taken in order)
/// or "name=path" (matched by Parameter or tensor name); random data for the rest.
inline std::vector<tensor> gather_inputs(const graph& g, const std::vector<std::string>& specs, std::uint64_t seed) {
  const auto& params = g.parameters();
  std::vector<std::optional<tensor>> chosen(params.size());
  std::size_t next_positional = 0;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq != std::string::npos && !std::filesystem::exists(spec)) {
      const std::string name = spec.substr(0, eq);
      std::size_t k = 0;
      for (; k < params.size(); ++k) {
        const auto& names = g.port({params[k], 0}).names;
        if (g.node(params[k]).name == name || std::find(names.begin(), names.end(), name) != names.end()) break;
      }
      if (k == params.size()) throw error("--input " + spec + ": the model has no input '" + name + "'");
      chosen[k] = read_tensor(spec.substr(eq + 1));
    } else {
      while (next_positional < params.size() && chosen[next_positional]) ++next_positional;
      if (next_positional == params.size())
        throw error("--input " + spec + ": the model has only " + std::to_string(params.size()) + " inputs");
      chosen[next_positional++] = read_tensor(spec);
    }
  }
  random_source rng(seed);
  std::vector<tensor> out;
  for (std::size_t k = 0; k < params.size(); ++k) {
    const auto& p = g.node(params[k]).op.get<ops::Parameter>();
    out.push_back(chosen[k] ? *chosen[k] : random_tensor(p.element_type, concrete_shape(p.shape), rng));
  }
  return out;
}

} // namespace irforge::reference
