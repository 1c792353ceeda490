#!/usr/bin/env bash
# pilot-web's pages under load, with 10,000 pilots in the store: requests per second and
# p50/p99 latency of GET /healthz, of a buyer page (GET /share/<thread>?exp=&sig=) and of
# the dashboard overview (GET /, bearer token), one after the other in the same run.
#   Benchmarks/pages.sh [seconds per wrk run, default 10] [pilots, default 10000]
# Needs wrk, pika and a private broker (deploy/broker.sh); builds pilot-web, pilot-worker
# and pilotctl in release. One real 14-day pilot is rehearsed by the worker with one-second
# days (the buyer page shows it: documents, charts, snapshots); the other pilots are
# copies of its state under other thread ids, a third of them with a health score, so
# the overview sorts and pages through all of them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-10}
pilots=${2:-10000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
build=(swift build -c release ${PILOT_BENCH_SCRATCH_PATH:+--scratch-path "$PILOT_BENCH_SCRATCH_PATH"})
for product in pilot-web pilot-worker pilotctl; do "${build[@]}" --product "$product" >/dev/null; done
bin=$("${build[@]}" --show-bin-path)
free_port() { python3 deploy/free_ports.py; }  # below the ephemeral range: see that file
port=$(free_port)
mgmt=$(free_port)
web_port=$(free_port)
dir=$(mktemp -d /tmp/pilot-pages-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  deploy/broker.sh stop "$dir/broker" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$mgmt PILOT_BROKER_DIST_PORT=$(free_port) \
  deploy/broker.sh start "$dir/broker" >/dev/null
url="amqp://guest:guest@127.0.0.1:$port/%2f"
export PILOT_AMQP_URL=$url PILOT_WORKSPACE=$dir/ws PILOT_DAY_SECONDS=1 PILOT_MANAGEMENT_URL=http://127.0.0.1:$mgmt
mkdir -p "$PILOT_WORKSPACE"
echo "machine: $(nproc) cores, $(uname -sr); broker: RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?')"

# The rehearsal: one 14-day pilot through the real worker.
PILOT_LOG_LEVEL=warning "$bin/pilot-worker" >"$dir/worker.log" 2>&1 &
worker=$!
pids+=("$worker")
python3 Benchmarks/python/pages_rehearsal.py "$url" bench-2026-12 "$PILOT_WORKSPACE/.pilot/pilot.db"
kill -TERM "$worker"; wait "$worker" || true

# The other pilots: the rehearsed state under other thread ids, written with sqlite3 into
# the store the worker created (same schema), a third with a health score.
python3 - "$PILOT_WORKSPACE/.pilot/pilot.db" "$pilots" <<'PY'
import json, random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
state, created = db.execute("SELECT state_json, created_at FROM pilots WHERE thread_id = 'bench-2026-12'").fetchone()
state = json.loads(state)
random.seed(7)
rows = []
statuses = ["active"] * 6 + ["kickoff_scheduled", "agreement_sent", "completed", "lost"]
for i in range(int(sys.argv[2]) - 1):
    copy = dict(state)
    if i % 3 == 0:
        score = random.randint(5, 100)
        copy["health"] = {"score": score, "label": "at risk" if score < 50 else "on track", "reasons": ["synthetic"]}
    rows.append((f"load-{i:05d}", "monitoring", random.choice(statuses), json.dumps(copy), 1, created,
                 f"2026-12-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"))
db.executemany("INSERT INTO pilots (thread_id, stage, status, state_json, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?)", rows)
db.commit()
print("pilots in the store:", db.execute("SELECT count(*) FROM pilots").fetchone()[0])
PY

export PILOT_WEB_TOKEN=bench-token-0123456789abcdef PILOT_WEB_SECRET=bench-secret-0123456789abcdef
PILOT_WEB_PORT=$web_port PILOT_WEB_HOST=127.0.0.1 PILOT_LOG_LEVEL=warning "$bin/pilot-web" >"$dir/web.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$web_port/healthz" >/dev/null && break; sleep 0.1; done
share=$("$bin/pilotctl" pilot share bench-2026-12 --days 1)
base="http://127.0.0.1:$web_port"
for path in /healthz "$share"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
  [[ $status == 200 ]] || { echo "GET $path answered $status"; tail -20 "$dir/web.log"; exit 1; }
done
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $PILOT_WEB_TOKEN" "$base/")
[[ $status == 200 ]] || { echo "GET / answered $status"; exit 1; }

run() {  # name, connections, path, [bearer]
  local out line
  out=$(PILOT_BENCH_BEARER=${4:-} wrk -t 2 -c "$2" -d "${seconds}s" -s Benchmarks/web/get_page.lua "$base$3")
  line=$(grep '^result' <<<"$out")
  echo "$1, $2 connections: $line"
}
run "GET /healthz" 16 /healthz
run "GET buyer page (/share/…)" 16 "$share"
run "GET dashboard overview (/)" 4 / "$PILOT_WEB_TOKEN"
run "GET dashboard overview page 100 (/?page=100)" 4 "/?page=100" "$PILOT_WEB_TOKEN"
