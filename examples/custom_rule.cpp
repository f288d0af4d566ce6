// A custom fusion rule: Minimum(Maximum(x, lo), hi) with constant scalar
// bounds -- a clip as some exporters write it -- becomes one Clamp. The rule is
// a pattern plus a rewrite; the compiler checks the pattern (op arity, capture
// names) and the rewrite gets the matched ops and tensors by name.
#include <iostream>

#include <irforge/irforge.hpp>

using namespace irforge::pattern;
namespace ops = irforge::ops;

inline constexpr auto min_max_to_clamp = irforge::rule<"MinMaxToClamp">(
    op<ops::Minimum, "min">(op<ops::Maximum, "max">(any<"x">, constant<"lo">).where(single_use), constant<"hi">),
    [](const auto& m, irforge::graph& g) {
      const auto& lo = value<"lo">(m);
      const auto& hi = value<"hi">(m);
      if (lo.element_count() != 1 || hi.element_count() != 1) return false; // per-channel bounds: not a Clamp
      const auto clamp = g.add(ops::Clamp(lo.as_f64()[0], hi.as_f64()[0]), {out<"x">(m)}, g.node(m.root()).name);
      irforge::passes::absorb_names(g, node<"min">(m), clamp);
      irforge::passes::absorb_names(g, node<"max">(m), clamp);
      g.replace_uses(out<"min">(m), {clamp, 0});
      return true;
    });

inline constexpr auto my_pipeline = irforge::pipeline(irforge::passes::standard_pipeline, min_max_to_clamp);

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  try {
    irforge::onnx::model_builder b("clip_demo");
    b.opset("", 13);
    b.input("x", irforge::element_type::f32, {1, 16});
    b.output("y", irforge::element_type::f32, {1, 16});
    b.initializer("lo", irforge::tensor::scalar<float>(-1.0f));
    b.initializer("hi", irforge::tensor::scalar<float>(1.0f));
    b.node("Max", {"x", "lo"}, {"a"}, "lower_bound");
    b.node("Min", {"a", "hi"}, {"y"}, "upper_bound");
    b.save(dir + "/clip_demo.onnx");

    const irforge::graph imported = irforge::onnx::load(dir + "/clip_demo.onnx");
    irforge::graph g = imported;
    const auto report = my_pipeline.run(g);
    std::cout << "MinMaxToClamp fired " << report.fired("MinMaxToClamp") << " time(s); " << imported.size() << " -> "
              << g.size() << " nodes\n";
    // Prove the rewrite: the reference evaluator gives the same outputs before and after.
    irforge::reference::random_source rng(1);
    const auto input = irforge::reference::random_tensor(irforge::element_type::f32, {1, 16}, rng);
    const auto before = irforge::reference::evaluate(imported, {input});
    const auto after = irforge::reference::evaluate(g, {input});
    const auto diff = irforge::reference::compare(after[0], before[0], 0.0, 0.0);
    std::cout << "outputs equal: " << (diff.ok() ? "yes" : "no") << "\n";
    for (auto id : g.nodes())
      if (g.node(id).op.is<ops::Clamp>())
        std::cout << "Clamp '" << g.node(id).name << "' stands for " << g.node(id).source_names.size() << " source layers\n";
    return diff.ok() ? 0 : 1;
  } catch (const irforge::error& e) {
    std::cerr << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
}
