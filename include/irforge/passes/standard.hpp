// irforge — the standard optimisation pipeline (what `irforge` runs after
// importing a model, as Model Optimizer's default transformations do):
//
//   ConstantFolding -> NopElimination -> OpFusion -> LinearFusion
//   -> CommonSubexpressionElimination -> NopElimination -> ConstantFolding -> DeadCodeElimination
//
// OpFusion (Gelu, Swish, HSwish, Mish, NormalizeL2, MVN ... from their
// elementwise forms) runs before LinearFusion, whose rules would otherwise
// reshape the constants those patterns look for. --disable_fusing turns off
// LinearFusion only: as in Model Optimizer, recognising decomposed ops is not
// "fusing" in its sense and stays on (--disable_passes OpFusion turns it off).
//
//   irforge::passes::standard().run(g);                       // everything
//   irforge::passes::standard().run(g, {.disabled = {"LinearFusion"}});
#pragma once

#include "irforge/passes/common_subexpressions.hpp"
#include "irforge/passes/constant_folding.hpp"
#include "irforge/passes/dead_code_elimination.hpp"
#include "irforge/passes/linear_fusion.hpp"
#include "irforge/passes/nop_elimination.hpp"
#include "irforge/passes/op_fusions.hpp"
#include "irforge/passes/pipeline.hpp"

namespace irforge::passes {

/// The names --disable_fusing switches off.
inline constexpr std::string_view fusion_passes[] = {"LinearFusion"};

inline constexpr auto standard_pipeline =
    pipeline(constant_folding, nop_elimination, op_fusion, linear_fusion, common_subexpression_elimination, nop_elimination,
             constant_folding, dead_code_elimination);

/// The standard pipeline.
inline const auto& standard() { return standard_pipeline; }

} // namespace irforge::passes
