#!/usr/bin/env bash
# A private RabbitMQ node on loopback with its own data folder, so tests and
# the local demo never depend on (or collide with) a system broker.
#   deploy/broker.sh start|stop|status DIR   (status: 0 running, 3 not running)
#   deploy/broker.sh ctl DIR ARGS...         (rabbitmqctl against that node)
#   deploy/broker.sh cluster-start|cluster-stop DIR
#       a 3-node cluster on loopback: nodes rabbit1..3@localhost in DIR/rabbit1..3
#       (PILOT_BROKER_CLUSTER_NAME=x makes them x1..3@localhost, so that two
#       clusters can run on one machine),
#       AMQP on PILOT_BROKER_PORT and the two ports after it, one shared cookie;
#       DIR/env has PILOT_AMQP_URL with the three node URLs, comma-separated.
# Env: PILOT_BROKER_PORT (AMQP, 5672), PILOT_BROKER_MGMT_PORT (+10000),
# PILOT_BROKER_DIST_PORT (+20000); optional AMQPS listener: PILOT_BROKER_TLS_PORT
# with PILOT_BROKER_TLS_CERT/_KEY/_CA; PILOT_BROKER_NODE_NAME (default
# pilot-<port>@localhost) and PILOT_BROKER_COOKIE (the Erlang cookie, for nodes
# that must form a cluster); PILOT_BROKER_ERL_ARGS (more Erlang VM flags, such as
# "+sbwt none" on a host the broker shares). start writes DIR/env (PILOT_AMQP_URL...).
set -euo pipefail

die() { echo "broker.sh: $*" >&2; exit 1; }
[[ $# -ge 2 ]] || { echo "usage: $0 start|stop|status DIR | ctl DIR ARGS... | cluster-start|cluster-stop DIR" >&2; exit 2; }
cmd=$1 dir=$2 && shift 2

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
case $cmd in
cluster-start)
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
  base=${PILOT_BROKER_PORT:-5672}
  name=${PILOT_BROKER_CLUSTER_NAME:-rabbit}
  [[ $name =~ ^[a-z][a-z0-9_-]*$ ]] || die "PILOT_BROKER_CLUSTER_NAME: '$name' is not a node name prefix (a-z, 0-9, _ and -)"
  [[ -s $dir/cookie ]] || (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/cookie")
  urls=() pids=()
  # The three boot side by side (each takes seconds), then join the first.
  for n in 1 2 3; do
    port=$((base + n - 1))
    PILOT_BROKER_PORT=$port PILOT_BROKER_MGMT_PORT=$((port + 10000)) PILOT_BROKER_DIST_PORT=$((port + 20000)) \
      PILOT_BROKER_NODE_NAME=$name$n@localhost PILOT_BROKER_COOKIE=$(cat "$dir/cookie") \
      PILOT_BROKER_TLS_PORT='' "$self" start "$dir/rabbit$n" &
    pids+=($!)
    urls+=("amqp://guest:guest@127.0.0.1:$port/%2f")
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  if ((failed)); then "$self" cluster-stop "$dir" >/dev/null 2>&1; die "a node of the cluster in $dir failed to start"; fi
  # Join the first node, unless already a member (a restart of a formed cluster).
  for n in 2 3; do
    if ! "$self" ctl "$dir/rabbit$n" -q cluster_status 2>/dev/null | grep -q "${name}1@localhost"; then
      "$self" ctl "$dir/rabbit$n" -q stop_app
      "$self" ctl "$dir/rabbit$n" -q join_cluster "${name}1@localhost"
      "$self" ctl "$dir/rabbit$n" -q start_app
    fi
  done
  "$self" ctl "$dir/rabbit1" -q await_online_nodes 3 --timeout 60 >/dev/null
  {
    printf 'PILOT_AMQP_URL=%q\n' "$(IFS=,; echo "${urls[*]}")"
    printf 'PILOT_BROKER_MGMT_URL=%q\n' "http://127.0.0.1:$((base + 10000))/"
    printf 'PILOT_BROKER_DIR=%q\n' "$dir"
  } >"$dir/env"
  echo "cluster ${name}1..3@localhost up: amqp 127.0.0.1:$base-$((base + 2)) ($dir/env)"
  exit 0 ;;
cluster-stop)
  for n in 3 2 1; do [[ -d $dir/rabbit$n ]] && "$self" stop "$dir/rabbit$n"; done
  exit 0 ;;
esac

# Use the real scripts, not Debian's /usr/sbin wrappers: those only work as
# root, su to the rabbitmq user and share /var/lib/rabbitmq's cookie.
if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
  sbin=/usr/lib/rabbitmq/bin
else
  sbin=$(command -v rabbitmq-server) || die "rabbitmq-server not found (run deploy/install-deps.sh)"
  sbin=$(dirname "$sbin")
fi

if [[ $cmd == start ]]; then mkdir -p "$dir"; fi
if [[ -d $dir ]]; then dir=$(cd "$dir" && pwd); fi  # the node runs elsewhere
pidfile=$dir/pid

# Everything the node and the CLI read comes from DIR, nothing from /etc.
export HOME=$dir  # Erlang keeps its cookie in $HOME/.erlang.cookie
export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
export RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
# Port 0 = any free port for the short-lived CLI node; the fixed default
# range 35672-35682 is shared by every rabbitmqctl on the machine.
export RABBITMQ_CTL_DIST_PORT_MIN=0 RABBITMQ_CTL_DIST_PORT_MAX=0

ctl() { timeout "${CTL_TIMEOUT:-60}" "$sbin/rabbitmqctl" -n "$node" "$@"; }
ctl_diag() { timeout "${CTL_TIMEOUT:-60}" "$sbin/rabbitmq-diagnostics" -n "$node" "$@"; }

# Prints the broker's pid if the VM recorded in DIR/pid is still alive.
running_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse after a crash: it must be *this* broker's VM.
  if [[ -r /proc/$pid/environ ]]; then
    grep -zqxF "RABBITMQ_PID_FILE=$pidfile" "/proc/$pid/environ" || return 1
  fi
  echo "$pid"
}

