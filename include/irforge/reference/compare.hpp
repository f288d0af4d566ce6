// irforge — comparing tensors: the numbers behind "the same outputs".
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "irforge/core/tensor.hpp"

namespace irforge::reference {

struct comparison {
  bool same_type = true;
  bool same_shape = true;
  double max_abs_error = 0;   ///< max |actual - expected|
  double max_rel_error = 0;   ///< max |actual - expected| / |expected| over expected != 0
  std::uint64_t mismatches = 0; ///< elements outside atol + rtol * |expected|
  std::uint64_t first_mismatch = 0;
  double first_actual = 0, first_expected = 0;

  [[nodiscard]] bool ok() const { return same_type && same_shape && mismatches == 0; }
  [[nodiscard]] std::string describe() const {
    if (!same_type) return "element types differ";
    if (!same_shape) return "shapes differ";
    std::string s = "max abs error " + std::to_string(max_abs_error) + ", max rel error " + std::to_string(max_rel_error);
    if (mismatches)
      s += "; " + std::to_string(mismatches) + " elements out of tolerance, first at " + std::to_string(first_mismatch) +
           ": " + std::to_string(first_actual) + " vs " + std::to_string(first_expected);
    return s;
  }
};

/// Element-wise comparison with NumPy's allclose rule |a - e| <= atol + rtol * |e|;
/// NaN matches NaN, infinities must match exactly, integers and booleans exactly.
inline comparison compare(const tensor& actual, const tensor& expected, double rtol = 1e-5, double atol = 1e-8) {
  comparison c;
  c.same_type = actual.type() == expected.type();
  c.same_shape = actual.dims() == expected.dims();
  if (!c.same_type || !c.same_shape) return c;
  const bool exact = !is_float(actual.type());
  if (actual.type() == element_type::i64 || actual.type() == element_type::u64) { // beyond double's 53 bits
    const auto a = actual.as_i64(), e = expected.as_i64();
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != e[i]) {
        if (c.mismatches++ == 0) {
          c.first_mismatch = i;
          c.first_actual = static_cast<double>(a[i]);
          c.first_expected = static_cast<double>(e[i]);
        }
        c.max_abs_error = std::max(c.max_abs_error, std::fabs(static_cast<double>(a[i]) - static_cast<double>(e[i])));
      }
    return c;
  }
  const auto a = actual.as_f64();
  const auto e = expected.as_f64();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = a[i], y = e[i];
    bool good;
    double diff = 0;
    if (std::isnan(x) || std::isnan(y)) {
      good = std::isnan(x) && std::isnan(y);
    } else if (std::isinf(x) || std::isinf(y)) {
      good = x == y;
    } else {
      diff = std::fabs(x - y);
      good = exact ? x == y : diff <= atol + rtol * std::fabs(y);
      c.max_abs_error = std::max(c.max_abs_error, diff);
      if (y != 0) c.max_rel_error = std::max(c.max_rel_error, diff / std::fabs(y));
    }
    if (!good) {
      if (c.mismatches == 0) {
        c.first_mismatch = i;
        c.first_actual = x;
        c.first_expected = y;
      }
      ++c.mismatches;
    }
  }
  return c;
}

} // namespace irforge::reference
