// A custom layer: declared as a struct, checked by the compiler, mapped from a
// custom ONNX op, and written to the IR with its attributes.
#include <iostream>

#include <irforge/irforge.hpp>

struct Swizzle {
  static constexpr std::string_view type_name = "Swizzle"; // IR type
  static constexpr std::string_view version = "extension"; // IR version attribute
  static constexpr irforge::arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(Swizzle, (std::int64_t, group), (std::vector<std::int64_t>, order));
  void infer(irforge::infer_context& ctx) const { ctx.set_output(0, ctx.input_type(0), ctx.input_shape(0)); }
};
static_assert(irforge::check_layer<Swizzle>());

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  try {
    // A model using the custom op com.acme.Swizzle, written with irforge's ONNX writer.
    irforge::onnx::model_builder m("swizzle_demo");
    m.opset("", 13).opset("com.acme", 1);
    m.input("x", irforge::element_type::f32, {1, 8});
    m.output("y", irforge::element_type::f32, {1, 8});
    m.node("Swizzle", {"x"}, {"s"}, "swizzle", "com.acme").i("group", 2).ints("order", {1, 0});
    m.node("Relu", {"s"}, {"y"}, "relu");
    m.save(dir + "/swizzle.onnx");

    // Without a mapping the op is reported, with its node.
    try {
      (void)irforge::onnx::load(dir + "/swizzle.onnx");
    } catch (const irforge::unsupported_ops_error& e) {
      std::cout << "without the mapping: " << e.what() << "\n";
    }

    irforge::onnx::mapping_table table = irforge::onnx::make_standard_mappings();
    table.add(
        "Swizzle",
        [](irforge::onnx::node_context& ctx) {
          Swizzle op;
          op.group = ctx.attr_int("group", 1);
          op.order = ctx.attr_ints("order");
          return irforge::onnx::mapping_result{ctx.add(op, {ctx.input(0)})};
        },
        "com.acme");
    irforge::graph g = irforge::onnx::load(dir + "/swizzle.onnx", {&table});
    irforge::ir::save(g, dir + "/swizzle");

    // Reading the IR back needs the layer in the op set.
    using my_ops = irforge::ops::standard::with<Swizzle>;
    irforge::graph back = irforge::ir::load(dir + "/swizzle.xml", {}, irforge::registry<my_ops>());
    for (auto id : back.nodes())
      if (const auto* s = back.node(id).op.get_if<Swizzle>())
        std::cout << "read back: Swizzle group=" << s->group << " order=" << irforge::attr::format(s->order) << "\n";
  } catch (const irforge::error& e) {
    std::cerr << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
  return 0;
}
