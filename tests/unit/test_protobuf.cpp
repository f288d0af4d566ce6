// The protobuf wire-format reader and writer: hand-made encodings, limits, errors, round trips.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "irforge/io/protobuf_reader.hpp"
#include "irforge/io/protobuf_writer.hpp"

using namespace irforge;
using io::protobuf_field;
using io::protobuf_reader;
using io::protobuf_writer;
using io::wire_type;

namespace test_protobuf_tests {  // unity-build scope: file-local helpers stay apart

namespace {
std::vector<std::byte> bytes_of(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int x : v) out.push_back(static_cast<std::byte>(x));
  return out;
}

// Runs f and returns the irforge::error it throws (fails the test if none).
template <class F> error error_of(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e;
  }
  FAIL("no irforge::error was thrown");
  return error("");
}
} // namespace

TEST_CASE("protobuf reader: varints of 1 and 10 bytes, field headers") {
  // Field 1, varint 150: the example of the protobuf encoding guide.
  const auto b = bytes_of({0x08, 0x96, 0x01});
  protobuf_reader r(b, "m.pb");
  protobuf_field f;
  REQUIRE(r.next(f));
  CHECK(f.number == 1);
  CHECK(f.type == wire_type::varint);
  CHECK(f.offset == 0);
  CHECK(r.read_varint() == 150);
  CHECK(r.at_end());
  CHECK_FALSE(r.next(f));

  const auto one = bytes_of({0x7f});
  protobuf_reader r1(one);
  CHECK(r1.read_varint() == 127);
  CHECK(r1.at_end());

  // -1 as int64: ten bytes, the last one 0x01.
  const auto ten = bytes_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  protobuf_reader r10(ten);
  CHECK(r10.read_int64() == -1);
  CHECK(r10.offset() == 10);
  protobuf_reader r10u(ten);
  CHECK(r10u.read_varint() == std::numeric_limits<std::uint64_t>::max());
  // The same value near the end of the data (the bounds-checked slow path).
  auto tail = bytes_of({0x08});
  tail.insert(tail.end(), ten.begin(), ten.end());
  protobuf_reader rt(std::span<const std::byte>(tail).subspan(1));
  CHECK(rt.read_int64() == -1);

  // int32 -2 is written sign-extended (10 bytes) and read back truncated.
  const auto neg = bytes_of({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  protobuf_reader rn(neg);
  CHECK(rn.read_int32() == -2);
  // sint64 (zigzag): 3 -> -2.
  const auto zz = bytes_of({0x03});
  protobuf_reader rz(zz);
  CHECK(rz.read_sint64() == -2);
}

TEST_CASE("protobuf reader: bad varints are errors naming file and offset") {
  // 11 bytes: ten continuation bytes and a terminator.
  auto eleven = bytes_of({0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01});
  protobuf_reader r(eleven, "bad.onnx", 100);
  protobuf_field f;
  REQUIRE(r.next(f));
  auto e = error_of([&] { (void)r.read_varint(); });
  CHECK(e.where().file == "bad.onnx");
  CHECK(e.where().offset == 101u); // the base offset counts
  CHECK(std::string(e.what()).find("bad.onnx at byte 101") != std::string::npos);
  CHECK(std::string(e.what()).find("varint") != std::string::npos);

  // A tenth byte with more than the 64th bit.
  const auto overflow = bytes_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02});
  protobuf_reader ro(overflow);
  CHECK_THROWS_AS((void)ro.read_varint(), error);

  // Truncated: the data ends inside the varint (fast and slow paths).
  const auto truncated = bytes_of({0x08, 0x96});
  protobuf_reader rt(truncated, "t.pb");
  REQUIRE(rt.next(f));
  e = error_of([&] { (void)rt.read_varint(); });
  CHECK(e.where().offset == 1u);
  CHECK(std::string(e.message()).find("truncated varint") != std::string::npos);
  const auto only_continuations = bytes_of({0x80, 0x80, 0x80});
  protobuf_reader rc(only_continuations);
  CHECK_THROWS_AS((void)rc.read_varint(), error);
  const auto empty = std::vector<std::byte>{};
  protobuf_reader re(empty);
  CHECK_THROWS_AS((void)re.read_varint(), error);
}

