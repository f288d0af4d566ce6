// Precompiled header of the Meson test build (CMake uses target_precompile_headers).
#include <doctest/doctest.h>
#include <irforge/irforge.hpp>
