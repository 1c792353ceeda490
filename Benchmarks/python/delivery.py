#!/usr/bin/env python3
"""The delivery stage's throughput, each figure beside a baseline from the same run.

mail:     N email.send events, each for a ~40 KB kickoff-like .eml, sent by the worker's
          delivery stage into aiosmtpd (which accepts and drops them), against the same N
          email.send events alone: each names a missing .eml, so the stage does everything
          but read the file and talk SMTP (it dead-letters them as invalid_document).
webhooks: N crm.update events POSTed, signed, to one receiver (the test receiver, which
          verifies each signature and answers 204 at once), against the delivery stage's
          own rate on the same events (the fan-out into the receiver's queue), measured in
          the same run.

The delivery queue is filled while no worker runs; rates are counted from the worker's
readiness (/readyz, polled every 10 ms) to the moment its /metrics shows all N. Use a
private, otherwise idle broker (Benchmarks/run.sh delivery starts one).
"""

import argparse
import base64
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from email.message import EmailMessage
from email.policy import SMTP

import pika

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "deploy"))
from free_ports import free_ports  # noqa: E402  (below the ephemeral range)

ROOT = pathlib.Path(__file__).resolve().parents[2]
PEERS = ROOT / "Tests/PilotDeliveryTests/python"
THREAD = "bench-2026-12"
SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()


def free_port():
    return free_ports(1)[0]


def wait_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    sys.exit(f"nothing listens on {port}")


def metric(port, name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name):
            total += float(line.rsplit(" ", 1)[1])
    return total


def kickoff_eml():
    message = EmailMessage(policy=SMTP)
    message["From"] = "pilots@pilot-worker.dev"
    message["To"] = "dana.whitfield@acme-analytics.com"
    message["Subject"] = "Acme Analytics pilot: kickoff"
    message["Message-ID"] = "<kickoff.bench@pilot-worker>"
    message.set_content("Hello Dana,\n\n" + "The pilot starts on Monday. " * 200)
    message.add_attachment("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", subtype="calendar",
                           params={"method": "REQUEST"})
    message.add_attachment(("# Pilot agreement\n\n" + "A clause of the agreement. " * 1000).encode(),
                           maintype="text", subtype="markdown", filename="pilot-agreement-custom.md")
    return message.as_bytes()


def event(kind, index, eml_path=None):
    data = ({"to": ["dana.whitfield@acme-analytics.com"], "subject": "Kickoff", "eml_path": eml_path,
             "kind": "kickoff_invite"} if kind == "email.send" else {"status": "pilot_active", "note": f"day {index}"})
    return json.dumps({
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/bench", "type": kind, "subject": THREAD,
        "time": "2026-12-02T09:00:00Z", "datacontenttype": "application/json", "dataschema": f"{kind}.v1",
        "data": data,
    }, separators=(",", ":")).encode()


