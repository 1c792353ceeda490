#!/usr/bin/env bash
# Memory check (issue 8): one pilot-worker with every stage runs under valgrind memcheck
# while Tests/memory/drive.py plays upstream for whole pilots (default 280 14-day
# pilots, over 10,000 deliveries handled) with bad input for every stage between
# them; /metrics, /healthz and /readyz are scraped during the run. The worker is then
# stopped with SIGTERM (graceful, exit 0) so the leak check at exit is meaningful.
#   Tests/memory/run.sh [pilots]
# Fails when the driver fails (a pilot unfinished, a wrong or missing dead letter),
# the worker does not exit 0, or memcheck reports any error: definitely or
# indirectly lost blocks, invalid reads, writes or frees, uninitialised values.
# Possibly lost blocks (Swift runtime caches) are reported, not failed.
# Env: PILOT_MEMCHECK_SCRATCH_PATH (default .build-memcheck) builds there;
# PILOT_MEMCHECK_TOOL=none runs the worker without valgrind (to try the driver);
# PILOT_MEMCHECK_VALGRIND_ARGS adds valgrind options;
# PILOT_MEMCHECK_KEEP=1 keeps the temporary folder (logs, workspace).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
pilots=${1:-280}
[[ $pilots =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [pilots]" >&2; exit 2; }
tool=${PILOT_MEMCHECK_TOOL:-valgrind}
started=$(date +%s)

# Valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 and clang emit by default
# ("unhandled dwarf2 abbrev form code 0x25", then it gives up): ask for DWARF 4.
build=(swift build --scratch-path "${PILOT_MEMCHECK_SCRATCH_PATH:-.build-memcheck}" -Xswiftc -dwarf-version=4 -Xcc -gdwarf-4)
echo "memcheck: building pilot-worker (debug, DWARF 4)"
"${build[@]}" --product pilot-worker >/dev/null
binary="$("${build[@]}" --show-bin-path)/pilot-worker"

work=$(mktemp -d /tmp/pilot-memcheck.XXXXXX)
worker_pid='' scraper_pid=''
cleanup() {
  if [[ -n $scraper_pid ]]; then kill "$scraper_pid" 2>/dev/null || true; fi
  if [[ -n $worker_pid ]]; then
    kill -KILL "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
  deploy/broker.sh stop "$work/broker" >/dev/null 2>&1 || true
  if [[ -n ${PILOT_MEMCHECK_KEEP:-} ]]; then echo "memcheck: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A zombie still answers kill -0; a worker that died must count as gone.
alive() { [[ $(ps -o stat= -p "$1" 2>/dev/null) =~ ^[^Z] ]]; }
free_port() { python3 deploy/free_ports.py; }  # below the ephemeral range: see that file
port=$(free_port) mgmt_port=$(free_port)
PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$mgmt_port PILOT_BROKER_DIST_PORT=$(free_port) \
  deploy/broker.sh start "$work/broker" >/dev/null
url="amqp://guest:guest@127.0.0.1:$port/%2f"
metrics_port=$(free_port)
http="http://127.0.0.1:$metrics_port"

checker=() label='no checker'
if [[ $tool == valgrind ]]; then
  label="valgrind $(valgrind --version | sed 's/^valgrind-//') memcheck"
  # See sigsuspend.c: without it valgrind 3.19 dies as soon as the async main parks.
  cc -shared -fPIC -O2 -o "$work/sigsuspend.so" Tests/memory/sigsuspend.c -ldl
  # PILOT_MEMCHECK_VALGRIND_ARGS adds options, e.g. --track-origins=yes or --gen-suppressions=all.
  read -ra extra <<<"${PILOT_MEMCHECK_VALGRIND_ARGS:-}"
  checker=(env "LD_PRELOAD=$work/sigsuspend.so" valgrind --tool=memcheck -s
    --leak-check=full "--show-leak-kinds=definite,indirect,possible" "--errors-for-leak-kinds=definite,indirect"
    --suppressions=Tests/memory/swift.supp --num-callers=40 --fair-sched=yes
    --log-file="$work/valgrind.log" "${extra[@]}")
elif [[ $tool != none ]]; then
  echo "memcheck: PILOT_MEMCHECK_TOOL is valgrind or none, not '$tool'" >&2
  exit 2
fi

mkdir -p "$work/workspace"
echo "memcheck: pilot-worker under $label; broker amqp 127.0.0.1:$port; HTTP $http; $pilots pilots"
PILOT_AMQP_URL=$url PILOT_STAGES=all PILOT_DAY_SECONDS=0.2 PILOT_RETRY_DELAYS=200ms \
  PILOT_WORKSPACE="$work/workspace" PILOT_SCHEMAS="$root/schemas" PILOT_METRICS_PORT=$metrics_port \
  PILOT_METRICS_HOST=127.0.0.1 PILOT_MAX_BODY_BYTES=65536 PILOT_SHUTDOWN_TIMEOUT=120 \
  "${checker[@]}" "$binary" >"$work/worker.log" 2>&1 &
worker_pid=$!

# Ready when every consumer consumes (the topology is declared by then).
for ((i = 0; ; i++)); do
  if curl -sf "$http/readyz" >/dev/null 2>&1; then break; fi
  if ! alive "$worker_pid" || ((i > 600)); then
    echo "memcheck: the worker did not become ready; its log:" >&2
    tail -n 40 "$work/worker.log" >&2
    [[ ! -f $work/valgrind.log ]] || tail -n 40 "$work/valgrind.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "memcheck: worker ready after $(($(date +%s) - started)) s"

# The HTTP side runs during the whole check: a scrape of each endpoint every 15 s.
(
  while sleep 15; do
    for path in metrics healthz readyz; do
      if curl -sf -o /dev/null "$http/$path"; then echo "$path ok"; else echo "$path failed"; fi
    done
  done
) >"$work/scrapes.log" 2>&1 &
scraper_pid=$!

driver_status=0
python3 Tests/memory/drive.py --amqp-url "$url" --mgmt-url "http://127.0.0.1:$mgmt_port/" --metrics-url "$http/metrics" --pilots "$pilots" \
  --summary "$work/summary.json" || driver_status=$?
kill "$scraper_pid" 2>/dev/null || true
wait "$scraper_pid" 2>/dev/null || true
scraper_pid=''

# Graceful stop; the leak check runs at exit, which takes valgrind a while.
echo "memcheck: SIGTERM to the worker"
kill -TERM "$worker_pid"
for ((i = 0; i < 1200; i++)); do
  if ! alive "$worker_pid"; then break; fi
  sleep 0.5
done
if alive "$worker_pid"; then
  echo "memcheck: the worker did not exit within 10 minutes of SIGTERM; killing it" >&2
  kill -KILL "$worker_pid"
fi
worker_status=0
wait "$worker_pid" || worker_status=$?
worker_pid=''

scrapes_ok=$(grep -c ' ok$' "$work/scrapes.log" || true)
scrapes_failed=$(grep -c ' failed$' "$work/scrapes.log" || true)
verdict=0
python3 Tests/memory/verdict.py --summary "$work/summary.json" --worker-status "$worker_status" \
  --driver-status "$driver_status" --scrapes "$scrapes_ok,$scrapes_failed" --worker-log "$work/worker.log" \
  ${checker[0]:+--valgrind-log "$work/valgrind.log"} --seconds "$(($(date +%s) - started))" || verdict=$?
if ((verdict != 0)); then
  echo "memcheck: worker log tail:" >&2
  tail -n 20 "$work/worker.log" >&2
  if [[ -z ${PILOT_MEMCHECK_KEEP:-} && -f $work/valgrind.log ]]; then
    mkdir -p "$root/.build-memcheck-logs"
    cp "$work/valgrind.log" "$work/worker.log" "$root/.build-memcheck-logs/"
    echo "memcheck: logs copied to .build-memcheck-logs/" >&2
  fi
fi
((verdict == 0))  # the status of the script (set -e)
