#!/usr/bin/env bash
# Rehearses many whole pilots at once, without faults, on release workers, and prints
# how long they took and how many events were handled: the chaos suite's driver and
# checks (exactly one outcome, every document, nothing left over) with faults off.
# Usage: Benchmarks/rehearsal.sh [pilots=1000] [days=30] [day-seconds=2] [workers=2]
# The workers run with their defaults: only the broker, the workspace and the day length
# are set. PILOT_BIN_DIR (a folder, no trailing slash) runs another build's pilot-worker,
# to compare two builds. Tuning goes through the ordinary variables, e.g.
#   PILOT_CONCURRENCY=3 PILOT_PREFETCH=400 Benchmarks/rehearsal.sh 10000 30 4 2
# The driver sends all of a pilot's metrics with its signature (the figures in the README
# are of that); PILOT_CHAOS_METRICS=daily sends each day's in the middle of that day, as
# a lead's systems report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build -c release --product pilot-worker >/dev/null
# The driver (upstream's systems and the checks: the chaos suite's test) is the suite's
# debug build. PILOT_DRIVER_BUILD=release builds it for release instead, in a folder of
# its own (PILOT_DRIVER_SCRATCH, default .build-driver; about ten minutes the first
# time): release tests need -enable-testing, which would rebuild the workers' release
# build if they shared one. It takes half the CPU in the drive (publishing and reading
# the taps) and did not change the run's time (README, 2026-12-07).
case ${PILOT_DRIVER_BUILD:-debug} in
  debug) driver_build=(--scratch-path "$root/.build") ;;
  release) driver_build=(-c release --scratch-path "${PILOT_DRIVER_SCRATCH:-$root/.build-driver}" -Xswiftc -enable-testing) ;;
  *) echo "PILOT_DRIVER_BUILD must be debug or release, not ${PILOT_DRIVER_BUILD}" >&2; exit 2 ;;
esac
swift build --build-tests "${driver_build[@]}" >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); broker: RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?') on the same machine"
bin=${PILOT_BIN_DIR:-$(swift build -c release --show-bin-path)}
driver=$(swift build "${driver_build[@]}" --show-bin-path)/pilot-workerPackageTests.xctest
# CPU over the whole test (setup and checks included): the machine's busy time, the
# workers' own and the driver's (the test process: upstream's publishes and the checks),
# read from /proc while they live (a process's last half second is missed); and the
# largest resident set a worker reached.
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
started=$(busy)
PILOT_BIN_DIR="$bin" \
PILOT_CHAOS_FAULTS=0 PILOT_CHAOS_PLAIN=1 PILOT_CHAOS_METRICS=${PILOT_CHAOS_METRICS:-upfront} PILOT_CHAOS_PILOTS=${1:-1000} PILOT_CHAOS_DAYS=${2:-30} \
PILOT_CHAOS_DAY_SECONDS=${3:-2} PILOT_CHAOS_WORKERS=${4:-2} \
  swift test "${driver_build[@]}" --skip-build --filter ChaosTests 2>&1 | grep -E '^(chaos|  |✔|✘)' &
run=$!
declare -A worker tester
# The processes are looked for every 2.5 s (pgrep reads every process's command line) and
# read every half second. Looking for them twice a second, with an awk for each worker's
# peak, took 2-3 % of the machine the rehearsal measures.
look() { # look <array name> <pgrep pattern>: adds the processes that match
  local -n seen=$1
  for pid in $(pgrep -f "$2" || true); do [[ -v "seen[$pid]" ]] || seen[$pid]=0; done
}
sample() { # sample <array name>: each one's CPU so far, while it lives
  local -n seen=$1
  for pid in "${!seen[@]}"; do
    read -r -a stat 2>/dev/null < "/proc/$pid/stat" || continue
    (( ${stat[13]} + ${stat[14]} > ${seen[$pid]} )) && seen[$pid]=$(( ${stat[13]} + ${stat[14]} ))
  done
  return 0
}
peak=0 # the largest resident set of a worker, kB
round=0
while kill -0 "$run" 2>/dev/null; do
  if (( round % 5 == 0 )); then
    look worker "^$bin/pilot-worker( |$)"
    look tester "^$driver "
  fi
  round=$(( round + 1 ))
  sample worker
  sample tester
  for pid in "${!worker[@]}"; do
    while read -r key value _; do
      [[ $key == VmHWM: ]] && (( value > peak )) && peak=$value
    done 2>/dev/null < "/proc/$pid/status" || true
  done
  sleep 0.5
done
status=0
wait "$run" || status=$?
ticks=$(getconf CLK_TCK)
total=0
for pid in "${!worker[@]}"; do total=$(( total + ${worker[$pid]} )); done
drove=0
for pid in "${!tester[@]}"; do drove=$(( drove + ${tester[$pid]} )); done
awk -v w="$total" -v n="${#worker[@]}" -v d="$drove" -v b="$(( $(busy) - started ))" -v t="$ticks" -v p="$peak" \
  'BEGIN { printf "cpu: workers %.1f s (%d processes, each at most %.0f MiB resident), the driver %.1f s, the machine busy %.1f s\n", w / t, n, p / 1024, d / t, b / t }'
exit "$status"
