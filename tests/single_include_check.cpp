// Compiled against single_include/ only: the amalgamation is complete.
#include <irforge/irforge.hpp>

static_assert(irforge::ops::standard::size > 100);

int irforge_single_include_check() { return irforge::cli::run({"--version"}, std::cout, std::cerr); }
