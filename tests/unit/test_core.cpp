// Core: element types, f16, shapes, tensors, attribute text, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "irforge/core/attribute.hpp"
#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/half.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/core/tensor.hpp"

using namespace irforge;

namespace test_core_tests {  // unity-build scope: file-local helpers stay apart

TEST_CASE("element types have both IR spellings") {
  CHECK(to_string(element_type::f32) == "f32");
  CHECK(precision_name(element_type::f32) == "FP32");
  CHECK(precision_name(element_type::boolean) == "BOOL");
  CHECK(precision_name(element_type::u1) == "BIN");
  CHECK(parse_element_type("FP16") == element_type::f16);
  CHECK(parse_element_type("i64") == element_type::i64);
  CHECK(parse_element_type("float") == element_type::f32);
  CHECK(parse_element_type("bool") == element_type::boolean);
  CHECK_FALSE(parse_element_type("f33"));
  CHECK_THROWS_WITH_AS(element_type_from_string("f33"), "unknown element type 'f33'", error);
  CHECK(byte_size(element_type::f32, 3) == 12);
  CHECK(byte_size(element_type::u4, 3) == 2);
  CHECK(byte_size(element_type::u1, 9) == 2);
  CHECK(is_integral(element_type::u8));
  CHECK_FALSE(is_integral(element_type::boolean));
}

TEST_CASE("f16 conversion rounds to nearest even and saturates to inf") {
  CHECK(f32_to_f16_bits(1.0f) == 0x3c00);
  CHECK(f32_to_f16_bits(-2.0f) == 0xc000);
  CHECK(f32_to_f16_bits(65504.0f) == 0x7bff);
  CHECK(f32_to_f16_bits(65520.0f) == 0x7c00);
  CHECK(f32_to_f16_bits(1e-8f) == 0x0000);
  CHECK(f32_to_f16_bits(5.960464477539063e-08f) == 0x0001); // smallest subnormal
  CHECK(f32_to_f16_bits(std::numeric_limits<float>::infinity()) == 0x7c00);
  CHECK(std::isnan(f16_bits_to_f32(f32_to_f16_bits(std::numeric_limits<float>::quiet_NaN()))));
  // every f16 value survives f16 -> f32 -> f16
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    const float f = f16_bits_to_f32(bits);
    if (std::isnan(f)) continue;
    REQUIRE(f32_to_f16_bits(f) == bits);
  }
  CHECK(f32_to_f16_bits(1.0f + 1.0f / 2048) == 0x3c00);     // tie -> even
  CHECK(f32_to_f16_bits(1.0f + 3.0f / 2048) == 0x3c02);     // tie -> even (up)
  CHECK(bf16_bits_to_f32(f32_to_bf16_bits(1.5f)) == 1.5f);
}

TEST_CASE("dimensions and partial shapes") {
  dimension d(5), any, range(1, 10);
  CHECK(d.is_static());
  CHECK(any.is_dynamic());
  CHECK(range.to_string() == "1..10");
  CHECK(any.to_string() == "?");
  CHECK(dimension(2, dimension::unbounded).to_string() == "2..");
  CHECK(d.compatible(range));
  CHECK_FALSE(dimension(11).compatible(range));
  partial_shape p{1, 3, dimension(), 224};
  CHECK(p.to_string() == "[1,3,?,224]");
  CHECK_FALSE(p.is_static());
  CHECK(p.compatible(partial_shape{1, 3, 7, 224}));
  CHECK_THROWS_AS((void)p.to_shape(), error);
  CHECK(partial_shape(shape{2, 3}).to_shape() == shape{2, 3});
  CHECK(partial_shape::dynamic_rank().to_string() == "[...]");
  CHECK(element_count({2, 3, 4}) == 24);
  CHECK(element_count({}) == 1);
  CHECK_THROWS_AS(element_count({std::numeric_limits<std::int64_t>::max(), 4}), error);
  CHECK(normalize_axis(-1, 4) == 3);
  CHECK_THROWS_AS(normalize_axis(4, 4), error);
}

