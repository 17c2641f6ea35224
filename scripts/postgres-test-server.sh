#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: its own cluster in DIR, listening only on
# 127.0.0.1:PORT (and a unix socket in DIR), trust authentication, role `tilsyn` (CREATEDB) and
# database `tilsyn_test` owned by it. It never touches Debian's own cluster (15/main, port 5432).
#
#   scripts/postgres-test-server.sh start DIR PORT   stop any server left in DIR, make a new one
#   scripts/postgres-test-server.sh stop DIR         stop it (pg_ctl -m fast) and delete DIR
#
# ctest runs it for you (the `postgres` fixture: tests postgres_start and postgres_stop, with
# DIR = <build dir>/pg-test and PORT = the cache variable TILSYN_TEST_POSTGRES_PORT). By hand,
# e.g. to run one test binary under a debugger:
#
#   bash scripts/postgres-test-server.sh start /tmp/pg 54321
#   export TILSYN_TEST_POSTGRES=postgresql://tilsyn@127.0.0.1:54321/tilsyn_test
#   ./build/dev/tests/postgres/postgres_harness_test
#   bash scripts/postgres-test-server.sh stop /tmp/pg
#
# As root (CI), initdb and postgres refuse to run, so they run as the `postgres` system user that
# Debian's package creates, and DIR is given to that user; every directory above DIR must be
# searchable by it. As any other user they run as that user.
#
# Settings are a test server's (small shared_buffers, max_connections 50, UTC), except that fsync
# stays on: crash tests rely on real durability. TILSYN_PG_BINDIR overrides where initdb, pg_ctl
# and psql are looked for; TILSYN_PG_START_TIMEOUT (seconds, default 60) bounds the wait for the
# server to accept connections. The server's log is DIR/server.log, printed whenever something
# goes wrong.
set -euo pipefail

readonly kMarker=".tilsyn-postgres-test-server"
readonly kRole="tilsyn"
readonly kDatabase="tilsyn_test"
readonly kSystemUser="postgres"

say() { printf 'postgres-test-server: %s\n' "$*"; }
die() {
  printf 'postgres-test-server: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat >&2 <<'EOF'
usage: postgres-test-server.sh start DIR PORT
       postgres-test-server.sh stop DIR
EOF
  exit 2
}

# A developer's own PG* settings must not redirect the script's psql or pg_ctl elsewhere.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGDATA PGSSLMODE

# find_bindir: the newest PostgreSQL's bin directory (it holds initdb, which is not on PATH).
find_bindir() {
  if [ -n "${TILSYN_PG_BINDIR:-}" ]; then
    [ -x "$TILSYN_PG_BINDIR/initdb" ] || die "TILSYN_PG_BINDIR=$TILSYN_PG_BINDIR has no initdb"
    echo "$TILSYN_PG_BINDIR"
    return
  fi
  local candidate newest=""
  # /usr/lib/postgresql/<major>/bin, highest major first; then whatever pg_config says.
  for candidate in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5nr); do
    if [ -x "$candidate/initdb" ]; then
      newest="$candidate"
      break
    fi
  done
  if [ -z "$newest" ] && command -v pg_config >/dev/null 2>&1; then
    candidate="$(pg_config --bindir)"
    [ -x "$candidate/initdb" ] && newest="$candidate"
  fi
  [ -n "$newest" ] ||
    die "no PostgreSQL server found (no initdb in /usr/lib/postgresql/*/bin):" \
      "run bash scripts/install-deps.sh"
  echo "$newest"
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# as_owner COMMAND...: runs a server command as the cluster's owner, from a directory it can read.
as_owner() {
  if is_root; then
    (cd / && runuser -u "$kSystemUser" -- "$@")
  else
    (cd / && "$@")
  fi
}

print_log() {
  local log="$1/server.log"
  if [ -s "$log" ]; then
    echo "---- $log (last 40 lines) ----" >&2
    tail -n 40 "$log" >&2
    echo "---- end of server log ----" >&2
  else
    echo "(no server log at $log)" >&2
  fi
}

# remove_dir DIR: deletes DIR, but only if this script made it (or it is empty).
remove_dir() {
  local dir="$1"
  [ -e "$dir" ] || return 0
  if [ ! -e "$dir/$kMarker" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir is not empty and was not made by this script; not deleting it"
  fi
  rm -rf -- "$dir"
}

# server_running DIR: whether a postmaster is alive for the cluster in DIR/data. Not pg_ctl
# status: a postmaster killed outright stays a zombie where PID 1 reaps no orphans (as in some
# containers), and pg_ctl takes that for a running server.
server_running() {
  local pid_file="$1/data/postmaster.pid" pid stat
  [ -f "$pid_file" ] || return 1
  pid="$(head -n 1 "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # /proc/PID/stat is "PID (COMM) STATE ...": a live (not zombie) process named postgres, so a
  # stale pid file whose PID now belongs to another program is not mistaken for the server.
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ "$stat" =~ ^$pid\ \(postgres\)\ ([A-Z]) ]] && [ "${BASH_REMATCH[1]}" != Z ]
}

