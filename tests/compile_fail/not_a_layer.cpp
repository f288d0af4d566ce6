// expect: T is not a layer type
#include <irforge/pattern/pattern.hpp>
using namespace irforge::pattern;
struct NotAnOp {};
constexpr auto p = op<NotAnOp>();
