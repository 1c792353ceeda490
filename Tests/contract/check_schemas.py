#!/usr/bin/env python3
"""Contract check for the event schemas in schemas/.

Checks, with an independent implementation (Python `jsonschema`), that the
schemas are standard JSON Schema 2020-12 documents an upstream team can use
with its own tools:

  * every file is valid against the 2020-12 metaschema, has the right $schema,
    $id (https://schemas.pilot-worker.dev/<file>), title and description;
  * only the keywords our own (Swift) validator implements are used, and
    every pattern is portable: no lookarounds, backreferences or class
    escapes such as \\d, and it compiles and matches the same strings as an
    ECMA-262 regex (node, when installed) and a POSIX extended regex (libc);
  * every cross-file $ref resolves through a registry built from the $ids;
  * every `examples` entry validates (formats asserted);
  * a set of broken events is rejected, each for the expected reason, and a
    set of legal variants is accepted.

Run from anywhere: python3 Tests/contract/check_schemas.py
The last line is "N passed, M failed"; the exit status is 1 on any failure.
"""

import copy
import ctypes
import ctypes.util
import json
import os
import re
import shutil
import subprocess
import sys

try:
    import jsonschema  # noqa: F401
    import referencing  # noqa: F401
except ImportError:  # a fresh machine: install the checker and its format helpers
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                           "jsonschema", "rfc3339-validator", "rfc3986-validator"])

from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_DIR = os.path.join(ROOT, "schemas")
BASE = "https://schemas.pilot-worker.dev/"
META = "https://json-schema.org/draft/2020-12/schema"

EVENT_TYPES = [
    # inbound
    "pilot.requested", "pilot.signed", "pilot.declined", "pilot.metrics", "pilot.issue", "pilot.feedback",
    "pilot.extended", "pilot.cancelled", "pilot.kickoff.reschedule", "pilot.kickoff.cancel",
    # internal
    "pilot.agreement.generated", "pilot.monitor.tick", "pilot.results.requested", "pilot.results.compiled",
    # outbound
    "pilot.kickoff.scheduled", "email.send", "calendar.invite", "crm.update", "alert.raised", "report.weekly",
    "action.create", "actions.skip_remaining", "deal.lost", "pilot.completed",
    # diagnostic: the echo handler's answer
    "pilot.echoed",
]
SHARED = ["cloudevent.v1.json", "defs.v1.json"]

ALLOWED_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "type", "enum", "const", "properties",
    "required", "additionalProperties", "patternProperties", "propertyNames", "items", "prefixItems",
    "contains", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentRequired", "format", "default",
    "examples",
}
ALLOWED_FORMATS = {"date-time", "date", "email", "uri-reference"}
# Regex constructs that are not portable between ECMA-262, ICU and POSIX ERE.
NON_PORTABLE = [
    (r"\(\?", "group modifier / lookaround"),
    (r"\\[dDwWsSbBpPkK]", "class or assertion escape"),
    (r"\\[1-9]", "backreference"),
    (r"\\[uxc]", "code point escape (write the character itself)"),
]

passed = 0
failed = 0


def check(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))
    return ok


# ----------------------------------------------------------------------------------------
# Walking schemas

SINGLE_SUBSCHEMA = ("items", "not", "if", "then", "else", "propertyNames", "additionalProperties", "contains")
LIST_SUBSCHEMAS = ("prefixItems", "allOf", "anyOf", "oneOf")
MAP_SUBSCHEMAS = ("properties", "patternProperties", "$defs")


def subschemas(schema, pointer):
    """Yield (keyword, child pointer, child schema) for each direct subschema."""
    if not isinstance(schema, dict):
        return
    for kw in SINGLE_SUBSCHEMA:
        if kw in schema and isinstance(schema[kw], (dict, bool)):
            yield kw, f"{pointer}/{kw}", schema[kw]
    for kw in LIST_SUBSCHEMAS:
        for i, sub in enumerate(schema.get(kw, [])):
            yield kw, f"{pointer}/{kw}/{i}", sub
    for kw in MAP_SUBSCHEMAS:
        for name, sub in schema.get(kw, {}).items():
            yield kw, f"{pointer}/{kw}/{name}", sub


def walk(schema, pointer=""):
    """Yield (pointer, schema, in_conditional) for the schema and every subschema."""
    stack = [(pointer, schema, False)]
    while stack:
        ptr, sch, cond = stack.pop()
        yield ptr, sch, cond
        for kw, cptr, child in subschemas(sch, ptr):
            stack.append((cptr, child, cond or kw in ("if", "then", "else", "not", "propertyNames")))


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings_in(v)


# ----------------------------------------------------------------------------------------
# Regex engines