# stop_server DIR: stops the server in DIR, fast (rolls back open transactions), else immediately.
stop_server() {
  local dir="$1"
  if as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop; then
    return 0
  fi
  say "fast shutdown failed; trying immediate shutdown"
  print_log "$dir"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop
}

port_in_use() {
  # bash's /dev/tcp: the connection succeeds only if something listens on the port.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local dir="$1" port="$2"
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
    die "PORT must be a number from 1024 to 65535, not '$port'"
  fi

  if [ -e "$dir" ]; then
    if server_running "$dir"; then
      say "a server from an earlier run is still running in $dir; stopping it"
      stop_server "$dir" || die "could not stop the old server in $dir"
    else
      say "removing what an earlier run left in $dir"
    fi
    remove_dir "$dir"
  fi
  if port_in_use "$port"; then
    die "port $port on 127.0.0.1 is already in use (\`ss -ltnp | grep :$port\` shows by what);" \
      "stop that, or pick another port: -DTILSYN_TEST_POSTGRES_PORT=... (ctest), PORT (by hand)"
  fi

  mkdir -p -- "$dir"
  touch "$dir/$kMarker"
  chmod 700 "$dir"
  if is_root; then
    id "$kSystemUser" >/dev/null 2>&1 ||
      die "no '$kSystemUser' system user (Debian's postgresql package creates it):" \
        "run bash scripts/install-deps.sh"
    chown -R "$kSystemUser:" "$dir"
    as_owner test -w "$dir" ||
      die "the '$kSystemUser' user cannot reach $dir:" \
        "every directory above it must be searchable by others (chmod o+x)"
  fi

  say "creating a cluster in $dir/data ($("$bindir/postgres" --version))"
  # C collation: byte order, the same on every machine; C.UTF-8 character classes, so upper() and
  # lower() know æ, ø and å.
  if ! as_owner "$bindir/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --lc-collate=C --no-instructions >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed in $dir/data"
  fi

  # Unix socket paths are limited to 107 bytes; in a deep DIR, listen on TCP only.
  local socket_dir="$dir"
  if [ "$((${#dir} + ${#port} + 10))" -gt 107 ]; then
    say "note: $dir is too deep for a unix socket; listening on 127.0.0.1:$port only"
    socket_dir=""
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF

# tilsyn test server (scripts/postgres-test-server.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket_dir'
max_connections = 50
shared_buffers = 16MB
# Crash tests rely on real durability: keep fsync and synchronous commit on.
fsync = on
synchronous_commit = on
full_page_writes = on
timezone = 'UTC'
log_timezone = 'UTC'
EOF

  local timeout="${TILSYN_PG_START_TIMEOUT:-60}"
  say "starting on 127.0.0.1:$port (waiting up to ${timeout}s)"
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$timeout" start \
    >/dev/null; then
    print_log "$dir"
    die "the server in $dir did not start (waited up to ${timeout}s; its log is above)"
  fi

  local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1)
  if ! PGCONNECT_TIMEOUT=10 "${psql[@]}" -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE $kRole LOGIN CREATEDB" \
    -c "CREATE DATABASE $kDatabase OWNER $kRole"; then
    print_log "$dir"
    die "could not create role $kRole and database $kDatabase"
  fi
  local url="postgresql://$kRole@127.0.0.1:$port/$kDatabase"
  if ! PGCONNECT_TIMEOUT=10 "${psql[@]}" -d "$url" -c "SELECT 1" >/dev/null; then
    print_log "$dir"
    die "cannot connect to $url"
  fi
  say "ready: TILSYN_TEST_POSTGRES=$url"
}

stop() {
  local dir="$1"
  if [ ! -e "$dir" ]; then
    say "nothing to stop: $dir does not exist"
    return 0
  fi
  # A server that never started, or died (or was killed) under the tests: say so, loudly.
  if [ ! -f "$dir/data/postmaster.pid" ]; then
    print_log "$dir"
    remove_dir "$dir"
    die "no server was running in $dir: it never started (did start fail?)"
  fi
  if ! server_running "$dir"; then
    print_log "$dir"
    remove_dir "$dir"
    die "no server was running in $dir: it died or was killed before this stop (see its log above)"
  fi
  local failed=0
  stop_server "$dir" || failed=1
  if [ "$failed" -ne 0 ]; then
    print_log "$dir"
  fi
  remove_dir "$dir"
  [ "$failed" -eq 0 ] || die "the server in $dir did not shut down cleanly"
  say "stopped and removed $dir"
}

[ "$#" -ge 2 ] || usage
action="$1"
# Absolute, so that it means the same after as_owner's cd, and never the root directory.
dir="$(realpath -m -- "$2")"
[ "$dir" != "/" ] || die "DIR must not be /"
bindir="$(find_bindir)"

case "$action" in
  start)
    [ "$#" -eq 3 ] || usage
    start "$dir" "$3"
    ;;
  stop)
    [ "$#" -eq 2 ] || usage
    stop "$dir"
    ;;
  *) usage ;;
esac
