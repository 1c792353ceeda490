#!/usr/bin/env bash
# Builds the image of Containerfile with Debian's buildah (chroot isolation, vfs
# storage: no daemon, no user namespaces) and runs it: pilot-worker from the image
# takes one pilot through its agreement against a private broker on loopback.
#   deploy/container/build.sh [--run-only] [TAG]     (TAG: pilot-worker:dev)
# --run-only skips the build and runs an image built before.
# Where the base images cannot be pulled (a machine without a container registry),
# it first makes local stand-ins under the same names:
#   debian:bookworm-slim  debootstrap --variant=minbase bookworm, from Debian's mirror
#   swift:6.3-bookworm    that, with the build tools the official Swift image has and
#                         this machine's toolchain ($SWIFT_ROOT, default /opt/swift)
# and, when this machine reads GitHub from a local mirror (git's url.*.insteadOf, as
# here), passes that mirror into the build so `swift package resolve` works offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
run_only=
if [[ ${1:-} == --run-only ]]; then run_only=1 && shift; fi
tag=${1:-pilot-worker:dev}
cache=${PILOT_CONTAINER_CACHE:-/var/tmp/pilot-container}
swift_root=${SWIFT_ROOT:-/opt/swift}
bah=(buildah --storage-driver vfs)
step() { echo "==> $*"; }
die() { echo "build.sh: $*" >&2; exit 1; }
command -v buildah >/dev/null || die "buildah missing (apt-get install buildah)"
mkdir -p "$cache"

# have NAME: whether the image is in local storage, or can be pulled.
have() {
  "${bah[@]}" inspect --type image "$1" >/dev/null 2>&1 && return 0
  timeout 120 "${bah[@]}" pull --quiet "$1" >/dev/null 2>&1
}

# A root file system from Debian's mirror, committed as an image named $1.
debian_standin() {
  local rootfs=$cache/bookworm-minbase
  if [[ ! -x $rootfs/bin/sh ]]; then
    command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap)"
    step "debootstrap bookworm (minbase) into $rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
      || { tail -n 20 "$cache/debootstrap.log" >&2; die "debootstrap failed"; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  fi
  step "stand-in $1 from $rootfs"
  tar -C "$rootfs" -cf "$cache/bookworm-minbase.tar" .
  local ctr
  ctr=$("${bah[@]}" from scratch)
  "${bah[@]}" add "$ctr" "$cache/bookworm-minbase.tar" / >/dev/null
  "${bah[@]}" config --cmd /bin/bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  "${bah[@]}" commit --quiet --rm "$ctr" "$1" >/dev/null
  rm -f "$cache/bookworm-minbase.tar"
}

# The Debian stand-in plus what the official swift:*-bookworm image installs, and the toolchain.
swift_standin() {
  [[ -x $swift_root/usr/bin/swift ]] || die "no Swift toolchain at $swift_root (set SWIFT_ROOT)"
  step "stand-in $1 from $2 and $swift_root ($("$swift_root/usr/bin/swift" --version 2>/dev/null | head -n 1))"
  local ctr
  ctr=$("${bah[@]}" from --pull=never "$2")
  "${bah[@]}" run --isolation chroot "$ctr" -- sh -c 'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libncurses-dev libz3-dev pkg-config tzdata zlib1g-dev ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*'
  "${bah[@]}" copy "$ctr" "$swift_root/usr" /usr >/dev/null
  "${bah[@]}" commit --quiet --rm "$ctr" "$1" >/dev/null
}

if [[ -z $run_only ]]; then
debian=docker.io/library/debian:bookworm-slim
swift=docker.io/library/swift:6.3-bookworm
have "$debian" || debian_standin "$debian"
have "$swift" || swift_standin "$swift" "$debian"

# An offline package mirror, as git on this machine is told to use it.
volumes=()
mirror=$(git config --get-regexp '^url\..*\.insteadof$' 'https://github.com/' 2>/dev/null | head -n 1 | sed -E 's/^url\.(.*)\.insteadof .*/\1/' || true)
if [[ -n $mirror && -d $mirror ]]; then
  step "Swift packages from the local mirror $mirror"
  printf '[url "%s"]\n\tinsteadOf = https://github.com/\n' "$mirror" >"$cache/gitconfig"
  volumes=(--volume "$mirror:$mirror:ro" --volume "$cache/gitconfig:/etc/gitconfig:ro")
fi

step "buildah build -t $tag (release build inside: minutes)"
started=$SECONDS
"${bah[@]}" build --isolation chroot --pull=never --layers=false "${volumes[@]}" \
  --ignorefile deploy/container/ignore -f deploy/container/Containerfile -t "$tag" . >"$cache/build.log" 2>&1 \
  || { tail -n 40 "$cache/build.log" >&2; die "the image did not build (log: $cache/build.log)"; }
echo "built $tag in $((SECONDS - started)) s: $("${bah[@]}" images --format '{{.Size}}' "$tag" | head -n 1)"
fi

# Run it: the image's own pilot-worker against a private broker on loopback (chroot
# isolation shares the host's network), as the image's non-root user.
step "running $tag"
run_dir=$(mktemp -d)
ctr=
cleanup() {
  [[ -n $ctr ]] && "${bah[@]}" rm "$ctr" >/dev/null 2>&1
  [[ -n ${worker_pid:-} ]] && kill "$worker_pid" 2>/dev/null
  deploy/broker.sh stop "$run_dir/broker" >/dev/null 2>&1 || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$(free_port) PILOT_BROKER_DIST_PORT=$(free_port) \
  deploy/broker.sh start "$run_dir/broker" >/dev/null
url="amqp://guest:guest@127.0.0.1:$port/%2f"
ctr=$("${bah[@]}" from --pull=never "$tag")
user=$("${bah[@]}" run --isolation chroot "$ctr" -- id -u)
[[ $user == 10001 ]] || die "the image runs as uid $user, not 10001"
"${bah[@]}" run --isolation chroot --env PILOT_AMQP_URL="$url" --env PILOT_STAGES=agreement --env PILOT_LOG_FORMAT=text \
  "$ctr" -- /usr/local/bin/pilot-worker >"$run_dir/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 120); do grep -q 'worker started' "$run_dir/worker.log" && break; sleep 0.5; done
grep -q 'worker started' "$run_dir/worker.log" || { cat "$run_dir/worker.log" >&2; die "pilot-worker in the image did not start"; }
thread=$(python3 -c 'import json; print(json.load(open("examples/pilot.requested.json"))["subject"])')
PILOT_AMQP_URL=$url "$(swift build --show-bin-path)/pilotctl" publish examples/pilot.requested.json >/dev/null
for _ in $(seq 120); do
  "${bah[@]}" run --isolation chroot "$ctr" -- /usr/local/bin/pilotctl pilot show "$thread" 2>/dev/null | grep -q 'agreement_sent' && break
  sleep 0.5
done
"${bah[@]}" run --isolation chroot "$ctr" -- /usr/local/bin/pilotctl pilot show "$thread" | grep -q agreement_sent \
  || { cat "$run_dir/worker.log" >&2; die "the image's worker did not send the agreement of $thread"; }
"${bah[@]}" run --isolation chroot "$ctr" -- test -s "/var/lib/pilot-worker/threads/sales/$thread/pilot-agreement-custom.md" \
  || die "no agreement document in the image's workspace"
echo "ran $tag: pilot-worker (uid 10001) took $thread to agreement_sent; pilotctl in the image reads it"
