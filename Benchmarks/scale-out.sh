#!/usr/bin/env bash
# The shared engines against the embedded ones, on release workers, all in one run:
#   1. the rehearsal (Benchmarks/rehearsal.sh's: whole pilots, every check, no faults) on
#      SQLite + the workspace, then on PostgreSQL + S3 (SeaweedFS), same pilots and workers;
#   2. events/s with 1, 2 and 4 worker processes on the PostgreSQL store (documents in the
#      workspace, so the store is what is measured).
# Each server is private, on loopback, started by the project's own scripts.
# Usage: Benchmarks/scale-out.sh [pilots=1000] [days=30] [day-seconds=2] [workers=2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pilots=${1:-1000} days=${2:-30} day_seconds=${3:-2} workers=${4:-2}
swift build -c release --product pilot-worker >/dev/null
swift build --build-tests >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?'), PostgreSQL $(dpkg-query -W -f='${Version}' postgresql-15 2>/dev/null || echo '?'), SeaweedFS $(weed version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+' | head -n 1 || echo '?'), all on this machine"

# rehearse DATABASE DOCUMENTS WORKERS: prints "seconds events" of one rehearsal.
rehearse() {
  local out
  out=$(PILOT_BIN_DIR="$(swift build -c release --show-bin-path)" \
    PILOT_CHAOS_FAULTS=0 PILOT_CHAOS_PLAIN=1 PILOT_CHAOS_PILOTS=$pilots PILOT_CHAOS_DAYS=$days \
    PILOT_CHAOS_DAY_SECONDS=$day_seconds PILOT_CHAOS_WORKERS=$3 PILOT_CHAOS_DATABASE=$1 PILOT_CHAOS_DOCUMENTS=$2 \
    swift test --skip-build --filter ChaosTests 2>&1) || { echo "$out" | grep -E '^(chaos|  |✘)' >&2; echo "rehearsal on $1 + $2 with $3 workers failed" >&2; return 1; }
  echo "$out" | sed -nE 's/^  time: ([0-9.]+) s, ([0-9]+) events handled.*/\1 \2/p'
}
rate() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", e / s }'; }

echo "== $pilots pilots of $days days ($day_seconds-s days), $workers workers"
read -r s1 e1 < <(rehearse sqlite workspace "$workers")
echo "SQLite + workspace:   $s1 s, $e1 events, $(rate "$s1" "$e1") events/s"
read -r s2 e2 < <(rehearse postgres s3 "$workers")
echo "PostgreSQL + S3:      $s2 s, $e2 events, $(rate "$s2" "$e2") events/s ($(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.2f", a / b }')x the SQLite run's rate)"

echo "== worker processes on the PostgreSQL store (documents in the workspace)"
base=
for n in 1 2 4; do
  read -r s e < <(rehearse postgres workspace "$n")
  r=$(rate "$s" "$e")
  base=${base:-$r}
  echo "$n worker(s):          $s s, $e events, $r events/s ($(awk -v a="$r" -v b="$base" 'BEGIN { printf "%.2f", a / b }')x one worker)"
done
