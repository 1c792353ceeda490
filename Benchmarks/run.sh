#!/usr/bin/env bash
# Builds pilot-bench in release mode, starts a private broker on a free port, runs
# one benchmark and stops the broker. Usage: Benchmarks/run.sh [noop] [pilot-bench options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build -c release --product pilot-bench >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
dir=$(mktemp -d /tmp/pilot-bench-broker.XXXXXX)
trap 'deploy/broker.sh stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$(free_port) PILOT_BROKER_DIST_PORT=$(free_port) deploy/broker.sh start "$dir" >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); broker: RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?')"
"$(swift build -c release --show-bin-path)/pilot-bench" --amqp-url "amqp://guest:guest@127.0.0.1:$port/%2f" "$@"
