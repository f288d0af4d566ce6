// Test support: small helpers several test files share.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/core/op.hpp"
#include "irforge/core/tensor.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::test {

/// Op types and counts of a graph, leaving out Parameter, Result and Const.
inline std::map<std::string, int> op_counts(const graph& g) {
  std::map<std::string, int> counts;
  for (node_id n : g.nodes()) {
    const std::string type(g.node(n).op.type_name());
    if (type != "Parameter" && type != "Result" && type != "Const") ++counts[type];
  }
  return counts;
}

/// The message of the irforge::error `f` throws (the test fails if it throws none).
template <class F> std::string error_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const irforge::error& e) {
    return e.what();
  }
  FAIL("no irforge::error was thrown");
  return {};
}

/// Runs `op` on `in` as the evaluator does: infer on the actual inputs (values
/// known), then the kernel into freshly allocated outputs.
template <class Op> std::vector<tensor> run_kernel(const Op& op, const std::vector<tensor>& in) {
  std::vector<value_info> actual(in.size());
  std::vector<const value_info*> ptrs;
  for (std::size_t k = 0; k < in.size(); ++k) {
    actual[k] = {in[k].type(), partial_shape(in[k].dims()), std::make_shared<const tensor>(in[k])};
    ptrs.push_back(&actual[k]);
  }
  infer_context ictx(ptrs, "n", Op::type_name);
  op.infer(ictx);
  reference::kernel_context kctx(in, std::move(ictx.outputs()), "n", Op::type_name);
  reference::kernel<Op>::run(op, kctx);
  return kctx.take_outputs();
}

} // namespace irforge::test
