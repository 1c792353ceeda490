#!/usr/bin/env python3
"""What a process's threads do, every half second until it exits: for each thread name
(threads of one name added up) the share of a core it ran, the share it waited in the
run queue for a core, and the share it waited for block I/O. Tells a thread bound by
its own CPU from one that waits for a core (the machine shared with the broker) or for
the disk.

    Benchmarks/threads.py <pid> [--interval 0.5] [--min 0.3] [--name agreement-0 ...]

Block I/O waits are counted only with delay accounting on
(`sysctl -w kernel.task_delayacct=1` as root; it is off by default and then reads 0).
"""
import argparse
import math
import os
import sys
import time


def sample(pid):
    """{thread id: (name, cpu seconds, block I/O seconds, run-queue seconds)}, or None once the process is gone."""
    ticks = os.sysconf("SC_CLK_TCK")
    threads = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                waited = int(f.read().split()[1]) / 1e9
        except OSError:
            continue  # the thread ended between the listing and the read
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # proc(5): utime and stime are fields 14 and 15, delayacct_blkio_ticks field 42.
        threads[tid] = (name, (int(fields[11]) + int(fields[12])) / ticks, int(fields[39]) / ticks, waited)
    return threads


def by_name(current, previous, interval):
    """Each name's [ran, block I/O, run queue] seconds since the last sample. A thread seen
    for the first time only sets its baseline: a new thread can still carry its creator's
    name, and its counters are not the interval's. A thread's first block I/O wait can be
    counted from boot (seen on a 6.18 kernel with delay accounting switched on while it
    ran): a wait longer than the sample is unknown (NaN), not a figure."""
    totals = {}
    for tid, (name, *counts) in current.items():
        if tid not in previous:
            continue
        total = totals.setdefault(name, [0.0, 0.0, 0.0])
        for index, (now, then) in enumerate(zip(counts, previous[tid][1:])):
            delta = max(0.0, now - then)
            total[index] += math.nan if index == 1 and delta > 1.5 * interval else delta
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--min", type=float, default=0.3, help="show a thread only while it runs at least this share of a core")
    parser.add_argument("--name", action="append", help="only threads of this name (repeatable)")
    args = parser.parse_args()
    previous = sample(args.pid)
    if previous is None:
        sys.exit(f"threads.py: no process {args.pid}")
    start = time.monotonic()
    while True:
        time.sleep(args.interval)
        current = sample(args.pid)
        if current is None:
            return
        for name, (ran, blocked, queued) in sorted(by_name(current, previous, args.interval).items()):
            if args.name and name not in args.name:
                continue
            ran, blocked, queued = ran / args.interval, blocked / args.interval, queued / args.interval
            blocked_text = "?" if math.isnan(blocked) else f"{blocked:.2f}"
            if ran >= args.min:
                print(f"{time.monotonic() - start:7.2f} s  {name:16s} ran {ran:.2f}  run queue {queued:.2f}  block I/O {blocked_text}", flush=True)
        previous = current


if __name__ == "__main__":
    main()
