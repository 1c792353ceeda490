"""Publishes one CloudEvents JSON file to pilot.events the way an upstream system
written with pika would: persistent, with publisher confirms, routing key = type.

usage: publish_event.py AMQP_URL EVENT_FILE
"""
import json
import sys

import pika

url, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    body = f.read()
event = json.loads(body)
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.confirm_delivery()
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
print("published", event["type"], event["id"])
