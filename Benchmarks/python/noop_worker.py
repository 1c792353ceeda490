#!/usr/bin/env python3
"""The agreement stage's no-op worker as a team would write it in Python: pika and
jsonschema doing what `pilot-worker --handler echo --database none --stages agreement`
does, the peer that Benchmarks/python/compare.py measures our worker against.

For each delivery of `pilot.stage.agreement`: parse the JSON body, check the
CloudEvents envelope, validate the event against its JSON Schema (draft 2020-12,
formats asserted), publish one `pilot.echoed` event (validated too) to `pilot.events`,
persistent, with publisher confirms, and ack the delivery once its publish is
confirmed. An event that fails a check is published to `pilot.stage.agreement.dead`
with `x-error-reason` and `x-error-detail` instead, and acked the same way.

pika's SelectConnection, not BlockingConnection: with confirms on, a blocking
channel's basic_publish waits for its own confirm, one broker round trip per message.
The asynchronous connection keeps a whole prefetch window of publishes in flight and
acks deliveries as their confirms arrive, as our worker does.

SIGTERM or SIGINT: cancel the consumer, wait for the confirms of what was published,
ack, close, exit 0.
"""

import argparse
import collections
import json
import logging
import pathlib
import re
import signal
import sys
import time
import uuid

import pika
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

EXCHANGE = "pilot.events"
STAGE = "agreement"
QUEUE = f"pilot.stage.{STAGE}"
DEAD_QUEUE = f"{QUEUE}.dead"
STAGE_TYPES = {"pilot.requested"}
SCHEMA_BASE = "https://schemas.pilot-worker.dev/"
MAX_BODY_BYTES = 1 << 20
THREAD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# The namespace of DerivedID in Sources/PilotRuntime/SHA1.swift: a redelivered event
# yields the same ids as in our worker.
ID_NAMESPACE = uuid.UUID("6f1d2c8e-4b7a-4e11-9c3d-520ba947e610")
ECHO = "pilot.echoed"

log = logging.getLogger("noop_worker")


