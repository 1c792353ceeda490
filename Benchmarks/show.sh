#!/usr/bin/env bash
# `pilotctl pilot show` latency with 10,000 pilots in the store, PostgreSQL beside SQLite
# in the same run, reported as a ratio. Each call is a whole pilotctl process, as an
# operator runs it: start, open the store (PostgreSQL: connect, authenticate, check the
# schema), read the pilot and its documents, print.
#   Benchmarks/show.sh [calls per store, default 200] [pilots, default 10000]
# Builds pilotctl in release; starts a private PostgreSQL (deploy/postgres.sh). The SQLite
# store is filled with python's sqlite3 (states of about 3 KB, 8 documents each) and
# moved to PostgreSQL with `pilotctl store copy`, which is timed too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
calls=${1:-200}
pilots=${2:-10000}
build=(swift build -c release ${PILOT_BENCH_SCRATCH_PATH:+--scratch-path "$PILOT_BENCH_SCRATCH_PATH"})
"${build[@]}" --product pilotctl >/dev/null
bin=$("${build[@]}" --show-bin-path)
dir=$(mktemp -d /tmp/pilot-show-bench.XXXXXX)
chmod 755 "$dir"
cleanup() {
  deploy/postgres.sh stop "$dir/pg" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
PILOT_PG_PORT=$(python3 deploy/free_ports.py) \
  deploy/postgres.sh start "$dir/pg" >/dev/null
postgres=$(sed -n "s/^PILOT_DATABASE='\(.*\)'$/\1/p" "$dir/pg/env")
sqlite=$dir/pilot.db
: >"$sqlite"
"$bin/pilotctl" pilot list --database "$sqlite" --limit 1 >/dev/null  # creates the schema
python3 - "$sqlite" "$pilots" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2])
def state(i):
    return {
        "request": {"lead": {"company": {"name": f"Company {i}", "domain": f"c{i}.example"}},
                    "terms": {"duration_days": 30, "pricing": {"model": "paid", "list_price_annual": 48000}}},
        "health": {"score": i % 100, "label": "fair", "reasons": ["no metrics for 2 days"] * 3, "day": 12},
        "criteria": [{"id": f"c{k}", "metric": "latency_p95_ms", "target": 200 + k, "notes": "x" * 120} for k in range(8)],
        "history": [{"at": "2026-11-25T09:00:00Z", "change": "extended", "what": "Extended by 7 days", "why": "y" * 80}] * 4,
    }
with db:
    for i in range(n):
        t = f"thread-{i:05d}"
        db.execute("INSERT INTO pilots VALUES (?,?,?,?,?,?,?)",
                   (t, "monitoring", "active", json.dumps(state(i)), 3, "2026-11-01T09:00:00Z", f"2026-11-{1 + i % 28:02d}T09:00:00Z"))
        for k in range(8):
            db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?)",
                       (t, f"threads/sales/{t}/doc-{k}.md", "ab" * 32, 4096, "2026-11-01T09:00:00Z", f"e-{t}-{k}"))
PY
start=$(date +%s.%N)
"$bin/pilotctl" store copy --from "$sqlite" --to "$postgres" | tail -n 3
echo "store copy of $pilots pilots: $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s"

# The median of `calls` runs, each showing another pilot.
measure() {
  python3 - "$bin/pilotctl" "$1" "$calls" "$pilots" <<'PY'
import statistics, subprocess, sys, time
tool, database, calls, pilots = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
times = []
for k in range(calls):
    thread = f"thread-{(k * 7919) % pilots:05d}"
    started = time.perf_counter()
    subprocess.run([tool, "pilot", "show", thread, "--database", database], check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - started)
times.sort()
print(f"{statistics.median(times) * 1000:.2f} {times[int(len(times) * 0.99) - 1] * 1000:.2f}")
PY
}
read -r sqlite_p50 sqlite_p99 < <(measure "$sqlite")
read -r pg_p50 pg_p99 < <(measure "$postgres")
echo "machine: $(nproc) cores; PostgreSQL $("$(dirname "$(command -v pg_ctl 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_ctl)")"/postgres --version 2>/dev/null | awk '{print $3}' || echo 15)"
echo "pilotctl pilot show, $pilots pilots, $calls calls each (whole process):"
echo "  sqlite     p50 ${sqlite_p50} ms  p99 ${sqlite_p99} ms"
echo "  postgres   p50 ${pg_p50} ms  p99 ${pg_p99} ms"
echo "  ratio postgres/sqlite (p50): $(python3 -c "print(f'{$pg_p50 / $sqlite_p50:.2f}')")"
