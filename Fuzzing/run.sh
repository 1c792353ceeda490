#!/usr/bin/env bash
# Fuzzes envelope parsing, validation and decoding for a while.
#
#   Fuzzing/run.sh [seconds]      # default 60; 0 replays the regressions only
#
# Builds .build-fuzz/fuzz-envelope (Fuzzing/build.sh), replays every input in
# Fuzzing/regressions/, then runs libFuzzer for the given time on a temporary copy of
# the seeds in Fuzzing/corpus/. A crash, leak, timeout or broken property is written
# to Fuzzing/crashers/ and the script exits non-zero. Set FUZZ_CORPUS=DIR to keep the
# working corpus in DIR between runs instead (created from the seeds when empty).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
case $seconds in
'' | *[!0-9]*)
    echo "usage: $0 [seconds]" >&2
    exit 2
    ;;
esac

binary=$("$root/Fuzzing/build.sh")

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-envelope.XXXXXX")
trap 'rm -rf "$work"' EXIT
crashers=$root/Fuzzing/crashers
mkdir -p "$crashers"

export PILOT_SCHEMAS=$root/schemas
# Swift's Regex construction leaks its syntax tree; Contracts compiles each pattern
# once, at start-up (see lsan.supp). Leaks anywhere else still fail the run.
export LSAN_OPTIONS=suppressions=$root/Fuzzing/lsan.supp:print_suppressions=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# The sanitizers report crashes; the Swift runtime's backtracer would get in their way.
export SWIFT_BACKTRACE=enable=no
options=(-max_len=65536 -timeout=5 -rss_limit_mb=2048 "-dict=$root/Fuzzing/json.dict"
    "-artifact_prefix=$crashers/")

shopt -s nullglob
regressions=("$root"/Fuzzing/regressions/*)
if ((${#regressions[@]})); then
    echo "==> replaying ${#regressions[@]} regression inputs"
    if ! "$binary" "${options[@]}" "${regressions[@]}" > "$work/replay.log" 2>&1; then
        tail -n 60 "$work/replay.log"
        echo "fuzz: a regression input fails again (log above)" >&2
        exit 1
    fi
fi

if ((seconds == 0)); then
    echo "==> regressions pass (no fuzzing asked for)"
    exit 0
fi

corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"
if [[ -z $(ls -A "$corpus") ]]; then
    cp "$root"/Fuzzing/corpus/* "$corpus"/
fi

echo "==> fuzzing for ${seconds}s (corpus $corpus, crashers to $crashers/)"
status=0
"$binary" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    "$corpus" "$root/Fuzzing/corpus" > "$work/fuzz.log" 2>&1 || status=$?
if ((status != 0)); then
    tail -n 80 "$work/fuzz.log"
    echo "fuzz: libFuzzer stopped with status $status; the input is in $crashers/ (log above)" >&2
    exit 1
fi
grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' \
    "$work/fuzz.log" || true
echo "==> no crash in ${seconds}s"
