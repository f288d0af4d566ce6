// expect: two captures of the pattern have the same name
#include <irforge/ops/binary_elementwise.hpp>
#include <irforge/passes/rule.hpp>
using namespace irforge::pattern;
constexpr auto r = irforge::rule<"Twice">(op<irforge::ops::Add, "add">(any<"x">, any<"x">),
                                          [](const auto&, irforge::graph&) { return false; });
