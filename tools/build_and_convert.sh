#!/usr/bin/env bash
# The main job: install the dependencies, build irforge, and convert the model
# that ships in the repository (examples/models/small_cnn.onnx, written by the
# project's own ONNX writer) into OpenVINO IR under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DIRFORGE_BUILD_TESTS=OFF
cmake --build build --target irforge_cli
build/tools/irforge --input_model examples/models/small_cnn.onnx --output_dir out
