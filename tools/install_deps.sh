#!/usr/bin/env bash
# Installs what irforge needs to build and test, from Debian packages.
set -euo pipefail
packages=(g++ clang cmake meson ninja-build python3 libboost-dev nlohmann-json3-dev doctest-dev libtinyxml2-dev libjemalloc-dev
          libonnx-testdata)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