TEST_CASE("protobuf reader: length-delimited fields are checked before use") {
  // Field 1, length 5, but only 2 bytes follow.
  const auto b = bytes_of({0x0a, 0x05, 'a', 'b'});
  protobuf_reader r(b, "short.pb", 1000);
  protobuf_field f;
  REQUIRE(r.next(f));
  CHECK(f.type == wire_type::length_delimited);
  auto e = error_of([&] { (void)r.read_string(); });
  CHECK(e.where().offset == 1001u); // where the length is
  CHECK(std::string(e.message()).find("length 5 exceeds the 2 bytes left") != std::string::npos);
  // The reader did not move: nothing was consumed by the failed read.
  protobuf_reader r2(b);
  REQUIRE(r2.next(f));
  CHECK_THROWS_AS((void)r2.read_message(), error);

  // A huge length (2^63) cannot overflow the offset arithmetic.
  const auto huge = bytes_of({0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 'x'});
  protobuf_reader rh(huge);
  REQUIRE(rh.next(f));
  CHECK_THROWS_AS((void)rh.read_bytes(), error);
  protobuf_reader rh2(huge);
  REQUIRE(rh2.next(f));
  CHECK_THROWS_AS(rh2.skip(f), error);

  // Exact fit, and an empty string.
  const auto ok = bytes_of({0x0a, 0x02, 'h', 'i', 0x12, 0x00});
  protobuf_reader r3(ok);
  REQUIRE(r3.next(f));
  CHECK(r3.read_string() == "hi");
  REQUIRE(r3.next(f));
  CHECK(f.number == 2);
  CHECK(r3.read_string().empty());
  CHECK(r3.at_end());

  // Truncated fixed32 / fixed64.
  const auto fx = bytes_of({0x0d, 0x01, 0x02});
  protobuf_reader r4(fx);
  REQUIRE(r4.next(f));
  CHECK(f.type == wire_type::fixed32);
  CHECK_THROWS_AS((void)r4.read_fixed32(), error);
  const auto fx64 = bytes_of({0x09, 1, 2, 3, 4, 5, 6, 7});
  protobuf_reader r5(fx64);
  REQUIRE(r5.next(f));
  CHECK_THROWS_AS(r5.skip(f), error);
}

TEST_CASE("protobuf reader: nested messages have absolute offsets") {
  // Field 1 { field 2: varint 7, field 3: "hi" }, then field 4: varint 1.
  const auto b = bytes_of({0x0a, 0x06, 0x10, 0x07, 0x1a, 0x02, 'h', 'i', 0x20, 0x01});
  protobuf_reader r(b, "n.pb", 50, "Outer");
  protobuf_field f;
  REQUIRE(r.next(f));
  protobuf_reader sub = r.read_message("Inner");
  CHECK(sub.base_offset() == 52u);
  CHECK(sub.message() == "Inner");
  REQUIRE(sub.next(f));
  CHECK(f.number == 2);
  CHECK(f.offset == 52u);
  CHECK(sub.read_varint() == 7);
  REQUIRE(sub.next(f));
  CHECK(f.number == 3);
  CHECK(f.offset == 54u);
  CHECK(sub.read_string() == "hi");
  CHECK_FALSE(sub.next(f));
  REQUIRE(r.next(f));
  CHECK(f.number == 4);
  CHECK(r.read_varint() == 1);

  // An error inside the sub-message names its absolute offset and the message.
  const auto bad = bytes_of({0x0a, 0x02, 0x10, 0x80});
  protobuf_reader rb(bad, "n.pb", 50, "Outer");
  REQUIRE(rb.next(f));
  auto sb = rb.read_message("Inner");
  REQUIRE(sb.next(f));
  auto e = error_of([&] { (void)sb.read_varint(); });
  CHECK(e.where().offset == 53u);
  CHECK(e.message().rfind("Inner: ", 0) == 0);
  // The inner length may not exceed the outer message even if the file goes on.
  const auto spill = bytes_of({0x0a, 0x02, 0x12, 0x05, 'a', 'b', 'c', 'd', 'e'});
  protobuf_reader rs(std::span<const std::byte>(spill).first(4));
  REQUIRE(rs.next(f));
  auto ss = rs.read_message();
  REQUIRE(ss.next(f));
  CHECK_THROWS_AS((void)ss.read_bytes(), error);
}

