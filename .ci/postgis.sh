#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + PostGIS 3 server for tests (Debian `postgresql-15-postgis-3`).
#
#   .ci/postgis.sh start [DIR]   start a server (data under DIR, default: a new `mktemp -d`), create the
#                                databases `app` and `app_test` with PostGIS, and print the connection URL of
#                                `app_test` as the LAST line of stdout. Progress goes to stderr.
#   .ci/postgis.sh stop  [DIR]   stop that server (`pg_ctl stop -m fast`) and remove its directory.
#   .ci/postgis.sh url   [DIR]   print the `app_test` URL of a running server (exit 1 if none).
#   .ci/postgis.sh replica [DIR]       start a streaming replica (hot standby) of that running server: the first
#                                time `pg_basebackup -R` into DIR/replica/data, a second postgres on another free
#                                port; later times restart it on the same port. Waits until it streams and
#                                prints the replica's `app_test` URL as the LAST line of stdout.
#   .ci/postgis.sh replica-stop [DIR]  stop the replica (`pg_ctl stop -m fast`), keeping its data for a restart.
#                                `stop` stops the replica too (first) and removes it with the server's directory.
#
# Runs as root (as CI does): the server itself runs as the `postgres` user via `runuser`. The system's own
# cluster (port 5432, /var/lib/postgresql) is never touched. The server listens on 127.0.0.1 only, on a free
# port, with trust authentication and durability switched off (fsync etc.): for tests only.
#
# State: `$DIR/.state` (the replica: `$DIR/replica/.state`) plus a pointer file, `$PGSTATE` (default /tmp/ci-postgis-state), so that `stop` without
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
  # The replica first: it would otherwise retry its connection to a primary that is gone, and its directory
  # lies inside the one removed below.
  local keep_dir=$STATE_DIR keep_pgdata=$STATE_PGDATA keep_pid=$STATE_PID
  stop_replica
  STATE_DIR=$keep_dir STATE_PGDATA=$keep_pgdata STATE_PID=$keep_pid
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

# The replica of the server recorded in STATE_* (read_state first): its directory, state and URL.
replica_dir() { echo "$STATE_DIR/replica"; }

