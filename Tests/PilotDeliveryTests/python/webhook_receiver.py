"""A webhook receiver for the delivery tests, verifying Standard Webhooks signatures with
its own implementation of the spec (hmac, hashlib, base64: nothing shared with the worker).

Usage: webhook_receiver.py PORT FOLDER SECRET [--no-record]

Each request is recorded as one JSON line in FOLDER/<path name>.log: id, timestamp,
verdict ("ok", "bad_signature", "stale", "missing_headers"), content type, the body in
base64 and the status answered. A request that fails verification gets 401. Otherwise the
path decides the answer:
  /ok        204
  /gone      410 with a short explanation
  /flaky     500 twice per webhook-id, then 200
  /busy      429 with Retry-After: 1 twice per webhook-id, then 200
  /slow      nothing until FOLDER/release-slow exists (at most 300 s), then 200: the
             sender's timeout decides, not the machine's speed
  /redirect  302 to /ok (a sender that follows it would show up in ok.log)
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


def verify(secret, headers, body):
    """The spec's receiver check: all three headers, the timestamp within tolerance, and
    one v1 signature equal (in constant time) to HMAC-SHA256(key, id.timestamp.body)."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return "missing_headers"
    try:
        sent = int(timestamp)
    except ValueError:
        return "stale"
    if abs(time.time() - sent) > TOLERANCE_SECONDS:
        return "stale"
    key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return "ok"
    return "bad_signature"


def main():
    port, folder, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    # Benchmarks: verify and answer, but write nothing per request.
    record_requests = "--no-record" not in sys.argv[4:]
    os.makedirs(folder, exist_ok=True)
    lock = threading.Lock()
    tries = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body=b"", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            name = self.path.strip("/").split("?")[0] or "root"
            verdict = verify(secret, self.headers, body)
            msg_id = self.headers.get("webhook-id", "")
            with lock:
                tries[(name, msg_id)] = tries.get((name, msg_id), 0) + 1
                attempt = tries[(name, msg_id)]
            status, reply, headers, delay = 204, b"", [], 0
            if verdict != "ok":
                status, reply = 401, verdict.encode()
            elif name == "gone":
                status, reply = 410, b"this endpoint was removed; stop sending"
            elif name == "flaky" and attempt <= 2:
                status, reply = 500, b"temporary trouble"
            elif name == "busy" and attempt <= 2:
                status, headers = 429, [("Retry-After", "1")]
            elif name == "slow":
                delay = 300
            elif name == "redirect":
                status, headers = 302, [("Location", "/ok")]
            elif name in ("flaky", "busy"):
                status = 200
            record = {
                "id": msg_id, "timestamp": self.headers.get("webhook-timestamp"), "verdict": verdict,
                "content_type": self.headers.get("Content-Type"), "body": base64.b64encode(body).decode(),
                "status": status, "attempt": attempt, "at": time.time(),
            }
            if record_requests:
                with lock, open(os.path.join(folder, name + ".log"), "a") as log:
                    log.write(json.dumps(record) + "\n")
            deadline = time.time() + delay
            while time.time() < deadline and not os.path.exists(os.path.join(folder, "release-slow")):
                time.sleep(0.05)
            try:
                self.answer(status, reply, headers)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self):
            # Only a sender that followed a redirect would GET (303) or re-POST here;
            # recorded so the test can tell.
            name = self.path.strip("/").split("?")[0] or "root"
            record = {"id": self.headers.get("webhook-id", ""), "verdict": "get", "status": 405, "at": time.time(), "body": ""}
            with lock, open(os.path.join(folder, name + ".log"), "a") as log:
                log.write(json.dumps(record) + "\n")
            self.answer(405)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