class Posix:
    """POSIX extended regular expressions from the C library, through ctypes."""
    REG_EXTENDED, REG_NOSUB = 1, 8

    def __init__(self):
        name = ctypes.util.find_library("c")
        self.libc = ctypes.CDLL(name) if name else None

    def compiles(self, pattern):
        buf = ctypes.create_string_buffer(1024)  # larger than any regex_t
        rc = self.libc.regcomp(buf, pattern.encode(), self.REG_EXTENDED | self.REG_NOSUB)
        if rc == 0:
            self.libc.regfree(buf)
        return rc == 0

    def matches(self, pattern, strings):
        buf = ctypes.create_string_buffer(1024)
        if self.libc.regcomp(buf, pattern.encode(), self.REG_EXTENDED | self.REG_NOSUB) != 0:
            return None
        try:
            return [self.libc.regexec(buf, s.encode(), 0, None, 0) == 0 for s in strings]
        finally:
            self.libc.regfree(buf)


NODE_SCRIPT = r"""
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.patterns.map(p => {
  try { const r = new RegExp(p, 'u'); return input.strings.map(s => r.test(s)); }
  catch (e) { return String(e); }
});
process.stdout.write(JSON.stringify(out));
"""


def ecma_matches(patterns, strings):
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        return None
    proc = subprocess.run([node, "-e", NODE_SCRIPT], input=json.dumps({"patterns": patterns, "strings": strings}),
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout)


# ----------------------------------------------------------------------------------------
# Loading

def load():
    docs = {}
    for name in sorted(os.listdir(SCHEMA_DIR)):
        if name.endswith(".json"):
            with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
                docs[name] = json.load(f)
    return docs


def build_registry(docs):
    return Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
        for doc in docs.values() if "$id" in doc)


def flat_errors(errors):
    for e in errors:
        yield e
        yield from flat_errors(e.context)


# ----------------------------------------------------------------------------------------
# Static checks of the documents

def check_documents(docs, registry):
    expected = sorted([t + ".v1.json" for t in EVENT_TYPES] + SHARED)
    check(sorted(docs) == expected, f"schemas/ holds exactly the {len(EVENT_TYPES)} event schemas plus cloudevent and defs",
          f"missing {sorted(set(expected) - set(docs))}, unexpected {sorted(set(docs) - set(expected))}")

    for name, doc in docs.items():
        meta_ok = True
        try:
            Draft202012Validator.check_schema(doc)
        except jsonschema.exceptions.SchemaError as e:
            meta_ok = False
            detail = f"{e.json_path}: {e.message}"
        check(meta_ok, f"{name}: valid against the 2020-12 metaschema", "" if meta_ok else detail)
        check(doc.get("$schema") == META and validator_for(doc) is Draft202012Validator,
              f"{name}: $schema is draft 2020-12")
        check(doc.get("$id") == BASE + name, f"{name}: $id is {BASE}{name}", f"got {doc.get('$id')!r}")
        check(bool(doc.get("title")) and bool(doc.get("description")), f"{name}: has title and description")

        bad_keywords, bad_formats, bad_patterns, bad_objects, undocumented, bad_refs = [], [], [], [], [], []
        for ptr, sch, cond in walk(doc):
            if not isinstance(sch, dict):
                continue
            for kw in sch:
                if kw not in ALLOWED_KEYWORDS:
                    bad_keywords.append(f"{ptr or '/'}: {kw}")
            if "format" in sch and sch["format"] not in ALLOWED_FORMATS:
                bad_formats.append(f"{ptr}: {sch['format']}")
            if "pattern" in sch:
                p = sch["pattern"]
                for rx, why in NON_PORTABLE:
                    if re.search(rx, p):
                        bad_patterns.append(f"{ptr}: {p!r} ({why})")
                try:
                    re.compile(p)
                except re.error as e:
                    bad_patterns.append(f"{ptr}: {p!r} ({e})")
            if "$ref" in sch:
                try:
                    registry.resolver(base_uri=doc["$id"]).lookup(sch["$ref"])
                except Exception as e:  # referencing raises Unresolvable subclasses
                    bad_refs.append(f"{ptr}: {sch['$ref']} ({type(e).__name__})")
            is_envelope = name == "cloudevent.v1.json" and ptr == ""
            if not cond and "properties" in sch and sch.get("type") == "object" and not is_envelope:
                if sch.get("additionalProperties") is not False:
                    bad_objects.append(ptr)
            if not cond and "properties" in sch:
                for prop, sub in sch["properties"].items():
                    if not (isinstance(sub, dict) and sub.get("description")):
                        undocumented.append(f"{ptr}/properties/{prop}")
        check(not bad_keywords, f"{name}: uses only supported keywords (no unevaluatedProperties etc.)", ", ".join(bad_keywords))
        check(not bad_formats, f"{name}: uses only the formats date-time, date, email, uri-reference", ", ".join(bad_formats))
        check(not bad_patterns, f"{name}: patterns are portable and compile", "; ".join(bad_patterns))
        check(not bad_refs, f"{name}: every $ref resolves", "; ".join(bad_refs))
        check(not bad_objects, f"{name}: data objects forbid additional properties", ", ".join(bad_objects))
        check(not undocumented, f"{name}: every property has a description", ", ".join(undocumented))

        if name in SHARED:
            continue
        etype = name[: -len(".v1.json")]
        props = doc.get("properties", {})
        check(doc.get("allOf") == [{"$ref": "cloudevent.v1.json"}]
              and props.get("type", {}).get("const") == etype
              and props.get("dataschema", {}).get("const") == etype + ".v1"
              and "data" in doc.get("required", [])
              and props.get("data", {}).get("additionalProperties") is False,
              f"{name}: whole-event shape (envelope ref, type and dataschema consts, data required and closed)")

    envelope = docs.get("cloudevent.v1.json", {})
    check("additionalProperties" not in envelope and "propertyNames" in envelope,
          "cloudevent.v1.json: extensions allowed, their names restricted by propertyNames")


