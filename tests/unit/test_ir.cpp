// IR v11 writer and reader: format details, round trips, atomic output, bad files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "support/test_paths.hpp"

using namespace irforge;
namespace fs = std::filesystem;

namespace test_ir_tests {  // unity-build scope: file-local helpers stay apart

namespace {
graph small_graph() {
  graph g("tiny");
  auto a = g.add(ops::Parameter{partial_shape{1, dimension(), 3}, element_type::f32}, {}, "input");
  g.port({a, 0}).names = {"input"};
  auto c = g.add(ops::Constant(tensor::from_values<float>({1, 1, 3}, {1, 2, 3})), {}, "bias");
  auto c2 = g.add(ops::Constant(tensor::from_values<float>({1, 1, 3}, {1, 2, 3})), {}, "scale"); // same bytes
  auto s = g.add(ops::Add{}, {{a, 0}, {c, 0}}, "add");
  auto m = g.add(ops::Multiply{}, {{s, 0}, {c2, 0}}, "mul");
  g.port({m, 0}).names = {"out", "out,2"};
  g.node(m).source_names = {"onnx_mul", "onnx_add"};
  g.node(c).rt_info = {{"decompression", ""}};
  g.add(ops::Result{}, {{m, 0}}, "mul/sink_port_0");
  return g;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

graph parse_text(const std::string& xml, std::vector<std::byte> bin = {}) {
  auto owner = std::make_shared<std::vector<std::byte>>(std::move(bin));
  return ir::parse(xml, *owner, owner);
}
} // namespace

TEST_CASE("writer: port numbering, data, dedup, names, rt_info") {
  std::string xml;
  std::vector<std::byte> bin;
  const auto stats = ir::serialize(small_graph(), xml, bin);
  CHECK(stats.layers == 6);
  CHECK(stats.constants == 2);
  CHECK(stats.constants_shared == 1);
  CHECK(bin.size() == 12); // identical blobs stored once
  CHECK(xml.starts_with("<?xml version=\"1.0\"?>\n<net name=\"tiny\" version=\"11\">"));
  CHECK(xml.find("<data shape=\"1,?,3\" element_type=\"f32\"/>") != std::string::npos);
  CHECK(xml.find("<data element_type=\"f32\" shape=\"1, 1, 3\" offset=\"0\" size=\"12\"/>") != std::string::npos);
  CHECK(xml.find("<port id=\"2\" precision=\"FP32\" names=\"out,out\\,2\">") != std::string::npos);
  CHECK(xml.find("<attribute name=\"fused_names\" version=\"0\" value=\"onnx_add,onnx_mul\"/>") != std::string::npos);
  CHECK(xml.find("<attribute name=\"decompression\" version=\"0\"/>") != std::string::npos);
  CHECK(xml.find("<dim>-1</dim>") != std::string::npos);
  CHECK(xml.find("<edge from-layer=\"3\" from-port=\"2\" to-layer=\"4\" to-port=\"0\"/>") != std::string::npos);
}

TEST_CASE("reader: read(write(g)) has the same ops, attributes, shapes, names and weights") {
  const graph g = small_graph();
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(g, xml, bin);
  const graph r = parse_text(xml, bin);
  REQUIRE(r.size() == g.size());
  CHECK(r.name() == "tiny");
  REQUIRE(r.parameters().size() == 1);
  REQUIRE(r.results().size() == 1);
  const auto& out = r.node(r.input(r.results()[0], 0).node);
  CHECK(out.name == "mul");
  CHECK(out.op.is<ops::Multiply>());
  CHECK(out.outputs[0].names == std::vector<std::string>{"out", "out,2"});
  CHECK(out.source_names == std::vector<std::string>{"onnx_add", "onnx_mul"});
  CHECK(r.info(r.input(r.results()[0], 0)).shape == partial_shape{1, dimension(), 3});
  const auto& bias = r.node(r.input(out.inputs[0].node, 1).node);
  CHECK(bias.op.get<ops::Constant>().value.as_f64() == std::vector<double>{1, 2, 3});
  CHECK(bias.rt_info == std::vector<std::pair<std::string, std::string>>{{"decompression", ""}});
  std::string xml2;
  std::vector<std::byte> bin2;
  ir::serialize(r, xml2, bin2);
  CHECK(xml2 == xml);
  CHECK(bin2 == bin);
}

TEST_CASE("save is atomic and deterministic") {
  const auto dir = test::temp_dir("ir_save");
  const auto s1 = ir::save(small_graph(), (dir / "a").string());
  ir::save(small_graph(), (dir / "b").string());
  CHECK(slurp(dir / "a.xml") == slurp(dir / "b.xml"));
  CHECK(slurp(dir / "a.bin") == slurp(dir / "b.bin"));
  CHECK(s1.xml_bytes == fs::file_size(dir / "a.xml"));
  CHECK(s1.bin_bytes == fs::file_size(dir / "a.bin"));
  // The streamed file is what serialize() produces in memory; fsync changes nothing in it.
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(small_graph(), xml, bin);
  CHECK(slurp(dir / "a.xml") == xml);
  ir::write_options durable;
  durable.durable = true;
  ir::save(small_graph(), (dir / "d").string(), durable);
  CHECK(slurp(dir / "d.xml") == xml);
  CHECK(slurp(dir / "d.bin") == slurp(dir / "a.bin"));
  fs::remove(dir / "d.xml");
  fs::remove(dir / "d.bin");

  // A graph that fails half-way (a cycle) leaves no file behind.
  graph bad = small_graph();
  const auto add = bad.input(bad.input(bad.results()[0], 0).node, 0).node;
  const auto mul = bad.input(bad.results()[0], 0).node;
  bad.set_input(add, 0, {mul, 0});
  CHECK_THROWS_AS(ir::save(bad, (dir / "c").string()), error);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  CHECK(files == 4);
  CHECK_FALSE(fs::exists(dir / "c.xml"));
  CHECK_THROWS_AS(ir::save(small_graph(), (dir / "missing" / "x").string()), error);
  fs::remove_all(dir);
}

TEST_CASE("reader: bad files are clear errors") {
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(small_graph(), xml, bin);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = xml;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  CHECK_THROWS_WITH_AS(parse_text("<net version=\"11\"><layers><layer", bin), doctest::Contains("XML syntax error"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("version=\"11\"", "version=\"7\""), bin),
                       doctest::Contains("IR version 7 is not supported"), error);
  CHECK_THROWS_WITH_AS(parse_text(xml, {}), doctest::Contains("outside the .bin file of 0 bytes"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("offset=\"0\" size=\"12\"", "offset=\"0\" size=\"8\""), bin),
                       doctest::Contains("does not match f32[1,1,3] (12 bytes)"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("offset=\"0\" size=\"12\"", "offset=\"18446744073709551610\" size=\"12\""), bin),
                       doctest::Contains("bias"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("to-layer=\"4\" to-port=\"0\"", "to-layer=\"44\" to-port=\"0\""), bin),
                       doctest::Contains("names a layer that does not exist"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("to-layer=\"4\" to-port=\"0\"", "to-layer=\"4\" to-port=\"1\""), bin),
                       doctest::Contains("has two incoming edges"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("from-layer=\"3\" from-port=\"2\"", "from-layer=\"3\" from-port=\"7\""), bin),
                       doctest::Contains("no such output port"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("<data auto_broadcast=\"numpy\"/>", "<data auto_broadcast=\"numpy\" colour=\"red\"/>"), bin),
                       doctest::Contains("unknown attribute(s) for Add opset1: colour"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("<data auto_broadcast=\"numpy\"/>", "<data auto_broadcast=\"sideways\"/>"), bin),
                       doctest::Contains("'sideways' is not one of: none, numpy, pdpd, explicit"), error);
  CHECK_THROWS_WITH_AS(parse_text(replaced("<dim>-1</dim>", "<dim>x</dim>"), bin), doctest::Contains("is not an integer"), error);
  // a cycle: mul feeds add
  CHECK_THROWS_WITH_AS(parse_text(replaced("<edge from-layer=\"0\" from-port=\"0\" to-layer=\"3\" to-port=\"0\"/>",
                                           "<edge from-layer=\"4\" from-port=\"2\" to-layer=\"3\" to-port=\"0\"/>"), bin),
                       doctest::Contains("cycle"), error);
  // declared shape disagrees with inference
  CHECK_THROWS_WITH_AS(parse_text(replaced("<port id=\"2\" precision=\"FP32\" names=\"out,out\\,2\">\n\t\t\t\t\t<dim>1</dim>",
                                           "<port id=\"2\" precision=\"FP32\" names=\"out,out\\,2\">\n\t\t\t\t\t<dim>5</dim>"), bin),
                       doctest::Contains("is declared [5,?,3] but the op gives [1,?,3]"), error);
}

TEST_CASE("reader: an unknown op type becomes a generic op that round-trips") {
  const std::string xml = R"(<?xml version="1.0"?>
<net name="g" version="11">
	<layers>
		<layer id="0" name="x" type="Parameter" version="opset1">
			<data shape="2" element_type="f32"/>
			<output><port id="0" precision="FP32"><dim>2</dim></port></output>
		</layer>
		<layer id="1" name="w" type="Whirl" version="custom_opset">
			<data speed="3" mode="fast"/>
			<input><port id="0" precision="FP32"><dim>2</dim></port></input>
			<output><port id="1" precision="FP16"><dim>2</dim><dim>-1</dim></port></output>
			<body><layers><layer id="0" name="k" type="Const" version="opset1"><data element_type="i32" shape="1" offset="0" size="4"/></layer></layers></body>
		</layer>
		<layer id="2" name="r" type="Result" version="opset1">
			<input><port id="0" precision="FP16"><dim>2</dim><dim>-1</dim></port></input>
		</layer>
	</layers>
	<edges>
		<edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
		<edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>
	</edges>
</net>
)";
  std::vector<std::byte> bin{std::byte{7}, std::byte{0}, std::byte{0}, std::byte{0}};
  const graph g = parse_text(xml, bin);
  const auto& w = g.node(g.input(g.results()[0], 0).node);
  const auto& op = w.op.get<ops::generic_op>();
  CHECK(op.type == "Whirl");
  CHECK(w.op.version() == "custom_opset");
  CHECK(op.attributes == std::vector<std::pair<std::string, std::string>>{{"speed", "3"}, {"mode", "fast"}});
  CHECK(w.outputs[0].info.type == element_type::f16);
  REQUIRE(op.embedded_constants.size() == 1);
  CHECK(op.embedded_constants[0].at<std::int32_t>(0) == 7);
  std::string out;
  std::vector<std::byte> out_bin;
  ir::serialize(g, out, out_bin);
  CHECK(out.find("<data speed=\"3\" mode=\"fast\"/>") != std::string::npos);
  CHECK(out.find("<body>") != std::string::npos);
  CHECK(out_bin == bin);
  const graph again = parse_text(out, out_bin);
  CHECK(again.node(again.input(again.results()[0], 0).node).op.same_as(w.op));
}

} // namespace test_ir_tests
