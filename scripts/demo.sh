#!/usr/bin/env bash
# Installs what tilsyn needs, builds the `tilsyn` program (release preset) and runs the main job:
# the compliance table for the example municipality in examples/kommune.
#   bash scripts/demo.sh [extra options for tilsyn check, e.g. --format json]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh release tilsyn
exec build/release/apps/cli/tilsyn check --data examples/kommune --as-of 2025-06-30 "$@"
