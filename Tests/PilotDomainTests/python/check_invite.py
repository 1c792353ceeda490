#!/usr/bin/env python3
"""Reads a kickoff invite (.ics) and e-mail (.eml) with real parsers and prints facts as JSON.

The Swift tests write what PilotDomain renders, run this script and compare the facts: Python's
`icalendar` and `email` packages (policy=email.policy.default) are independent readers of RFC 5545
and RFC 5322/MIME, so agreement with them means other clients will read the files the same way.

Usage: check_invite.py --ics invite.ics --eml invite.eml
Exit codes: 0 facts printed; 3 a parser is missing (the caller skips, saying why).
"""

import argparse
import datetime
import email
import email.policy
import json
import sys

try:
    import icalendar
except ImportError:  # pragma: no cover - depends on the machine
    print(json.dumps({"skip": "python package icalendar is not installed (pip install icalendar)"}))
    sys.exit(3)


def address(value):
    """'mailto:x@y' -> 'x@y'."""
    text = str(value)
    return text[len("mailto:"):] if text.lower().startswith("mailto:") else text


def calendar_facts(data):
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    event = events[0]
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    tzid = event["DTSTART"].params.get("TZID")
    facts = {
        "method": str(calendar.get("METHOD")),
        "version": str(calendar.get("VERSION")),
        "prodid": str(calendar.get("PRODID")),
        "events": len(events),
        "uid": str(event.get("UID")),
        "sequence": int(event.get("SEQUENCE")),
        "status": str(event.get("STATUS")),
        "summary": str(event.get("SUMMARY")),
        "description": str(event.get("DESCRIPTION")),
        "dtstamp": event.decoded("DTSTAMP").astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tzid": tzid,
        "dtend_tzid": event["DTEND"].params.get("TZID"),
        "start_local": start.replace(tzinfo=None).isoformat(),
        "start_utc": start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_minutes": (end - start).total_seconds() / 60,
        "organizer": {"email": address(event["ORGANIZER"]), "cn": event["ORGANIZER"].params.get("CN")},
        "attendees": [
            {
                "email": address(attendee),
                "cn": attendee.params.get("CN"),
                "role": attendee.params.get("ROLE"),
                "partstat": attendee.params.get("PARTSTAT"),
                "rsvp": attendee.params.get("RSVP"),
            }
            for attendee in (event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list) else [event.get("ATTENDEE")])
            if attendee is not None
        ],
        "attach": [
            {"uri": str(attach), "fmttype": attach.params.get("FMTTYPE")}
            for attach in (event.get("ATTACH") if isinstance(event.get("ATTACH"), list) else [event.get("ATTACH")])
            if attach is not None
        ],
        "vtimezones": [],
    }
    for timezone in calendar.walk("VTIMEZONE"):
        # The zone as the invite itself describes it, independent of the reader's tz database.
        described = timezone.to_tz()
        facts["vtimezones"].append({
            "tzid": str(timezone["TZID"]),
            "observances": [component.name for component in timezone.subcomponents],
            "offset_at_start_minutes": described.utcoffset(start.replace(tzinfo=None)).total_seconds() / 60,
        })
    facts["offset_at_start_minutes"] = start.utcoffset().total_seconds() / 60
    return facts


def mail_facts(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    facts = {
        "header_names": [name for name, _ in message.items()],
        "from": [{"name": a.display_name, "email": a.addr_spec} for a in message["From"].addresses],
        "to": [{"name": a.display_name, "email": a.addr_spec} for a in message["To"].addresses],
        "subject": str(message["Subject"]),
        "date": message["Date"].datetime.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "message_id": str(message["Message-ID"]),
        "mime_version": str(message["MIME-Version"]),
        "content_type": message.get_content_type(),
        "defects": [type(defect).__name__ for defect in message.defects],
        "parts": [],
    }
    for part in message.iter_parts():
        content = part.get_content()
        entry = {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "method": part.get_param("method"),
            "disposition": part.get_content_disposition(),
            "filename": part.get_filename(),
            "content_id": part["Content-ID"] and str(part["Content-ID"]),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "defects": [type(defect).__name__ for defect in part.defects],
        }
        if part.get_content_type() == "text/calendar":
            calendar = calendar_facts(content.encode("utf-8") if isinstance(content, str) else content)
            entry["calendar_method"] = calendar["method"]
            entry["calendar_attendees"] = [attendee["email"] for attendee in calendar["attendees"]]
        elif isinstance(content, str):
            # Text travels in canonical CRLF form (RFC 2046); report it with the LF line ends it was written with.
            entry["text"] = content.replace("\r\n", "\n")
        facts["parts"].append(entry)
    facts["body"] = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    facts["attachments"] = [
        {"filename": part.get_filename(), "content_type": part.get_content_type()}
        for part in message.iter_attachments()
    ]
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ics", help="an RFC 5545 file")
    parser.add_argument("--eml", help="an RFC 5322 message")
    arguments = parser.parse_args()
    facts = {}
    if arguments.ics:
        with open(arguments.ics, "rb") as file:
            facts["ics"] = calendar_facts(file.read())
    if arguments.eml:
        with open(arguments.eml, "rb") as file:
            facts["eml"] = mail_facts(file.read())
    print(json.dumps(facts, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
