// expect: the pattern has no capture with this name
#include <irforge/ops/binary_elementwise.hpp>
#include <irforge/passes/pipeline.hpp>
using namespace irforge::pattern;
constexpr auto r = irforge::rule<"Typo">(op<irforge::ops::Add, "add">(any<"x">, constant<"c">),
                                         [](const auto& m, irforge::graph&) { return out<"y">(m).index == 0; });
int main() {
  irforge::graph g;
  irforge::pipeline(r).run(g);
}