TEST_CASE("protobuf reader: packed and unpacked repeated fields") {
  // Field 1 packed varints {1, 150, 2}, then field 1 unpacked 3: all append to one list.
  const auto b = bytes_of({0x0a, 0x04, 0x01, 0x96, 0x01, 0x02, 0x08, 0x03});
  protobuf_reader r(b);
  std::vector<std::int64_t> v;
  protobuf_field f;
  while (r.next(f)) r.read_repeated_varint(f, v);
  CHECK(v == std::vector<std::int64_t>{1, 150, 2, 3});

  // Packed floats 1.5f, -2.0f; then one unpacked float 0.25f.
  protobuf_writer w;
  w.packed_fixed_field(2, std::vector<float>{1.5f, -2.0f});
  w.float_field(2, 0.25f);
  w.packed_fixed_field(3, std::vector<double>{3.25, -1e300});
  w.double_field(3, 7.0);
  const auto enc = w.bytes();
  CHECK(enc.size() == 2 + 8 + 5 + 2 + 16 + 9);
  protobuf_reader rf(enc);
  std::vector<float> floats;
  std::vector<double> doubles;
  while (rf.next(f)) {
    if (f.number == 2) rf.read_repeated_float(f, floats);
    else rf.read_repeated_double(f, doubles);
  }
  CHECK(floats == std::vector<float>{1.5f, -2.0f, 0.25f});
  CHECK(doubles == std::vector<double>{3.25, -1e300, 7.0});

  // A packed float payload that is not a multiple of 4 bytes.
  const auto bad = bytes_of({0x12, 0x07, 0, 0, 0x80, 0x3f, 0, 0, 0});
  protobuf_reader rb(bad);
  REQUIRE(rb.next(f));
  CHECK_THROWS_AS(rb.read_repeated_float(f, floats), error);
  // A packed varint run whose last varint is cut.
  const auto cut = bytes_of({0x0a, 0x02, 0x01, 0x96});
  protobuf_reader rc(cut);
  REQUIRE(rc.next(f));
  CHECK_THROWS_AS(rc.read_repeated_varint(f, v), error);
  // Wrong wire type for a float list.
  const auto wrong = bytes_of({0x10, 0x01});
  protobuf_reader rw(wrong);
  REQUIRE(rw.next(f));
  CHECK_THROWS_AS(rw.read_repeated_float(f, floats), error);
}

TEST_CASE("protobuf reader: unknown fields are skipped; groups and bad tags rejected") {
  protobuf_writer w;
  w.varint_field(1, 5);
  w.fixed64_field(99, 0x1122334455667788u);
  w.fixed32_field(100, 0xdeadbeefu);
  w.string_field(101, "unknown");
  w.int64_field(536870911, -1); // the largest field number
  w.string_field(2, "kept");
  const auto b = w.bytes();
  protobuf_reader r(b);
  protobuf_field f;
  std::int64_t one = 0;
  std::string_view two;
  std::vector<std::uint32_t> skipped;
  while (r.next(f)) {
    if (f.number == 1) one = r.read_int64();
    else if (f.number == 2) two = r.read_string();
    else {
      skipped.push_back(f.number);
      r.skip(f);
    }
  }
  CHECK(one == 5);
  CHECK(two == "kept");
  CHECK(skipped == std::vector<std::uint32_t>{99, 100, 101, 536870911});

  for (int tag : {0x0b /* field 1, start group */, 0x0c /* end group */}) {
    const auto g = bytes_of({tag, 0x00});
    protobuf_reader rg(g, "g.pb", 7);
    auto e = error_of([&] { (void)rg.next(f); });
    CHECK(e.where().offset == 7u);
    CHECK(e.message().find("groups") != std::string::npos);
  }
  for (int tag : {0x0e /* wire type 6 */, 0x0f /* 7 */, 0x00 /* field 0 */, 0x02 /* field 0, LEN */}) {
    const auto g = bytes_of({tag, 0x00});
    protobuf_reader rg(g);
    CHECK_THROWS_AS((void)rg.next(f), error);
  }
  // A field number beyond 2^29 - 1 (tag 2^32 | varint).
  const auto big = bytes_of({0x80, 0x80, 0x80, 0x80, 0x10, 0x00});
  protobuf_reader rbig(big);
  CHECK_THROWS_AS((void)rbig.next(f), error);

  // expect() names the field and both wire types.
  const auto lenfield = bytes_of({0x0a, 0x00});
  protobuf_reader rx(lenfield, "x.pb", 0, "ModelProto");
  REQUIRE(rx.next(f));
  auto e = error_of([&] { rx.expect(f, wire_type::varint); });
  CHECK(e.message() == "ModelProto: field 1 has wire type length-delimited, expected varint");
}

