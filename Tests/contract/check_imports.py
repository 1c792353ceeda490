#!/usr/bin/env python3
"""Package.swift's dependencies match the imports, target by target.

A module a target imports without declaring it builds only because another
dependency happens to bring it along, and breaks when that one changes; a module
it declares and never imports is build time and a false map of the code. Issue 12
asked for the two to agree; this keeps them so.

Reads the manifest through `swift package dump-package` (run it before a build:
SwiftPM locks .build while it builds). Imports guarded by `#if canImport(Darwin)`
and the toolchain's own modules are left out.

Run from anywhere: python3 Tests/contract/check_imports.py
Prints one line per target that disagrees; exit status 1 if any does.
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLCHAIN = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "CoreFoundation",
    "Synchronization", "Dispatch", "Glibc", "Darwin", "Testing", "XCTest", "_Concurrency",
}
IMPORT = re.compile(r"^(?:@\w+\s+)*(?:public\s+|package\s+|internal\s+)?import\s+(?:(?:struct|enum|class|func|protocol)\s+)?(\w+)")


def imports(folder):
    found = set()
    for path in glob.glob(os.path.join(folder, "**", "*.swift"), recursive=True):
        with open(path, encoding="utf-8") as source:
            for line in source:
                match = IMPORT.match(line)
                if match:
                    found.add(match.group(1))
    return found - TOOLCHAIN


def main():
    manifest = json.loads(subprocess.run(
        ["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    disagreements = 0
    for target in manifest["targets"]:
        if target["type"] == "system":
            continue
        folder = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", target["name"])
        declared = {name for dependency in target["dependencies"] for name in [next(iter(dependency.values()))[0]]}
        used = imports(os.path.join(ROOT, folder))
        unused, undeclared = sorted(declared - used), sorted(used - declared)
        if unused or undeclared:
            disagreements += 1
            print(f"{target['name']}: declared, never imported: {unused or '-'}; imported, not declared: {undeclared or '-'}")
    print(f"{len(manifest['targets'])} targets, {disagreements} disagree with their imports")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
