#!/usr/bin/env bash
# Samples the queues of the newest private test broker (the one a rehearsal or a test
# started under $TMPDIR) every few seconds, until that broker is gone: seconds since the
# first sample, then each non-empty queue as name=ready/unacked. Shows where a rehearsal
# spends its time (a backlog in front of a stage, the day timer, the driver's taps).
# Usage: Benchmarks/queues.sh [interval-seconds=5] &  Benchmarks/rehearsal.sh 10000 30 8 2
set -euo pipefail
interval=${1:-5}
tmp=${TMPDIR:-/tmp}
conf=""
for ((i = 0; i < 600 && ${#conf} == 0; i++)); do
  conf=$(ls -t "$tmp"/pilot-broker-*/node/rabbitmq.conf 2>/dev/null | head -1 || true)
  [[ -n $conf ]] || sleep 1
done
[[ -n $conf ]] || { echo "queues.sh: no private broker under $tmp within 10 minutes" >&2; exit 1; }
port=$(awk '/^management.tcp.port/ {print $3}' "$conf")
start=$(date +%s)
while [[ -f $conf ]]; do
  # Nothing while the node boots or stops: the management API answers only once it is up.
  queues=$(curl -fsS -u guest:guest "http://127.0.0.1:$port/api/queues?columns=name,messages_ready,messages_unacknowledged" 2>/dev/null || true)
  [[ -n $queues ]] && python3 -c '
import json, sys
queues = json.load(sys.stdin)
counts = [(q["name"], q.get("messages_ready", 0), q.get("messages_unacknowledged", 0)) for q in queues]
busy = ["%s=%d/%d" % c for c in counts if c[1] or c[2]]
print(sys.argv[1], " ".join(busy))' "$(( $(date +%s) - start ))" <<<"$queues" || true
  sleep "$interval"
done