# Whether the node launched by `start` finished booting. One CLI can miss it under heavy
# load: in a CI run a cluster node was up 15 s after launch while `rabbitmqctl wait` was
# still waiting at 60 s, and a fresh CLI reached it at once. So a live VM gets a second,
# fresh CLI that asks the node itself.
booted() {
  ctl -q wait "$pidfile" --timeout 60 >/dev/null 2>&1 && return 0
  running_pid >/dev/null && ctl -q await_startup --timeout 60 >/dev/null 2>&1
}

# Whether the node has its AMQPS listener. Asked of the node, twice as in `booted`; when no
# CLI gets an answer (heavy load), the node's log says whether that listener failed.
tls_listening() {
  local out
  if out=$(ctl_diag -q listeners 2>/dev/null) || out=$(ctl_diag -q listeners 2>/dev/null); then
    grep -q "port: $tls, protocol: amqp/ssl" <<<"$out"
  else
    ! grep -aq "Failed to start Ranch listener {acceptor,{127,0,0,1},$tls}" "$dir/log/$node.log"
  fi
}

# The boot's own output last: callers keep the end of a long message (the tests keep
# 3,000 characters), and a VM that dies early says why there, not in the node's log.
# A boot that failed names its reason right after BOOT FAILED (the first of a long term).
show_logs() {
  local f
  f=$dir/log/$node.log
  if [[ -s $f ]]; then echo "--- last 40 lines of $f" >&2; tail -n 40 "$f" >&2; fi
  f=$dir/log/startup.log
  if grep -q 'BOOT FAILED' "$f" 2>/dev/null; then
    echo "--- $f from BOOT FAILED" >&2
    sed -n '/BOOT FAILED/,$p' "$f" | head -n 30 >&2
  elif [[ -s $f ]]; then
    echo "--- last 40 lines of $f" >&2
    tail -n 40 "$f" >&2
  fi
}

# Stops the VM: graceful first, then TERM, then KILL; never hangs.
stop_pid() {
  local pid=$1 sig i
  # Plain `stop` returns once the apps are down (the VM exits ~1 s later) and
  # fails fast if the node cannot be reached; `stop PIDFILE` hangs then.
  ctl -q stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  for sig in TERM KILL; do
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
      sleep 0.2
    done
    echo "broker.sh: pid $pid still alive after 20 s, sending $sig" >&2
    kill -"$sig" "$pid" 2>/dev/null || true
  done
  sleep 1 && rm -f "$pidfile"
}

# stop/status/ctl use the node name recorded at start, whatever the env says now.
if [[ $cmd != start ]]; then
  node=$(sed -n 's/^PILOT_BROKER_NODE=//p' "$dir/env" 2>/dev/null || true)
  pid=$(running_pid) || pid=
fi

case $cmd in
start)
  port=${PILOT_BROKER_PORT:-5672}
  mgmt=${PILOT_BROKER_MGMT_PORT:-$((port + 10000))}
  dist=${PILOT_BROKER_DIST_PORT:-$((port + 20000))}
  tls=${PILOT_BROKER_TLS_PORT:-}
  for p in "$port" "$mgmt" "$dist" ${tls:+"$tls"}; do
    if ! [[ $p =~ ^[0-9]+$ ]] || ((p < 1 || p > 65535)); then
      die "bad port '$p' (MGMT/DIST default to AMQP+10000/+20000; set PILOT_BROKER_*_PORT)"
    fi
  done
  node=${PILOT_BROKER_NODE_NAME:-pilot-$port@localhost}
  if pid=$(running_pid); then echo "broker already running in $dir (pid $pid, see $dir/env)"; exit 0; fi
  mkdir -p "$dir/mnesia" "$dir/log"
  if [[ -n ${PILOT_BROKER_COOKIE:-} ]]; then
    # Nodes of one cluster must share it; Erlang refuses a cookie file others can read.
    rm -f "$dir/.erlang.cookie" && (umask 077 && printf '%s' "$PILOT_BROKER_COOKIE" >"$dir/.erlang.cookie")
  fi
  : >"$dir/rabbitmq-env.conf"
  # The production file's Erlang settings (the dead-letter worker's retry), so tests and
  # the local demo run the broker the way deploy/ says to.
  cp "$(dirname "$self")/rabbitmq/advanced.config" "$dir/advanced.config"
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  {
    echo "# written by deploy/broker.sh on every start"
    echo "management.tcp.ip = 127.0.0.1"
    echo "management.tcp.port = $mgmt"
  } >"$dir/rabbitmq.conf"
  if [[ -n $tls ]]; then
    mkdir -p "$dir/tls"
    for f in CERT KEY CA; do
      v=PILOT_BROKER_TLS_$f
      [[ -r ${!v:-} ]] || die "PILOT_BROKER_TLS_PORT needs a readable $v"
      install -m 600 "${!v}" "$dir/tls/${f,,}.pem"  # a copy the node can always read
    done
    cat >>"$dir/rabbitmq.conf" <<EOF
