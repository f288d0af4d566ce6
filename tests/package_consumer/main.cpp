// Uses the installed headers: builds a graph and writes it as IR.
#include <iostream>

#include <irforge/ir/writer.hpp>
#include <irforge/ops/binary_elementwise.hpp>
#include <irforge/ops/parameter.hpp>
#include <irforge/ops/result.hpp>

int main() {
  irforge::graph g("consumer");
  auto x = g.add(irforge::ops::Parameter{irforge::partial_shape{2}, irforge::element_type::f32}, {}, "x");
  auto sum = g.add(irforge::ops::Add{}, {{x, 0}, {x, 0}}, "sum");
  g.add(irforge::ops::Result{}, {{sum, 0}}, "sum/sink_port_0");
  std::string xml;
  std::vector<std::byte> bin;
  std::cout << irforge::ir::serialize(g, xml, bin).layers << " layers\n";
}