def check_patterns_portable(docs):
    patterns = sorted({sch["pattern"] for doc in docs.values() for _, sch, _ in walk(doc)
                       if isinstance(sch, dict) and "pattern" in sch})
    corpus = set()
    for doc in docs.values():
        for _, sch, _ in walk(doc):
            if isinstance(sch, dict):
                for ex in sch.get("examples", []):
                    corpus.update(strings_in(ex))
    corpus.update([
        "", " ", "a", "A", "_", "-", ".", "..", "a..b", "acme..2026", "../etc", "/etc/passwd", "a//b", "a/./b",
        "threads/sales/acme-2026-11/../x", "a\r\nb", "a\nb", "a\rb", "tab\there", "Ünïcödé", "名前", "x@y",
        "x y@z.com", "\"q\"@x.com", "<a@b.c>", "a@b,c@d", "EST", "EST+5", "Etc/GMT+5", "usd", "USDX", "24:00",
        "9:00", "23:59", "2026-12-01", "2026-12-01T10:00:00+01:00", "2026-12-01 10:00:00Z", "traceId",
        "traceparent", "abcdefghijklmnopqrstu", "Pilot.Requested", "pilot", "pilot.", "pilot..x", "x" * 130,
    ])
    # Python's `$` (like ICU's, Java's and .NET's) also matches before a final line break;
    # ECMA-262's and POSIX's do not. Such strings are compared between ECMA and POSIX only,
    # and both must reject them: a validator built on ICU needs to treat them specially.
    strings = sorted(s for s in corpus if not s.endswith("\n"))
    trailing = ["acme-2026-11\n", "Hello\n", "Hello\r\n", "threads/sales/a/x.md\n", "USD\n", "a@b.c\n"]
    py = {p: [re.search(p, s) is not None for s in strings] for p in patterns}

    posix = Posix()
    posix_trailing = {}
    if posix.libc is None:
        print("note: no C library found, POSIX regex comparison skipped")
    else:
        for p in patterns:
            got = posix.matches(p, strings + trailing)
            if got is None:
                check(False, f"POSIX ERE compiles {p!r}")
                continue
            posix_trailing[p] = got[len(strings):]
            diff = [s for s, a, b in zip(strings, py[p], got) if a != b]
            check(not diff, f"POSIX ERE agrees on {p!r}", f"differs on {diff[:5]!r}")

    ecma = ecma_matches(patterns, strings + trailing)
    if ecma is None:
        print("note: node not found, ECMA-262 regex comparison skipped")
    else:
        for p, got in zip(patterns, ecma):
            if isinstance(got, str):
                check(False, f"ECMA-262 (u flag) compiles {p!r}", got)
                continue
            diff = [s for s, a, b in zip(strings, py[p], got) if a != b]
            if p in posix_trailing:
                diff += [s for s, a, b in zip(trailing, posix_trailing[p], got[len(strings):]) if a != b]
            check(not diff, f"ECMA-262 agrees on {p!r}", f"differs on {diff[:5]!r}")
    subject = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
    if posix.libc is not None:
        check(posix.matches(subject, ["acme-2026-11\n"]) == [False], "POSIX ERE: `$` does not match before a final newline")


# ----------------------------------------------------------------------------------------
# Validation of examples and of broken / legal variants