listeners.ssl.1 = 127.0.0.1:$tls
ssl_options.cacertfile = $dir/tls/ca.pem
ssl_options.certfile = $dir/tls/cert.pem
ssl_options.keyfile = $dir/tls/key.pem
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
  fi
  {
    printf 'PILOT_AMQP_URL=%q\n' "amqp://guest:guest@127.0.0.1:$port/%2f"
    [[ -z $tls ]] || printf 'PILOT_AMQPS_URL=%q\n' "amqps://guest:guest@localhost:$tls/%2f"
    printf 'PILOT_BROKER_MGMT_URL=%q\n' "http://127.0.0.1:$mgmt/"
    printf 'PILOT_BROKER_NODE=%q\n' "$node"
    printf 'PILOT_BROKER_DIR=%q\n' "$dir"
  } >"$dir/env"
  export RABBITMQ_NODENAME=$node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$dist
  export RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log
  export RABBITMQ_PID_FILE=$pidfile RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  # 3.10 takes the full file name; the extension selects the format.
  export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
  # Keep Erlang distribution (and an epmd we happen to start) off the network.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}${PILOT_BROKER_ERL_ARGS:+ $PILOT_BROKER_ERL_ARGS}"
  export ERL_EPMD_ADDRESS=127.0.0.1

  rm -f "$pidfile"
  started=$(date +%s%N)
  # Own session: the node outlives this script and the caller's process group.
  launch=(nohup) && if command -v setsid >/dev/null; then launch=(setsid nohup); fi
  (cd "$dir" && exec "${launch[@]}" "$sbin/rabbitmq-server" >"$dir/log/startup.log" 2>&1 </dev/null) &
  launched=$!
  # The VM writes DIR/pid early in boot. `rabbitmqctl wait` would sit out its
  # whole timeout if the VM died before that, so watch the process first.
  # ($! is the VM itself: exec all the way down, and setsid does not fork
  # because a background job of a script is never a process group leader.)
  for ((i = 0; i < 300; i++)); do
    if [[ -s $pidfile ]] || ! kill -0 "$launched" 2>/dev/null; then break; fi
    sleep 0.2
  done
  if [[ ! -s $pidfile ]] || ! booted || ! pid=$(running_pid); then
    echo "broker.sh: broker in $dir failed to start" >&2
    show_logs
    pid=$(cat "$pidfile" 2>/dev/null) || pid=$launched
    stop_pid "$pid" 2>/dev/null
    exit 1
  fi
  # RabbitMQ 3.10 boots without its TLS listener when that port is taken: it logs the
  # eaddrinuse and carries on (a taken AMQP port stops the boot).
  if [[ -n $tls ]] && ! tls_listening; then
    echo "broker.sh: broker in $dir booted without its AMQPS listener on 127.0.0.1:$tls (port in use?)" >&2
    grep -a "Failed to start Ranch listener" "$dir/log/$node.log" | sed 's/ in ranch_ssl:listen(.*) for reason / /' >&2
    stop_pid "$pid" 2>/dev/null
    exit 1
  fi
  echo "broker $node up in $((($(date +%s%N) - started) / 1000000)) ms: amqp 127.0.0.1:$port, mgmt $mgmt${tls:+, amqps $tls} (pid $pid, $dir/env)"
  ;;
stop)
  if [[ -z $pid ]]; then echo "no broker running in $dir"; exit 0; fi
  stop_pid "$pid" && echo "broker $node stopped"
  ;;
status)
  if [[ -z $pid ]]; then echo "no broker running in $dir"; exit 3; fi
  CTL_TIMEOUT=30 ctl -q status >/dev/null 2>&1 || die "pid $pid alive but $node does not answer"
  echo "broker $node running (pid $pid)"
  cat "$dir/env"
  ;;
ctl)
  [[ -n $pid ]] || die "no broker running in $dir"
  ctl "$@"
  ;;
*) die "unknown command '$cmd'" ;;
esac
