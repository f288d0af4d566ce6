#!/usr/bin/env bash
# Runs every test:
#   1. the CMake build with g++ (unit, corpus, ONNX backend, examples, header
#      self-containment, single-include freshness, find_package, compile-fail),
#   2. the test suites again built with clang++ under AddressSanitizer +
#      UndefinedBehaviorSanitizer (clang instruments in about half g++'s time),
#   3. the Meson build and its tests.
# Usage: tools/run_tests.sh [--quick]   (--quick: phase 1 only)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs=$(nproc)
phase() { echo "== $1 (at ${SECONDS}s)"; }

phase "CMake build and tests (g++)"
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1"
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"
[ "${1:-}" = "--quick" ] && { phase "done"; exit 0; }

phase "AddressSanitizer + UndefinedBehaviorSanitizer (clang++)"
CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1" -DIRFORGE_SANITIZE=ON \
  -DIRFORGE_BUILD_EXAMPLES=OFF -DIRFORGE_CHECK_HEADERS=OFF
cmake --build build-asan -j "$jobs" --target irforge_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -R '^(unit|corpus|backend)$'

phase "Meson build and tests (g++)"
[ -d build-meson ] || meson setup build-meson -Doptimization=1 -Ddebug=false -Dwarning_level=3
meson test -C build-meson --print-errorlogs
phase "done"
