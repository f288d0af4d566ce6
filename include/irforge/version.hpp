// irforge — version.
#pragma once

#include <string_view>

#define IRFORGE_VERSION_MAJOR 0
#define IRFORGE_VERSION_MINOR 1
#define IRFORGE_VERSION_PATCH 0

namespace irforge {
inline constexpr std::string_view version_string = "0.1.0";
} // namespace irforge