class Rejected(Exception):
    """An event that can never be handled: dead-lettered with `reason`."""

    def __init__(self, reason, detail):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def load_validators(folder):
    """One validator per event type (`<type>.v1.json` with a dot in the type), built
    once from a registry of every schema in `folder`. Every type's schema `$ref`s the
    CloudEvents envelope, so it checks the envelope too."""
    schemas = [json.loads(path.read_text()) for path in sorted(pathlib.Path(folder).glob("*.json"))]
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas)
    validators = {}
    for schema in schemas:
        name = schema["$id"].removeprefix(SCHEMA_BASE).removesuffix(".v1.json")
        if "." in name:
            Draft202012Validator.check_schema(schema)
            validators[name] = Draft202012Validator(
                schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return validators


def check_envelope(document):
    """What the runtime needs before the schemas: a CloudEvents 1.0 envelope with a
    thread id that is safe as a folder name and a `data` object."""
    if not isinstance(document, dict):
        raise Rejected("invalid_envelope", "the body is not a JSON object")
    for key in ("specversion", "id", "source", "type", "subject", "time"):
        value = document.get(key)
        if not isinstance(value, str) or not value:
            raise Rejected("invalid_envelope", f'"{key}" must be a non-empty string')
    if document["specversion"] != "1.0":
        raise Rejected("invalid_envelope", f'specversion "{document["specversion"]}" is not "1.0"')
    subject = document["subject"]
    if not THREAD_ID.fullmatch(subject) or ".." in subject:
        raise Rejected("invalid_envelope", f"subject {subject[:80]!r} is not a valid thread id")
    if not isinstance(document.get("data"), dict):
        raise Rejected("invalid_envelope", 'missing "data" object')


def first_error(validator, document):
    """The first schema error as `/pointer: message`, or None when the event is valid."""
    error = next(validator.iter_errors(document), None)
    return None if error is None else f"{error.json_path}: {error.message}"


class NoopWorker:
    def __init__(self, url, validators, prefetch):
        self.parameters = pika.URLParameters(url)
        self.validators = validators
        self.prefetch = prefetch
        self.connection = None
        self.channel = None
        self.consumer_tag = None
        self.stopping = False
        # (publish sequence number, delivery tag) in publish order, awaiting a confirm.
        self.pending = collections.deque()
        self.settled = {}  # sequence number -> confirmed (True) or refused (False)
        self.published = 0
        self.failed = False

    def run(self):
        """Runs until stopped; returns the exit status."""
        self.connection = pika.SelectConnection(
            self.parameters, on_open_callback=self.on_open,
            on_open_error_callback=self.on_open_error, on_close_callback=self.on_closed)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.connection.ioloop.add_callback_threadsafe(self.stop))
        self.connection.ioloop.start()
        return 1 if self.failed else 0

    # Start-up: channel, topology, confirms, prefetch, consume.

    def on_open(self, connection):
        connection.channel(on_open_callback=self.on_channel)

    def on_open_error(self, _connection, error):
        log.error("cannot connect: %s", error)
        self.failed = True
        self.connection.ioloop.stop()

    def on_channel(self, channel):
        self.channel = channel
        channel.add_on_close_callback(self.on_channel_closed)
        channel.exchange_declare(EXCHANGE, "topic", durable=True, callback=self.on_exchange)

    def on_exchange(self, _frame):
        quorum = {"x-queue-type": "quorum"}
        self.channel.queue_declare(DEAD_QUEUE, durable=True, arguments=quorum)
        self.channel.queue_declare(QUEUE, durable=True, arguments=quorum, callback=self.on_queue)

    def on_queue(self, _frame):
        for routing_key in sorted(STAGE_TYPES):
            self.channel.queue_bind(QUEUE, EXCHANGE, routing_key)
        self.channel.confirm_delivery(self.on_confirm, callback=self.on_confirm_mode)

    def on_confirm_mode(self, _frame):
        self.channel.basic_qos(prefetch_count=self.prefetch, callback=self.on_qos)

    def on_qos(self, _frame):
        self.consumer_tag = self.channel.basic_consume(QUEUE, self.on_message)

    # The work: one publication per delivery, the ack after its confirm.

    def on_message(self, channel, method, properties, body):
        exchange, routing_key, out_properties, out_body = self.handle(method, properties, body)
        channel.basic_publish(exchange, routing_key, out_body, out_properties)
        self.published += 1
        self.pending.append((self.published, method.delivery_tag))

    def handle(self, method, properties, body):
        headers = properties.headers or {}
        attempt = int(headers.get("x-attempts", 0)) + 1
        try:
            event = self.checked(body)
        except Rejected as rejection:
            log.error("dead-lettered: %s (delivery %d)", rejection, method.delivery_tag)
            dead = pika.BasicProperties(
                content_type=properties.content_type, message_id=properties.message_id, type=properties.type,
                correlation_id=properties.correlation_id, delivery_mode=pika.DeliveryMode.Persistent,
                headers={**headers, "x-error-reason": rejection.reason,
                         "x-error-detail": rejection.detail[:1000], "x-attempts": attempt})
            return "", DEAD_QUEUE, dead, body
        echo = self.echo(event, attempt)
        out_properties = pika.BasicProperties(
            content_type="application/cloudevents+json", message_id=echo["id"], type=ECHO,
            correlation_id=echo["subject"], app_id="pilot-worker", timestamp=int(time.time()),
            delivery_mode=pika.DeliveryMode.Persistent)
        return EXCHANGE, ECHO, out_properties, json.dumps(echo, ensure_ascii=False, separators=(",", ":")).encode()

    def checked(self, body):
        """The incoming event, or Rejected: size, JSON, envelope, stage, schema."""
        if len(body) > MAX_BODY_BYTES:
            raise Rejected("too_large", f"body of {len(body)} bytes exceeds the limit of {MAX_BODY_BYTES} bytes")
        try:
            event = json.loads(body)
        except ValueError as error:
            raise Rejected("malformed_json", str(error)) from None
        check_envelope(event)
        if event["type"] not in STAGE_TYPES:
            raise Rejected("unknown_type", f'type "{event["type"]}" is not handled by stage {STAGE}')
        error = first_error(self.validators[event["type"]], event)
        if error:
            raise Rejected("schema_violation", error)
        return event

    def echo(self, event, attempt):
        """The pilot.echoed event, shaped as OutgoingEvent builds it, and validated."""
        echo = {
            "specversion": "1.0",
            "id": str(uuid.uuid5(ID_NAMESPACE, f"{event['id']}\x1f{ECHO}\x1f")),
            "source": "/pilot-worker",
            "type": ECHO,
            "subject": event["subject"],
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "datacontenttype": "application/json",
            "dataschema": f"{ECHO}.v1",
            "causationid": event["id"],
            "data": {"echo_of": event["type"], "stage": STAGE, "attempt": attempt},
        }
        error = first_error(self.validators[ECHO], echo)
        if error:
            raise RuntimeError(f"refusing to publish an invalid {ECHO} event: {error}")
        return echo

    def on_confirm(self, frame):
        """Records a confirm (or a refusal), then acks the deliveries whose publishes
        are settled, oldest first, with one multiple ack per run; a refused publish
        sends its delivery back to the queue."""
        method = frame.method
        confirmed = isinstance(method, pika.spec.Basic.Ack)
        if method.multiple:
            for sequence in range(self.pending[0][0], method.delivery_tag + 1):
                self.settled.setdefault(sequence, confirmed)
        else:
            self.settled[method.delivery_tag] = confirmed
        last_ack = None
        while self.pending and self.pending[0][0] in self.settled:
            sequence, delivery_tag = self.pending.popleft()
            if self.settled.pop(sequence):
                last_ack = delivery_tag
                continue
            if last_ack is not None:
                self.channel.basic_ack(last_ack, multiple=True)
                last_ack = None
            log.warning("publish refused by the broker; delivery %d goes back to the queue", delivery_tag)
            self.channel.basic_nack(delivery_tag, requeue=True)
        if last_ack is not None:
            self.channel.basic_ack(last_ack, multiple=True)
        if self.stopping and not self.pending:
            self.close()

    # Shutdown.

    def stop(self):
        if self.stopping:
            return
        self.stopping = True
        if self.consumer_tag is None:
            self.close()
        else:
            self.channel.basic_cancel(self.consumer_tag, callback=self.on_cancelled)

    def on_cancelled(self, _frame):
        if not self.pending:
            self.close()

    def close(self):
        if self.channel is not None and self.channel.is_open:
            self.channel.close()
        elif self.connection.is_open:
            self.connection.close()

    def on_channel_closed(self, _channel, reason):
        if not self.stopping:
            log.error("channel closed: %s", reason)
        if self.connection.is_open:
            self.connection.close()

    def on_closed(self, _connection, reason):
        if not self.stopping:
            log.error("connection lost: %s", reason)
            self.failed = True
        self.connection.ioloop.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--amqp-url", default="amqp://guest:guest@127.0.0.1:5672/%2f")
    parser.add_argument("--schemas", default=str(pathlib.Path(__file__).resolve().parents[2] / "schemas"))
    parser.add_argument("--prefetch", type=int, default=200)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sys.exit(NoopWorker(args.amqp_url, load_validators(args.schemas), args.prefetch).run())


if __name__ == "__main__":
    main()
