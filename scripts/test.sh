#!/usr/bin/env bash
# THE test command (README, .ci/run). Stages, each run even when an earlier one failed:
#   deps       scripts/install-deps.sh
#   layering   scripts/check-layering.py: no include runs backwards
#   format     clang-format-14 --dry-run --Werror over src/ apps/ bench/ tests/
#   dev        configure + build the dev preset (RelWithDebInfo, -Werror), then ctest
#   tidy       clang-tidy-14 (.clang-tidy) over the project's .cc files in build/dev
#   web        web/: npm ci, npm run build (tsc + vite), Vitest, and the browser tests (node:test +
#              playwright-core on /usr/bin/chromium against build/dev's tilsyn serve)
#   asan       configure + build the asan preset (ASan + UBSan, -O1), then ctest
# A build that fails still runs the tests that did build (those that did not count as failed).
# Ends with one line "N passed, N failed": N counts the test cases of both ctest runs, of Vitest
# and of the browser tests, plus one per lint stage (layering, format, tidy); a failed install,
# configure or build counts one failure.
# Exits non-zero if anything failed.
#
# For local iteration only: TILSYN_SKIP=asan,tidy bash scripts/test.sh skips the named stages.
set -uo pipefail
exec 2>&1
cd "$(dirname "$0")/.."
root="$(pwd)"

export CLICOLOR=0
export CTEST_OUTPUT_ON_FAILURE=1
export GTEST_COLOR=no

passed=0
failed=0
summary=()
run_started=$(date +%s)

skipped() { [[ ",${TILSYN_SKIP:-}," == *",$1,"* ]]; }

banner() { printf '\n==== %s ====\n' "$*"; }

# note STAGE SECONDS TEXT
note() { summary+=("$(printf '%-16s %5ss  %s' "$1" "$2" "$3")"); }

# lint STAGE COMMAND...: a stage that counts as one test.
lint() {
  local stage="$1" start rc
  shift
  banner "$stage"
  start=$(date +%s)
  "$@"
  rc=$?
  local took=$(($(date +%s) - start))
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    note "$stage" "$took" "passed"
  else
    failed=$((failed + 1))
    note "$stage" "$took" "FAILED (exit $rc)"
  fi
}

# step STAGE COMMAND...: a prerequisite; only its failure counts. Returns the command's status.
step() {
  local stage="$1" start rc
  shift
  banner "$stage"
  start=$(date +%s)
  "$@"
  rc=$?
  local took=$(($(date +%s) - start))
  if [ "$rc" -eq 0 ]; then
    note "$stage" "$took" "ok"
  else
    failed=$((failed + 1))
    note "$stage" "$took" "FAILED (exit $rc)"
  fi
  return "$rc"
}

# tests PRESET: ctest for a preset, counting its test cases.
tests() {
  local preset="$1" start rc log line total fails
  local stage="ctest $preset"
  banner "$stage"
  log="$root/build/$preset/ctest-summary.log"
  start=$(date +%s)
  ctest --preset "$preset" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  local took=$(($(date +%s) - start))
  # "100% tests passed, 0 tests failed out of 42" / "95% tests passed, 2 tests failed out of 42"
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    fails=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    passed=$((passed + total - fails))
    failed=$((failed + fails))
    if [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ]; then
      failed=$((failed + 1))  # ctest failed for a reason its summary does not count
      fails=1
    fi
    note "$stage" "$took" "$((total - fails < 0 ? 0 : total - fails)) passed, $fails failed"
  else
    failed=$((failed + 1))
    note "$stage" "$took" "FAILED (no test summary, exit $rc)"
  fi
}

format_check() {
  local files=() output rc
  mapfile -t files < <(find src apps bench tests -type f \( -name '*.h' -o -name '*.cc' \) \
    2>/dev/null | sort)
  echo "clang-format-14: ${#files[@]} files"
  [ "${#files[@]}" -eq 0 ] && return 0
  output=$(clang-format-14 --dry-run --Werror "${files[@]}" 2>&1)
  rc=$?
  [ "$rc" -eq 0 ] && return 0
  echo "not formatted (fix with: bash scripts/format.sh):"
  grep -oE '^[^ :]+\.(h|cc):' <<<"$output" | sort -u | sed -e 's/:$//' -e 's/^/  /'
  echo "first differences:"
  head -n 40 <<<"$output"
  return "$rc"
}

