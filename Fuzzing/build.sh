#!/usr/bin/env bash
# Builds the libFuzzer binary .build-fuzz/fuzz-envelope and prints its path.
#
# The library modules are built by SwiftPM in their own scratch folder, instrumented
# with -sanitize=fuzzer,address; then the entry (Fuzzing/Sources/*.swift, no `main`:
# libFuzzer has it) is compiled and linked against those modules' objects
# with swiftc. The root package's own builds (`swift build`, `--build-tests`) are not
# touched. Progress goes to stderr, the path alone to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}
binary=$scratch/fuzz-envelope
cd "$root"

# The modules whose code a message body goes through, with what they depend on.
for target in PilotRuntime PilotDomain; do
    echo "==> swift build --target $target (-sanitize=$sanitizers)" >&2
    swift build --scratch-path "$scratch" -c release --target "$target" \
        -Xswiftc "-sanitize=$sanitizers" >&2
done

build_dir=$(swift build --scratch-path "$scratch" -c release --show-bin-path)
inputs=$scratch/fuzz-envelope.inputs
python3 "$root/Fuzzing/link-inputs.py" "$build_dir" PilotRuntime PilotDomain > "$inputs"

echo "==> swiftc Fuzzing/Sources/*.swift -> $binary" >&2
swiftc -O -g -parse-as-library -swift-version 6 -module-name FuzzEnvelope \
    "-sanitize=$sanitizers" -use-ld=lld \
    -module-cache-path "$build_dir/ModuleCache" \
    "@$inputs" \
    "$root"/Fuzzing/Sources/*.swift \
    -o "$binary"
echo "$binary"
