#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + PostGIS 3 server for tests (Debian `postgresql-15-postgis-3`).
#
#   .ci/postgis.sh start [DIR]   start a server (data under DIR, default: a new `mktemp -d`), create the
#                                databases `app` and `app_test` with PostGIS, and print the connection URL of
#                                `app_test` as the LAST line of stdout. Progress goes to stderr.
#   .ci/postgis.sh stop  [DIR]   stop that server (`pg_ctl stop -m fast`) and remove its directory.
#   .ci/postgis.sh url   [DIR]   print the `app_test` URL of a running server (exit 1 if none).
#
# Runs as root (as CI does): the server itself runs as the `postgres` user via `runuser`. The system's own
# cluster (port 5432, /var/lib/postgresql) is never touched. The server listens on 127.0.0.1 only, on a free
# port, with trust authentication and durability switched off (fsync etc.): for tests only.
#
# State: `$DIR/.state` plus a pointer file, `$PGSTATE` (default /tmp/ci-postgis-state), so that `stop` without
# a DIR finds the server. Both commands are idempotent: `start` on a running server prints its URL again,
# `stop` with nothing running does nothing.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGSTATE=${PGSTATE:-/tmp/ci-postgis-state}
PGUSER_OS=postgres

log() { printf 'postgis: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# Keep a developer's libpq environment from steering psql/pg_isready anywhere else.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE \
  PGDATA DATABASE_URL TEST_DATABASE_URL 2>/dev/null || true

as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }

# Read KEY=VALUE lines of a state file into STATE_* variables (no `source`: the file is data).
read_state() {
  local file=$1 key value
  STATE_DIR='' STATE_PGDATA='' STATE_PORT='' STATE_PID='' STATE_URL=''
  [[ -r $file ]] || return 1
  while IFS='=' read -r key value; do
    case $key in
    dir) STATE_DIR=$value ;;
    pgdata) STATE_PGDATA=$value ;;
    port) STATE_PORT=$value ;;
    pid) STATE_PID=$value ;;
    url) STATE_URL=$value ;;
    esac
  done <"$file"
  [[ -n $STATE_DIR && -n $STATE_PGDATA ]]
}

# Is the postmaster of this data dir alive? (pid from the state, confirmed by postmaster.pid)
server_running() {
  local pgdata=$1 pid=${2:-}
  if [[ -z $pid && -r $pgdata/postmaster.pid ]]; then
    pid=$(head -n1 "$pgdata/postmaster.pid")
  fi
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ -r $pgdata/postmaster.pid ]] &&
    [[ $(head -n1 "$pgdata/postmaster.pid") == "$pid" ]]
}

# A free TCP port on 127.0.0.1: ask the kernel (bind port 0), never 5432.
free_port() {
  local port
  if command -v node >/dev/null 2>&1; then
    port=$(node -e '
      const s = require("net").createServer();
      s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => console.log(p)); });
    ')
  fi
  if [[ -z ${port:-} || $port == 5432 ]]; then
    # Fallback without node: probe candidates with bash's /dev/tcp (a refused connection = free).
    for port in $(shuf -i 20000-60000 -n 50); do
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        break
      fi
    done
  fi
  echo "$port"
}

