#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test suite. The
# integration tests start their own RabbitMQ nodes on free loopback ports.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/deploy/install-deps.sh"
echo "==> schema contracts (Python jsonschema as an independent peer)"
python3 Tests/contract/check_schemas.py | tail -n 1
echo "==> deploy manifests (systemd-analyze, yamllint, kubernetes-validate, KEDA schema, a RabbitMQ node)"
deploy/check-manifests.sh
echo "==> swift test"
swift build --build-tests
swift test --skip-build "$@"
# The path every message body takes, fuzzed with libFuzzer and ASan (Fuzzing/README.md):
# about 2 minutes to build from scratch, then the regressions and 45 s of fuzzing.
# PILOT_FUZZ_SECONDS=0 replays the regressions only.
echo "==> envelope fuzzing"
Fuzzing/run.sh "${PILOT_FUZZ_SECONDS:-45}"
