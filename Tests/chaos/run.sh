#!/usr/bin/env bash
# The full chaos run: 500 pilots (or $1) through three workers that are killed at
# random while the broker restarts once. CI runs the same test with 40 pilots.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build --build-tests
PILOT_CHAOS_PILOTS=${1:-500} swift test --skip-build --filter ChaosTests
