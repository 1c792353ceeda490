#!/usr/bin/env bash
# Builds in release mode, starts a private broker on a free port, runs one benchmark
# and stops the broker.
#   Benchmarks/run.sh [noop|agreement|reports|process|validate|codec|render|tick|store|sweep] [pilot-bench options]
#   Benchmarks/run.sh puts [--messages N] [--rounds R]   (also starts a private object store)
#   Benchmarks/run.sh python [--messages N] [--rounds R] [--rss-only]
#   Benchmarks/run.sh delivery [--messages N]
# `python` builds pilot-worker and runs Benchmarks/python/compare.py: our worker's
# no-op stage against a pika + jsonschema peer; `delivery` runs Benchmarks/python/delivery.py:
# mail into aiosmtpd and webhooks into a receiver, each beside its baseline. PILOT_BENCH_SCRATCH_PATH builds in
# that folder instead of .build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=(swift build -c release ${PILOT_BENCH_SCRATCH_PATH:+--scratch-path "$PILOT_BENCH_SCRATCH_PATH"})
product=pilot-bench
mode=${1:-}
if [[ $mode == python || $mode == delivery ]]; then product=pilot-worker && shift; fi
"${build[@]}" --product "$product" >/dev/null
binary="$("${build[@]}" --show-bin-path)/$product"
free_port() { python3 deploy/free_ports.py; }  # below the ephemeral range: see that file
port=$(free_port)
dir=$(mktemp -d /tmp/pilot-bench-broker.XXXXXX)
trap 'deploy/broker.sh stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$(free_port) PILOT_BROKER_DIST_PORT=$(free_port) deploy/broker.sh start "$dir" >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); broker: RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?')"
url="amqp://guest:guest@127.0.0.1:$port/%2f"
if [[ $mode == puts ]]; then
  # A private object store beside the broker; the benchmark reads PILOT_DOCUMENTS and its variables.
  trap 'deploy/objectstore.sh stop "$dir/s3" >/dev/null 2>&1 || true; deploy/broker.sh stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  PILOT_S3_PORT=$(python3 deploy/free_ports.py --span 8) deploy/objectstore.sh start "$dir/s3" >/dev/null
  set -a && . "$dir/s3/env" && set +a
fi
if [[ $mode == delivery ]]; then
  python3 Benchmarks/python/delivery.py --amqp-url "$url" --worker "$binary" "$@"
elif [[ $product == pilot-worker ]]; then
  python3 Benchmarks/python/compare.py --amqp-url "$url" --worker "$binary" "$@"
else
  "$binary" --amqp-url "$url" "$@"
fi
