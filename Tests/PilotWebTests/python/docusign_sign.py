#!/usr/bin/env python3
"""Signs a body as DocuSign Connect does, independently of pilot-web's Swift code:
base64 of HMAC-SHA256 over the raw bytes, keyed with the UTF-8 bytes of the key
string (DocuSign's own samples do the same).

    docusign_sign.py KEY BODY_FILE    prints the X-DocuSign-Signature-N value
"""
import base64
import hashlib
import hmac
import sys

key, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    body = f.read()
print(base64.b64encode(hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii"))
