#!/usr/bin/env bash
# Rehearses many whole pilots at once, without faults, on release workers, and prints
# how long they took and how many events were handled: the chaos suite's driver and
# checks (exactly one outcome, every document, nothing left over) with faults off.
# Usage: Benchmarks/rehearsal.sh [pilots=1000] [days=30] [day-seconds=2] [workers=2]
# The workers run with their defaults: only the broker, the workspace and the day length
# are set. Tuning goes through the ordinary variables, e.g.
#   PILOT_CONCURRENCY=3 PILOT_PREFETCH=400 Benchmarks/rehearsal.sh 10000 30 4 2
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build -c release --product pilot-worker >/dev/null
swift build --build-tests >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); broker: RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?') on the same machine"
PILOT_BIN_DIR="$(swift build -c release --show-bin-path)" \
PILOT_CHAOS_FAULTS=0 PILOT_CHAOS_PLAIN=1 PILOT_CHAOS_PILOTS=${1:-1000} PILOT_CHAOS_DAYS=${2:-30} \
PILOT_CHAOS_DAY_SECONDS=${3:-2} PILOT_CHAOS_WORKERS=${4:-2} \
  swift test --skip-build --filter ChaosTests 2>&1 | grep -E '^(chaos|  |✔|✘)'
