// Your own converter binary: the standard one plus a layer, its ONNX mapping and a rule.
#include <irforge/irforge.hpp>

struct Swizzle { // a custom layer
  static constexpr std::string_view type_name = "Swizzle", version = "extension";
  static constexpr irforge::arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Swizzle, (std::int64_t, group));
  void infer(irforge::infer_context& ctx) const { ctx.set_output(0, ctx.input_type(0), ctx.input_shape(0)); }
};

using namespace irforge::pattern;
inline constexpr auto swizzle_twice = irforge::rule<"SwizzleTwice">( // Swizzle(Swizzle(x)) is x
    op<Swizzle, "outer">(op<Swizzle>(any<"x">)), [](const auto& m, irforge::graph& g) {
      g.replace_uses(out<"outer">(m), out<"x">(m));
      return true;
    });

int main(int argc, char** argv) {
  auto table = irforge::onnx::make_standard_mappings();
  table.add("Swizzle", [](irforge::onnx::node_context& ctx) {
    return irforge::onnx::mapping_result{ctx.add(Swizzle{ctx.attr_int("group", 1)}, {ctx.input(0)})};
  }, "com.acme");
  const auto pipeline = irforge::pipeline(irforge::passes::standard_pipeline, swizzle_twice);
  return irforge::cli::main<irforge::ops::standard, Swizzle>(argc, argv, pipeline, &table);
}
