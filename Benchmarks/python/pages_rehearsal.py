"""Rehearses one 14-day pilot on a running worker (one-second days) for Benchmarks/pages.sh:
publishes the request, the signature once the kickoff is scheduled, 14 days of metrics and
three feedback responses, and waits until the pilot's row in the store says completed or lost.
Usage: pages_rehearsal.py AMQP_URL THREAD DATABASE
"""
import json, sqlite3, sys, time, uuid
import pika

url, thread, database = sys.argv[1:4]
request = json.load(open("examples/pilot.requested.json"))
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.confirm_delivery()
channel.exchange_declare("pilot.events", "topic", durable=True)


def publish(kind, data, event_id):
    event = {"specversion": "1.0", "id": event_id, "source": "/bench", "type": kind, "subject": thread,
             "time": "2026-11-25T09:00:00Z", "datacontenttype": "application/json", "dataschema": kind + ".v1", "data": data}
    channel.basic_publish("pilot.events", kind, json.dumps(event),
                          pika.BasicProperties(content_type="application/cloudevents+json", message_id=event_id,
                                               delivery_mode=2, type=kind, correlation_id=thread))


def status():
    try:
        db = sqlite3.connect(database)
        row = db.execute("SELECT status FROM pilots WHERE thread_id = ?", (thread,)).fetchone()
        db.close()
        return row[0] if row else None
    except sqlite3.Error:
        return None


def wait(what, done, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if done(status()):
            return
        time.sleep(0.2)
    sys.exit(f"timed out waiting for {what}; status {status()}")


data = dict(request["data"])
data["terms"] = dict(data["terms"], duration_days=14)
publish("pilot.requested", data, "req-" + thread)
wait("the kickoff", lambda s: s == "kickoff_scheduled")
publish("pilot.signed", {"signed_at": "2026-11-27T16:00:00Z", "signed_by": {"name": "Dana Whitfield", "email": "dana@acme-analytics.com"},
                         "method": "docusign", "start_date": "2026-12-01"}, "sig-" + thread)
for day in range(1, 15):
    publish("pilot.metrics", {"day": day, "technical": {"latency_p95_ms": 210 - day * 3, "accuracy_pct": 97.2, "uptime_pct": 99.9,
                                                       "error_rate_pct": 0.4, "requests": 15000},
                              "business": {"active_users": 12, "hours_saved": 2.5, "tasks_completed": 40}}, f"m-{thread}-{day}")
for index in range(1, 4):
    publish("pilot.feedback", {"respondent": {"name": f"User {index}", "email": f"user{index}@acme-analytics.com"},
                               "score": 9, "submitted_at": "2026-12-05T10:00:00Z"}, f"f-{thread}-{index}")
wait("the end of the pilot", lambda s: s in ("completed", "lost"))
connection.close()
print("rehearsed", thread, "->", status())
