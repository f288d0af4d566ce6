// irforge — a string usable as a template argument: capture and rule names.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace irforge {

template <std::size_t N> struct fixed_string {
  char data[N]{};
  constexpr fixed_string(const char (&s)[N]) { std::copy_n(s, N, data); }
  [[nodiscard]] constexpr std::string_view view() const { return {data, N - 1}; }
  [[nodiscard]] constexpr bool empty() const { return N <= 1; }
  template <std::size_t M> [[nodiscard]] constexpr bool equals(const fixed_string<M>& o) const { return view() == o.view(); }
};

} // namespace irforge