cmd_start() {
  local dir=${1:-} pgdata port pid url started=0 attempt t0
  t0=$(date +%s.%N)
  [[ $(id -u) -eq 0 ]] || die "must run as root (it runs the server as '$PGUSER_OS' via runuser)"
  [[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] || die "$PGBIN has no initdb/pg_ctl: install postgresql-15-postgis-3"
  id "$PGUSER_OS" >/dev/null 2>&1 || die "no '$PGUSER_OS' user: install postgresql-15-postgis-3"

  # Already running? (the given DIR's state, else the well-known pointer) -> print its URL again.
  local state_file=${dir:+$dir/.state}
  state_file=${state_file:-$PGSTATE}
  if read_state "$state_file" && server_running "$STATE_PGDATA" "$STATE_PID"; then
    log "already running (pid $STATE_PID, port $STATE_PORT, dir $STATE_DIR)"
    cp "$STATE_DIR/.state" "$PGSTATE" 2>/dev/null || true
    echo "$STATE_URL"
    return 0
  fi

  if [[ -z $dir ]]; then
    dir=$(mktemp -d /tmp/ci-postgis.XXXXXX) # not $TMPDIR: postgres must reach it
  else
    # Never take over a directory that holds anything else (it is chowned to postgres and removed on stop).
    if [[ -d $dir && -n $(ls -A "$dir") && ! -e $dir/.state && ! -d $dir/data ]]; then
      die "$dir is not empty and not a server directory of this script"
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
  fi
  pgdata=$dir/data
  # The postgres user must reach $dir: refuse paths it cannot traverse rather than fail obscurely later.
  chown "$PGUSER_OS:$PGUSER_OS" "$dir"
  chmod 700 "$dir"
  as_pg test -w "$dir" || die "'$PGUSER_OS' cannot write $dir (a parent directory is not traversable?)"

  if [[ ! -s $pgdata/PG_VERSION ]]; then
    local locale=C.UTF-8
    locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' || locale=C
    log "initdb $pgdata (locale $locale)"
    as_pg "$PGBIN/initdb" -D "$pgdata" --auth=trust --username=postgres --encoding=UTF8 \
      --locale="$locale" --no-instructions >"$dir/initdb.log" 2>&1 ||
      {
        cat "$dir/initdb.log" >&2
        die "initdb failed"
      }
  fi

  # Another process may grab the port between the check and the bind: try a few ports.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    [[ -n $port ]] || die "no free port found"
    log "starting on 127.0.0.1:$port (attempt $attempt)"
    if as_pg "$PGBIN/pg_ctl" -D "$pgdata" -l "$dir/postgres.log" -w -t 60 -s start -o \
      "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2; then
      started=1
      break
    fi
    tail -n 20 "$dir/postgres.log" >&2 || true
  done
  ((started)) || die "server did not start (log: $dir/postgres.log)"

  # Record the state at once, so that `stop` can clean up even if a later step fails.
  pid=$(head -n1 "$pgdata/postmaster.pid")
  url="postgres://postgres@127.0.0.1:$port/app_test"
  printf 'dir=%s\npgdata=%s\nport=%s\npid=%s\nurl=%s\n' "$dir" "$pgdata" "$port" "$pid" "$url" >"$dir/.state"
  cp "$dir/.state" "$PGSTATE"

  local i
  for ((i = 0; i < 120; i++)); do
    "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && break
    sleep 0.25
  done
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres || die "server not ready after 30 s"

  local db
  for db in app app_test; do
    psql_q postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
      psql_q postgres -c "CREATE DATABASE $db"
    psql_q "$db" -c 'CREATE EXTENSION IF NOT EXISTS postgis'
  done
  log "ready: PostgreSQL $(psql_q app_test -tAc 'SHOW server_version') / PostGIS $(psql_q app_test -tAc \
    'SELECT postgis_lib_version()'), pid $pid, dir $dir, in $(elapsed "$t0") s"
  echo "$url"
}

psql_q() {
  local db=$1
  shift
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

cmd_stop() {
  local dir=${1:-} state_file
  if [[ -n $dir ]]; then
    state_file=$dir/.state
  else
    state_file=$PGSTATE
  fi
  if ! read_state "$state_file"; then
    if [[ -n $dir && -d $dir/data ]]; then # no state, but a data dir: stop whatever runs there
      STATE_DIR=$(cd "$dir" && pwd -P) STATE_PGDATA=$STATE_DIR/data STATE_PID=''
    else
      log "nothing to stop (no state in $state_file)"
      return 0
    fi
  fi
  if [[ -z $STATE_PID && -r $STATE_PGDATA/postmaster.pid ]]; then
    STATE_PID=$(head -n1 "$STATE_PGDATA/postmaster.pid")
  fi
  if server_running "$STATE_PGDATA" "$STATE_PID"; then
    log "stopping pid $STATE_PID ($STATE_PGDATA)"
    if ! as_pg "$PGBIN/pg_ctl" -D "$STATE_PGDATA" -m fast -w -t 30 -s stop >&2; then
      log "pg_ctl stop failed: killing the postmaster"
      kill -QUIT "$STATE_PID" 2>/dev/null || true
    fi
    # Wait for the postmaster (and its children) to be gone before removing the directory.
    local i
    for ((i = 0; i < 100; i++)); do
      kill -0 "$STATE_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$STATE_PID" 2>/dev/null; then
      log "postmaster $STATE_PID still alive: SIGKILL"
      kill -KILL "$STATE_PID" 2>/dev/null || true
    fi
  else
    log "server not running"
  fi
  # Only remove directories this script made (they hold its .state / data), never anything else.
  if [[ -d $STATE_DIR && ( -e $STATE_DIR/.state || -d $STATE_DIR/data ) ]]; then
    rm -rf -- "$STATE_DIR"
    log "removed $STATE_DIR"
  fi
  # Drop the pointer if it referred to this server (or to one whose directory is gone).
  local stopped_dir=$STATE_DIR
  if ! read_state "$PGSTATE" || [[ $STATE_DIR == "$stopped_dir" || ! -d $STATE_DIR ]]; then
    rm -f "$PGSTATE"
  fi
}

cmd_url() {
  local dir=${1:-} state_file
  state_file=${dir:+$dir/.state}
  state_file=${state_file:-$PGSTATE}
  if ! read_state "$state_file" || ! server_running "$STATE_PGDATA" "$STATE_PID"; then
    die "no running server"
  fi
  echo "$STATE_URL"
}

case ${1:-} in
start) cmd_start "${2:-}" ;;
stop) cmd_stop "${2:-}" ;;
url) cmd_url "${2:-}" ;;
*)
  echo "usage: $0 start [DIR] | stop [DIR] | url [DIR]" >&2
  exit 2
  ;;
esac
