"""A real SMTP server for the delivery tests: aiosmtpd on a loopback port, storing each
message it accepts in a folder, exactly as it arrived.

Usage: smtp_server.py PORT FOLDER [--tls CERT KEY] [--auth USER PASSWORD] [--discard]

- With --tls, STARTTLS is offered and required before MAIL; with --auth, AUTH
  (PLAIN, LOGIN) is required, and only over TLS.
- A recipient whose local part starts with "reject" is refused at RCPT with 550.
- A message for a recipient whose local part starts with "later" is refused at the end
  of DATA with 451 twice (per Message-ID), then accepted.
- Each accepted message is written as N.eml (the bytes of DATA, unchanged) and N.json
  (envelope sender and recipients, whether the session was TLS, the AUTH user); each
  refused one is appended to refused.log. With --discard (benchmarks) nothing is
  written: messages are accepted and dropped.
"""
import argparse
import asyncio
import json
import os
import re
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder, discard=False):
        self.folder = folder
        self.discard = discard
        self.count = 0
        self.later = {}

    def refused(self, line):
        with open(os.path.join(self.folder, "refused.log"), "a") as log:
            log.write(line + "\n")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            self.refused(f"RCPT {address} 550")
            return f"550 5.1.1 <{address}>: mailbox unavailable (test refuses it)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if any(r.lower().startswith("later") for r in envelope.rcpt_tos):
            match = re.search(rb"(?im)^Message-ID:\s*(\S+)", content)
            key = match.group(1).decode() if match else ""
            seen = self.later.get(key, 0)
            if seen < 2:
                self.later[key] = seen + 1
                self.refused(f"DATA {key} 451 ({seen + 1})")
                return "451 4.3.0 Mailbox busy, try again later"
        self.count += 1
        if self.discard:
            return "250 2.0.0 Message accepted for delivery"
        base = os.path.join(self.folder, str(self.count))
        with open(base + ".eml.part", "wb") as out:
            out.write(content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
        }
        with open(base + ".json", "w") as out:
            json.dump(meta, out)
        os.rename(base + ".eml.part", base + ".eml")
        return "250 2.0.0 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    parser.add_argument("--discard", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)

    kwargs = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        kwargs.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
            # handled=False: aiosmtpd then answers a refusal itself (535); its default,
            # True, means the authenticator already did, and the client waits forever.
            return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

        kwargs.update(auth_required=True, auth_require_tls=bool(args.tls), authenticator=authenticator)
    controller = Controller(Store(args.folder, args.discard), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    print("listening", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
