// irforge — shapes: static (`shape`) and partially known (`partial_shape`).
//
// A `dimension` is an interval [min, max]; max == -1 means unbounded. A static
// dimension has min == max. A `partial_shape` may also have a dynamic rank.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/error.hpp"

namespace irforge {

/// A fully known shape. Dimensions are non-negative.
using shape = std::vector<std::int64_t>;

/// Number of elements of a static shape; an error on overflow or negative dims.
inline std::uint64_t element_count(const shape& s) {
  std::uint64_t n = 1;
  for (std::int64_t d : s) {
    if (d < 0) throw error("negative dimension " + std::to_string(d) + " in a static shape");
    if (d != 0 && n > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(d))
      throw error("element count of shape overflows 64 bits");
    n *= static_cast<std::uint64_t>(d);
  }
  return n;
}

class dimension {
public:
  static constexpr std::int64_t unbounded = -1;

  constexpr dimension() = default; ///< fully dynamic
  constexpr dimension(std::int64_t value) : min_(value < 0 ? 0 : value), max_(value < 0 ? unbounded : value) {}
  constexpr dimension(std::int64_t min, std::int64_t max) : min_(min < 0 ? 0 : min), max_(max) {}
  static constexpr dimension dynamic() { return {}; }

  [[nodiscard]] constexpr bool is_static() const { return min_ == max_; }
  [[nodiscard]] constexpr bool is_dynamic() const { return !is_static(); }
  [[nodiscard]] constexpr std::int64_t min() const { return min_; }
  [[nodiscard]] constexpr std::int64_t max() const { return max_; }
  /// The value of a static dimension; -1 for a dynamic one.
  [[nodiscard]] constexpr std::int64_t value_or_minus_one() const { return is_static() ? min_ : -1; }
  [[nodiscard]] std::int64_t value() const {
    if (!is_static()) throw error("dimension is dynamic, a static value was required");
    return min_;
  }

  /// True when some value fits both.
  [[nodiscard]] constexpr bool compatible(const dimension& o) const {
    const std::int64_t lo = min_ > o.min_ ? min_ : o.min_;
    const std::int64_t hi = max_ == unbounded ? o.max_ : (o.max_ == unbounded ? max_ : (max_ < o.max_ ? max_ : o.max_));
    return hi == unbounded || lo <= hi;
  }
  /// Intersection of two compatible dimensions.
  [[nodiscard]] constexpr dimension merged(const dimension& o) const {
    const std::int64_t lo = min_ > o.min_ ? min_ : o.min_;
    const std::int64_t hi = max_ == unbounded ? o.max_ : (o.max_ == unbounded ? max_ : (max_ < o.max_ ? max_ : o.max_));
    return {lo, hi};
  }

  friend constexpr bool operator==(const dimension&, const dimension&) = default;

  /// "5", "?", "1..10", "2..", "..8" (the IR Parameter spelling).
  [[nodiscard]] std::string to_string() const {
    if (is_static()) return std::to_string(min_);
    if (min_ == 0 && max_ == unbounded) return "?";
    std::string s = min_ > 0 ? std::to_string(min_) : std::string();
    s += "..";
    if (max_ != unbounded) s += std::to_string(max_);
    return s;
  }

private:
  std::int64_t min_ = 0;
  std::int64_t max_ = unbounded;
};

class partial_shape {
public:
  partial_shape() = default; ///< rank 0 (a scalar)
  partial_shape(std::initializer_list<dimension> dims) : dims_(dims) {}
  explicit partial_shape(std::vector<dimension> dims) : dims_(std::move(dims)) {}
  partial_shape(const shape& s) : dims_(s.begin(), s.end()) {}
  static partial_shape dynamic_rank() {
    partial_shape p;
    p.rank_dynamic_ = true;
    return p;
  }
  /// Rank known, every dimension dynamic.
  static partial_shape dynamic_of_rank(std::size_t rank) { return partial_shape(std::vector<dimension>(rank)); }

  [[nodiscard]] bool rank_is_static() const { return !rank_dynamic_; }
  [[nodiscard]] std::size_t rank() const {
    if (rank_dynamic_) throw error("rank is dynamic, a static rank was required");
    return dims_.size();
  }
  [[nodiscard]] bool is_static() const {
    if (rank_dynamic_) return false;
    for (const auto& d : dims_)
      if (!d.is_static()) return false;
    return true;
  }
  [[nodiscard]] const std::vector<dimension>& dims() const { return dims_; }
  [[nodiscard]] std::vector<dimension>& dims() { return dims_; }
  [[nodiscard]] const dimension& operator[](std::size_t i) const { return dims_.at(i); }
  [[nodiscard]] dimension& operator[](std::size_t i) { return dims_.at(i); }

  /// The static shape; an error if any dimension (or the rank) is dynamic.
  [[nodiscard]] shape to_shape() const {
    if (!is_static()) throw error("shape " + to_string() + " is not static");
    shape s;
    s.reserve(dims_.size());
    for (const auto& d : dims_) s.push_back(d.min());
    return s;
  }

  [[nodiscard]] bool compatible(const partial_shape& o) const {
    if (rank_dynamic_ || o.rank_dynamic_) return true;
    if (dims_.size() != o.dims_.size()) return false;
    for (std::size_t i = 0; i < dims_.size(); ++i)
      if (!dims_[i].compatible(o.dims_[i])) return false;
    return true;
  }

  friend bool operator==(const partial_shape&, const partial_shape&) = default;

  /// "[1,3,?,224]" for messages; "[...]" for dynamic rank.
  [[nodiscard]] std::string to_string() const {
    if (rank_dynamic_) return "[...]";
    std::string s = "[";
    for (std::size_t i = 0; i < dims_.size(); ++i) { if (i) s += ","; s += dims_[i].to_string(); }
    return s + "]";
  }

private:
  std::vector<dimension> dims_;
  bool rank_dynamic_ = false;
};

/// Normalises a possibly negative axis against `rank`; an error when out of range.
inline std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, std::string_view what = "axis") {
  const std::int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw error(std::string(what) + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return a;
}

} // namespace irforge
