"""Drives whole pilots through one pilot-worker for the memory check (Tests/memory/run.sh).

It plays the upstream systems with pika: publishes `pilot.requested` for N pilots and,
as each `pilot.kickoff.scheduled` appears, the signature (or a decline), a metrics
report for every day, feedback, issues, and between them bad messages for every stage,
so every code path that parses, validates, stores, renders and dead-letters runs many
times. A tap queue bound to `pilot.events` with `#` sees every event on the exchange.
It waits until every pilot has `action.create` or `deal.lost` and the stage queues are
empty, checks that each bad message was dead-lettered for its fault and nothing else
was, reads the worker's /metrics for what it handled, and writes a JSON summary.

usage: drive.py --amqp-url URL --mgmt-url URL --metrics-url URL --pilots N --summary FILE [--timeout S]
Exit status: 0 when every pilot finished and the dead letters are exactly the bad ones.
"""
import argparse
import base64
import copy
import json
import os
import sys
import time
import urllib.request

import pika

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXCHANGE = "pilot.events"
STAGE_QUEUES = [f"pilot.stage.{s}" for s in ("agreement", "kickoff", "monitoring", "results", "next-action")]
CONTENT_TYPE = "application/cloudevents+json"
# The worker is started with this limit (run.sh), so one bad message can exceed it cheaply.
MAX_BODY_BYTES = 65536


def log(message):
    print(f"drive: {time.strftime('%H:%M:%S')} {message}", flush=True)


def event(kind, subject, event_id, data, source="/memcheck"):
    return {
        "specversion": "1.0", "id": event_id, "source": source, "type": kind, "subject": subject,
        "time": "2026-11-25T09:00:00Z", "datacontenttype": "application/json", "data": data,
    }


def encode(document):
    return json.dumps(document, separators=(",", ":")).encode()


with open(os.path.join(ROOT, "examples", "pilot.requested.json"), "rb") as f:
    SAMPLE_REQUEST = json.load(f)["data"]


def request(thread, days):
    data = copy.deepcopy(SAMPLE_REQUEST)
    data["terms"]["duration_days"] = days
    return event("pilot.requested", thread, f"req-{thread}", data, source="/crm")


def signed(thread, amendments=None):
    data = {
        "signed_at": "2026-11-27T16:00:00Z", "signed_by": {"name": "Dana Whitfield", "email": "dana@acme-analytics.com"},
        "method": "docusign", "start_date": "2026-12-01",
    }
    if amendments:
        data["amendments"] = amendments
    return event("pilot.signed", thread, f"sig-{thread}", data, source="/esign")


def declined(thread):
    data = {"declined_at": "2026-11-30T15:58:00Z", "reason": "Budget for Q1 was frozen; revisit in April."}
    return event("pilot.declined", thread, f"dec-{thread}", data)


def metrics(thread, day, latency, event_id=None):
    data = {
        "day": day,
        "technical": {"latency_p95_ms": latency, "accuracy_pct": 97.2, "uptime_pct": 99.9, "error_rate_pct": 0.4, "requests": 15000},
        "business": {"active_users": 12, "hours_saved": 2.5, "tasks_completed": 40},
    }
    return event("pilot.metrics", thread, event_id or f"m-{thread}-{day}", data, source="/telemetry")


def feedback(thread, index, score):
    data = {
        "respondent": {"name": f"User {index}", "email": f"user{index}@acme-analytics.com"},
        "score": score, "comment": "Saves our Mondays.", "submitted_at": "2026-12-05T10:00:00Z",
    }
    return event("pilot.feedback", thread, f"f-{thread}-{index}", data, source="/survey")


def issue(thread, severity, status):
    data = {
        "issue_id": f"SUP-{thread}", "title": "Data loss in nightly sync", "severity": severity, "status": status,
        "reported_at": "2026-12-02T09:00:00Z",
    }
    if status == "resolved":
        data["resolved_at"] = "2026-12-03T09:00:00Z"
        data["resolution"] = "Fixed the sync job."
    return event("pilot.issue", thread, f"issue-{thread}", data)