TEST_CASE("protobuf writer: varint lengths and exact encodings") {
  struct sample {
    std::uint64_t value;
    std::size_t length;
  };
  for (auto [value, length] : std::vector<sample>{{0, 1},
                                                  {127, 1},
                                                  {128, 2},
                                                  {16383, 2},
                                                  {16384, 3},
                                                  {std::uint64_t{1} << 32, 5},
                                                  {std::uint64_t{1} << 63, 10},
                                                  {std::numeric_limits<std::uint64_t>::max(), 10}}) {
    protobuf_writer w;
    w.write_varint(value);
    CHECK(w.size() == length);
    const auto b = w.bytes();
    protobuf_reader r(b);
    CHECK(r.read_varint() == value);
    CHECK(r.at_end());
  }
  protobuf_writer w;
  w.varint_field(1, 150);
  CHECK(w.bytes() == bytes_of({0x08, 0x96, 0x01}));
  protobuf_writer n;
  n.int32_field(1, -1);
  CHECK(n.size() == 11); // tag + 10 bytes, as protobuf writes negative int32
  protobuf_writer s;
  s.string_field(2, "testing");
  CHECK(s.bytes() == bytes_of({0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'}));
  CHECK_THROWS_AS(s.varint_field(0, 1), error);
  CHECK_THROWS_AS(s.varint_field(1u << 29, 1), error);
}

TEST_CASE("protobuf writer -> reader round trip, with nested messages and referenced payloads") {
  std::vector<std::byte> big(10000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i * 7 + 3);

  protobuf_writer inner;
  inner.int64_field(1, -42);
  inner.sint64_field(2, -3);
  inner.bytes_field_view(3, big); // referenced, not copied
  inner.bool_field(4, true);
  inner.int32_field(5, -7);
  protobuf_writer middle;
  middle.string_field(1, "middle");
  middle.message_field(2, inner);
  middle.packed_varint_field(3, std::vector<std::int32_t>{-1, 0, 300});
  middle.packed_varint_field(4, std::vector<std::uint64_t>{std::numeric_limits<std::uint64_t>::max(), 1});
  protobuf_writer outer;
  outer.fixed32_field(1, 0x01020304u);
  outer.message_field(2, middle);
  outer.message_field(2, middle); // a referenced payload twice
  outer.double_field(3, -0.5);
  outer.float_field(4, 3.5f);
  outer.fixed64_field(5, 0x0102030405060708u);

  const auto b = outer.bytes();
  CHECK(b.size() == outer.size());
  CHECK(b.size() > 2 * big.size());
  std::ostringstream os;
  outer.write_to(os);
  CHECK(os.str().size() == b.size());
  CHECK(std::memcmp(os.str().data(), b.data(), b.size()) == 0);

  protobuf_reader r(b, "rt.pb");
  protobuf_field f;
  int middles = 0;
  while (r.next(f)) {
    switch (f.number) {
    case 1: CHECK(r.read_fixed32() == 0x01020304u); break;
    case 2: {
      ++middles;
      auto m = r.read_message();
      protobuf_field g;
      while (m.next(g)) {
        if (g.number == 1) CHECK(m.read_string() == "middle");
        else if (g.number == 2) {
          auto in = m.read_message();
          protobuf_field h;
          REQUIRE(in.next(h));
          CHECK(in.read_int64() == -42);
          REQUIRE(in.next(h));
          CHECK(in.read_sint64() == -3);
          REQUIRE(in.next(h));
          const auto payload = in.read_bytes();
          CHECK(payload.size() == big.size());
          CHECK(std::equal(payload.begin(), payload.end(), big.begin()));
          REQUIRE(in.next(h));
          CHECK(in.read_bool());
          REQUIRE(in.next(h));
          CHECK(in.read_int32() == -7);
          CHECK(in.at_end());
        } else if (g.number == 3) {
          std::vector<std::int32_t> v;
          m.read_repeated_varint(g, v);
          CHECK(v == std::vector<std::int32_t>{-1, 0, 300});
        } else {
          std::vector<std::uint64_t> v;
          m.read_repeated_varint(g, v);
          CHECK(v == std::vector<std::uint64_t>{std::numeric_limits<std::uint64_t>::max(), 1});
        }
      }
      break;
    }
    case 3: CHECK(r.read_double() == -0.5); break;
    case 4: CHECK(r.read_float() == 3.5f); break;
    case 5: CHECK(r.read_fixed64() == 0x0102030405060708u); break;
    default: FAIL("unexpected field");
    }
  }
  CHECK(middles == 2);
}

} // namespace test_protobuf_tests
