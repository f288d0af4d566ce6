// irforge — the standard op set: every op the library knows, as one
// compile-time list. The IR reader's registry and the frontends use it; a
// user extends it with `ops::standard::with<MyLayer>`.
#pragma once

#include "irforge/ops/binary_elementwise.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/ops/parameter.hpp"
#include "irforge/ops/result.hpp"

namespace irforge::ops {

using standard = op_set<Parameter, Result, Constant,
                        // binary elementwise
                        Add, Subtract, Multiply, Divide, Power, Maximum, Minimum, SquaredDifference, FloorMod, Mod,
                        Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual, LogicalAnd, LogicalOr, LogicalXor>;

} // namespace irforge::ops
