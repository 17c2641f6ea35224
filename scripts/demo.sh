#!/usr/bin/env bash
# Installs what tilsyn needs, builds the `tilsyn` program (release preset) and the web UI, and runs
# the demo: a synthetic municipality in tilsyn-demo.db (made on the first run, then reused), served
# with the web UI on http://localhost:8080 and one printed login per role. Ctrl-C stops it.
#   bash scripts/demo.sh [extra options for tilsyn demo, e.g. --port 8081]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh release tilsyn
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
exec build/release/apps/cli/tilsyn demo --web-root web/dist "$@"
