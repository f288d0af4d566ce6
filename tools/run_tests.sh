#!/usr/bin/env bash
# Runs every test: the CMake build (unit, corpus, ONNX backend, examples,
# header self-containment, single-include freshness, find_package, compile-fail
# checks) under AddressSanitizer + UndefinedBehaviorSanitizer, then the Meson
# build's tests (an optimised build without sanitizers).
# Usage: tools/run_tests.sh [--quick]   (--quick: the CMake phase only)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs=$(nproc)
phase() { echo "== $1 (at ${SECONDS}s)"; }

phase "CMake build and tests, with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1" -DIRFORGE_SANITIZE=ON
cmake --build build-test -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-test --output-on-failure -j "$jobs"
[ "${1:-}" = "--quick" ] && { phase "done"; exit 0; }

phase "Meson build and tests"
[ -d build-meson ] || meson setup build-meson --buildtype=release -Dwarning_level=3
meson test -C build-meson --print-errorlogs
phase "done"