class Worker:
    def __init__(self, binary, amqp_url, workspace, env):
        self.metrics_port = free_port()
        self.log = open(os.path.join(workspace, "worker.log"), "w")
        environment = dict(os.environ, PILOT_AMQP_URL=amqp_url, PILOT_WORKSPACE=workspace, PILOT_STAGES="delivery",
                           PILOT_METRICS_PORT=str(self.metrics_port), PILOT_METRICS_HOST="127.0.0.1",
                           PILOT_SCHEMAS=str(ROOT / "schemas"), PILOT_LOG_LEVEL="warning", **env)
        self.process = subprocess.Popen([binary], env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/readyz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.01)
        self.stop()
        sys.exit("worker never became ready; see " + self.log.name)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def run(amqp_url, binary, env, bodies, routing_key, counter, also=None):
    """Fills the delivery queue with the bodies while no worker runs, starts one, and
    waits until `counter` on /metrics reaches their number; returns the seconds from the
    worker's readiness, and when `also` (another counter) got there."""
    workspace = env.pop("_workspace")
    Worker(binary, amqp_url, workspace, env).stop()  # declares the topology
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    properties = pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2)
    n = len(bodies)
    channel.queue_purge("pilot.stage.delivery")
    for body in bodies:
        channel.basic_publish("pilot.events", routing_key, body, properties)
    deadline = time.time() + 120
    while channel.queue_declare("pilot.stage.delivery", passive=True).method.message_count < n:
        if time.time() > deadline:
            sys.exit("the delivery queue never filled")
        time.sleep(0.05)
    connection.close()

    worker = Worker(binary, amqp_url, workspace, env)
    started = time.monotonic()
    also_at = None
    deadline = started + 600
    while time.monotonic() < deadline:
        if also and also_at is None and metric(worker.metrics_port, also) >= n:
            also_at = time.monotonic() - started
        if metric(worker.metrics_port, counter) >= n:
            break
        time.sleep(0.02)
    else:
        worker.stop()
        sys.exit(f"{counter} never reached {n}; see {worker.log.name}")
    took = time.monotonic() - started
    if also and also_at is None:
        also_at = took
    worker.stop()
    return took, also_at


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--amqp-url", required=True)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--messages", type=int, default=3000)
    args = parser.parse_args()
    n = args.messages
    work = tempfile.mkdtemp(prefix="pilot-bench-delivery-")
    peers = []
    try:
        folder = pathlib.Path(work, "threads/sales", THREAD)
        folder.mkdir(parents=True)
        eml = kickoff_eml()
        (folder / "kickoff-invite.eml").write_bytes(eml)

        smtp_port = free_port()
        peers.append(subprocess.Popen([sys.executable, str(PEERS / "smtp_server.py"), str(smtp_port),
                                       os.path.join(work, "smtp"), "--discard"], stdout=subprocess.DEVNULL))
        wait_port(smtp_port)
        mail_env = {"PILOT_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}", "PILOT_MAIL_FROM": "pilots@pilot-worker.dev"}

        present = f"threads/sales/{THREAD}/kickoff-invite.eml"
        missing = f"threads/sales/{THREAD}/missing.eml"
        alone, _ = run(args.amqp_url, args.worker, dict(mail_env, _workspace=work),
                       [event("email.send", i, missing) for i in range(n)], "email.send",
                       'pilot_deliveries_total{stage="delivery",outcome="dead_lettered"}')
        sent, _ = run(args.amqp_url, args.worker, dict(mail_env, _workspace=work),
                      [event("email.send", i, present) for i in range(n)], "email.send", "pilot_mail_sent_total")

        hook_port = free_port()
        peers.append(subprocess.Popen([sys.executable, str(PEERS / "webhook_receiver.py"), str(hook_port),
                                       os.path.join(work, "hooks"), SECRET, "--no-record"], stdout=subprocess.DEVNULL))
        wait_port(hook_port)
        hook_env = {"PILOT_WEBHOOK_URLS": f"http://127.0.0.1:{hook_port}/ok", "PILOT_WEBHOOK_SECRET": SECRET}
        hooks, fanned = run(args.amqp_url, args.worker, dict(hook_env, _workspace=work),
                            [event("crm.update", i) for i in range(n)], "crm.update", "pilot_webhooks_sent_total",
                            also='pilot_deliveries_total{stage="delivery",outcome="handled"}')

        print(f"{n} messages each; .eml {len(eml):,} bytes")
        print(f"email.send alone (no file, no SMTP): {n / alone:8.0f}/s")
        print(f"mail sent into aiosmtpd:             {n / sent:8.0f}/s   ratio {alone / sent:.2f}")
        print(f"fan-out to the receiver's queue:     {n / fanned:8.0f}/s")
        print(f"webhooks delivered (signed, 204):    {n / hooks:8.0f}/s   ratio {fanned / hooks:.2f}")
    finally:
        for peer in peers:
            peer.send_signal(signal.SIGTERM)
            try:
                peer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                peer.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
