// expect: captures have a value
#include <irforge/ops/unary_elementwise.hpp>
#include <irforge/passes/pipeline.hpp>
using namespace irforge::pattern;
constexpr auto r = irforge::rule<"Value">(op<irforge::ops::Relu>(any<"x">), [](const auto& m, irforge::graph&) {
  return value<"x">(m).element_count() > 0;
});
int main() {
  irforge::graph g;
  irforge::pipeline(r).run(g);
}
