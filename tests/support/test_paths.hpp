// Test support: where the repository, the shared corpus and temp space are.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

#ifndef IRFORGE_SOURCE_DIR
#error "IRFORGE_SOURCE_DIR must be defined (the build system does it)"
#endif

namespace irforge::test {

inline std::filesystem::path source_dir() { return IRFORGE_SOURCE_DIR; }
/// ../shared/corpus beside the checkout (absent: corpus tests are skipped).
inline std::filesystem::path corpus_dir() { return source_dir().parent_path() / "shared" / "corpus"; }
/// The ONNX backend test suite from Debian's libonnx-testdata.
inline std::filesystem::path onnx_backend_dir() { return "/usr/share/libonnx-testdata/data"; }

/// A fresh empty directory for one test.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("irforge_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

} // namespace irforge::test
