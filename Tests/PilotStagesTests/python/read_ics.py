"""Reads .ics files with Python's icalendar, as a calendar client would, and prints
what a client keys an update on: METHOD, and each VEVENT's UID, SEQUENCE and STATUS,
one JSON object per file.

usage: read_ics.py FILE...
"""
import json
import sys

from icalendar import Calendar

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        calendar = Calendar.from_ical(f.read())
    events = [
        {
            "uid": str(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "status": str(event.get("STATUS", "")),
            "start": event.decoded("DTSTART").isoformat(),
        }
        for event in calendar.walk("VEVENT")
    ]
    print(json.dumps({"file": path, "method": str(calendar.get("METHOD")), "events": events}))
