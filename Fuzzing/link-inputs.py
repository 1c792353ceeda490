#!/usr/bin/env python3
"""What swiftc needs to compile the fuzz entry against modules SwiftPM has built.

Usage: link-inputs.py BUILD_DIR MODULE...

BUILD_DIR is the configuration folder of a scratch path (`.build-fuzz/release`).
Reads SwiftPM's build description (`description.json`) and prints a response file
for swiftc, one quoted argument a line: the import flags of the modules (module
search path, C module maps, header paths), then every object file of the modules
and of everything they depend on.
The root package has no library products to depend on, so the fuzz entry is linked
by hand from the same objects `swift build` produced.
"""
import glob
import json
import os
import sys


def quoted(argument: str) -> str:
    """One argument of a swiftc response file: file names may hold spaces."""
    return '"' + argument.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir, roots = sys.argv[1], sys.argv[2:]
    path = os.path.join(build_dir, "description.json")
    try:
        with open(path, encoding="utf-8") as handle:
            description = json.load(handle)
        dependencies = description["targetDependencyMap"]
        commands = description["swiftCommands"]
    except (OSError, KeyError, ValueError) as error:
        print(f"link-inputs: cannot read SwiftPM's build description {path}: {error!r}", file=sys.stderr)
        return 1

    # Swift compile commands by module name (one per module in this configuration).
    by_module = {}
    for command in commands.values():
        name = command.get("moduleName")
        if name and not command.get("moduleOutputPath", "").endswith("-tool.swiftmodule"):
            by_module.setdefault(name, command)

    closure = []
    for root in roots:
        if root not in dependencies:
            print(f"link-inputs: no target {root} in the build description", file=sys.stderr)
            return 1
        for name in [root, *dependencies[root]]:
            if name not in closure:
                closure.append(name)

    flags = []  # groups of arguments, kept whole when duplicates are dropped
    for root in roots:
        command = by_module[root]
        flags.append(("-I" + command["importPath"],))
        arguments = command["otherArguments"]
        for index, argument in enumerate(arguments):
            previous = arguments[index - 1] if index else ""
            if argument.startswith("-fmodule-map-file=") and previous == "-Xcc":
                flags.append(("-Xcc", argument))
            elif argument.startswith("-I") and len(argument) > 2:
                flags.append((argument,))

    objects = []
    for name in closure:
        if name in by_module:
            objects += by_module[name]["objects"]
        else:
            # A C target compiles to <name>.build/**.o; a system library has none.
            objects += sorted(glob.glob(os.path.join(build_dir, f"{name}.build", "**", "*.o"), recursive=True))

    missing = [item for item in objects if not os.path.exists(item)]
    if missing:
        print(f"link-inputs: {len(missing)} object files are missing, first {missing[0]}; build the targets first",
            file=sys.stderr)
        return 1
    for argument in [part for group in dict.fromkeys(flags) for part in group] + objects:
        print(quoted(argument))
    return 0


if __name__ == "__main__":
    sys.exit(main())
