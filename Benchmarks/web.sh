#!/usr/bin/env bash
# POST /events accepted per second, with p50 and p99 latency, beside `pilotctl
# publish` on the same private broker in the same run. Both publish persistent
# messages with a confirm into one quorum queue bound to pilot.events.
#   Benchmarks/web.sh [seconds per wrk run, default 15] [events for pilotctl, default 2000]
# Needs wrk (Debian's package) and pika; release builds of pilot-web and pilotctl.
# A status other than 202 counts as an error: wrk's summary line shows them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-15}
events=${2:-2000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
build=(swift build -c release ${PILOT_BENCH_SCRATCH_PATH:+--scratch-path "$PILOT_BENCH_SCRATCH_PATH"})
"${build[@]}" --product pilot-web >/dev/null
"${build[@]}" --product pilotctl >/dev/null
bin=$("${build[@]}" --show-bin-path)
free_port() { python3 deploy/free_ports.py; }  # below the ephemeral range: see that file
port=$(free_port)
web_port=$(free_port)
dir=$(mktemp -d /tmp/pilot-web-bench.XXXXXX)
web_pid=
cleanup() {
  [[ -n $web_pid ]] && kill "$web_pid" 2>/dev/null && wait "$web_pid" 2>/dev/null
  deploy/broker.sh stop "$dir/broker" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$(free_port) PILOT_BROKER_DIST_PORT=$(free_port) \
  deploy/broker.sh start "$dir/broker" >/dev/null
url="amqp://guest:guest@127.0.0.1:$port/%2f"
echo "machine: $(nproc) cores, $(uname -sr); broker: RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?')"

# One quorum queue takes everything, as a stage queue would; purged between runs.
sink() {
  python3 - "$url" "$1" <<'PY'
import sys, pika
channel = pika.BlockingConnection(pika.URLParameters(sys.argv[1])).channel()
channel.exchange_declare("pilot.events", "topic", durable=True)
channel.queue_declare("bench.sink", durable=True, arguments={"x-queue-type": "quorum"})
channel.queue_bind("bench.sink", "pilot.events", "#")
if sys.argv[2] == "count":
    print(channel.queue_declare("bench.sink", passive=True).method.message_count)
else:
    channel.queue_purge("bench.sink")
PY
}
sink purge

export PILOT_WEB_TOKEN=bench-token-0123456789abcdef
PILOT_AMQP_URL=$url PILOT_WEB_PORT=$web_port PILOT_WEB_HOST=127.0.0.1 PILOT_LOG_LEVEL=warning \
  "$bin/pilot-web" >"$dir/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$web_port/readyz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$web_port/readyz" >/dev/null || { echo "pilot-web not ready:"; cat "$dir/web.log"; exit 1; }

# pilotctl publish: one process, one connection, a confirm per event (as it works).
mkdir -p "$dir/events"
python3 - "$dir/events" "$events" <<'PY'
import json, sys
base = {"specversion": "1.0", "source": "/bench", "type": "pilot.signed", "subject": "bench-2026-12",
        "time": "2026-12-01T09:00:00Z", "datacontenttype": "application/json", "dataschema": "pilot.signed.v1",
        "data": {"signed_at": "2026-12-01T08:59:00Z", "signed_by": {"name": "Dana Whitfield", "email": "dana@acme.example"},
                 "method": "docusign", "start_date": "2026-12-02"}}
for i in range(int(sys.argv[2])):
    with open(f"{sys.argv[1]}/e{i:06d}.json", "w") as f:
        json.dump(dict(base, id=f"bench-{i}"), f)
PY
start=$(date +%s.%N)
PILOT_AMQP_URL=$url "$bin/pilotctl" publish "$dir"/events/*.json >/dev/null
end=$(date +%s.%N)
published=$(sink count)
ctl_rate=$(python3 -c "print(f'{$published / ($end - $start):.0f}')")
echo "pilotctl publish: $published events in $(python3 -c "print(f'{$end - $start:.2f}')") s = $ctl_rate events/s (one connection, confirm per event)"
sink purge

for connections in 1 32; do
  out=$(wrk -t "$((connections < 2 ? 1 : 2))" -c "$connections" -d "${seconds}s" -s Benchmarks/web/post_event.lua "http://127.0.0.1:$web_port/events")
  line=$(grep '^result' <<<"$out")
  rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$line")
  echo "pilot-web POST /events, $connections connection(s): $line; broker holds $(sink count); ratio to pilotctl $(python3 -c "print(f'{$rps / $ctl_rate:.2f}')")"
  sink purge
done
