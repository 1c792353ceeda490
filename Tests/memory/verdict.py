"""Prints the memory check's summary and decides it (Tests/memory/run.sh).

Reads the driver's JSON summary and valgrind's text log. Fails when the driver or the
worker failed, or memcheck counted any error: its ERROR SUMMARY counts invalid
reads, writes and frees, uninitialised values and, with
--errors-for-leak-kinds=definite,indirect, every definitely or indirectly lost block
(suppressed ones excepted). Possibly lost blocks are printed, not failed.
"""
import argparse
import json
import re
import subprocess
import sys

HEADER = re.compile(r"^==\d+== ?(.*)$")
# The first line of an error (not of a leak record or of the summaries).
ERROR_KINDS = [
    "Invalid read", "Invalid write", "Invalid free", "Mismatched free", "Conditional jump",
    "Use of uninitialised value", "Syscall param", "Source and destination overlap", "Argument '",
    "Jump to the invalid address", "Process terminating",
]
LEAK = re.compile(r"are (definitely|indirectly|possibly) lost in loss record")


def read_log(path):
    """(summary lines, error kind -> count, error blocks as text, suppressions used)."""
    with open(path, errors="replace") as f:
        raw = f.read().splitlines()
    lines = [m.group(1) if (m := HEADER.match(line)) else None for line in raw]
    summary = []
    for line in lines:
        if line and re.match(r"\s*(definitely|indirectly|possibly) lost:|\s*still reachable:|\s*suppressed:|ERROR SUMMARY|\s*in use at exit|\s*total heap usage", line):
            if line.strip() not in summary:  # -s prints the ERROR SUMMARY twice
                summary.append(line.strip())
    used = [m.group(1) for line in raw if (m := re.match(r"^--\d+-- used_suppression:\s*(.*)$", line))]
    kinds, blocks, block = {}, [], None
    for line in lines:
        if line is None:
            continue
        if line.startswith("ERROR SUMMARY"):
            break  # what follows with -s repeats the errors
        if line.strip() in ("", "HEAP SUMMARY:", "LEAK SUMMARY:"):
            if block:
                blocks.append(block)
            block = None
            continue
        if block is not None:
            block.append(line)
            continue
        kind = next((k for k in ERROR_KINDS if line.startswith(k)), None)
        leak = LEAK.search(line)
        if leak:
            kind = f"{leak.group(1)} lost"
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
            block = [line] if not kind.startswith("possibly") else None
    return summary, kinds, blocks, used


def demangled(text):
    """Swift symbols in `text` made readable, when the toolchain's demangler is there."""
    try:
        return subprocess.run(["swift", "demangle", "--simplified"], input=text, capture_output=True, text=True,
                              check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--summary", required=True)
    parser.add_argument("--worker-status", required=True)
    parser.add_argument("--driver-status", type=int, required=True)
    parser.add_argument("--scrapes", default="0,0", help="successful,failed HTTP scrapes during the run")
    parser.add_argument("--worker-log")
    parser.add_argument("--valgrind-log")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()
    failures, warnings = [], []

    try:
        with open(args.summary) as f:
            run = json.load(f)
    except (OSError, ValueError) as error:
        run = {}
        failures.append(f"no driver summary ({error})")
    print("=== memory check ===")
    if run:
        print(f"pilots: {run['finished']}/{run['pilots']} finished ({run['sales_close']} sales:close, {run['deal_lost']} deal.lost), "
              f"{run['duplicate_outcomes']} with a second outcome, {run['outcome_copies']} re-sent copies of an outcome (same id); "
              f"{run['bad_inputs']} bad inputs; driver {run['seconds']} s")
        print(f"events handled by the worker: {run['handled']} deliveries {run['by_outcome']}; "
              f"it published {run['published_by_worker']}, reconnected {run['reconnects']} times")
        print(f"events on pilot.events: {run['events_on_exchange']} ({run['upstream_published']} published upstream)")
        for problem in run["dead_letter_problems"][:10]:
            print(f"  dead letters: {problem}")
    ok, failed = (int(x) for x in args.scrapes.split(","))
    print(f"HTTP scrapes during the run (/metrics, /healthz, /readyz): {ok} ok, {failed} failed")
    if args.driver_status != 0:
        failures.append(f"the driver failed (exit {args.driver_status})")
    if failed:
        failures.append(f"{failed} HTTP scrapes failed")
    print(f"worker exit status after SIGTERM: {args.worker_status}")
    if not args.worker_status.isdigit() or int(args.worker_status) >= 128:
        # Killed by a signal (or by run.sh after the timeout): no orderly exit to check.
        failures.append(f"the worker did not exit by itself (status {args.worker_status})")
    elif args.worker_status != "0":
        # A graceful stop must exit 0; the cause is in the worker log (run.sh prints its tail).
        cause = ""
        if args.worker_log:
            with open(args.worker_log, errors="replace") as f:
                errors = [line.strip() for line in f if line.startswith("Error:")]
            cause = f" ({errors[-1]})" if errors else ""
        failures.append(f"the worker exited {args.worker_status} after SIGTERM, not 0{cause}")

    if args.valgrind_log:
        summary, kinds, blocks, used = read_log(args.valgrind_log)
        print("valgrind memcheck:")
        for line in summary:
            print(f"  {line}")
        for line in used:
            print(f"  used suppression (times, name, where): {line}")
        if kinds:
            print(f"  error and leak records by kind: {kinds}")
        errors = next((l for l in summary if l.startswith("ERROR SUMMARY")), None)
        if errors is None:
            failures.append("valgrind wrote no ERROR SUMMARY (did the worker exit normally?)")
        elif not errors.startswith("ERROR SUMMARY: 0 errors"):
            failures.append(f"memcheck: {errors}")
            text = "\n\n".join("\n".join(block[:30]) for block in blocks[:5])
            print(demangled(text), file=sys.stderr)
    print(f"took {args.seconds} s")
    for warning in warnings:
        print(f"WARNING: {warning}")
    for failure in failures:
        print(f"FAILED: {failure}")
    if not failures:
        print("OK: no definite or indirect leaks, no memory errors" if args.valgrind_log
              else "OK: every pilot finished (no memory checker ran)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
