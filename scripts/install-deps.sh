#!/usr/bin/env bash
# Installs everything tilsyn needs to build and test from Debian bookworm's apt.
# Idempotent, and quick when all is installed: apt is not touched at all then.
# Runs as root (as CI does); elsewhere it uses sudo when that is available.
set -euo pipefail

# The one list of packages. Add new dependencies here.
PACKAGES=(
  build-essential
  cmake
  ninja-build
  g++
  clang-format
  clang-tidy
  pkg-config
  python3
  tzdata
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libhowardhinnant-date-dev
  libtomlplusplus-dev
  nlohmann-json3-dev
  libcli11-dev
  libfmt-dev
  libsodium-dev
  # Reading .xlsx data sets (a zip of XML parts); writing .xlsx exports (libxlsxwriter), which
  # the tests also use to write workbooks.
  libzip-dev
  libpugixml-dev
  libxlsxwriter-dev
  # A real PostgreSQL server for the store's tests (scripts/postgres-test-server.sh), and libpq.
  postgresql
  libpq-dev
  # The server (tilsyn serve): HTTP server and the API tests' client, structured logs.
  libcpp-httplib-dev
  libspdlog-dev
  # The server's load benchmark (bench/server-load.sh); not part of the test command.
  wrk
  # The web UI's build (Vite, in web/) and the OpenAPI document's validator.
  nodejs
  npm
  # The web UI's browser tests (web/tests/e2e) drive this Chromium; playwright-core never
  # downloads a browser.
  chromium
)

missing=()
for package in "${PACKAGES[@]}"; do
  # Debian packages npm on its own; a NodeSource nodejs carries it inside (and conflicts with it).
  if [ "$package" = npm ] && command -v npm >/dev/null 2>&1; then
    continue
  fi
  # dpkg -s alone also succeeds for removed-but-configured packages; require "install ok installed".
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  "${missing[@]}"
