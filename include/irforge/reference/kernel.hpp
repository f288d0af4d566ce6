// irforge — what a reference kernel is and what it sees.
//
// A kernel for op T is a specialisation
//
//   template <> struct irforge::reference::kernel<ops::Relu> {
//     static void run(const ops::Relu& op, kernel_context& ctx);
//   };
//
// It reads its inputs (static shapes, known values) and writes its outputs,
// whose element types and shapes the op's own `infer` has already fixed for
// these inputs: `ctx.output(i)` is allocated and zero-filled. Kernels are
// naive and correct first; convolution and MatMul go through a blocked GEMM.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/error.hpp"
#include "irforge/core/op.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/reference/element.hpp"

namespace irforge::reference {

class kernel_context;

/// Specialise for each op type (see the files in reference/kernels/).
template <class Op> struct kernel;

/// True when op type T has a reference kernel.
template <class T>
concept has_kernel = requires(const T& op, kernel_context& ctx) { kernel<T>::run(op, ctx); };

class kernel_context {
public:
  kernel_context(std::span<const tensor> inputs, std::vector<value_info> outputs, std::string_view node_name,
                 std::string_view op_type)
      : inputs_(inputs), node_name_(node_name), op_type_(op_type) {
    outputs_.reserve(outputs.size());
    for (const auto& o : outputs) {
      if (o.type == element_type::dynamic) fail("output element type is not known");
      // An output whose size only the data decides (NonZero) is left empty:
      // the kernel must set it with set_output().
      outputs_.push_back(o.shape.is_static() ? tensor::allocate(o.type, o.shape.to_shape()) : tensor());
    }
  }

  [[nodiscard]] std::size_t input_count() const { return inputs_.size(); }
  [[nodiscard]] const tensor& input(std::size_t i) const {
    if (i >= inputs_.size()) fail("input " + std::to_string(i) + " is missing");
    return inputs_[i];
  }
  [[nodiscard]] const shape& input_shape(std::size_t i) const { return input(i).dims(); }
  [[nodiscard]] element_type input_type(std::size_t i) const { return input(i).type(); }

  /// Input i as typed elements. The tensor may be an unaligned view of a
  /// file; then a copy is made (kept until the kernel returns).
  template <class T> [[nodiscard]] std::span<const T> in(std::size_t i) {
    const tensor& t = input(i);
    if (bit_width(t.type()) != sizeof(T) * 8) fail("input " + std::to_string(i) + " read with a type of the wrong size");
    const auto bytes = t.bytes();
    const std::size_t n = bytes.size() / sizeof(T);
    if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(T) == 0)
      return {reinterpret_cast<const T*>(bytes.data()), n};
    auto copy = std::make_shared<std::vector<T>>(n);
    if (n) std::memcpy(copy->data(), bytes.data(), n * sizeof(T));
    keep_.push_back(copy);
    return {copy->data(), n};
  }
  /// Input i (an integer tensor of any width) as int64 values.
  [[nodiscard]] std::vector<std::int64_t> ints(std::size_t i) const { return input(i).as_i64(); }

  [[nodiscard]] std::size_t output_count() const { return outputs_.size(); }
  [[nodiscard]] tensor& output(std::size_t i) {
    if (i >= outputs_.size()) fail("output " + std::to_string(i) + " does not exist");
    return outputs_[i];
  }
  [[nodiscard]] const shape& output_shape(std::size_t i) { return output(i).dims(); }
  /// Output i as typed, writable elements (always aligned: freshly allocated).
  template <class T> [[nodiscard]] std::span<T> out(std::size_t i) {
    tensor& t = output(i);
    if (t.empty()) fail("output " + std::to_string(i) + " has a data-dependent shape: the kernel must set it");
    if (bit_width(t.type()) != sizeof(T) * 8) fail("output " + std::to_string(i) + " written with a type of the wrong size");
    auto bytes = t.mutable_bytes();
    return {reinterpret_cast<T*>(bytes.data()), bytes.size() / sizeof(T)};
  }
  /// Replaces output i (for kernels that produce a view or a differently sized tensor).
  void set_output(std::size_t i, tensor t) {
    if (i >= outputs_.size()) fail("output " + std::to_string(i) + " does not exist");
    outputs_[i] = std::move(t);
  }

  [[nodiscard]] std::vector<tensor> take_outputs() {
    for (std::size_t i = 0; i < outputs_.size(); ++i)
      if (outputs_[i].empty()) fail("the kernel did not produce output " + std::to_string(i));
    return std::move(outputs_);
  }
  [[nodiscard]] std::string_view node_name() const { return node_name_; }
  [[nodiscard]] std::string_view op_type() const { return op_type_; }

  [[noreturn]] void fail(const std::string& message) const {
    throw error(message, at_node(std::string(node_name_), std::string(op_type_)));
  }

private:
  std::span<const tensor> inputs_;
  std::vector<tensor> outputs_;
  std::string_view node_name_;
  std::string_view op_type_;
  std::vector<std::shared_ptr<void>> keep_;
};

// ---- indexing helpers shared by kernels ----------------------------------------------

/// Row-major strides of a shape (in elements).
inline std::vector<std::int64_t> strides_of(const shape& s) {
  std::vector<std::int64_t> st(s.size(), 1);
  for (std::size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

/// Strides of `in` when it is NumPy-broadcast to `out` (0 on broadcast axes).
inline std::vector<std::int64_t> broadcast_strides(const shape& in, const shape& out) {
  std::vector<std::int64_t> st(out.size(), 0);
  const auto own = strides_of(in);
  const std::size_t offset = out.size() - in.size();
  for (std::size_t i = 0; i < in.size(); ++i) st[offset + i] = in[i] == 1 ? 0 : own[i];
  return st;
}

/// Calls f(out_index, offset_0, offset_1, ...) for every element of `out`
/// with the offsets of each operand under NumPy broadcasting.
template <std::size_t N, class F>
void for_each_broadcast(const shape& out, const std::array<shape, N>& operands, F&& f) {
  const std::size_t rank = out.size();
  std::array<std::vector<std::int64_t>, N> st;
  for (std::size_t k = 0; k < N; ++k) st[k] = broadcast_strides(operands[k], out);
  const auto total = static_cast<std::int64_t>(element_count(out));
  if (total == 0) return;
  std::vector<std::int64_t> idx(rank, 0);
  std::array<std::int64_t, N> off{};
  for (std::int64_t i = 0; i < total; ++i) {
    f(i, off);
    // advance the multi-index and the operand offsets incrementally
    for (std::size_t d = rank; d-- > 0;) {
      ++idx[d];
      for (std::size_t k = 0; k < N; ++k) off[k] += st[k][d];
      if (idx[d] < out[d]) break;
      for (std::size_t k = 0; k < N; ++k) off[k] -= st[k][d] * idx[d];
      idx[d] = 0;
    }
  }
}

} // namespace irforge::reference
