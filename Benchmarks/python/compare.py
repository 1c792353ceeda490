#!/usr/bin/env python3
"""Our worker's no-op stage against the Python peer (noop_worker.py), in one invocation.

Each round fills `pilot.stage.agreement` with N copies of the sample pilot.requested
event, runs our binary until a tap queue on `pilot.events` (routing key pilot.echoed)
holds N events, stops it with SIGTERM and reaps it with wait4 for its CPU time, then
does the same with the Python peer. Memory is read from /proc/<pid>/status while it
runs (VmRSS, and VmHWM for the peak). Throughput and CPU per message are
counted from the moment the worker's consumer is registered, so start-up (schema
compilation, connecting, declaring the topology) is reported apart. Every run is
checked: nothing left in the stage queue or its dead-letter queue, exactly N events
in the tap, and one of them valid against schemas/pilot.echoed.v1.json.

With --rss-only, one run of our worker over 200,000 events (by default), sampling its
RSS every second, to see whether it stays flat.

Use a private, otherwise idle broker (Benchmarks/run.sh python starts one): the
queues are purged.
"""

import argparse
import json
import os
import pathlib
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version

import pika

from noop_worker import DEAD_QUEUE, ECHO, EXCHANGE, QUEUE, load_validators

ROOT = pathlib.Path(__file__).resolve().parents[2]
TAP = "bench.compare.out"
POLL_SECONDS = 0.01
QUORUM = {"x-queue-type": "quorum"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def say(line):
    print(line, flush=True)


def sample_body():
    """The sample pilot of examples/, with the fixed id and time of NoopStageBenchmark.sampleEvent."""
    event = json.loads((ROOT / "examples/pilot.requested.json").read_text())
    event["id"] = "0b6c7c1e-8d1f-4f55-a2a1-5d3f3c2b1a00"
    event["time"] = "2026-11-25T09:00:00Z"
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def fill(url, queue, body, count, window=1000):
    """Publishes `count` persistent copies of `body` to `queue` with at most `window`
    unconfirmed, and returns once the broker has confirmed them all."""
    properties = pika.BasicProperties(
        content_type="application/cloudevents+json", type="pilot.requested",
        delivery_mode=pika.DeliveryMode.Persistent)
    sent = 0
    unconfirmed = set()
    refused = []

    def publish_more(channel):
        nonlocal sent
        while sent < count and len(unconfirmed) < window:
            channel.basic_publish("", queue, body, properties)
            sent += 1
            unconfirmed.add(sent)

    def on_confirm(frame):
        nonlocal unconfirmed
        tag = frame.method.delivery_tag
        if isinstance(frame.method, pika.spec.Basic.Nack):
            refused.append(tag)
        if frame.method.multiple:
            unconfirmed = {sequence for sequence in unconfirmed if sequence > tag}
        else:
            unconfirmed.discard(tag)
        if sent == count and not unconfirmed:
            connection.close()
        else:
            publish_more(channel)

    def on_channel(opened):
        nonlocal channel
        channel = opened
        channel.confirm_delivery(on_confirm, callback=lambda _frame: publish_more(channel))

    channel = None
    connection = pika.SelectConnection(
        pika.URLParameters(url), on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
        on_open_error_callback=lambda _c, error: sys.exit(f"fill: cannot connect: {error}"),
        on_close_callback=lambda c, _reason: c.ioloop.stop())
    connection.ioloop.start()
    if refused or unconfirmed:
        sys.exit(f"fill: the broker refused {len(refused)} and did not confirm {len(unconfirmed)} publishes")


class Broker:
    """The driver's own connection: topology, purges, queue depths, the tap."""

    def __init__(self, url):
        self.url = url
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.exchange_declare(EXCHANGE, "topic", durable=True)
        for queue in (QUEUE, DEAD_QUEUE, TAP):
            self.channel.queue_declare(queue, durable=True, arguments=QUORUM)
        self.channel.queue_bind(QUEUE, EXCHANGE, "pilot.requested")
        self.channel.queue_bind(TAP, EXCHANGE, ECHO)

    def depth(self, queue):
        """(ready messages, consumers)"""
        ok = self.channel.queue_declare(queue, passive=True).method
        return ok.message_count, ok.consumer_count

    def purge(self):
        for queue in (QUEUE, DEAD_QUEUE, TAP):
            self.channel.queue_purge(queue)

    def fill(self, body, count):
        self.purge()
        fill(self.url, QUEUE, body, count)

    def take_one(self):
        """One event from the tap, with its message properties and routing key."""
        method, properties, body = self.channel.basic_get(TAP, auto_ack=True)
        return method, properties, json.loads(body)


def memory_kb(pid):
    """(VmRSS, VmHWM): resident now and at the peak so far. VmHWM, not wait4's
    ru_maxrss, is the peak reported: Linux carries the forking parent's peak through
    exec into ru_maxrss, so that would be at least this driver's own RSS."""
    with open(f"/proc/{pid}/status") as status:
        values = dict(line.split(":", 1) for line in status)
    return tuple(int(values.get(name, "0").split()[0]) for name in ("VmRSS", "VmHWM"))  # none once exited


def cpu_seconds(pid):
    """utime + stime of the whole process so far (clock-tick resolution)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Run:
    """One worker run; times in seconds, sizes in kB."""

    startup: float = 0  # spawn to consumer registered
    startup_cpu: float = 0
    elapsed: float = 0  # consumer registered to the tap holding every event
    handled: int = 0  # events published within `elapsed`
    cpu: float = 0  # user + system CPU within `elapsed` and the shutdown
    peak_rss: int = 0  # VmHWM just before the stop
    samples: list = field(default_factory=list)  # (seconds since ready, events in the tap, VmRSS)

    @property
    def rate(self):
        return self.handled / self.elapsed

    @property
    def cpu_us(self):
        return self.cpu / self.handled * 1e6


def measure(broker, command, count, sample_every=None):
    """Runs `command` until the tap holds `count` events, then stops and reaps it. With
    `sample_every`, prints and keeps a VmRSS sample every that many seconds."""
    run = Run()
    with tempfile.TemporaryFile() as log:
        spawned = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        ready = next_sample = None
        try:
            while not exited(child.pid):
                rss, peak = memory_kb(child.pid)
                run.peak_rss = max(run.peak_rss, peak)
                now = time.perf_counter()
                if ready is None:
                    if broker.depth(QUEUE)[1] > 0:
                        ready = next_sample = now
                        run.startup, run.startup_cpu = ready - spawned, cpu_seconds(child.pid)
                        run.handled = count - broker.depth(TAP)[0]
                else:
                    done = broker.depth(TAP)[0]
                    if sample_every and (now >= next_sample or done >= count):
                        run.samples.append((now - ready, done, rss))
                        say(f"  {now - ready:5.1f} s: {done:7d} events, VmRSS {rss / 1024:6.1f} MB")
                        next_sample += sample_every
                    if done >= count:
                        run.elapsed = now - ready
                        break
                time.sleep(POLL_SECONDS)
            status, usage = stop(child)
        except BaseException:
            os.kill(child.pid, signal.SIGKILL)
            raise
        if status != 0 or not run.elapsed:
            log.seek(0)
            sys.stdout.write(log.read().decode(errors="replace"))
            sys.exit(f"{command[0]} exited with status {status} " + ("after" if run.elapsed else "before") + " the run")
    run.cpu = usage.ru_utime + usage.ru_stime - run.startup_cpu
    return run


def exited(pid):
    """Whether the child has exited, without reaping it (wait4 must see it)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def stop(child, timeout=60):
    """SIGTERM, then wait4: (exit status, resource usage). Signals go by pid: Popen's
    own methods would reap the child first."""
    os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            say(f"{child.args[0]} still running {timeout} s after SIGTERM; killing it")
            os.kill(child.pid, signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(POLL_SECONDS)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage


def check_output(broker, count, validator):
    """Nothing left behind, exactly `count` events in the tap, and one of them valid.
    Returns that event's id (a pure function of the input's id)."""
    left, dead, tapped = broker.depth(QUEUE)[0], broker.depth(DEAD_QUEUE)[0], broker.depth(TAP)[0]
    if (left, dead, tapped) != (0, 0, count):
        sys.exit(f"after the run: {left} left in {QUEUE}, {dead} in {DEAD_QUEUE}, {tapped} in {TAP} (want 0, 0, {count})")
    method, properties, event = broker.take_one()
    problems = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(event)]
    expected = {
        "routing key": (method.routing_key, ECHO), "content type": (properties.content_type, "application/cloudevents+json"),
        "message id": (properties.message_id, event["id"]), "type": (properties.type, ECHO),
        "correlation id": (properties.correlation_id, event["subject"]), "delivery mode": (properties.delivery_mode, 2),
    }
    problems += [f"{name} {got!r}, want {want!r}" for name, (got, want) in expected.items() if got != want]
    if problems:
        sys.exit(f"invalid {ECHO} event {json.dumps(event)}: " + "; ".join(problems))
    return event["id"]


def describe(run):
    return (f"{run.rate:7.0f} msg/s, {run.cpu_us:6.1f} µs CPU/msg, peak RSS {run.peak_rss / 1024:5.1f} MB "
            f"(start-up {run.startup * 1000:.0f} ms, {run.startup_cpu * 1000:.0f} ms CPU)")


def compare(args, broker, body, ours, python):
    validator = load_validators(args.schemas)[ECHO]
    results = []
    for round_number in range(1, args.rounds + 1):
        ids = []
        runs = []
        for name, command in (("ours", ours), ("python", python)):
            broker.fill(body, args.messages)
            run = measure(broker, command, args.messages)
            ids.append(check_output(broker, args.messages, validator))
            runs.append(run)
            say(f"round {round_number} {name:6}: {describe(run)}; load {os.getloadavg()[0]:.2f}")
        if ids[0] != ids[1]:
            sys.exit(f"the workers derive different ids from the same event: {ids[0]} and {ids[1]}")
        mine, theirs = runs
        results.append((mine, theirs))
        say(f"round {round_number}: throughput ours/python {mine.rate / theirs.rate:.2f}, "
            f"CPU per message python/ours {theirs.cpu_us / mine.cpu_us:.2f}")

    median = statistics.median
    say(f"median of {args.rounds}: ours {median(m.rate for m, _ in results):.0f} msg/s, "
        f"python {median(t.rate for _, t in results):.0f} msg/s; "
        f"ours {median(m.cpu_us for m, _ in results):.1f} µs CPU/msg, "
        f"python {median(t.cpu_us for _, t in results):.1f} µs CPU/msg")
    say(f"median throughput ratio ours/python {median(m.rate / t.rate for m, t in results):.2f} (target >= 3)")
    say(f"median CPU-per-message ratio python/ours {median(t.cpu_us / m.cpu_us for m, t in results):.2f} (target >= 5)")
    say(f"peak RSS of our worker {max(m.peak_rss for m, _ in results) / 1024:.1f} MB over all rounds "
        f"(target <= 64 MB); python peer {max(t.peak_rss for _, t in results) / 1024:.1f} MB")


def rss_flat(args, broker, body, ours):
    count = args.messages
    say(f"filling {QUEUE} with {count} events")
    broker.fill(body, count)
    run = measure(broker, ours, count, sample_every=1.0)
    check_output(broker, count, load_validators(args.schemas)[ECHO])
    say(f"{count} events in {run.elapsed:.1f} s = {run.rate:.0f} msg/s, {run.cpu_us:.1f} µs CPU/msg, "
        f"peak RSS (VmHWM) {run.peak_rss / 1024:.1f} MB")
    marks = {}
    for percent in (0, 25, 50, 75, 100):
        seconds, done, rss = marks[percent] = run.samples[round(percent / 100 * (len(run.samples) - 1))]
        say(f"  {percent:3d}% ({seconds:5.1f} s, {done:7d} events): VmRSS {rss / 1024:6.1f} MB")
    growth = marks[100][2] - marks[25][2]
    say(f"growth from 25% to 100%: {growth / 1024:+.1f} MB ({growth / marks[25][2] * 100:+.1f}%)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--amqp-url", required=True, help="a private, otherwise idle broker: queues are purged")
    parser.add_argument("--worker", required=True, help="the release pilot-worker binary")
    parser.add_argument("--messages", type=int, help="events per run (default 20000, or 200000 with --rss-only)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median is reported")
    parser.add_argument("--schemas", default=str(ROOT / "schemas"))
    parser.add_argument("--rss-only", action="store_true", help="one long run of our worker, RSS every second")
    args = parser.parse_args()
    args.messages = args.messages or (200_000 if args.rss_only else 20_000)

    body = sample_body()
    common = ["--amqp-url", args.amqp_url, "--schemas", args.schemas, "--log-level", "warning"]
    ours = [args.worker, "--handler", "echo", "--database", "none", "--stages", "agreement", *common]
    python = [sys.executable, str(pathlib.Path(__file__).with_name("noop_worker.py")), *common]
    say(f"python {platform.python_version()}, pika {version('pika')}, jsonschema {version('jsonschema')}; "
        f"body {len(body)} bytes, {args.messages} events per run, prefetch 200, quorum queues; "
        f"load average {os.getloadavg()[0]:.2f}")
    broker = Broker(args.amqp_url)
    if args.rss_only:
        rss_flat(args, broker, body, ours)
    else:
        compare(args, broker, body, ours, python)


if __name__ == "__main__":
    main()
