#!/usr/bin/env bash
# The main job on one machine: installs what is missing, builds, starts a private
# RabbitMQ on loopback, starts pilot-worker and rehearses the sample pilot from
# examples/ end to end with one-second days: request, agreement and kickoff, the
# signature, a daily metrics report for every day and some feedback, then the
# daily evaluation, weekly reports, results and the next action. It shows the
# progress (day N of M), prints the outcome and where the documents are. The
# worker then keeps running until Ctrl-C (or exits at once with --once); the
# broker is stopped on the way out. With --story the rehearsal also moves the
# kickoff before the signature and extends the pilot by a week once it runs, the
# way operators do with `pilotctl pilot reschedule` and `pilotctl pilot extend`.
#
#   deploy/run-local.sh [--once] [--story]
# Environment: PILOT_BROKER_PORT (default 5672), PILOT_BROKER_DIR (default
# .local-broker), PILOT_DAY_SECONDS (default 1 here).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
once=false
story=false
for arg in "$@"; do
  case $arg in
    --once) once=true ;;
    --story) story=true ;;
    *) echo "usage: deploy/run-local.sh [--once] [--story]" >&2; exit 2 ;;
  esac
done

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
export PILOT_DAY_SECONDS=${PILOT_DAY_SECONDS:-1}
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
folder=$PILOT_WORKSPACE/threads/sales/$thread

# Waits until `pilotctl pilot show` prints a line matching $1.
await_show() {
  for _ in $(seq 1 120); do
    "$bin/pilotctl" pilot show "$thread" 2>/dev/null | grep -qE "$1" && return 0
    sleep 0.5
  done
  echo "gave up waiting for \"$1\" in pilotctl pilot show $thread; the worker's log:" >&2
  tail -n 30 "$broker_dir/worker.log" >&2
  exit 1
}
export PILOT_OPERATOR=${PILOT_OPERATOR:-"Sam Carter <sam@pilot-worker.dev>"}
if $story; then
  echo "==> the lead cannot make the kickoff: it moves to the next free slot (same UID, SEQUENCE 1)"
  "$bin/pilotctl" pilot reschedule "$thread" --reason "The lead's team is at an offsite that day" | sed 's/^/    /'
  await_show 'SEQUENCE 1'
fi

echo "==> the lead signs; its systems report metrics every day and some feedback"
"$bin/pilotctl" publish examples/pilot.signed.json
days=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["terms"].get("duration_days", 30))' examples/pilot.requested.json)
if $story; then
  await_show 'status active'
  echo "==> the integration went live late: the pilot is extended by 7 days"
  "$bin/pilotctl" pilot extend "$thread" --days 7 --reason "The warehouse integration went live a week late" | sed 's/^/    /'
  await_show 'extended  by'
  days=$((days + 7))
fi
reports=$(mktemp -d)
python3 - "$days" "$reports" <<'PY'
import json, sys
days, out = int(sys.argv[1]), sys.argv[2]
metrics = json.load(open("examples/pilot.metrics.json"))
for day in range(1, days + 1):
    metrics["data"]["day"] = day
    json.dump(metrics, open(f"{out}/metrics-{day:02d}.json", "w"))
PY
"$bin/pilotctl" publish "$reports"/metrics-*.json examples/pilot.feedback.json | tail -n 1
rm -rf "$reports"

while [[ ! -f $folder/outcome.json ]] || ! "$bin/pilotctl" pilot show "$thread" | grep -qE 'status (completed|lost)'; do
  done_days=$( (find "$folder/monitoring" -name 'day-*.json' 2>/dev/null || true) | wc -l)
  printf '\r    day %d of %d' "$done_days" "$days"
  sleep 1
done
printf '\r    day %d of %d\n' "$days" "$days"
echo "==> outcome ($folder/outcome.json):"
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print("    status:", o["status"], "| next action:", o["next_action"], "| NPS:", o["user_feedback"]["nps"]); [print("    -", r) for r in o.get("failure_reasons", [])]' "$folder/outcome.json"
if $story; then
  echo "==> what changed, from pilotctl pilot show:"
  "$bin/pilotctl" pilot show "$thread" | sed -n '/^kickoff:/,/^documents:/p' | grep -v '^documents:' | sed 's/^/    /'
fi
echo "==> documents in $folder:"
find "$folder" -type f | sort | sed "s|$folder/|    |"

if $once; then exit 0; fi
echo "==> pilot-worker is running against $PILOT_AMQP_URL; publish more with:"
echo "    $bin/pilotctl publish examples/pilot.requested.json
    $bin/pilotctl pilot trace $thread"
echo "    Ctrl-C stops the worker and the broker."
wait "$worker_pid"
