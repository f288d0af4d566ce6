// expect: the rewrite must be callable as bool(const auto& match, irforge::graph& g)
#include <irforge/ops/unary_elementwise.hpp>
#include <irforge/passes/rule.hpp>
using namespace irforge::pattern;
constexpr auto r = irforge::rule<"NoResult">(op<irforge::ops::Relu>(any<"x">), [](const auto&) {});
