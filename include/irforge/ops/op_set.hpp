// irforge — op sets: compile-time lists of layer types, and the runtime
// registry derived from them (the IR reader finds an op by type and version).
#pragma once

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/op.hpp"

namespace irforge {

/// A compile-time list of layer types. `standard::with<MyLayer>` extends one.
template <class... Ts> struct op_set {
  static_assert((check_layer<Ts>() && ...));
  template <class... Us> using with = op_set<Ts..., Us...>;
  static constexpr std::size_t size = sizeof...(Ts);
};

namespace detail {
template <class A, class B> struct op_set_concat;
template <class... As, class... Bs> struct op_set_concat<op_set<As...>, op_set<Bs...>> {
  using type = op_set<As..., Bs...>;
};
} // namespace detail

/// The union of two op sets (the second one's ops win on equal type/version).
template <class A, class B> using op_set_union = typename detail::op_set_concat<A, B>::type;

/// Finds ops by IR type name and version.
class op_registry {
public:
  struct entry {
    std::string_view type_name;
    std::string_view version;
    any_op (*make)();
  };

  void add(entry e) {
    // A later registration of the same type and version replaces the earlier one.
    for (auto& existing : entries_)
      if (existing.type_name == e.type_name && existing.version == e.version) {
        existing = e;
        return;
      }
    entries_.push_back(e);
  }

  /// The op registered for exactly (type, version), or else the newest one of
  /// that type from an older opset ("Add" of "opset5" is Add-1); null if none.
  [[nodiscard]] const entry* find(std::string_view type, std::string_view version) const {
    const entry* best = nullptr;
    const int wanted = opset_number(version);
    int best_number = -1;
    for (const auto& e : entries_) {
      if (e.type_name != type) continue;
      if (e.version == version) return &e;
      const int n = opset_number(e.version);
      if (wanted >= 0 && n >= 0 && n <= wanted && n > best_number) {
        best = &e;
        best_number = n;
      }
    }
    return best;
  }

  [[nodiscard]] const std::vector<entry>& entries() const { return entries_; }

  /// "opset8" -> 8; anything else -> -1.
  static int opset_number(std::string_view version) {
    if (!version.starts_with("opset")) return -1;
    int n = -1;
    auto [p, ec] = std::from_chars(version.data() + 5, version.data() + version.size(), n);
    return (ec == std::errc() && p == version.data() + version.size()) ? n : -1;
  }

private:
  std::vector<entry> entries_;
};

template <class Set> struct registry_of;
template <class... Ts> struct registry_of<op_set<Ts...>> {
  static const op_registry& get() {
    static const op_registry registry = [] {
      op_registry r;
      (r.add({Ts::type_name, Ts::version, [] { return any_op(Ts{}); }}), ...);
      return r;
    }();
    return registry;
  }
};

/// The registry of an op set, built once.
template <class Set> const op_registry& registry() { return registry_of<Set>::get(); }

} // namespace irforge
