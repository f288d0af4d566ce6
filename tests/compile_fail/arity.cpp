// expect: the number of input patterns is not one that T accepts
#include <irforge/ops/convolution.hpp>
#include <irforge/pattern/pattern.hpp>
using namespace irforge::pattern;
constexpr auto p = op<irforge::ops::Convolution, "conv">(any<"x">); // Convolution takes 2 inputs
