#!/usr/bin/env python3
"""What a process's threads do, every half second until it exits: for each thread name
(threads of one name added up, their number shown as ×N) the share of a core they ran,
the share they waited in the run queue for a core, and the share they waited for block
I/O. Tells a thread bound by its own CPU from one that waits for a core (the machine
shared with the broker) or for the disk.

    Benchmarks/threads.py <pid> [--interval 0.5] [--min 0.3] [--name agreement-0 ...]

Waits are credited to the sample in which they end, so one sample can hold more than its
length. Block I/O waits are counted only with delay accounting on
(`sysctl -w kernel.task_delayacct=1` as root; off by default, and then shown as "off").
A thread's first sample only sets its baseline (a new thread can still carry its
creator's name), and its last partial sample is lost: a thread that lives less than one
interval is never shown.
"""
import argparse
import math
import os
import signal
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def sample(pid):
    """{thread id: (name, cpu s, block I/O s, run-queue s)}, or None once the process is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        if stat[stat.rindex(")") + 2] == "Z":
            return None
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    threads = {}
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                queued = int(f.read().split()[1]) / 1e9
        except OSError:
            continue  # the thread ended between the listing and the reads
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # proc(5): utime and stime are fields 14 and 15, delayacct_blkio_ticks field 42.
        threads[tid] = (name, (int(fields[11]) + int(fields[12])) / TICKS, int(fields[39]) / TICKS, queued)
    return threads


def by_name(current, previous, seconds):
    """Each name's [ran, block I/O, run queue] seconds over the last `seconds`, and its number
    of threads. A thread's first block I/O wait after delay accounting is switched on can
    be counted from boot (seen once on a 6.18 kernel: about the machine's uptime), so a
    wait longer than one and a half samples is unknown (NaN), not a figure."""
    totals = {}
    for tid, (name, *counts) in current.items():
        if tid not in previous:
            continue
        total = totals.setdefault(name, [0.0, 0.0, 0.0, 0])
        for index, (now, then) in enumerate(zip(counts, previous[tid][1:])):
            delta = max(0.0, now - then)
            total[index] += math.nan if index == 1 and delta > 1.5 * seconds else delta
        total[3] += 1
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples (default 0.5)")
    parser.add_argument("--min", type=float, default=0.3,
                        help="show a name only while it ran or waited at least this share of a core (default 0.3; 0 shows all)")
    parser.add_argument("--name", action="append",
                        help="only threads of this name, as the kernel keeps it (15 characters: commit:agreemen); repeatable")
    args = parser.parse_args()
    if args.interval <= 0:
        parser.error("--interval must be more than 0")
    try:
        with open("/proc/sys/kernel/task_delayacct") as f:
            delayacct = f.read().strip() == "1"
    except OSError:
        delayacct = False
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends it quietly
    previous = sample(args.pid)
    if previous is None:
        sys.exit(f"threads.py: no process {args.pid}")
    start = last = time.monotonic()
    while True:
        time.sleep(args.interval)
        current = sample(args.pid)
        now = time.monotonic()
        if current is None:
            return
        seconds = now - last
        for name, (ran, blocked, queued, count) in sorted(by_name(current, previous, seconds).items()):
            if args.name and name not in args.name:
                continue
            ran, blocked, queued = ran / seconds, blocked / seconds, queued / seconds
            if ran + queued + (0 if math.isnan(blocked) else blocked) < args.min:
                continue
            blocked_text = "off" if not delayacct else "?" if math.isnan(blocked) else f"{blocked:.2f}"
            label = name if count == 1 else f"{name} ×{count}"
            print(f"{now - start:7.2f} s  {label:20s} ran {ran:.2f}  run queue {queued:.2f}  block I/O {blocked_text}", flush=True)
        previous, last = current, now


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
