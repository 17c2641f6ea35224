#!/usr/bin/env bash
# Load benchmark of `tilsyn serve` with wrk: p50 and p99 latency of the rates, worklist and case
# endpoints at 50 concurrent connections, on the largest municipality `tilsyn generate` makes (the
# size of Copenhagen, 100,000 children aged 0-17) in SQLite (target: p99 <= 20 ms). Not part of
# scripts/test.sh: it takes minutes and measures this machine.
#   rates        the municipality's rates (the same URL each time: after the first, a kept answer)
#   rates-teams  each team's rates with the split by caseworker, a different team each request
#   worklist     a different caseworker's worklist each request
#   case         a different child's case each request (each read is written to the audit log)
#
# Usage: bash bench/server-load.sh [CHILDREN] [DURATION] [YEARS]
#   (defaults: 100000 children, 20s per endpoint, 5 years of history)
# Builds the release preset's tilsyn; works in a temporary directory, which it removes at the end;
# prints one line per endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
children="${1:-100000}"
duration="${2:-20s}"
years="${3:-5}"
connections=50

cmake --preset release >/dev/null
cmake --build --preset release --target tilsyn >/dev/null
tilsyn=build/release/apps/cli/tilsyn
work="$(mktemp -d /tmp/tilsyn-load-XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$tilsyn" generate --out "$work/data" --children "$children" --years "$years" >&2
export TILSYN_CPR_KEY="load benchmark key, not a secret"
"$tilsyn" import --db "$work/load.db" "$work/data" >&2
# The ids the requests rotate over, one per line: the teams, the caseworkers (the workers in a
# team) and the children.
municipality="$(awk -F, 'NR > 1 && $3 == "municipality" { print $1; exit }' "$work/data/units.csv")"
awk -F, 'NR > 1 && $3 == "team" { print $1 }' "$work/data/units.csv" >"$work/teams.txt"
awk -F, 'NR == FNR { if ($3 == "team") team[$1] = 1; next }
  FNR > 1 && ($3 in team) { print $1 }' "$work/data/units.csv" "$work/data/workers.csv"   >"$work/workers.txt"
awk -F, 'NR > 1 { print $1 }' "$work/data/children.csv" >"$work/children.txt"
echo "ids: municipality $municipality, $(wc -l <"$work/teams.txt") teams,"   "$(wc -l <"$work/workers.txt") caseworkers, $(wc -l <"$work/children.txt") children" >&2
password="load benchmark password"
echo "$password" | "$tilsyn" user add --db "$work/load.db" bench --role head \
  --unit "$municipality" >&2
cat >"$work/serve.toml" <<TOML
[server]
threads = 64
[store]
connections = 16
TOML
"$tilsyn" serve --db "$work/load.db" --port 0 --config "$work/serve.toml" \
  >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "tilsyn serves" "$work/serve.out" 2>/dev/null && break
  sleep 0.5
done
port="$(grep -o ':[0-9]*/' "$work/serve.out" | tr -dc 0-9)"
base="http://127.0.0.1:$port"
cookie="$(curl -s --noproxy '*' -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"login\":\"bench\",\"password\":\"$password\"}" "$base/api/login" |
  grep -i '^set-cookie:' | sed -e 's/^[Ss]et-[Cc]ookie: //' -e 's/;.*//')"

# A wrk script that asks for a different id each request: path prefix, a file of ids (one per
# line), suffix; the ids are visited in a scattered order.
cat >"$work/rotate.lua" <<'LUA'
local prefix, ids, suffix = "", {}, ""
local n = 0
function init(args)
  prefix, suffix = args[1], args[3] or ""
  for line in io.lines(args[2]) do ids[#ids + 1] = line end
end
function request()
  n = n + 1
  return wrk.format("GET", prefix .. ids[(n * 7919) % #ids + 1] .. suffix)
end
LUA

# wrk's latency distribution in ms: "50%" and "99%" lines.
percentile() {
  awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }'
}
run() {
  local name="$1" script_args=("${@:2}") out
  # Warm the obligations of today before measuring.
  curl -s --noproxy '*' -o /dev/null -H "Cookie: $cookie" "$base/api/rates?by_worker=false"
  out="$(wrk -t2 -c"$connections" -d"$duration" --latency -H "Cookie: $cookie" \
    "${script_args[@]}")"
  printf '%-12s p50 %8s ms   p99 %8s ms   %s requests/s\n' "$name" \
    "$(percentile 50% <<<"$out")" "$(percentile 99% <<<"$out")" \
    "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
  if grep -q "Non-2xx" <<<"$out"; then grep "Non-2xx" <<<"$out" >&2; fi
}
echo "wrk: $connections connections, 2 threads, $duration per endpoint" >&2
run rates "$base/api/rates?unit=$municipality&by_worker=false"
run rates-teams -s "$work/rotate.lua" "$base" -- "/api/rates?unit=" "$work/teams.txt"
run worklist -s "$work/rotate.lua" "$base" -- /api/workers/ "$work/workers.txt" /worklist
run case -s "$work/rotate.lua" "$base" -- /api/children/ "$work/children.txt"
