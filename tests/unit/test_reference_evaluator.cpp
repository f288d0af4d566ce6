// The reference evaluator: a kernel for every op, input checking, .npy files,
// bit-exact IR round trips, and the `run` / `verify` commands.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "irforge/cli/main.hpp"
#include "irforge/frontends/onnx/load.hpp"
#include "irforge/io/npy.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/reference/inputs.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_reference_evaluator_tests {  // unity-build scope

TEST_CASE("reference: every op of the standard set has a kernel") {
  std::string missing;
  for (const auto& m : reference::kernels().missing()) missing += " " + m;
  CHECK_MESSAGE(missing.empty(), "ops without a reference kernel:" << missing);
}

TEST_CASE("reference: inputs that do not fit are clear errors naming both sides") {
  graph g;
  auto x = g.add(ops::Parameter{partial_shape{2, 3}, element_type::f32}, {}, "image");
  auto y = g.add(ops::Add{}, {{x, 0}, {x, 0}}, "twice");
  g.add(ops::Result{}, {{y, 0}}, "out");
  CHECK_THROWS_WITH_AS(reference::evaluate(g, {tensor::from_values<float>({3, 2}, {1, 2, 3, 4, 5, 6})}),
                       "node 'image' (Parameter): input 'image' has shape [2,3], the data given has shape [3,2]", error);
  CHECK_THROWS_WITH_AS(reference::evaluate(g, {tensor::from_values<std::int32_t>({2, 3}, {1, 2, 3, 4, 5, 6})}),
                       "node 'image' (Parameter): input 'image' is f32[2,3], the data given is i32[2,3]", error);
  CHECK_THROWS_WITH_AS(reference::evaluate(g, std::map<std::string, tensor>{}),
                       "node 'image' (Parameter): no data given for model input 'image'", error);
  const auto out = reference::evaluate(g, {tensor::from_values<float>({2, 3}, {1, 2, 3, 4, 5, 6})});
  CHECK(out[0].values<float>() == std::vector<float>{2, 4, 6, 8, 10, 12});
}

TEST_CASE("npy: write then read gives the same tensor; bad files are errors") {
  const auto dir = test::temp_dir("npy");
  for (const tensor& t : {tensor::from_values<float>({2, 3}, {1, 2, 3, 4, 5, 6}), tensor::scalar<std::int64_t>(-7),
                          tensor::from_values<std::uint8_t>({4}, {1, 2, 3, 250}),
                          tensor::from_values<bool>({2}, {true, false})}) {
    io::write_npy((dir / "t.npy").string(), t);
    const tensor back = io::read_npy((dir / "t.npy").string());
    CHECK(back.same_content(t));
    CHECK(fs::file_size(dir / "t.npy") % 64 == t.bytes().size() % 64); // header padded to 64 bytes
  }
  { std::ofstream(dir / "bad.npy") << "not numpy"; }
  CHECK_THROWS_WITH_AS(io::read_npy((dir / "bad.npy").string()), doctest::Contains("bad magic"), error);
  auto bytes = io::serialize_npy(tensor::from_values<float>({4}, {1, 2, 3, 4}));
  bytes.erase(bytes.end() - 3, bytes.end()); // (resize(size() - 3) draws a false -Wstringop-overflow from g++ 12)
  CHECK_THROWS_WITH_AS(io::parse_npy(bytes, nullptr, "cut.npy"), doctest::Contains("needs 16"), error);
  fs::remove_all(dir);
}

TEST_CASE("reference: the example model evaluates identically from its IR, bit for bit") {
  const auto model = (test::source_dir() / "examples" / "models" / "small_cnn.onnx").string();
  const graph g = onnx::load(model);
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(g, xml, bin);
  auto owner = std::make_shared<std::vector<std::byte>>(bin);
  const graph back = ir::parse(xml, *owner, owner);
  const auto inputs = reference::gather_inputs(g, {}, 42);
  const auto a = reference::evaluate(g, inputs);
  const auto b = reference::evaluate(back, inputs);
  REQUIRE(a.size() == 1);
  CHECK(a[0].dims() == shape{1, 10});
  CHECK(std::memcmp(a[0].bytes().data(), b[0].bytes().data(), a[0].bytes().size()) == 0);
  double sum = 0; // softmax probabilities
  for (double v : a[0].as_f64()) sum += v;
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("cli: run evaluates an IR, verify proves a conversion") {
  const auto dir = test::temp_dir("cli_eval");
  const auto model = (test::source_dir() / "examples" / "models" / "small_cnn.onnx").string();
  std::ostringstream out, err;
  REQUIRE(cli::run({"--input_model", model, "--output_dir", dir.string(), "--silent"}, out, err) == 0);
  reference::random_source rng(3);
  io::write_npy((dir / "image.npy").string(), reference::random_tensor(element_type::f32, {1, 3, 32, 32}, rng));

  std::ostringstream run_out, run_err;
  CHECK(cli::run({"run", (dir / "small_cnn.xml").string(), "--input", (dir / "image.npy").string(), "--output_dir",
                  (dir / "results").string()},
                 run_out, run_err) == 0);
  CHECK(run_err.str().empty());
  CHECK(run_out.str().find("output 'probabilities' f32[1,10]") != std::string::npos);
  const tensor probs = io::read_npy((dir / "results" / "probabilities.npy").string());
  CHECK(probs.dims() == shape{1, 10});

  std::ostringstream missing_out, missing_err;
  CHECK(cli::run({"run", (dir / "small_cnn.xml").string(), "--output_dir", (dir / "r2").string()}, missing_out,
                 missing_err) == 1);
  CHECK(missing_err.str().find("no data given for model input 'image'") != std::string::npos);

  std::ostringstream v_out, v_err;
  CHECK(cli::run({"verify", "--input_model", model, "--seed", "7"}, v_out, v_err) == 0);
  CHECK(v_out.str().find("[ VERIFY ] output 'probabilities' f32[1,10]: optimized max abs 0") != std::string::npos);
  CHECK(v_out.str().find("[ SUCCESS ] 1 output(s) agree") != std::string::npos);
  fs::remove_all(dir);
}

} // namespace test_reference_evaluator_tests
