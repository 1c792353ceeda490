#!/usr/bin/env bash
# A private PostgreSQL 15 (Debian's binaries) on loopback with its own data folder, so
# tests, benchmarks and the scale suite never depend on (or collide with) a system server.
#   deploy/postgres.sh start|stop|status DIR   (status: 0 running, 3 not running)
#   deploy/postgres.sh psql DIR ARGS...        (psql as the superuser, over the private socket)
# Env: PILOT_PG_PORT (TCP port on 127.0.0.1, default 5432; fixed at the first start,
# later starts reuse it unless PILOT_PG_PORT is given), PILOT_PG_BIN (default
# /usr/lib/postgresql/15/bin).
# The first start runs initdb into DIR/data (as the `postgres` user when run as root:
# PostgreSQL refuses to run as root) and creates the role and database `pilot` with a
# random password kept in DIR/password (the role may create databases: one per test).
# Every start writes DIR/env:
#   PILOT_DATABASE=postgres://pilot:<password>@127.0.0.1:<port>/pilot?sslmode=disable
#   PILOT_PG_PORT=<port>  PILOT_PG_DIR=<DIR>
# Data survives stop/start. The socket lives in DIR/socket, the server log in DIR/postgres.log.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }
[[ $# -ge 2 ]] || { echo "usage: $0 start|stop|status DIR | psql DIR ARGS..." >&2; exit 2; }
cmd=$1 dir=$2 && shift 2
bin=${PILOT_PG_BIN:-/usr/lib/postgresql/15/bin}
[[ -x $bin/pg_ctl ]] || die "no PostgreSQL at $bin (deploy/install-deps.sh installs Debian's postgresql)"

mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
data=$dir/data socket=$dir/socket

# PostgreSQL refuses to run as root: root hands the folder to `postgres` and runs as it.
if [[ $(id -u) -eq 0 ]]; then
  as_pg() { runuser -u postgres -- "$@"; }
  chown postgres: "$dir"
  # Only before a start: under a running server the walk races with files it renames
  # away (pg_internal.init.PID), and a vanished file failed `psql` now and then.
  if [[ $cmd == start && -d $data ]] && ! runuser -u postgres -- "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
    chown -R postgres: "$data"
  fi
  # Every folder above DIR must let `postgres` through.
  runuser -u postgres -- test -x "$dir" || die "user postgres cannot reach $dir: make its parent folders traversable (chmod o+x)"
else
  as_pg() { "$@"; }
fi

running() { as_pg "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }

case $cmd in
start)
  if [[ ! -s $data/PG_VERSION ]]; then
    port=${PILOT_PG_PORT:-5432}
    rm -rf "$data" && as_pg mkdir -p "$data" "$socket"
    # The superuser connects over the private socket only (trust); TCP needs a password.
    [[ -s $dir/password ]] || (umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password")
    as_pg "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { tail -n 20 "$dir/initdb.log" >&2; die "initdb failed"; }
    cat >>"$data/postgresql.conf" <<EOF
# deploy/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket'
max_connections = 300
EOF
    fresh=1
  else
    fresh=
    if [[ -n ${PILOT_PG_PORT:-} ]]; then
      sed -i "s/^port = .*/port = $PILOT_PG_PORT/" "$data/postgresql.conf"
    fi
  fi
  port=$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$data/postgresql.conf" | tail -n 1)
  [[ -d $socket ]] || as_pg mkdir -p "$socket"
  if ! running; then
    as_pg "$bin/pg_ctl" start -D "$data" -l "$dir/postgres.log" -w -t 60 >/dev/null \
      || { tail -n 20 "$dir/postgres.log" >&2; die "PostgreSQL in $dir did not start (port $port)"; }
  fi
  if [[ -n $fresh ]]; then
    password=$(cat "$dir/password")
    as_pg "$bin/psql" -h "$socket" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE ROLE pilot LOGIN CREATEDB PASSWORD '$password'" -c "CREATE DATABASE pilot OWNER pilot" >/dev/null
  fi
  {
    # Single quotes: the URL's "?" stays literal for bash and for systemd's EnvironmentFile.
    echo "PILOT_DATABASE='postgres://pilot:$(cat "$dir/password")@127.0.0.1:$port/pilot?sslmode=disable'"
    echo "PILOT_PG_PORT=$port"
    echo "PILOT_PG_DIR='$dir'"
  } >"$dir/env"
  chmod 600 "$dir/env"
  echo "postgres up: 127.0.0.1:$port ($dir/env)" ;;
stop)
  if [[ -s $data/PG_VERSION ]] && running; then
    as_pg "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
  fi ;;
status)
  if [[ -s $data/PG_VERSION ]] && running; then echo "running ($dir)"; else echo "not running ($dir)"; exit 3; fi ;;
psql)
  port=$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$data/postgresql.conf" | tail -n 1)
  as_pg "$bin/psql" -h "$socket" -p "$port" -U postgres "$@" ;;
*) die "unknown command $cmd" ;;
esac
