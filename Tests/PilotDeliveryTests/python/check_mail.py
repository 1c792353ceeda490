"""Parses a received message with Python's email package and prints what the tests check,
as JSON: headers, and every part's content type, method and file name.

Usage: check_mail.py FILE
"""
import json
import sys
from email import policy
from email.parser import BytesParser


def main(path):
    with open(path, "rb") as f:
        message = BytesParser(policy=policy.default).parse(f)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "method": part.get_param("method"),
            "filename": part.get_filename(),
            "size": len(part.get_payload(decode=True) or b""),
        })
    json.dump({
        "message_id": message["Message-ID"],
        "to": message["To"],
        "subject": message["Subject"],
        "defects": [str(d) for d in message.defects],
        "parts": parts,
    }, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
