// irforge — Broadcast (opset3; opset1 in ops::v1) and Tile-1.
//
// Broadcast gives the data the shape of the `target_shape` input:
//   numpy         data axes align right and must be 1 or equal; output = target
//   bidirectional NumPy broadcast of data and target both ways (Expand in ONNX)
//   explicit      input 3 `axes_mapping` says which output axis each data axis
//                 becomes (increasing); output = target
// Tile repeats the data `repeats[i]` times along axis i (the shorter of the
// data shape and repeats is padded with leading 1s).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/op.hpp"
#include "irforge/ops/common_attributes.hpp"
#include "irforge/ops/shape_inference.hpp"
#include "irforge/ops/spatial.hpp"

namespace irforge::ops {

/// `mode` of Broadcast-3.
enum class broadcast_mode { numpy, explicit_, bidirectional };

} // namespace irforge::ops

namespace irforge {
template <> struct enum_strings<ops::broadcast_mode> {
  static constexpr std::array<std::pair<ops::broadcast_mode, std::string_view>, 4> values{{
      {ops::broadcast_mode::numpy, "numpy"},
      {ops::broadcast_mode::explicit_, "explicit"},
      {ops::broadcast_mode::bidirectional, "bidirectional"},
      {ops::broadcast_mode::explicit_, "none"}, // read-only alias (OpenVINO's BroadcastType::NONE)
  }};
};
} // namespace irforge

namespace irforge::ops {

namespace detail {
inline std::string broadcast_target_text(const std::vector<std::int64_t>& t) { return "[" + attr::format(t) + "]"; }

/// Broadcast's output shape for the modes (explicit needs input 2, axes_mapping).
inline void infer_broadcast(infer_context& ctx, broadcast_mode mode) {
  using namespace spatial;
  require_integral_input(ctx, 1, "target_shape");
  require_rank(ctx, 1, 1, "target_shape");
  const element_type type = ctx.input_type(0);
  const partial_shape& data = ctx.input_shape(0);
  const auto target = input_ints(ctx, 1);
  if (target)
    for (std::int64_t v : *target)
      if (v < 0) ctx.fail("target_shape " + broadcast_target_text(*target) + " has a negative dimension");

  if (mode == broadcast_mode::explicit_) {
    require_integral_input(ctx, 2, "axes_mapping");
    require_rank(ctx, 2, 1, "axes_mapping");
    if (const auto axes = input_ints(ctx, 2)) {
      if (data.rank_is_static() && axes->size() != data.rank() && !(data.rank() == 0 && axes->size() == 1))
        ctx.fail("axes_mapping [" + attr::format(*axes) + "] must have one entry per data axis (data " + str(data) +
                 ")");
      for (std::size_t i = 0; i < axes->size(); ++i) {
        const std::int64_t a = (*axes)[i];
        if (i > 0 && a <= (*axes)[i - 1])
          ctx.fail("axes_mapping [" + attr::format(*axes) + "] must be increasing (Broadcast does not transpose)");
        if (target && (a < 0 || a >= static_cast<std::int64_t>(target->size())))
          ctx.fail("axes_mapping [" + attr::format(*axes) + "] names axis " + std::to_string(a) +
                   ", but target_shape " + broadcast_target_text(*target) + " has rank " +
                   std::to_string(target->size()));
        if (target && data.rank_is_static() && data.rank() > 0) {
          const dimension& d = data[i];
          const std::int64_t t = (*target)[static_cast<std::size_t>(a)];
          if (!d.compatible(dimension(t)) && !d.compatible(dimension(1)))
            ctx.fail("data axis " + std::to_string(i) + " of " + str(data) + " (size " + d.to_string() +
                     ") cannot become axis " + std::to_string(a) + " of target_shape " +
                     broadcast_target_text(*target) + " (size " + std::to_string(t) + ")");
        }
      }
    }
  }

  if (!target) {
    const auto n = length_1d(ctx, 1);
    if (!n) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
    } else if (mode != broadcast_mode::bidirectional) {
      ctx.set_output(0, type, dynamic_of_rank(*n, ctx));
    } else if (!data.rank_is_static()) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
    } else {
      // Unknown target dims; a data dim other than 1 survives.
      const std::size_t rank = checked_rank(std::max(*n, data.rank()), ctx);
      std::vector<dimension> out(rank);
      for (std::size_t i = 0; i < data.rank(); ++i) {
        const dimension& d = data[i];
        if (d.is_static() && d.min() != 1) out[rank - data.rank() + i] = d;
      }
      ctx.set_output(0, type, partial_shape(std::move(out)));
    }
    return;
  }

