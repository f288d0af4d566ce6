// Writes examples/models/small_cnn.onnx (see small_cnn.hpp).
// Usage: make_small_cnn [output path]
#include <iostream>

#include "small_cnn.hpp"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "small_cnn.onnx";
  try {
    irforge::examples::small_cnn().save(path);
  } catch (const std::exception& e) {
    std::cerr << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
  std::cout << "wrote " << path << "\n";
  return 0;
}
