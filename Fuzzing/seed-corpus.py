#!/usr/bin/env python3
"""Writes the seed corpus Fuzzing/corpus/ from the repository's events.

Seeds: every file of examples/ as it is, every schema's `examples` as compact JSON
(complete, schema-valid events of each type, so the fuzzer starts deep in the
contract check and the decoders), and a few structural edge cases (nesting at and
past the parser's depth limit of 64). Run it again when examples or schemas change.
"""
import glob
import json
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpus = os.path.join(root, "Fuzzing", "corpus")
os.makedirs(corpus, exist_ok=True)
for old in glob.glob(os.path.join(corpus, "*")):
    os.remove(old)


def write(name: str, data: bytes) -> None:
    with open(os.path.join(corpus, name), "wb") as handle:
        handle.write(data)


for path in sorted(glob.glob(os.path.join(root, "examples", "*.json"))):
    with open(path, "rb") as handle:
        write("example-" + os.path.basename(path), handle.read())

for path in sorted(glob.glob(os.path.join(root, "schemas", "*.json"))):
    with open(path, encoding="utf-8") as handle:
        schema = json.load(handle)
    stem = os.path.basename(path).removesuffix(".v1.json")
    for number, example in enumerate(schema.get("examples", []), start=1):
        text = json.dumps(example, ensure_ascii=False, separators=(",", ":"))
        write(f"schema-{stem}-{number}.json", text.encode("utf-8"))

# The parser refuses nesting past 64; the fuzzer mutates around the limit from here.
write("depth-64-arrays.json", b"[" * 64 + b"]" * 64)
write("depth-65-arrays.json", b"[" * 65 + b"]" * 65)
write("depth-63-objects.json", b'{"a":' * 63 + b"{}" + b"}" * 63)


# The libFuzzer dictionary: JSON tokens, then names and values from the schemas.
def entry(text: str) -> str:
    escaped = "".join(
        "\\" + c if c in '"\\' else c if 0x20 <= ord(c) < 0x7F else "".join(f"\\x{b:02X}" for b in c.encode())
        for c in text)
    return f'"{escaped}"'


tokens = [
    "{", "}", "[", "]", ":", ",", '""', '":"', '","', '":{', '":[', "{}", "[]",
    "true", "false", "null", "-", "0", "-0", "1.0", "1e5", "1E-5", "0.1", "-1",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "1e308", "1e309", "5e-324", "2.5e-324",
    "\\u0000", "\\u001f", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\\n", "\\\"", "\\\\", "\\/",
    "\xe9", "\u2028", "\U0001F600", " ", "\t", "\r\n",
    # Names that are different code points but canonically equivalent for Swift strings.
    "K", "\\u212a", "\u212a", "\\u00e9", "e\\u0301", "e\u0301",
]
envelope = ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema",
    "causationid", "data"]
samples = ["1.0", "application/json", "2026-11-02T09:00:00Z", "2026-11-02T09:00:00.123+02:00", "2026-11-02",
    "23:59:60", "acme-2026-11", "a..b", "lead@example.com", "Europe/Berlin"]
names, values = set(), set()


def walk(node: object) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "patternProperties") and isinstance(value, dict):
                names.update(value.keys())
            if key == "enum" and isinstance(value, list):
                values.update(item for item in value if isinstance(item, str))
            if key == "const" and isinstance(value, str):
                values.add(value)
            walk(value)
    elif isinstance(node, list):
        for item in node:
            walk(item)


types = []
for path in sorted(glob.glob(os.path.join(root, "schemas", "*.v1.json"))):
    stem = os.path.basename(path).removesuffix(".v1.json")
    if "." in stem:
        types.append(stem)
    with open(path, encoding="utf-8") as handle:
        walk(json.load(handle))

with open(os.path.join(root, "Fuzzing", "json.dict"), "w", encoding="utf-8") as out:
    out.write("# libFuzzer dictionary, written by Fuzzing/seed-corpus.py: JSON tokens, the\n"
        "# CloudEvents attributes, the event types, and the schemas' property names and values.\n")
    sections = [("JSON tokens", tokens), ("CloudEvents attributes", envelope), ("event types", types),
        ("property names", sorted(names - set(envelope))), ("enum and const values", sorted(values - set(types))), ("sample values", samples)]
    for title, words in sections:
        out.write(f"\n# {title}\n")
        for word in dict.fromkeys(words):
            out.write(entry(word) + "\n")
            if title in ("CloudEvents attributes", "property names"):
                out.write(entry(f'"{word}":') + "\n")
