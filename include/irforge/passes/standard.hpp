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
//   irforge::pipeline(irforge::passes::standard_pipeline, my_rule).run(g);   // composed
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

namespace detail {
// A template (of nothing) so that IRFORGE_SEPARATE_COMPILATION can compile the
// pipeline's rules once (src/passes.cpp) instead of in every translation unit.
template <class = void> pipeline_report run_standard_pipeline(graph& g, const run_options& options) {
  return standard_pipeline.run(g, options);
}
} // namespace detail
#ifdef IRFORGE_SEPARATE_COMPILATION
extern template pipeline_report detail::run_standard_pipeline<void>(graph&, const run_options&);
#endif

/// The standard pipeline to run: `standard().run(g, options)`. (To compose it
/// with your own passes, use `standard_pipeline`: pipeline(standard_pipeline, my_rule).)
struct standard_runner {
  pipeline_report run(graph& g, const run_options& options = {}) const { return detail::run_standard_pipeline(g, options); }
};
inline constexpr standard_runner standard() { return {}; }

} // namespace irforge::passes
