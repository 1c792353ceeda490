#!/usr/bin/env bash
# The main job on one machine: installs what is missing, builds, starts a private
# RabbitMQ on loopback, starts pilot-worker, publishes the sample pilot from
# examples/ and shows the events it causes. The worker then keeps running until
# Ctrl-C (or exits at once with --once); the broker is stopped on the way out.
#
#   deploy/run-local.sh [--once]
# Environment: PILOT_BROKER_PORT (default 5672), PILOT_BROKER_DIR (default .local-broker).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
once=false
[[ ${1:-} == --once ]] && once=true

"$root/deploy/install-deps.sh"
echo "==> building (release)"
swift build -c release --product pilot-worker >/dev/null
swift build -c release --product pilotctl >/dev/null
bin=$(swift build -c release --show-bin-path)

broker_dir=${PILOT_BROKER_DIR:-$root/.local-broker}
export PILOT_BROKER_PORT=${PILOT_BROKER_PORT:-5672}
echo "==> starting RabbitMQ on 127.0.0.1:$PILOT_BROKER_PORT (data in $broker_dir)"
"$root/deploy/broker.sh" start "$broker_dir" >/dev/null
worker_pid=""
cleanup() {
  [[ -n $worker_pid ]] && kill -TERM "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null || true
  echo "==> stopping RabbitMQ"
  "$root/deploy/broker.sh" stop "$broker_dir" >/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
set -a; . "$broker_dir/env"; set +a

export PILOT_WORKSPACE=${PILOT_WORKSPACE:-$root}
echo "==> starting pilot-worker (log: $broker_dir/worker.log)"
"$bin/pilot-worker" >"$broker_dir/worker.log" 2>&1 &
worker_pid=$!

"$bin/pilotctl" topology apply >/dev/null
# The request and the six events the agreement and kickoff stages publish for it.
"$bin/pilotctl" watch --pattern '#' --count 7 --timeout 60 &
watch_pid=$!
sleep 0.5
echo "==> publishing examples/pilot.requested.json"
"$bin/pilotctl" publish examples/pilot.requested.json
wait "$watch_pid" || { echo "the worker did not answer; its log:" >&2; tail -n 30 "$broker_dir/worker.log" >&2; exit 1; }
thread=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["subject"])' examples/pilot.requested.json)
echo "==> documents written for thread $thread:"
ls -l "$PILOT_WORKSPACE/threads/sales/$thread/"

if $once; then exit 0; fi
echo "==> pilot-worker is running against $PILOT_AMQP_URL; publish more with:"
echo "    $bin/pilotctl publish examples/pilot.requested.json"
echo "    Ctrl-C stops the worker and the broker."
wait "$worker_pid"
