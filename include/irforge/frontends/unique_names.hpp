// irforge — node names a frontend hands out: each once. A wanted name that is
// taken gets the first free "_1", "_2" ... suffix, so IR layer names stay
// unique and traceable to the source layer they start with.
#pragma once

#include <string>
#include <unordered_set>

namespace irforge::frontends {

/// Claims `wanted` (or its first free suffixed form) in `used` and returns it.
inline std::string claim_unique_name(std::string wanted, std::unordered_set<std::string>& used) {
  if (used.insert(wanted).second) return wanted;
  for (std::size_t k = 1;; ++k) {
    std::string candidate = wanted + "_" + std::to_string(k);
    if (used.insert(candidate).second) return candidate;
  }
}

} // namespace irforge::frontends