tidy_check() {
  local db="$root/build/dev/compile_commands.json" files=()
  if [ ! -f "$db" ]; then
    echo "no $db: the dev preset did not configure"
    return 1
  fi
  # The project's own .cc files that the dev build compiles (not third-party code).
  mapfile -t files < <(python3 - "$db" "$root" <<'PY'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
seen = set()
for entry in json.load(open(db)):
    path = os.path.normpath(os.path.join(entry.get("directory", ""), entry["file"]))
    rel = os.path.relpath(path, root)
    if rel.split(os.sep)[0] in ("src", "apps", "bench", "tests") and path.endswith(".cc"):
        seen.add(path)
print("\n".join(sorted(seen)))
PY
  )
  echo "clang-tidy-14: ${#files[@]} files"
  [ "${#files[@]}" -eq 0 ] && return 0
  if command -v run-clang-tidy-14 >/dev/null 2>&1; then
    local regexes=()
    for file in "${files[@]}"; do
      regexes+=("^$(sed -e 's/[]\/$*.^|+?(){}[]/\\&/g' <<<"$file")\$")
    done
    # run-clang-tidy-14 always asks for colour; strip it, and the per-file warning counts (all
    # from system headers, which the header filter hides).
    run-clang-tidy-14 -clang-tidy-binary clang-tidy-14 -p "$root/build/dev" \
      -j "${TILSYN_JOBS:-2}" -quiet "${regexes[@]}" 2>&1 |
      sed -e 's/\x1b\[[0-9;]*m//g' | grep -Ev '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$'
    return "${PIPESTATUS[0]}"
  fi
  printf '%s\0' "${files[@]}" |
    xargs -0 -n 1 -P "${TILSYN_JOBS:-2}" clang-tidy-14 -p "$root/build/dev" --quiet 2>&1 |
    grep -Ev '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$'
  return "${PIPESTATUS[1]}"
}

if ! skipped deps; then
  step deps bash scripts/install-deps.sh
fi
skipped layering || lint layering python3 scripts/check-layering.py
skipped format || lint format format_check
# build_and_test PRESET: configure, build (keeping going past errors, so one broken file hides
# nothing else), and run whatever tests were built even if the build failed.
build_and_test() {
  local preset="$1"
  step "configure $preset" cmake --preset "$preset" || return 0
  step "build $preset" cmake --build --preset "$preset" -j "${TILSYN_JOBS:-2}" -- -k 0
  tests "$preset"
}

# web_tests: the web UI's build, unit tests (Vitest) and browser tests, each test case counted.
web_tests() {
  local start took out="$root/build/web-test" vitest_rc e2e_rc counts
  mkdir -p "$out"
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NO_COLOR=1
  step "web npm ci" bash -c 'cd web && npm ci --no-audit --no-fund' || return 0
  step "web build" bash -c 'cd web && npm run build' || return 0

  banner "web vitest"
  start=$(date +%s)
  (cd web && npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json")
  vitest_rc=$?
  took=$(($(date +%s) - start))
  # numPassedTests/numFailedTests of Vitest's JSON report; none: the run itself failed.
  counts=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["numPassedTests"], r["numFailedTests"])' \
    "$out/vitest.json" 2>/dev/null || echo "")
  tally "web vitest" "$took" "$vitest_rc" "$counts"

  banner "web browser"
  start=$(date +%s)
  (cd web && TILSYN_BIN="${TILSYN_BIN:-build/dev/apps/cli/tilsyn}" node --test --test-concurrency=1 --test-reporter=spec \
    --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$out/e2e.tap" \
    tests/e2e/)
  e2e_rc=$?
  took=$(($(date +%s) - start))
  # The TAP summary's "# pass N" and "# fail N" (the last ones: the run's totals).
  counts=$(awk '/^# pass /{p=$3} /^# fail /{f=$3} END{if (p != "") print p, f}' "$out/e2e.tap" 2>/dev/null)
  tally "web browser" "$took" "$e2e_rc" "$counts"
}

# tally STAGE SECONDS EXIT_CODE "PASSED FAILED": adds a test runner's counts; a run that failed
# without counting a failure counts one.
tally() {
  local stage="$1" took="$2" rc="$3" p f
  read -r p f <<<"$4"
  if [ -z "${p:-}" ]; then
    failed=$((failed + 1))
    note "$stage" "$took" "FAILED (no test summary, exit $rc)"
    return
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  note "$stage" "$took" "$p passed, $f failed"
}

skipped dev || build_and_test dev
skipped web || web_tests
skipped tidy || lint tidy tidy_check
skipped asan || build_and_test asan

banner "summary ($(($(date +%s) - run_started))s)"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