def validate(registry, uri, instance):
    """All top-level errors of `instance` against the schema at `uri`.

    A schema that cannot be used at all (e.g. an unresolvable $ref) is reported as one
    pseudo-error rather than stopping the run.
    """
    v = Draft202012Validator({"$ref": uri}, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    try:
        return list(v.iter_errors(instance))
    except Exception as e:  # referencing errors, bad regexes
        return [jsonschema.exceptions.ValidationError(f"schema unusable: {type(e).__name__}: {e}", validator="schema")]


def check_examples(docs, registry):
    count = 0
    for name, doc in docs.items():
        for ptr, sch, _ in walk(doc):
            if not isinstance(sch, dict) or "examples" not in sch:
                continue
            if ptr == "" and name not in SHARED:
                check(len(sch["examples"]) >= 1, f"{name}: has an example event")
            uri = doc["$id"] + ("#" + ptr if ptr else "")
            for i, ex in enumerate(sch["examples"]):
                errs = validate(registry, uri, ex)
                check(not errs, f"{name}#{ptr or '/'} examples[{i}] is valid",
                      "; ".join(f"{e.json_path}: {e.message}" for e in errs[:3]))
                count += 1
    check(count >= len(docs), "examples found", f"only {count}")


def example(docs, etype):
    return copy.deepcopy(docs[etype + ".v1.json"]["examples"][0])


def set_path(obj, path, value):
    *head, last = path
    for k in head:
        obj = obj[k]
    if value is DELETE:
        del obj[last]
    else:
        obj[last] = value


DELETE = object()

# (event type, what is wrong, [(path, new value or DELETE)], expected error: (json path, keyword))
BROKEN = [
    ("pilot.requested", "duration_days 45", [(["data", "terms", "duration_days"], 45)], ("$.data.terms.duration_days", "maximum")),
    ("pilot.requested", "duration_days 13", [(["data", "terms", "duration_days"], 13)], ("$.data.terms.duration_days", "minimum")),
    ("pilot.requested", "duration_days 20.5", [(["data", "terms", "duration_days"], 20.5)], ("$.data.terms.duration_days", "type")),
    ("pilot.requested", "2 use cases", [(["data", "terms", "use_cases", 2], DELETE)], ("$.data.terms.use_cases", "minItems")),
    ("pilot.requested", "6 use cases", [(["data", "terms", "use_cases"], [{"title": f"Use case {i}", "description": "Something."} for i in range(6)])],
     ("$.data.terms.use_cases", "maxItems")),
    ("pilot.requested", "use case without description", [(["data", "terms", "use_cases", 0, "description"], DELETE)],
     ("$.data.terms.use_cases[0]", "required")),
    ("pilot.requested", "subject with ..", [(["subject"], "acme..2026-11")], ("$.subject", "not")),
    ("pilot.requested", "subject ../etc", [(["subject"], "../etc")], ("$.subject", "pattern")),
    ("pilot.requested", "subject with /", [(["subject"], "acme/2026")], ("$.subject", "pattern")),
    ("pilot.requested", "subject of 129 characters", [(["subject"], "a" * 129)], ("$.subject", "pattern")),
    ("pilot.requested", "missing data", [(["data"], DELETE)], ("$", "required")),
    ("pilot.requested", "data is an array", [(["data"], [])], ("$.data", "type")),
    ("pilot.requested", "discounted pricing without discount_pct", [(["data", "terms", "pricing", "discount_pct"], DELETE)],
     ("$.data.terms.pricing", "required")),
    ("pilot.requested", "pricing model trial", [(["data", "terms", "pricing", "model"], "trial")], ("$.data.terms.pricing.model", "enum")),
    ("pilot.requested", "negative list price", [(["data", "terms", "pricing", "list_price_annual"], -1)],
     ("$.data.terms.pricing.list_price_annual", "minimum")),
    ("pilot.requested", "support_level weekly", [(["data", "terms", "support_level"], "weekly")], ("$.data.terms.support_level", "enum")),
    ("pilot.requested", "additional property in data", [(["data", "priority"], "high")], ("$.data", "additionalProperties")),
    ("pilot.requested", "additional property in a contact", [(["data", "lead", "contacts", 0, "phone"], "+1 555 0100")],
     ("$.data.lead.contacts[0]", "additionalProperties")),
    ("pilot.requested", "no contacts", [(["data", "lead", "contacts"], [])], ("$.data.lead.contacts", "minItems")),
    ("pilot.requested", "contact without technical", [(["data", "lead", "contacts", 0, "technical"], DELETE)],
     ("$.data.lead.contacts[0]", "required")),
    ("pilot.requested", "empty company name", [(["data", "lead", "company", "name"], "")], ("$.data.lead.company.name", "minLength")),
    ("pilot.requested", "founder name with a header injection", [(["data", "founder", "name"], "Sam\r\nBcc: all@example.com")],
     ("$.data.founder.name", "pattern")),
    ("pilot.requested", "contact e-mail without @", [(["data", "lead", "contacts", 1, "email"], "ravi.menon")],
     ("$.data.lead.contacts[1].email", "pattern")),
    ("pilot.requested", "contact e-mail with display name", [(["data", "lead", "contacts", 1, "email"], "Ravi <ravi@acme-analytics.com>")],
     ("$.data.lead.contacts[1].email", "pattern")),
    ("pilot.requested", "timezone EST+5", [(["data", "lead", "timezone"], "EST+5")], ("$.data.lead.timezone", "pattern")),
    ("pilot.requested", "business hours 9:00", [(["data", "lead", "business_hours", "start"], "9:00")],
     ("$.data.lead.business_hours.start", "pattern")),
    ("pilot.requested", "currency usd", [(["data", "terms", "pricing", "currency"], "usd")], ("$.data.terms.pricing.currency", "pattern")),
    ("pilot.requested", "accuracy target 101 %", [(["data", "qualification", "technical_targets", "accuracy_pct"], 101)],
     ("$.data.qualification.technical_targets.accuracy_pct", "maximum")),
    ("pilot.requested", "NPS target 150", [(["data", "qualification", "satisfaction_target_nps"], 150)],
     ("$.data.qualification.satisfaction_target_nps", "maximum")),
    ("pilot.requested", "baseline without currency", [(["data", "qualification", "baseline", "currency"], DELETE)],
     ("$.data.qualification.baseline", "required")),
    ("pilot.requested", "number sent as a string", [(["data", "qualification", "baseline", "hourly_cost"], "85")],
     ("$.data.qualification.baseline.hourly_cost", "type")),
    ("pilot.requested", "specversion 0.3", [(["specversion"], "0.3")], ("$.specversion", "const")),
    ("pilot.requested", "missing id", [(["id"], DELETE)], ("$", "required")),
    ("pilot.requested", "empty id", [(["id"], "")], ("$.id", "minLength")),
    ("pilot.requested", "id of 201 characters", [(["id"], "x" * 201)], ("$.id", "maxLength")),
    ("pilot.requested", "id with a space", [(["id"], "event 1")], ("$.id", "pattern")),
    ("pilot.requested", "empty source", [(["source"], "")], ("$.source", "minLength")),
    ("pilot.requested", "extension attribute traceId (upper case)", [(["traceId"], "abc")], ("$", "pattern")),
    ("pilot.requested", "extension attribute name of 21 characters", [(["abcdefghijklmnopqrstu"], "x")], ("$", "pattern")),
    ("pilot.requested", "datacontenttype text/plain", [(["datacontenttype"], "text/plain")], ("$.datacontenttype", "const")),
    ("pilot.requested", "dataschema v2", [(["dataschema"], "pilot.requested.v2")], ("$.dataschema", "const")),
    ("pilot.requested", "type of another event", [(["type"], "pilot.signed")], ("$.type", "const")),
    ("pilot.requested", "time yesterday", [(["time"], "yesterday")], ("$.time", "pattern")),
    ("pilot.requested", "time without offset", [(["time"], "2026-11-25T09:00:00")], ("$.time", "pattern")),
    ("pilot.requested", "time on 2026-02-30", [(["time"], "2026-02-30T09:00:00Z")], ("$.time", "format")),
    ("pilot.agreement.generated", "no criteria", [(["data", "criteria"], [])], ("$.data.criteria", "minItems")),
    ("pilot.agreement.generated", "criterion comparison <", [(["data", "criteria", 0, "comparison"], "<")],
     ("$.data.criteria[0].comparison", "enum")),
    ("pilot.agreement.generated", "criterion kind other", [(["data", "criteria", 0, "kind"], "other")], ("$.data.criteria[0].kind", "enum")),
    ("pilot.agreement.generated", "criterion without target", [(["data", "criteria", 0, "target"], DELETE)], ("$.data.criteria[0]", "required")),
    ("pilot.agreement.generated", "duration_days missing", [(["data", "duration_days"], DELETE)], ("$.data", "required")),
    ("pilot.agreement.generated", "absolute agreement_path", [(["data", "agreement_path"], "/etc/passwd")], ("$.data.agreement_path", "pattern")),
    ("pilot.kickoff.scheduled", "ics_path with a .. segment", [(["data", "ics_path"], "threads/sales/acme-2026-11/../../etc/x.ics")],
     ("$.data.ics_path", "pattern")),
    ("pilot.kickoff.scheduled", "no attendees", [(["data", "attendees"], [])], ("$.data.attendees", "minItems")),
    ("pilot.kickoff.scheduled", "attendee twice", [(["data", "attendees", 1], "dana.whitfield@acme-analytics.com")],
     ("$.data.attendees", "uniqueItems")),
    ("pilot.signed", "empty amendments", [(["data", "amendments"], {})], ("$.data.amendments", "minProperties")),
    ("pilot.signed", "amended duration 31", [(["data", "amendments", "duration_days"], 31)], ("$.data.amendments.duration_days", "maximum")),
    ("pilot.signed", "amendment of an unknown term", [(["data", "amendments", "price"], 100)], ("$.data.amendments", "additionalProperties")),
    ("pilot.signed", "amended discounted pricing without discount_pct", [(["data", "amendments", "pricing", "discount_pct"], DELETE)],
     ("$.data.amendments.pricing", "required")),
    ("pilot.signed", "method wet_ink", [(["data", "method"], "wet_ink")], ("$.data.method", "enum")),
    ("pilot.signed", "start_date as a date-time", [(["data", "start_date"], "2026-12-01T00:00:00Z")], ("$.data.start_date", "pattern")),
    ("pilot.signed", "signed_by without email", [(["data", "signed_by", "email"], DELETE)], ("$.data.signed_by", "required")),
    ("pilot.declined", "empty reason", [(["data", "reason"], "")], ("$.data.reason", "minLength")),
    ("pilot.metrics", "neither technical nor business", [(["data", "technical"], DELETE), (["data", "business"], DELETE)], ("$.data", "anyOf")),
    ("pilot.metrics", "day 61", [(["data", "day"], 61)], ("$.data.day", "maximum")),
    ("pilot.metrics", "day 0", [(["data", "day"], 0)], ("$.data.day", "minimum")),
    ("pilot.metrics", "empty technical object", [(["data", "technical"], {})], ("$.data.technical", "minProperties")),
    ("pilot.metrics", "uptime 100.5 %", [(["data", "technical", "uptime_pct"], 100.5)], ("$.data.technical.uptime_pct", "maximum")),
    ("pilot.metrics", "negative requests", [(["data", "technical", "requests"], -3)], ("$.data.technical.requests", "minimum")),
    ("pilot.metrics", "unknown business metric", [(["data", "business", "revenue"], 10)], ("$.data.business", "additionalProperties")),
    ("pilot.issue", "resolved without resolved_at", [(["data", "resolved_at"], DELETE)], ("$.data", "required")),
    ("pilot.issue", "severity blocker", [(["data", "severity"], "blocker")], ("$.data.severity", "enum")),
    ("pilot.issue", "status closed", [(["data", "status"], "closed")], ("$.data.status", "enum")),
    ("pilot.feedback", "score 11", [(["data", "score"], 11)], ("$.data.score", "maximum")),
    ("pilot.feedback", "score 8.5", [(["data", "score"], 8.5)], ("$.data.score", "type")),
    ("pilot.feedback", "respondent without email", [(["data", "respondent", "email"], DELETE)], ("$.data.respondent", "required")),
    ("pilot.extended", "0 days", [(["data", "days"], 0)], ("$.data.days", "minimum")),
    ("pilot.extended", "31 days", [(["data", "days"], 31)], ("$.data.days", "maximum")),
    ("pilot.extended", "no reason", [(["data", "reason"], DELETE)], ("$.data", "required")),
    ("pilot.extended", "requested_by without email", [(["data", "requested_by", "email"], DELETE)], ("$.data.requested_by", "required")),
    ("pilot.cancelled", "empty reason", [(["data", "reason"], "")], ("$.data.reason", "minLength")),
    ("pilot.cancelled", "no cancelled_by", [(["data", "cancelled_by"], DELETE)], ("$.data", "required")),
    ("pilot.kickoff.reschedule", "start not a date-time", [(["data", "start"], "next Monday")], ("$.data.start", "pattern")),
    ("pilot.kickoff.reschedule", "unknown field", [(["data", "slot"], "am")], ("$.data", "additionalProperties")),
    ("pilot.kickoff.cancel", "empty reason", [(["data", "reason"], "")], ("$.data.reason", "minLength")),
    ("pilot.monitor.tick", "timer reminder", [(["data", "timer"], "reminder")], ("$.data.timer", "enum")),
    ("pilot.monitor.tick", "day 62", [(["data", "day"], 62)], ("$.data.day", "maximum")),
    ("pilot.results.requested", "period_end soon", [(["data", "period_end"], "soon")], ("$.data.period_end", "anyOf")),
    ("pilot.results.compiled", "FAILED without failure reasons", [(["data", "status"], "FAILED")], ("$.data.failure_reasons", "minItems")),
    ("pilot.results.compiled", "status PASSED", [(["data", "status"], "PASSED")], ("$.data.status", "enum")),
    ("email.send", "subject with CR LF", [(["data", "subject"], "Hello\r\nBcc: everyone@example.com")], ("$.data.subject", "pattern")),
    ("email.send", "subject with LF", [(["data", "subject"], "Hello\nthere")], ("$.data.subject", "pattern")),
    ("email.send", "no recipients", [(["data", "to"], [])], ("$.data.to", "minItems")),
    ("email.send", "recipient not an address", [(["data", "to", 0], "Dana Whitfield")], ("$.data.to[0]", "pattern")),
    ("calendar.invite", "ics_path ../../etc/passwd", [(["data", "ics_path"], "../../etc/passwd")], ("$.data.ics_path", "pattern")),
    ("calendar.invite", "ics_path /etc/passwd", [(["data", "ics_path"], "/etc/passwd")], ("$.data.ics_path", "pattern")),
    ("calendar.invite", "ics_path with a backslash", [(["data", "ics_path"], "threads\\sales\\x.ics")], ("$.data.ics_path", "pattern")),
    ("calendar.invite", "end not a date-time", [(["data", "end"], "tomorrow")], ("$.data.end", "pattern")),
    ("crm.update", "status won", [(["data", "status"], "won")], ("$.data.status", "enum")),
    ("alert.raised", "kind cpu", [(["data", "kind"], "cpu")], ("$.data.kind", "enum")),
    ("alert.raised", "severity high", [(["data", "severity"], "high")], ("$.data.severity", "enum")),
    ("alert.raised", "without day", [(["data", "day"], DELETE)], ("$.data", "required")),
    ("report.weekly", "at_risk with a display name", [(["data", "at_risk", 0], "Error Rate")], ("$.data.at_risk[0]", "pattern")),
    ("report.weekly", "week 0", [(["data", "week"], 0)], ("$.data.week", "minimum")),
    ("report.weekly", "week 10", [(["data", "week"], 10)], ("$.data.week", "maximum")),
    ("report.weekly", "health score 101", [(["data", "health"], {"score": 101, "label": "healthy", "day": 14, "reasons": []})], ("$.data.health.score", "maximum")),
    ("report.weekly", "health label green", [(["data", "health"], {"score": 90, "label": "green", "day": 14, "reasons": []})], ("$.data.health.label", "enum")),
    ("action.create", "human_required false", [(["data", "human_required"], False)], ("$.data.human_required", "const")),
    ("action.create", "type sales:pilot", [(["data", "type"], "sales:pilot")], ("$.data.type", "const")),
    ("actions.skip_remaining", "action sales:close", [(["data", "action"], "sales:close")], ("$.data.action", "const")),
    ("deal.lost", "pilot_failed without reasons", [(["data", "reason"], "pilot_failed"), (["data", "failure_reasons"], [])],
     ("$.data.failure_reasons", "minItems")),
    ("deal.lost", "reason lost", [(["data", "reason"], "lost")], ("$.data.reason", "enum")),
    ("pilot.completed", "NPS 150", [(["data", "user_feedback", "nps"], 150)], ("$.data.user_feedback.nps", "maximum")),
    ("pilot.completed", "SUCCESS with next_action none", [(["data", "next_action"], "none")], ("$.data.next_action", "const")),
    ("pilot.completed", "FAILED with next_action sales:close", [(["data", "status"], "FAILED")], ("$.data.next_action", "const")),
    ("pilot.completed", "no responses but an NPS", [(["data", "user_feedback", "responses"], 0)], ("$.data.user_feedback.nps", "type")),
    ("pilot.completed", "responses but NPS null", [(["data", "user_feedback", "nps"], None)], ("$.data.user_feedback.nps", "type")),
    ("pilot.completed", "actual as text", [(["data", "technical_metrics", 0, "actual"], "n/a")], ("$.data.technical_metrics[0].actual", "type")),
    ("pilot.completed", "row without met", [(["data", "business_metrics", 0, "met"], DELETE)], ("$.data.business_metrics[0]", "required")),
    ("pilot.completed", "negative issue count", [(["data", "issues", "unresolved"], -1)], ("$.data.issues.unresolved", "minimum")),
]

# (event type, what is legal, [(path, new value or DELETE)])
LEGAL = [
    ("pilot.requested", "duration_days omitted (defaults to 30)", [(["data", "terms", "duration_days"], DELETE)]),
    ("pilot.requested", "duration_days 14", [(["data", "terms", "duration_days"], 14)]),
    ("pilot.requested", "5 use cases", [(["data", "terms", "use_cases"], [{"title": f"Use case {i}", "description": "Something."} for i in range(5)])]),
    ("pilot.requested", "free pricing without discount_pct",
     [(["data", "terms", "pricing"], {"model": "free", "list_price_annual": 0, "currency": "EUR"})]),
    ("pilot.requested", "extension attribute traceparent", [(["traceparent"], "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]),
    ("pilot.requested", "no dataschema, datacontenttype or causationid", [(["dataschema"], DELETE), (["datacontenttype"], DELETE)]),
    ("pilot.requested", "time with an offset and fraction", [(["time"], "2026-11-25T04:00:00.250-05:00")]),
    ("pilot.requested", "timezone UTC", [(["data", "lead", "timezone"], "UTC")]),
    ("pilot.requested", "timezone America/Argentina/Buenos_Aires", [(["data", "lead", "timezone"], "America/Argentina/Buenos_Aires")]),
    ("pilot.requested", "company size as a number", [(["data", "lead", "company", "size"], 120)]),
    ("pilot.requested", "minimal qualification",
     [(["data", "qualification"], {"pain_points": [], "technical_targets": {}, "baseline": {"hours_per_week": 10, "hourly_cost": 60, "currency": "GBP"}})]),
    ("pilot.requested", "no business hours", [(["data", "lead", "business_hours"], DELETE)]),
    ("pilot.requested", "subject with dots and underscores", [(["subject"], "acme.2026-11_b")]),
    ("pilot.requested", "subject of 128 characters", [(["subject"], "a" * 128)]),
    ("pilot.requested", "source as an absolute URI", [(["source"], "https://crm.example.com/deals/42")]),
    ("pilot.signed", "no amendments", [(["data", "amendments"], DELETE)]),
    ("pilot.signed", "amended criteria only", [(["data", "amendments"], {"criteria": [
        {"id": "uptime", "kind": "technical", "metric": "uptime_pct", "target": 99, "comparison": ">=", "unit": "%", "required": True, "aggregation": "mean"}]})]),
    ("pilot.metrics", "business only", [(["data", "technical"], DELETE)]),
    ("pilot.metrics", "technical only, day 30", [(["data", "business"], DELETE), (["data", "day"], 30)]),
    ("pilot.issue", "open without resolved_at", [(["data", "status"], "open"), (["data", "resolved_at"], DELETE), (["data", "resolution"], DELETE)]),
    ("pilot.feedback", "score 0 without comment or role", [(["data", "score"], 0), (["data", "comment"], DELETE), (["data", "respondent", "role"], DELETE)]),
    ("pilot.monitor.tick", "closing tick day 31", [(["data", "day"], 31)]),
    ("pilot.results.requested", "period_end as a date", [(["data", "period_end"], "2026-12-30")]),
    ("pilot.results.compiled", "FAILED with reasons", [(["data", "status"], "FAILED"), (["data", "failure_reasons"], ["Uptime averaged 98.7 %, below the 99.5 % target."])]),
    ("alert.raised", "stalled", [(["data", "kind"], "stalled"), (["data", "metric"], DELETE)]),
    ("crm.update", "pilot_stalled", [(["data", "status"], "pilot_stalled")]),
    ("report.weekly", "with its health", [(["data", "health"], {"score": 72, "label": "concerning", "day": 14,
     "reasons": ["Error rate averages 1.3%, above the ≤ 1% target (−20 points; 12 more than a week before)."]})]),
    ("email.send", "no cc, no kind", [(["data", "cc"], DELETE), (["data", "kind"], DELETE)]),
    ("deal.lost", "pilot_failed with reasons", [(["data", "reason"], "pilot_failed")]),
    ("pilot.completed", "FAILED, no feedback, a metric without data", [
        (["data", "status"], "FAILED"), (["data", "next_action"], "none"),
        (["data", "user_feedback"], {"nps": None, "responses": 0, "average_score": None}),
        (["data", "technical_metrics", 2, "actual"], None), (["data", "technical_metrics", 2, "met"], False)]),
    ("pilot.completed", "empty metric tables", [(["data", "technical_metrics"], []), (["data", "business_metrics"], [])]),
]


def check_variants(docs, registry):
    for etype, what, edits, (want_path, want_kw) in BROKEN:
        ev = example(docs, etype)
        for path, value in edits:
            set_path(ev, path, value)
        errs = list(flat_errors(validate(registry, BASE + etype + ".v1.json", ev)))
        hit = any(e.json_path == want_path and e.validator == want_kw for e in errs)
        seen = ", ".join(sorted({f"{e.json_path} {e.validator}" for e in errs})) or "it was accepted"
        check(bool(errs) and hit, f"{etype}: rejects {what} ({want_path} {want_kw})", f"got {seen}")

    for etype, what, edits in LEGAL:
        ev = example(docs, etype)
        for path, value in edits:
            set_path(ev, path, value)
        errs = validate(registry, BASE + etype + ".v1.json", ev)
        check(not errs, f"{etype}: accepts {what}", "; ".join(f"{e.json_path}: {e.message}" for e in errs[:3]))

    # The envelope alone accepts any well-formed event, including types it does not know.
    ev = example(docs, "pilot.metrics")
    ev["type"], ev["dataschema"] = "pilot.something_new", "pilot.something_new.v1"
    check(not validate(registry, BASE + "cloudevent.v1.json", ev), "cloudevent: accepts an event of a new type")
    ev["type"] = "Pilot.Requested"
    check(any(e.validator == "pattern" for e in validate(registry, BASE + "cloudevent.v1.json", ev)), "cloudevent: rejects an upper-case type")


def main():
    docs = load()
    registry = build_registry(docs)
    asserted = sorted(ALLOWED_FORMATS & set(Draft202012Validator.FORMAT_CHECKER.checkers))
    print(f"formats asserted by this jsonschema install: {', '.join(asserted)}")
    for missing in sorted(ALLOWED_FORMATS - set(asserted)):
        print(f"note: format {missing!r} is not asserted here (install its helper package); patterns still apply")
    check_documents(docs, registry)
    check_patterns_portable(docs)
    check_examples(docs, registry)
    check_variants(docs, registry)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