  const partial_shape target_shape(*target);
  if (mode == broadcast_mode::bidirectional) {
    if (!data.rank_is_static()) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    const std::size_t rank = std::max(target->size(), data.rank());
    std::vector<dimension> out(rank);
    for (std::size_t i = 0; i < rank; ++i) {
      const bool has_d = i + data.rank() >= rank, has_t = i + target->size() >= rank;
      const dimension d = has_d ? data[i + data.rank() - rank] : dimension(1);
      const std::int64_t t = has_t ? (*target)[i + target->size() - rank] : 1;
      if (t == 1)
        out[i] = d;
      else if (d.is_static() && d.min() == 1)
        out[i] = dimension(t);
      else if (d.compatible(dimension(t)))
        out[i] = dimension(t);
      else
        ctx.fail("data " + str(data) + " does not broadcast with target_shape " + broadcast_target_text(*target) +
                 " (bidirectional): axis " + std::to_string(i) + " has " + d.to_string() + " vs " + std::to_string(t));
    }
    ctx.set_output(0, type, partial_shape(std::move(out)));
    return;
  }
  if (mode == broadcast_mode::numpy && data.rank_is_static()) {
    if (data.rank() > target->size())
      ctx.fail("target_shape " + broadcast_target_text(*target) + " has a smaller rank than the data " + str(data));
    const std::size_t offset = target->size() - data.rank();
    for (std::size_t i = 0; i < data.rank(); ++i) {
      const dimension& d = data[i];
      const std::int64_t t = (*target)[offset + i];
      if (!d.compatible(dimension(1)) && !d.compatible(dimension(t)))
        ctx.fail("data " + str(data) + " does not broadcast to " + broadcast_target_text(*target) + " (numpy): axis " +
                 std::to_string(i) + " has size " + d.to_string() + ", allowed are 1 and " + std::to_string(t));
    }
  }
  ctx.set_output(0, type, target_shape);
}
} // namespace detail

/// Broadcast-3: mode numpy (default), explicit (with axes_mapping) or bidirectional.
struct Broadcast {
  static constexpr std::string_view type_name = "Broadcast";
  static constexpr std::string_view version = "opset3";
  static constexpr arity inputs{2, 3};
  BOOST_HANA_DEFINE_STRUCT(Broadcast, (broadcast_mode, mode));
  Broadcast() : mode(broadcast_mode::numpy) {}
  explicit Broadcast(broadcast_mode m) : mode(m) {}

  void infer(infer_context& ctx) const {
    if (mode == broadcast_mode::explicit_ && ctx.input_count() != 3)
      ctx.fail("mode explicit needs the axes_mapping input (3 inputs), got " + std::to_string(ctx.input_count()));
    if (mode != broadcast_mode::explicit_ && ctx.input_count() != 2)
      ctx.fail("axes_mapping (input 3) is only allowed with mode explicit");
    detail::infer_broadcast(ctx, mode);
  }
};

namespace v1 {
/// Broadcast-1: mode numpy (default) or explicit (OpenVINO also writes it as
/// "none"); pdpd is not supported. With numpy a third input is ignored.
struct Broadcast {
  static constexpr std::string_view type_name = "Broadcast";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2, 3};
  BOOST_HANA_DEFINE_STRUCT(Broadcast, (broadcast_type, mode));
  Broadcast() : mode(broadcast_type::numpy) {}
  explicit Broadcast(broadcast_type m) : mode(m) {}

  void infer(infer_context& ctx) const {
    if (mode == broadcast_type::pdpd) ctx.fail("Broadcast-1 mode pdpd is not supported");
    const bool explicit_mode = mode == broadcast_type::explicit_ || mode == broadcast_type::none;
    if (explicit_mode && ctx.input_count() != 3)
      ctx.fail("mode explicit needs the axes_mapping input (3 inputs), got " + std::to_string(ctx.input_count()));
    ::irforge::ops::detail::infer_broadcast(ctx, explicit_mode ? broadcast_mode::explicit_ : broadcast_mode::numpy);
  }
};
} // namespace v1

/// Tile-1: data repeated along each axis by the `repeats` input.
struct Tile {
  static constexpr std::string_view type_name = "Tile";
  static constexpr std::string_view version = "opset1";
  static constexpr arity inputs{2};
  BOOST_HANA_DEFINE_STRUCT(Tile);

  void infer(infer_context& ctx) const {
    using namespace spatial;
    require_integral_input(ctx, 1, "repeats");
    require_rank(ctx, 1, 1, "repeats");
    const element_type type = ctx.input_type(0);
    const partial_shape& data = ctx.input_shape(0);
    const auto repeats = input_ints(ctx, 1);
    const auto n = length_1d(ctx, 1);
    if (!data.rank_is_static() || !n) {
      ctx.set_output(0, type, partial_shape::dynamic_rank());
      return;
    }
    const std::size_t rank = checked_rank(std::max(*n, data.rank()), ctx);
    if (!repeats) {
      ctx.set_output(0, type, partial_shape::dynamic_of_rank(rank));
      return;
    }
    std::vector<dimension> out(rank);
    for (std::size_t i = 0; i < rank; ++i) {
      const bool has_d = i + data.rank() >= rank, has_r = i + repeats->size() >= rank;
      const dimension d = has_d ? data[i + data.rank() - rank] : dimension(1);
      const std::int64_t r = has_r ? (*repeats)[i + repeats->size() - rank] : 1;
      if (r < 0) ctx.fail("repeats [" + attr::format(*repeats) + "] has a negative value");
      out[i] = multiply(d, dimension(r));
    }
    ctx.set_output(0, type, partial_shape(std::move(out)));
  }
};

} // namespace irforge::ops