TEST_CASE("tensors own or view bytes and check sizes") {
  auto t = tensor::from_values<float>({2, 2}, {1, 2, 3, 4});
  CHECK(t.type() == element_type::f32);
  CHECK(t.bytes().size() == 16);
  CHECK(t.at<float>(3) == 4.0f);
  CHECK(t.as_i64() == std::vector<std::int64_t>{1, 2, 3, 4});
  CHECK_THROWS_AS(tensor::from_values<float>({3}, {1, 2}), error);
  CHECK_THROWS_AS((void)t.values<std::int32_t>(), error);

  auto backing = std::make_shared<std::vector<std::byte>>(9);
  (*backing)[1] = std::byte{7}; // an unaligned int64 view
  auto v = tensor::view(element_type::i64, {1}, std::span<const std::byte>(backing->data() + 1, 8), backing);
  CHECK(v.at<std::int64_t>(0) == 7);
  CHECK_THROWS_AS((void)v.mutable_bytes(), error);
  CHECK_THROWS_AS(tensor::view(element_type::i64, {2}, std::span<const std::byte>(backing->data(), 9), backing), error);
  auto c = v.copy();
  c.mutable_bytes()[0] = std::byte{9};
  CHECK(c.at<std::int64_t>(0) == 9);
  CHECK(v.at<std::int64_t>(0) == 7);
  CHECK(tensor::scalar<std::int64_t>(5).dims().empty());
  CHECK(tensor::from_values<float>({2}, {1, 2}).same_content(tensor::from_values<float>({2}, {1, 2})));
  auto h = tensor::from_values<std::uint16_t>({1}, {f32_to_f16_bits(2.5f)});
  CHECK(h.type() == element_type::u16);
}

TEST_CASE("attribute text round trips") {
  CHECK(attr::format(std::vector<std::int64_t>{2, 2}) == "2, 2");
  CHECK(attr::format(0.45f) == "0.44999998807907104");
  CHECK(attr::format(true) == "true");
  CHECK(attr::format(std::vector<float>{0.5f, 1.0f / 3}) == "0.5, 0.33333334");
  std::vector<std::int64_t> ints;
  attr::parse("1,2, 3", ints);
  CHECK(ints == std::vector<std::int64_t>{1, 2, 3});
  attr::parse("", ints);
  CHECK(ints.empty());
  bool b = false;
  attr::parse("True", b);
  CHECK(b);
  float f = 0;
  attr::parse(attr::format(0.1f), f);
  CHECK(f == 0.1f);
  std::vector<float> fs;
  attr::parse(attr::format(std::vector<float>{0.1f, 1e-7f, 3e38f}), fs);
  CHECK(fs == std::vector<float>{0.1f, 1e-7f, 3e38f});
  partial_shape p;
  attr::parse("?,3,1..10,224", p);
  CHECK(attr::format(p) == "?,3,1..10,224");
  attr::parse("-1,3", p);
  CHECK(p.to_string() == "[?,3]");
  attr::parse("", p);
  CHECK(p.rank() == 0);
  std::int64_t i = 0;
  CHECK_THROWS_WITH_AS(attr::parse("3x", i), "cannot read '3x' as an integer", error);
}

TEST_CASE("errors say where") {
  error e("bad thing", {.file = "m.onnx", .offset = 12, .node = "conv1", .op = "Conv"});
  CHECK(std::string(e.what()) == "m.onnx at byte 12, node 'conv1' (Conv): bad thing");
  error f("oops");
  f.with_file("x.xml").with_node("n", "Add");
  CHECK(std::string(f.what()) == "x.xml, node 'n' (Add): oops");
  f.with_file("y.xml"); // inner information wins
  CHECK(f.where().file == "x.xml");
}

} // namespace test_core_tests
