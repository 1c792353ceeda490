"""Publishes CloudEvents JSON files to pilot.events the way an upstream system
written with pika would: persistent, with publisher confirms, routing key = type,
in the order given.

usage: publish_event.py AMQP_URL EVENT_FILE...
"""
import json
import sys

import pika

url, paths = sys.argv[1], sys.argv[2:]
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.confirm_delivery()
for path in paths:
    with open(path, "rb") as f:
        body = f.read()
    event = json.loads(body)
    channel.basic_publish(
        exchange="pilot.events",
        routing_key=event["type"],
        body=body,
        properties=pika.BasicProperties(
            content_type="application/cloudevents+json",
            delivery_mode=2,
            message_id=event["id"],
            type=event["type"],
            correlation_id=event["subject"],
        ),
        mandatory=True,
    )
connection.close()
print("published", len(paths), "events")
