// irforge, separately compiled (IRFORGE_SEPARATE_COMPILATION): the rules and
// passes of the standard optimisation pipeline.
#include "irforge/passes/standard.hpp"

template irforge::passes::pipeline_report
irforge::passes::detail::run_standard_pipeline<void>(irforge::graph&, const irforge::passes::run_options&);
