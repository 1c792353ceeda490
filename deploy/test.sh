#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test suite. The
# integration tests start their own RabbitMQ nodes on free loopback ports.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/deploy/install-deps.sh"
echo "==> schema contracts (Python jsonschema as an independent peer)"
python3 Tests/contract/check_schemas.py | tail -n 1
echo "==> Package.swift's dependencies against the imports"
python3 Tests/contract/check_imports.py
echo "==> deploy manifests (systemd-analyze, yamllint, kubernetes-validate, KEDA schema, a RabbitMQ node)"
deploy/check-manifests.sh
echo "==> swift test (every test; a skipped one fails the run)"
swift build --build-tests
# Live tests never skip here: without a broker they fail loudly (Tests/PilotTestKit/LiveTests.swift).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Swift Testing starts every test case at once unless told a width. Uncapped, the live
# suites' brokers, workers and browsers pushed the load average to 20–31 on two cores and
# tests missed their own deadlines; with at most 8 at once the run was both calmer and
# shorter (README, "Tests"). Swift Testing 6.3 reads this variable itself, and a test
# waits for its place before its time limit starts.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-8}
PILOT_REQUIRE_LIVE_TESTS=1 swift test --skip-build "$@" 2>&1 | tee "$log"
# Swift Testing prints one "Test … skipped" line per skipped test or suite (any
# condition: a missing tool, a missing fixture), XCTest "Test Case '…' skipped (…)";
# the run must have none.
skips='^.{0,4}(Test|Suite) .* skipped(: .*|\.)?$|^Test Case .* skipped \(|with [1-9][0-9]* tests? skipped'
skipped=$(grep -cE "$skips" "$log" || true)
if [[ $skipped -ne 0 ]]; then
  echo "deploy/test.sh: $skipped skipped test(s) or suite(s); every test must run:" >&2
  grep -E "$skips" "$log" >&2
  exit 1
fi
# The path every message body takes, fuzzed with libFuzzer and ASan (Fuzzing/README.md):
# about 2 minutes to build from scratch, then the regressions and 45 s of fuzzing.
# PILOT_FUZZ_SECONDS=0 replays the regressions only.
echo "==> envelope fuzzing"
Fuzzing/run.sh "${PILOT_FUZZ_SECONDS:-45}"
