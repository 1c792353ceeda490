#!/usr/bin/env bash
# The proof across hosts: N whole pilots (default 500) on 3 hosts x 2 workers sharing
# only PostgreSQL, the object store (SeaweedFS) and a 3-node RabbitMQ cluster, while
# workers are killed, the leading broker node, PostgreSQL and the object store go away
# and come back. Prints the Jepsen-style counts; CI runs the same test with 12 pilots.
#   Tests/scale/run.sh [N] [days=14] [day-seconds=1]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build --build-tests
PILOT_SCALE_PILOTS=${1:-500} PILOT_SCALE_DAYS=${2:-14} PILOT_SCALE_DAY_SECONDS=${3:-1} \
  swift test --skip-build --filter ScaleTests 2>&1 | grep -E '^(scale|  |✔|✘|.*(error|Issue))'
