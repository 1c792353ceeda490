#!/usr/bin/env python3
"""Prints N distinct TCP ports that are free on 127.0.0.1, for servers the scripts
start on loopback:  read -r amqp mgmt dist < <(python3 deploy/free_ports.py 3)
With --span S it prints one port P such that P to P + S are all free (a server that
takes the ports after its first, as deploy/objectstore.sh does).

The ports lie below the kernel's ephemeral range, as Tests/PilotTestKit/FreePort.swift
picks them: a port that bind(0) returned is free only until someone else's bind(0) or
connect() takes it from the same range, and a server booting for seconds (an Erlang
CLI node listening on port 0 meanwhile) loses that race now and then: eaddrinuse.
"""
import random
import socket
import sys


def ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_ports(count, span=0):
    low = ephemeral_low()
    # Outside Linux, or a range that leaves too little room below it: the whole range.
    if low is None or low - 1 - span - 10_000 < 1_000:
        candidates = range(1_024, 65_536 - span)
    else:
        candidates = range(10_000, low - span)
    ports = []
    while len(ports) < count:
        port = random.choice(candidates)
        block = range(port, port + span + 1)
        if not any(p in ports for p in block) and all(is_free(p) for p in block):
            ports.append(port)
    return ports


if __name__ == "__main__":
    args = sys.argv[1:]
    span = 0
    if args[:1] == ["--span"]:
        span, args = int(args[1]), args[2:]
    print(*free_ports(int(args[0]) if args else 1, span))
