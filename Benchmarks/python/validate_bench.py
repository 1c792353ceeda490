#!/usr/bin/env python3
"""Validates one event N times with Python's jsonschema (Draft 2020-12, format checks on),
the same way the Python peer worker does (`noop_worker.load_validators`), and prints
`python: N validations in S s`. `pilot-bench validate` runs it beside our validator on the
same instance and reports the ratio."""
import argparse
import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from noop_worker import load_validators  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--event", required=True, help="a JSON file holding one event")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    validators = load_validators(args.schemas)
    body = pathlib.Path(args.event).read_bytes()
    document = json.loads(body)
    validator = validators[document["type"]]
    errors = list(validator.iter_errors(document))
    if errors:
        sys.exit(f"the event is not valid for Python either: {errors[0].message}")
    start = time.perf_counter()
    for _ in range(args.messages):
        # Parse and validate, as our side does.
        if next(validator.iter_errors(json.loads(body)), None) is not None:
            sys.exit("an error appeared")
    elapsed = time.perf_counter() - start
    print(f"python: {args.messages} validations in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
