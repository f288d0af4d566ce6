// The irforge command-line converter: all of it lives in irforge/cli/main.hpp.
#include <irforge/cli/main.hpp>

int main(int argc, char** argv) { return irforge::cli::main(argc, argv); }
