#!/usr/bin/env bash
# Validates the OpenAPI document with @apidevtools/swagger-parser from npm, installed (npm ci,
# from package-lock.json) in a work directory of the build tree, not in the source tree.
# Usage: validate.sh WORK_DIR OPENAPI_FILE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$1"
document="$2"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/validate.mjs" "$work/"
cd "$work"
# npm ci only when the lock file changed since the last install.
if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi
node validate.mjs "$document"
