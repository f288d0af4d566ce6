#!/usr/bin/env bash
# Runs every test: the CMake build (unit, corpus, ONNX backend, examples,
# header self-containment, single-include freshness, find_package), the same
# tests under AddressSanitizer + UndefinedBehaviorSanitizer, and the Meson
# build's tests. Usage: tools/run_tests.sh [--quick]   (--quick: CMake only)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs=$(nproc)
phase() { echo "== $1 (at ${SECONDS}s)"; }

phase "CMake build and tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
[ "${1:-}" = "--quick" ] && exit 0

phase "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-g1" -DIRFORGE_SANITIZE=ON \
      -DIRFORGE_BUILD_EXAMPLES=OFF -DIRFORGE_CHECK_HEADERS=OFF
cmake --build build-asan -j "$jobs" --target irforge_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -R '^(unit|corpus|backend)$'

phase "Meson build and tests"
[ -d build-meson ] || meson setup build-meson --buildtype=release -Dwarning_level=3
meson test -C build-meson --print-errorlogs
phase "done"
