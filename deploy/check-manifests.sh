#!/usr/bin/env bash
# Checks the deploy manifests with the real tools, offline, and prints one line
# per check; exits 1 when any check fails. Tools: systemd-analyze (Debian's
# systemd), promtool (Debian's prometheus), yamllint, kubernetes-validate and
# jsonschema (PyPI), RabbitMQ and openssl; deploy/install-deps.sh installs them.
#   deploy/check-manifests.sh
# The check functions run through check() (shellcheck cannot see that).
# shellcheck disable=SC2317
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tmp=$(mktemp -d)
cleanup() {
  # A node the RabbitMQ check left behind (interrupted): its pid was recorded.
  local pid
  if pid=$(cat "$tmp/node.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

failed=0
# check NAME FUNCTION ARGS: runs FUNCTION in a subshell; prints
# "ok   NAME: <its last line>", or "FAIL NAME" and everything it printed. As
# the condition of an `if`, the function runs without errexit: each checks
# its own failures and returns 1.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then
    echo "ok   $name: ${out##*$'\n'}"
  else
    echo "FAIL $name"
    printf '     %s\n' "${out//$'\n'/$'\n'     }"
    failed=1
  fi
}

unit=deploy/systemd/pilot-worker@.service
target=deploy/systemd/pilot-worker.target
env_example=deploy/systemd/pilot-worker.env.example

# The units as installed, except that ExecStart's /usr/local/bin/ points at a
# stub: verify fails on a binary that does not exist, and the real one is not
# installed here. Nothing else in the text changes.
stage_units() {
  local dir=$tmp/systemd
  mkdir -p "$dir/bin"
  printf '#!/bin/sh\nexit 0\n' >"$dir/bin/pilot-worker"
  chmod 755 "$dir/bin/pilot-worker"
  sed -E "s#^(Exec[A-Za-z]+=[-@:+!]*)/usr/local/bin/#\1$dir/bin/#" "$unit" >"$dir/pilot-worker@.service"
  cp "$target" "$dir/pilot-worker.target"
  ln -sf pilot-worker@.service "$dir/pilot-worker@1.service"
  if ! grep -qx "ExecStart=$dir/bin/pilot-worker" "$dir/pilot-worker@.service"; then
    echo "$unit: ExecStart is no longer /usr/local/bin/pilot-worker; update stage_units in $0"
    return 1
  fi
}

# systemd-analyze verify exits 0 on warnings such as an unknown key or a value
# it cannot parse (it ignores the line), so any output at all fails the check.
systemd_verify() {
  local out
  stage_units || return 1
  out=$(cd "$tmp/systemd" && systemd-analyze verify --man=no \
    ./pilot-worker@.service ./pilot-worker@1.service ./pilot-worker.target 2>&1) || true
  if [[ -n $out ]]; then
    # The same line for the template and for @1: once is enough.
    awk '!seen[$0]++' <<<"${out//"$tmp/systemd/"/deploy/systemd/}"
    return 1
  fi
  echo "pilot-worker@.service (as @i and @1) and pilot-worker.target: no errors, no warnings ($(systemd-analyze --version | head -n 1))"
}

# systemd's own review of the sandboxing, 0.0 (locked down) to 10.0 (none);
# --threshold counts in tenths. A service that needs the network and a
# writable folder cannot get much below 2.
max_exposure_tenths=25
systemd_security() {
  local out score rc=0
  stage_units || return 1
  out=$(cd "$tmp/systemd" && systemd-analyze security --offline=yes --no-pager \
    --threshold="$max_exposure_tenths" ./pilot-worker@1.service 2>&1) || rc=$?
  score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
  if [[ $rc -ne 0 || -z $score ]]; then
    grep -E '^✗|Overall' <<<"$out" || echo "$out"
    echo "exposure ${score:-unknown} is over $((max_exposure_tenths / 10)).$((max_exposure_tenths % 10)) (or systemd-analyze failed, exit $rc)"
    return 1
  fi
  echo "pilot-worker@.service exposure $score of 10 (at most $((max_exposure_tenths / 10)).$((max_exposure_tenths % 10)) allowed)"
}

# What no tool knows: the stop timeout against the worker's shutdown timeout,
# and the variables the files document against those the worker reads.
systemd_consistency() {
  local stop shutdown bad=0 documented read_by_worker in_configmap v
  stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s\{0,1\}$/\1/p' "$unit")
  shutdown=$(sed -n 's/^#\{0,1\}PILOT_SHUTDOWN_TIMEOUT=\([0-9]*\)$/\1/p' "$env_example")
  if [[ -z $stop || -z $shutdown ]]; then
    echo "cannot read TimeoutStopSec from $unit or PILOT_SHUTDOWN_TIMEOUT from $env_example"
    return 1
  fi
  if ((stop <= shutdown)); then
    echo "$unit: TimeoutStopSec=$stop is not above PILOT_SHUTDOWN_TIMEOUT=$shutdown: systemd would kill workers mid-batch"
    bad=1
  fi
  if ! grep -q '^EnvironmentFile=/etc/pilot-worker/pilot-worker.env$' "$unit" ||
    ! grep -q '^EnvironmentFile=-/etc/pilot-worker/%i.env$' "$unit"; then
    echo "$unit: the shared and the optional per-instance EnvironmentFile= lines are missing"
    bad=1
  fi
  # Every PILOT_ variable the worker reads (its flags' defaults) is documented,
  # and nothing else is; PILOT_HANDLER and PILOT_FAILPOINT are for tests only.
  # The runtime's retention and the documents' factory read the environment themselves.
  read_by_worker=$( (grep -ohE 'env\("PILOT_[A-Z0-9_]+"\)' Sources/pilot-worker/*.swift
    grep -ohE 'environment\["PILOT_[A-Z0-9_]+"\]' Sources/PilotRuntime/*.swift Sources/PilotObjectStore/*.swift) |
    grep -oE 'PILOT_[A-Z0-9_]+' | grep -vxE 'PILOT_HANDLER|PILOT_FAILPOINT' | sort -u)
  documented=$(grep -oE '^#?PILOT_[A-Z0-9_]+=' "$env_example" | tr -d '#=' | sort -u)
  for v in $(comm -23 <(echo "$read_by_worker") <(echo "$documented")); do
    echo "$env_example: $v (read by pilot-worker) is not documented"
    bad=1
  done
  for v in $(comm -13 <(echo "$read_by_worker") <(echo "$documented")); do
    echo "$env_example: $v is not a variable pilot-worker reads"
    bad=1
  done
  in_configmap=$(grep -oE '^  (# )?PILOT_[A-Z0-9_]+:' deploy/kubernetes/configmap.yaml | grep -oE 'PILOT_[A-Z0-9_]+' | sort -u)
  for v in $(comm -13 <(echo "$read_by_worker") <(echo "$in_configmap")); do
    echo "deploy/kubernetes/configmap.yaml: $v is not a variable pilot-worker reads"
    bad=1
  done
  ((bad == 0)) || return 1
  echo "TimeoutStopSec=$stop > PILOT_SHUTDOWN_TIMEOUT=$shutdown; $(wc -l <<<"$read_by_worker") PILOT_* variables documented, as pilot-worker reads them"
}

web_unit=deploy/systemd/pilot-web.service
web_env_example=deploy/systemd/pilot-web.env.example

# pilot-web.service as installed, with ExecStart pointing at a stub (as for the worker).
stage_web_unit() {
  local dir=$tmp/systemd-web
  mkdir -p "$dir/bin"
  printf '#!/bin/sh\nexit 0\n' >"$dir/bin/pilot-web"
  chmod 755 "$dir/bin/pilot-web"
  sed -E "s#^(Exec[A-Za-z]+=[-@:+!]*)/usr/local/bin/#\1$dir/bin/#" "$web_unit" >"$dir/pilot-web.service"
  if ! grep -qx "ExecStart=$dir/bin/pilot-web" "$dir/pilot-web.service"; then
    echo "$web_unit: ExecStart is no longer /usr/local/bin/pilot-web; update stage_web_unit in $0"
    return 1
  fi
}

web_systemd_verify() {
  local out
  stage_web_unit || return 1
  out=$(cd "$tmp/systemd-web" && systemd-analyze verify --man=no ./pilot-web.service 2>&1) || true
  if [[ -n $out ]]; then
    echo "${out//"$tmp/systemd-web/"/deploy/systemd/}"
    return 1
  fi
  echo "pilot-web.service: no errors, no warnings"
}

# pilot-web needs the network and no writable folder: held to a lower exposure.
max_web_exposure_tenths=20
web_systemd_security() {
  local out score rc=0
  stage_web_unit || return 1
  out=$(cd "$tmp/systemd-web" && systemd-analyze security --offline=yes --no-pager \
    --threshold="$max_web_exposure_tenths" ./pilot-web.service 2>&1) || rc=$?
  score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
  if [[ $rc -ne 0 || -z $score ]]; then
    grep -E '^✗|Overall' <<<"$out" || echo "$out"
    echo "exposure ${score:-unknown} is over $((max_web_exposure_tenths / 10)).$((max_web_exposure_tenths % 10)) (or systemd-analyze failed, exit $rc)"
    return 1
  fi
  echo "pilot-web.service exposure $score of 10 (at most $((max_web_exposure_tenths / 10)).$((max_web_exposure_tenths % 10)) allowed)"
}

# Every PILOT_ variable pilot-web reads is documented in its env example and
# nothing else is; the Deployment sets none it does not read.
web_consistency() {
  local bad=0 read_by_web documented in_deployment v
  if ! grep -q '^EnvironmentFile=/etc/pilot-worker/pilot-web.env$' "$web_unit"; then
    echo "$web_unit: EnvironmentFile=/etc/pilot-worker/pilot-web.env is missing"
    bad=1
  fi
  # pilot-web opens its documents through the same factory as the worker.
  read_by_web=$( (grep -ohE 'env\("PILOT_[A-Z0-9_]+"\)' Sources/pilot-web/*.swift
    grep -ohE 'environment\["PILOT_[A-Z0-9_]+"\]' Sources/PilotObjectStore/*.swift) | grep -oE 'PILOT_[A-Z0-9_]+' | sort -u)
  documented=$(grep -oE '^#?PILOT_[A-Z0-9_]+=' "$web_env_example" | tr -d '#=' | sort -u)
  for v in $(comm -23 <(echo "$read_by_web") <(echo "$documented")); do
    echo "$web_env_example: $v (read by pilot-web) is not documented"
    bad=1
  done
  for v in $(comm -13 <(echo "$read_by_web") <(echo "$documented")); do
    echo "$web_env_example: $v is not a variable pilot-web reads"
    bad=1
  done
  in_deployment=$(grep -oE 'name: PILOT_[A-Z0-9_]+$|^  PILOT_[A-Z0-9_]+:' deploy/kubernetes/web-deployment.yaml \
    deploy/kubernetes/examples/web-secret.yaml | grep -oE 'PILOT_[A-Z0-9_]+' | sort -u)
  for v in $(comm -13 <(echo "$read_by_web") <(echo "$in_deployment")); do
    echo "deploy/kubernetes/web-deployment.yaml or its Secret: $v is not a variable pilot-web reads"
    bad=1
  done
  ((bad == 0)) || return 1
  echo "$(wc -l <<<"$read_by_web") PILOT_* variables documented, as pilot-web reads them"
}

yaml_lint() {
  local files
  python3 -m yamllint --strict -c deploy/kubernetes/.yamllint deploy/kubernetes || return 1
  files=$(find deploy/kubernetes -name '*.yaml' | wc -l)
  echo "$files files clean with --strict ($(python3 -m yamllint --version))"
}

kube_validate() { python3 deploy/kubernetes/schemas/validate.py "$1"; }

# RabbitMQ has no offline validator for rabbitmq.conf; a node refuses to boot
# on an unknown key or a bad value. So boot a private node (as
# deploy/broker.sh does) with this rabbitmq.conf, enabled_plugins and the
# *.json definitions of deploy/rabbitmq/: listeners moved to free loopback
# ports, /etc/rabbitmq/ to a temporary folder, a throwaway certificate for
# the TLS listener. Nothing is read from the real /etc/rabbitmq or
# /var/lib/rabbitmq. Then every queue of definitions.json must exist with its
# type: an import that finds no vhost creates nothing and logs nothing.
if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
  sbin=/usr/lib/rabbitmq/bin  # the real scripts, not Debian's su-to-rabbitmq wrappers
else
  sbin=$(dirname "$(command -v rabbitmq-server || echo /usr/sbin/rabbitmq-server)")
fi
rmq=$tmp/rabbitmq
node=check-manifests-$$@localhost
# The CLI finds the node's cookie in $HOME; port 0 = a free port for its own
# short-lived Erlang node.
ctl() {
  HOME=$rmq RABBITMQ_CTL_DIST_PORT_MIN=0 RABBITMQ_CTL_DIST_PORT_MAX=0 \
    timeout 60 "$sbin/rabbitmqctl" -n "$node" -q "$@"
}

rabbitmq_boot() {
  local rc attempt out port taken=
  # A port taken between the pick and the node's bind (eaddrinuse, or
  # dist_port_already_used for the distribution port) says nothing about the
  # config: boot again on new ports, at most three times, and say so. Any other failure
  # is the config's.
  for attempt in 1 2 3; do
    out=$(rabbitmq_start) && rc=0 || rc=1
    [[ $rc -eq 0 ]] && break
    rabbitmq_stop
    grep -qE 'eaddrinuse|dist_port_already_used' <<<"$out" || break
    port=$(grep -oE -m 1 'could_not_start_listener,"[0-9.]+",[0-9]+' <<<"$out" | cut -d, -f3)
    taken+="${taken:+, }${port:-one of its ports}"
    rm -rf "$rmq"
  done
  if [[ $rc -eq 0 ]]; then
    out=$(rabbitmq_probe) || rc=1
  fi
  rabbitmq_stop
  [[ -n $taken ]] && out+=" (attempt $attempt; another process had taken: $taken)"
  echo "$out"
  return "$rc"
}

# Stops the node of the last start, if any: gracefully, then by its pid.
rabbitmq_stop() {
  local pid i
  pid=$(cat "$tmp/node.pid" 2>/dev/null) || return 0
  ctl stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null && echo "node $pid did not stop in 30 s; killed"
  rm -f "$tmp/node.pid"
}

rabbitmq_start() {
  local port tls mgmt prom dist out i
  mkdir -p "$rmq/etc/tls" "$rmq/conf.d" "$rmq/mnesia" "$rmq/log"
  read -r port tls mgmt prom dist < <(python3 deploy/free_ports.py 5)
  echo "$port $tls $mgmt $prom" >"$rmq/ports"
  if ! out=$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=localhost -keyout "$rmq/etc/tls/key.pem" -out "$rmq/etc/tls/cert.pem" 2>&1); then
    echo "openssl: $out"
    return 1
  fi
  cp "$rmq/etc/tls/cert.pem" "$rmq/etc/tls/ca.pem"
  mkdir -p "$rmq/etc/definitions.d"
  cp deploy/rabbitmq/*.json "$rmq/etc/definitions.d/"
  cp deploy/rabbitmq/enabled_plugins "$rmq/enabled_plugins"
  cp deploy/rabbitmq/advanced.config "$rmq/advanced.config"
  sed -E -e "s#/etc/rabbitmq/#$rmq/etc/#g" \
    -e "s#^(listeners\.tcp\.default) = .*#\1 = 127.0.0.1:$port#" \
    -e "s#^(listeners\.ssl\.default) = .*#\1 = 127.0.0.1:$tls#" \
    -e "s#^(management\.tcp\.port) = .*#\1 = $mgmt\nmanagement.tcp.ip = 127.0.0.1#" \
    -e "s#^(prometheus\.tcp\.port) = .*#\1 = $prom\nprometheus.tcp.ip = 127.0.0.1#" \
    deploy/rabbitmq/rabbitmq.conf >"$rmq/rabbitmq.conf"
  # A listener or path this function does not know how to move would open a
  # port on every interface or read the real /etc: refuse instead.
  if out=$(grep -nE '^[^#]*(listeners|\.port|\.ip|/etc/)' "$rmq/rabbitmq.conf" |
    grep -vE "(127\.0\.0\.1(:($port|$tls))?|= ($mgmt|$prom)|$rmq/etc/.*)$"); then
    echo "deploy/rabbitmq/rabbitmq.conf: lines this check cannot relocate (teach rabbitmq_start in $0):"
    echo "$out"
    return 1
  fi
  (
    export HOME=$rmq RABBITMQ_NODENAME=$node RABBITMQ_DIST_PORT=$dist
    export RABBITMQ_CONFIG_FILE=$rmq/rabbitmq.conf RABBITMQ_CONFIG_FILES=$rmq/conf.d
    export RABBITMQ_CONF_ENV_FILE=$rmq/rabbitmq-env.conf RABBITMQ_ADVANCED_CONFIG_FILE=$rmq/advanced.config
    export RABBITMQ_ENABLED_PLUGINS_FILE=$rmq/enabled_plugins RABBITMQ_PID_FILE=$rmq/pid
    export RABBITMQ_MNESIA_BASE=$rmq/mnesia RABBITMQ_LOG_BASE=$rmq/log ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    : >"$rmq/rabbitmq-env.conf"
    # exec all the way down: $! is the Erlang VM (see deploy/broker.sh).
    launch=(nohup) && if command -v setsid >/dev/null; then launch=(setsid nohup); fi
    cd "$rmq" && exec "${launch[@]}" "$sbin/rabbitmq-server" >"$rmq/log/startup.log" 2>&1 </dev/null
  ) &
  echo $! >"$tmp/node.pid"
  for ((i = 0; i < 300; i++)); do
    [[ -s $rmq/pid ]] && break
    kill -0 "$(cat "$tmp/node.pid")" 2>/dev/null || break
    sleep 0.2
  done
  if ! [[ -s $rmq/pid ]] || ! ctl wait "$rmq/pid" --timeout 90 >/dev/null 2>&1; then
    echo "the node did not boot with deploy/rabbitmq/rabbitmq.conf; from its logs:"
    # The reason follows the banner's BOOT FAILED; a VM that died before it left errors in its log.
    { sed -n '/BOOT FAILED/,$p' "$rmq/log/startup.log" | grep . || grep -h '\[error\]' "$rmq/log/"*.log; } 2>/dev/null |
      sed -E 's/^[0-9-]+ [0-9:.+]+ \[error\] <[0-9.]+> //' | grep -v '^ *$' | head -n 30
    return 1
  fi
}

rabbitmq_probe() {
  local port tls mgmt prom out want loaded
  read -r port tls mgmt prom <"$rmq/ports"
  out=$(HOME=$rmq RABBITMQ_CTL_DIST_PORT_MIN=0 RABBITMQ_CTL_DIST_PORT_MAX=0 \
    timeout 60 "$sbin/rabbitmq-diagnostics" -n "$node" -q listeners 2>&1)
  for want in "$port, protocol: amqp," "$tls, protocol: amqp/ssl," "$mgmt, protocol: http," \
    "$prom, protocol: http/prometheus,"; do
    grep -qF "port: $want" <<<"$out" || { echo "listener 'port: $want' missing:"; echo "$out"; return 1; }
  done
  out=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$tls" -CAfile "$rmq/etc/tls/ca.pem" 2>&1)
  grep -q 'Verify return code: 0 (ok)' <<<"$out" || { echo "no TLS handshake on the amqps listener:"; tail -n 5 <<<"$out"; return 1; }
  if ! ctl list_queues name type --no-table-headers >"$rmq/queues" 2>&1; then
    echo "rabbitmqctl list_queues failed: the definitions' vhost was not created?"
    cat "$rmq/queues"
    return 1
  fi
  ctl list_policies --no-table-headers >"$rmq/policies" 2>&1 || { cat "$rmq/policies"; return 1; }
  if ! loaded=$(python3 - "$rmq/etc/definitions.d/definitions.json" "$rmq/queues" "$rmq/policies" 2>&1 <<'PY'
import json, sys
definitions = json.load(open(sys.argv[1]))
want = {q["name"]: q["arguments"].get("x-queue-type", "classic") for q in definitions["queues"]}
have = dict(line.split()[:2] for line in open(sys.argv[2]) if line.strip())
missing = [f"{n} ({t})" for n, t in sorted(want.items()) if have.get(n) != t]
policies = {line.split("\t")[1] for line in open(sys.argv[3]) if line.strip()}
missing += [f"policy {p['name']}" for p in definitions.get("policies", []) if p["name"] not in policies]
if missing:
    sys.exit("definitions not loaded at boot; missing or of another type: " + ", ".join(missing))
print(f"{len(want)} queues and {len(definitions.get('policies', []))} policies")
PY
  ); then
    echo "$loaded"
    return 1
  fi
  # advanced.config: each {Key, Value} of the rabbit application, as the node reads it.
  local key value have
  while read -r key value; do
    have=$(ctl eval "application:get_env(rabbit, $key).")
    [[ $have == "{ok,$value}" ]] || { echo "advanced.config: $key is $have on the node, not $value"; return 1; }
  done < <(sed -nE 's/^ *\{([a-z_]+), *([0-9a-z_]+)\} *$/\1 \2/p' deploy/rabbitmq/advanced.config)
  echo "RabbitMQ $(ctl eval 'rabbit:product_version().' | tr -d '"') booted with it: amqp, amqps (TLS handshake ok), management and prometheus listeners up, $loaded of definitions.json loaded, advanced.config's settings in force"
}

# The alert rules: promtool's syntax check and unit tests (alerts.test.yml), and
# every pilot_* metric they name is one the worker exports (dotted names in
# Sources/, exported with underscores).
prometheus_rules() {
  promtool check rules deploy/prometheus/alerts.yml || return 1
  yamllint --strict -c deploy/prometheus/.yamllint deploy/prometheus || return 1
  (cd deploy/prometheus && promtool test rules alerts.test.yml) || return 1
  python3 - <<'PY'
import pathlib, re, sys
exported = set()
for source in pathlib.Path("Sources").rglob("*.swift"):
    for name in re.findall(r'"(pilot\.[a-z_.]+)"', source.read_text()):
        exported.add(name.replace(".", "_"))
used = set(re.findall(r"\b(pilot_[a-z_]+)", pathlib.Path("deploy/prometheus/alerts.yml").read_text()))
used = {re.sub(r"_(bucket|count|sum)$", "", name) for name in used}
unknown = sorted(used - exported)
if unknown:
    sys.exit(f"alerts.yml names metrics the worker does not export: {unknown}")
print(f"{len(used)} worker metrics in the rules, all exported")
PY
}

check "systemd-analyze verify" systemd_verify
check "systemd-analyze security" systemd_security
check "systemd unit vs worker" systemd_consistency
check "systemd-analyze verify (web)" web_systemd_verify
check "systemd-analyze security (web)" web_systemd_security
check "systemd unit vs pilot-web" web_consistency
check "yamllint" yaml_lint
check "kubernetes-validate" kube_validate kubernetes
check "KEDA schema" kube_validate keda
check "manifest cross-references" kube_validate refs
check "rabbitmq.conf boot" rabbitmq_boot
check "prometheus alert rules" prometheus_rules

exit "$failed"