def bad_inputs(thread, tag):
    """(name, routing key, content type, body, expected x-error-reason), one of each kind.

    `thread` is a pilot that has just been signed (for the out-of-range day); `tag` makes
    the ids of this round's events unique, so none meets the inbox as a duplicate."""
    valid = encode(request("bad-template", 14))
    text = valid.decode()
    no_lead = request("bad-no-lead", 14)
    del no_lead["data"]["lead"]
    wrong_type = request("bad-types", 14)
    wrong_type["data"]["terms"]["duration_days"] = "thirty"
    no_id = request("bad-no-id", 14)
    del no_id["id"]
    teleport = request("bad-teleport", 14)
    teleport["type"] = "pilot.teleported"
    big = request("bad-big", 14)
    big["data"]["qualification"]["pain_points"][0] = "x" * MAX_BODY_BYTES
    invalid_utf8 = text.replace('"source":"/crm"', '"source":"/crmXX"').encode().replace(b"XX", b"\xc3\x28")
    ghost = signed("ghost-pilot")
    ghost["id"] = f"sig-ghost-{tag}"
    out_of_range = metrics(thread, 25, 210.0, event_id=f"m-{thread}-25")
    return [
        ("not JSON", "pilot.requested", CONTENT_TYPE, b"hello, pilot", "malformed_json"),
        ("empty body", "pilot.requested", CONTENT_TYPE, b"", "malformed_json"),
        ("truncated", "pilot.requested", CONTENT_TYPE, valid[: len(valid) // 2], "malformed_json"),
        ("duplicate keys", "pilot.requested", CONTENT_TYPE, ('{"id":"dup-a",' + text[1:]).encode(), "malformed_json"),
        ("deep nesting", "pilot.requested", CONTENT_TYPE, b'{"specversion":"1.0","data":' + b"[" * 5000 + b"]" * 5000 + b"}", "malformed_json"),
        ("number beyond double", "pilot.requested", CONTENT_TYPE, text.replace('"roi_target_pct":150', '"roi_target_pct":1e400').encode(), "malformed_json"),
        ("invalid UTF-8", "pilot.requested", CONTENT_TYPE, invalid_utf8, "malformed_json"),
        ("top-level array", "pilot.requested", CONTENT_TYPE, b"[1,2,3]", "invalid_envelope"),
        ("missing id", "pilot.requested", CONTENT_TYPE, encode(no_id), "invalid_envelope"),
        ("thread id with /", "pilot.requested", CONTENT_TYPE, encode(event("pilot.requested", "acme/../../etc", "bad-slash", SAMPLE_REQUEST)), "invalid_envelope"),
        ("unknown type", "pilot.requested", CONTENT_TYPE, encode(teleport), "unknown_type"),
        ("wrong field type", "pilot.requested", CONTENT_TYPE, encode(wrong_type), "schema_violation"),
        ("missing field", "pilot.requested", CONTENT_TYPE, encode(no_lead), "schema_violation"),
        ("wrong content type", "pilot.requested", "text/plain", valid, "unsupported_content_type"),
        ("over the size limit", "pilot.requested", CONTENT_TYPE, encode(big), "too_large"),
        ("kickoff: data breaks its schema", "pilot.agreement.generated", CONTENT_TYPE,
         encode(event("pilot.agreement.generated", thread, f"bad-agr-{thread}", {"bogus": True})), "schema_violation"),
        ("unknown pilot", "pilot.signed", CONTENT_TYPE, encode(ghost), "wrong_state"),
        ("out-of-range day", "pilot.metrics", CONTENT_TYPE, encode(out_of_range), "day_out_of_range"),
        ("results: data breaks its schema", "pilot.results.requested", CONTENT_TYPE,
         encode(event("pilot.results.requested", thread, f"bad-res-{thread}", {"days": "many"})), "schema_violation"),
        ("next-action: not JSON", "pilot.results.compiled", CONTENT_TYPE, b"{\"specversion\":", "malformed_json"),
    ]


class Driver:
    def __init__(self, args):
        self.args = args
        self.connection = pika.BlockingConnection(pika.URLParameters(args.amqp_url))
        self.publisher = self.connection.channel()
        self.publisher.confirm_delivery()
        self.consumer = self.connection.channel()
        self.consumer.basic_qos(prefetch_count=500)
        self.threads = [f"mem-{i:04d}" for i in range(args.pilots)]
        self.kicked_off = set()
        self.outcomes = {}  # thread -> routing key of its outcome
        self.outcome_ids = {}  # thread -> ids of its outcome events
        self.duplicate_outcomes = 0  # a second outcome (another id) for a thread
        self.copies = 0  # the same outcome event again (same id; receivers' inboxes absorb it)
        self.tap = {}  # routing key -> count of events seen on pilot.events
        self.published = 0  # events we published to pilot.events
        self.bad = {}  # message id -> (name, expected reason)
        self.bad_round = 0
        self.last_tap = time.monotonic()

    def publish(self, body, routing_key, message_id, content_type=CONTENT_TYPE):
        self.publisher.basic_publish(
            exchange=EXCHANGE, routing_key=routing_key, body=body, mandatory=True,
            properties=pika.BasicProperties(content_type=content_type, delivery_mode=2, message_id=message_id))
        self.published += 1

    def publish_event(self, document):
        self.publish(encode(document), document["type"], document["id"])

    def on_tap(self, channel, method, _properties, body):
        key = method.routing_key
        self.tap[key] = self.tap.get(key, 0) + 1
        self.last_tap = time.monotonic()
        if key in ("pilot.kickoff.scheduled", "action.create", "deal.lost"):
            thread = json.loads(body)["subject"]
            if key == "pilot.kickoff.scheduled":
                if thread not in self.kicked_off:
                    self.kicked_off.add(thread)
                    self.pending.append(thread)
            else:
                ids = self.outcome_ids.setdefault(thread, set())
                event_id = json.loads(body)["id"]
                if event_id in ids:
                    self.copies += 1
                elif ids:
                    self.duplicate_outcomes += 1
                ids.add(event_id)
                self.outcomes.setdefault(thread, key)
        channel.basic_ack(method.delivery_tag)

    def upstream(self, thread):
        """Everything the lead's systems send once the kickoff is scheduled."""
        i = int(thread.split("-")[1])
        days = self.args.days
        if i % 20 == 7:
            self.publish_event(declined(thread))  # deal.lost (negotiation_failed), nothing else
            return
        latency = 420.0 if i % 2 else 210.0  # odd pilots miss their p95 latency target
        if i % 10 == 3:
            # Day 1 overtakes the signature: it waits through the retry tier, and the
            # regular day-1 report below (same id) meets the inbox as a duplicate.
            self.publish_event(metrics(thread, 1, latency))
        amendments = {"support_level": "async", "pricing": {"model": "free", "list_price_annual": 48000, "currency": "USD"}} if i % 10 == 1 else None
        self.publish_event(signed(thread, amendments))
        for day in range(1, days + 1):
            self.publish_event(metrics(thread, day, latency))
        if i % 10 == 5:
            self.publish_event(metrics(thread, 2, latency + 5, event_id=f"m-{thread}-2-again"))  # replaces day 2
        for index, score in enumerate((10, 9, 6), start=1):
            self.publish_event(feedback(thread, index, score))
        if i % 10 == 2:
            self.publish_event(issue(thread, "critical", "open"))  # FAILED: open critical issue
        elif i % 10 == 4:
            self.publish_event(issue(thread, "medium", "resolved"))
        if i % 5 == 0:
            # A round of bad messages for every stage, between the valid ones.
            for name, key, content_type, body, reason in bad_inputs(thread, self.bad_round):
                message_id = f"bad-{self.bad_round}-{len(self.bad)}"
                self.bad[message_id] = (name, reason)
                self.publish(body, key, message_id, content_type)
            self.bad_round += 1

    def queue_messages(self):
        """Messages (ready and unacked) per queue, from the management API (a few seconds behind)."""
        request = urllib.request.Request(self.args.mgmt_url.rstrip("/") + "/api/queues?columns=name,messages")
        credentials = base64.b64encode(b"guest:guest").decode()
        request.add_header("Authorization", f"Basic {credentials}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return {q["name"]: q.get("messages") or 0 for q in json.load(response)}

    def scrape(self):
        with urllib.request.urlopen(self.args.metrics_url, timeout=30) as response:
            text = response.read().decode()
        samples = {}
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            name, _, value = line.rpartition(" ")
            try:
                samples[name] = float(value)
            except ValueError:
                pass
        return samples

    def run(self):
        args = self.args
        started = time.monotonic()
        deadline = started + args.timeout
        # The worker has declared its topology (run.sh waits for /readyz): tap everything.
        tap = self.consumer.queue_declare("", exclusive=True).method.queue
        self.consumer.queue_bind(tap, EXCHANGE, routing_key="#")
        self.consumer.basic_consume(tap, self.on_tap)
        self.pending = []
        for thread in self.threads:
            self.publish_event(request(thread, args.days))
        log(f"published {len(self.threads)} pilot.requested ({args.days}-day pilots)")
        last_report = time.monotonic()
        while len(self.outcomes) < len(self.threads) and time.monotonic() < deadline:
            self.connection.process_data_events(time_limit=0.2)
            while self.pending:
                self.upstream(self.pending.pop(0))
            if time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                log(f"{len(self.kicked_off)} kicked off, {len(self.outcomes)}/{len(self.threads)} finished, "
                    f"{sum(self.tap.values())} events seen on {EXCHANGE}")
        finished = len(self.outcomes) == len(self.threads)
        if finished:
            log(f"every pilot finished after {time.monotonic() - started:.0f} s; waiting for the queues to drain")
        else:
            log(f"timed out: {len(self.outcomes)}/{len(self.threads)} finished")

        # Drained: no message ready or unacked in the stage, retry and timer queues, no
        # outbox row unsent, and nothing new on the exchange for a while. (Not the
        # worker's received = acked: a batch redelivered after a reconnect counts twice
        # as received and once as acked.)
        drained = False
        while finished and time.monotonic() < deadline:
            self.connection.process_data_events(time_limit=1)
            messages = self.queue_messages()
            busy = sum(n for q, n in messages.items() if q.startswith(("pilot.stage.", "pilot.retry.", "pilot.timer.")) and not q.endswith(".dead"))
            backlog = total(self.scrape(), "pilot_outbox_backlog")
            if busy == 0 and backlog == 0 and time.monotonic() - self.last_tap > 10:
                drained = True
                break
        self.connection.process_data_events(time_limit=1)

        dead = self.collect_dead_letters()
        wrong = []
        for message_id, (name, reason) in self.bad.items():
            got = dead.pop(message_id, None)
            if got is None:
                wrong.append(f"{name} ({message_id}) was not dead-lettered")
            elif got[1] != reason:
                wrong.append(f"{name} ({message_id}): {got[1]} ({got[2]}), expected {reason}")
        for message_id, (queue, reason, detail) in dead.items():
            wrong.append(f"unexpected dead letter {message_id} in {queue}: {reason} {detail}")

        samples = self.scrape()
        by_outcome = {}
        for name, value in samples.items():
            if name.startswith("pilot_deliveries_total{"):
                outcome = name.split('outcome="', 1)[1].split('"', 1)[0]
                by_outcome[outcome] = by_outcome.get(outcome, 0) + int(value)
        summary = {
            "pilots": len(self.threads),
            "finished": len(self.outcomes),
            "sales_close": sum(1 for k in self.outcomes.values() if k == "action.create"),
            "deal_lost": sum(1 for k in self.outcomes.values() if k == "deal.lost"),
            "duplicate_outcomes": self.duplicate_outcomes,
            "outcome_copies": self.copies,
            "drained": drained,
            "handled": by_outcome.get("received", 0),
            "by_outcome": by_outcome,
            "published_by_worker": int(total(samples, "pilot_published_total")),
            "reconnects": int(total(samples, "pilot_reconnects_total")),
            "events_on_exchange": sum(self.tap.values()),
            "upstream_published": self.published,
            "by_type": dict(sorted(self.tap.items())),
            "bad_inputs": len(self.bad),
            "dead_letter_problems": wrong,
            "seconds": round(time.monotonic() - started),
        }
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=2)
        log(f"{summary['finished']}/{summary['pilots']} pilots finished ({summary['sales_close']} sales:close, "
            f"{summary['deal_lost']} deal.lost); worker handled {summary['handled']} deliveries {by_outcome}; "
            f"{summary['events_on_exchange']} events on {EXCHANGE} ({self.published} from upstream); "
            f"{len(self.bad)} bad inputs")
        for problem in wrong[:20]:
            log(f"problem: {problem}")
        self.connection.close()
        ok = finished and drained and not wrong and self.duplicate_outcomes == 0
        return 0 if ok else 1

    def collect_dead_letters(self):
        """message id -> (queue, x-error-reason, x-error-detail) for every dead letter."""
        found = {}
        for queue in STAGE_QUEUES:
            while True:
                method, properties, _body = self.publisher.basic_get(f"{queue}.dead", auto_ack=True)
                if method is None:
                    break
                headers = properties.headers or {}
                reason = headers.get("x-error-reason", b"?")
                detail = headers.get("x-error-detail", b"")
                found[properties.message_id or "?"] = (
                    queue, reason.decode() if isinstance(reason, bytes) else str(reason),
                    (detail.decode() if isinstance(detail, bytes) else str(detail))[:120])
        return found


def total(samples, metric, label=None):
    """The sum of a metric's samples, optionally only those with `label`."""
    return sum(v for k, v in samples.items() if (k == metric or k.startswith(metric + "{")) and (label is None or label in k))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--amqp-url", required=True)
    parser.add_argument("--metrics-url", required=True, help="the worker's /metrics")
    parser.add_argument("--pilots", type=int, default=280)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--timeout", type=float, default=7200, help="seconds for the whole run")
    parser.add_argument("--mgmt-url", required=True, help="the broker's management API, http://127.0.0.1:PORT/")
    parser.add_argument("--summary", required=True, help="where to write the JSON summary")
    sys.exit(Driver(parser.parse_args()).run())


if __name__ == "__main__":
    main()
