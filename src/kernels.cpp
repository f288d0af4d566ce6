// irforge, separately compiled (IRFORGE_SEPARATE_COMPILATION): the reference
// kernels of the standard op set, instantiated once here instead of in every
// translation unit that evaluates a graph or folds constants.
#include "irforge/reference/evaluator.hpp"

template const irforge::reference::kernel_registry& irforge::reference::kernels<irforge::ops::standard>();
