#!/usr/bin/env python3
"""How long a day timer is held when the node leading the timer and stage queues stops.

A quorum queue like pilot.timer.* (TTL 1 s, at-least-once dead-lettering through a topic
exchange) and a stage-like quorum queue T, both led by node 1 of a cluster started with
`deploy/broker.sh cluster-start DIR` (PILOT_BROKER_PORT=BASE PILOT_BROKER_CLUSTER_NAME=exp);
a message every 50 ms through node 2, node 1 stopped after 5 s and started 5 s later; each
message's time from publish to T, read through node 3.

    Tests/scale/dead_letter_retry.py BASE DIR

With RabbitMQ's default dead_letter_worker_publisher_confirm_timeout (3 minutes) one run
here held its five slowest messages 186 s; with deploy/rabbitmq/advanced.config's 10 s, the slowest took
6.5 s. The stall does not come in every run: it needs a dead-letter publish caught by the stop.
"""
import pathlib, pika, sys, time, subprocess, threading
base = int(sys.argv[1]); d = sys.argv[2]
broker = str(pathlib.Path(__file__).resolve().parents[2] / "deploy/broker.sh")
def conn(n): return pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", base + n - 1, heartbeat=5))
c1 = conn(1); ch1 = c1.channel()
ch1.exchange_declare("px", "topic", durable=True)
ch1.queue_declare("T", durable=True, arguments={"x-queue-type": "quorum"})
ch1.queue_bind("T", "px", "tick")
ch1.queue_declare("S", durable=True, arguments={"x-queue-type": "quorum", "x-message-ttl": 1000,
    "x-dead-letter-exchange": "px", "x-dead-letter-routing-key": "tick", "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"})
c1.close()
t0 = time.time()
sent = {}
def publisher():
    c = conn(2); ch = c.channel(); ch.confirm_delivery()
    for i in range(600):
        sent[i] = time.time() - t0
        ch.basic_publish("", "S", str(i).encode(), pika.BasicProperties(delivery_mode=2))
        time.sleep(0.05)
    c.close()
threading.Thread(target=publisher, daemon=True).start()
def faults():
    time.sleep(5)
    subprocess.run([broker, "stop", f"{d}/rabbit1"], capture_output=True)
    print(f"{time.time()-t0:.1f} s: node 1 stopped", flush=True)
    time.sleep(5)
    env = dict(__import__("os").environ, PILOT_BROKER_PORT=str(base), PILOT_BROKER_CLUSTER_NAME="exp")
    subprocess.run([broker, "cluster-start", d], capture_output=True, env=env)
    print(f"{time.time()-t0:.1f} s: node 1 started", flush=True)
threading.Thread(target=faults, daemon=True).start()
c3 = conn(3); ch3 = c3.channel()
got = {}
while len(got) < 600 and time.time() - t0 < 260:
    try:
        m, p, body = ch3.basic_get("T", auto_ack=True)
    except Exception as e:
        time.sleep(0.5)
        try: c3 = conn(3); ch3 = c3.channel()
        except Exception: pass
        continue
    if m is None: c3.sleep(0.2); continue
    got.setdefault(int(body), time.time() - t0)
late = sorted((got[i] - sent[i], i) for i in got)[-5:]
print(f"{len(got)} of 600 reached T; slowest (seconds from publish, id): {[(round(a,1), i) for a, i in late]}", flush=True)
print("missing:", sorted(set(range(600)) - set(got))[:20])
