// Converting a model from C++: load, inspect, save. The same job as
//   irforge --input_model examples/models/small_cnn.onnx --output_dir out
// Usage: convert_model <model.onnx> <output stem>
#include <iostream>

#include <irforge/irforge.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: convert_model <model.onnx> <output stem>\n";
    return 2;
  }
  try {
    irforge::graph g = irforge::onnx::load(argv[1]);
    std::cout << g.size() << " nodes, " << g.parameters().size() << " input(s):";
    for (auto p : g.parameters()) std::cout << " " << g.node(p).name << g.info({p, 0}).shape.to_string();
    std::cout << "\n";
    const auto stats = irforge::ir::save(g, argv[2]); // <stem>.xml + <stem>.bin, atomically
    std::cout << stats.layers << " IR layers, " << stats.bin_bytes << " bytes of weights\n";
    irforge::graph back = irforge::ir::load(std::string(argv[2]) + ".xml"); // and read it back
    std::cout << "read back: " << back.size() << " nodes\n";
  } catch (const irforge::error& e) {
    std::cerr << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
  return 0;
}