cmd_replica() {
  local dir=${1:-} state_file port rdir rdata rport rpid rurl attempt started=0 t0 i
  t0=$(date +%s.%N)
  [[ $(id -u) -eq 0 ]] || die "must run as root (it runs the server as '$PGUSER_OS' via runuser)"
  state_file=${dir:+$dir/.state}
  state_file=${state_file:-$PGSTATE}
  read_state "$state_file" && server_running "$STATE_PGDATA" "$STATE_PID" || die "no running server to replicate"
  port=$STATE_PORT
  rdir=$(replica_dir)
  rdata=$rdir/data

  # The primary must allow a WAL sender and a replication connection from 127.0.0.1. PostgreSQL 15's defaults
  # (wal_level replica, max_wal_senders 10, initdb's `host replication all 127.0.0.1/32` line) already do.
  local wal_level senders
  wal_level=$(psql_q postgres -tAc 'SHOW wal_level')
  senders=$(psql_q postgres -tAc 'SHOW max_wal_senders')
  [[ $wal_level == replica || $wal_level == logical ]] || die "primary has wal_level=$wal_level (needs replica)"
  ((senders > 0)) || die "primary has max_wal_senders=0"
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' \
    "$STATE_PGDATA/pg_hba.conf"; then
    log "adding a replication line to pg_hba.conf"
    printf 'host replication all 127.0.0.1/32 trust\n' >>"$STATE_PGDATA/pg_hba.conf"
    psql_q postgres -tAc 'SELECT pg_reload_conf()' >/dev/null
  fi

  if read_state "$rdir/.state" && server_running "$STATE_PGDATA" "$STATE_PID"; then
    log "replica already running (pid $STATE_PID, port $STATE_PORT)"
    echo "$STATE_URL"
    return 0
  fi
  rport=''
  [[ -r $rdir/.state ]] && read_state "$rdir/.state" && rport=$STATE_PORT

  if [[ ! -s $rdata/PG_VERSION ]]; then
    mkdir -p "$rdir"
    chown "$PGUSER_OS:$PGUSER_OS" "$rdir"
    chmod 700 "$rdir"
    log "pg_basebackup -R from 127.0.0.1:$port into $rdata"
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$rdata" -R -X stream -c fast \
      >"$rdir/basebackup.log" 2>&1 || {
      cat "$rdir/basebackup.log" >&2
      die "pg_basebackup failed"
    }
  fi

  # A restart keeps the port it had, so that the URL handed out stays valid.
  for attempt in 1 2 3 4 5; do
    [[ -n $rport ]] || rport=$(free_port)
    [[ -n $rport ]] || die "no free port found"
    log "starting the replica on 127.0.0.1:$rport (attempt $attempt)"
    # hot_standby_feedback: the primary's vacuum keeps the rows a long replica read (an export) still needs,
    # rather than the standby cancelling that read on a replay conflict.
    if as_pg "$PGBIN/pg_ctl" -D "$rdata" -l "$rdir/postgres.log" -w -t 60 -s start -o \
      "-c listen_addresses=127.0.0.1 -p $rport -c unix_socket_directories='$rdir' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c hot_standby=on \
-c hot_standby_feedback=on" >&2; then
      started=1
      break
    fi
    tail -n 20 "$rdir/postgres.log" >&2 || true
    rport=''
  done
  ((started)) || die "replica did not start (log: $rdir/postgres.log)"
  rpid=$(head -n1 "$rdata/postmaster.pid")
  rurl="postgres://postgres@127.0.0.1:$rport/app_test"
  printf 'dir=%s\npgdata=%s\nport=%s\npid=%s\nurl=%s\n' "$rdir" "$rdata" "$rport" "$rpid" "$rurl" >"$rdir/.state"

  # Ready means: accepting connections, in recovery, and its WAL receiver streaming from the primary.
  local status=''
  for ((i = 0; i < 240; i++)); do
    status=$("$PGBIN/psql" -X -q -h 127.0.0.1 -p "$rport" -U postgres -d postgres -tAc \
      "SELECT pg_is_in_recovery()::text || ' ' || coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')" \
      2>/dev/null || true)
    [[ $status == 'true streaming' ]] && break
    sleep 0.25
  done
  [[ $status == 'true streaming' ]] || die "replica not streaming after 60 s (status: '${status:-no answer}', log: $rdir/postgres.log)"
  log "replica ready: pid $rpid, port $rport, streaming from 127.0.0.1:$port, in $(elapsed "$t0") s"
  echo "$rurl"
}

# Stops the replica of the server recorded in STATE_*; its data stays (for `replica` to restart it).
stop_replica() {
  local rdir
  rdir=$(replica_dir)
  read_state "$rdir/.state" || return 0
  if server_running "$STATE_PGDATA" "$STATE_PID"; then
    log "stopping the replica, pid $STATE_PID ($STATE_PGDATA)"
    if ! as_pg "$PGBIN/pg_ctl" -D "$STATE_PGDATA" -m fast -w -t 30 -s stop >&2; then
      log "pg_ctl stop failed: killing the replica's postmaster"
      kill -QUIT "$STATE_PID" 2>/dev/null || true
    fi
    local i
    for ((i = 0; i < 100; i++)); do
      kill -0 "$STATE_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$STATE_PID" 2>/dev/null; then
      log "replica postmaster $STATE_PID still alive: SIGKILL"
      kill -KILL "$STATE_PID" 2>/dev/null || true
    fi
  else
    log "replica not running"
  fi
}

cmd_replica_stop() {
  local dir=${1:-} state_file
  state_file=${dir:+$dir/.state}
  state_file=${state_file:-$PGSTATE}
  read_state "$state_file" || die "no server state in $state_file"
  stop_replica
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
replica) cmd_replica "${2:-}" ;;
replica-stop) cmd_replica_stop "${2:-}" ;;
*)
  echo "usage: $0 start [DIR] | stop [DIR] | url [DIR] | replica [DIR] | replica-stop [DIR]" >&2
  exit 2
  ;;
esac
