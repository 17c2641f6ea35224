#!/usr/bin/env bash
# Configures and builds one CMake preset (dev, release or asan; see CMakePresets.json).
#   scripts/build.sh PRESET [TARGET...]
# Without targets it builds everything the preset enables. Two jobs: the CI machine has 2 cores.
set -euo pipefail

if [ "$#" -lt 1 ]; then
  echo "usage: scripts/build.sh PRESET [TARGET...]" >&2
  exit 2
fi
preset="$1"
shift
cd "$(dirname "$0")/.."

cmake --preset "$preset"
targets=()
for target in "$@"; do
  targets+=(--target "$target")
done
cmake --build --preset "$preset" -j "${TILSYN_JOBS:-2}" "${targets[@]}"
