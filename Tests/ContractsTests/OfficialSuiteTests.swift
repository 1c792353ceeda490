@testable import Contracts
import PilotJSON
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs the official JSON-Schema-Test-Suite (draft 2020-12) against the validator.
///
/// The suite is vendored in `Tests/json-schema-test-suite` (see ``SuiteFiles``), so a fresh
/// clone runs all of it; without it these tests fail.
@Suite struct OfficialSuiteTests {
    /// Groups that are not run, each with its reason. Every one of them must still
    /// fail to *compile* (checked below), so that an exclusion cannot go stale and
    /// no unsupported keyword is ever silently ignored.
    static let exclusions: [(file: String, group: String, reason: String)] = [
        ("not.json", "collect annotations inside a 'not', even if collection is disabled",
            "uses unevaluatedProperties, which is deliberately not supported"),
        ("ref.json", "ref creates new scope when adjacent to keywords",
            "uses unevaluatedProperties, which is deliberately not supported"),
        ("ref.json", "remote ref, containing refs itself",
            "needs the draft 2020-12 meta-schema, which is built on $dynamicRef (not supported)"),
        ("defs.json", "validate definition against metaschema",
            "needs the draft 2020-12 meta-schema, which is built on $dynamicRef (not supported)"),
    ]

    /// Keyword files; `format` is an annotation here, as the specification's default is.
    static let keywordFiles = [
        "additionalProperties", "allOf", "anchor", "anyOf", "boolean_schema", "const", "contains", "content",
        "default", "defs", "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum",
        "exclusiveMinimum", "format", "if-then-else", "infinite-loop-detection", "items", "maxContains",
        "maxItems", "maxLength", "maxProperties", "maximum", "minContains", "minItems", "minLength",
        "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern", "patternProperties",
        "prefixItems", "properties", "propertyNames", "ref", "required", "type", "uniqueItems",
    ].map { "\($0).json" }

    /// Format files; here `format` asserts, as our contracts use it.
    static let formatFiles = ["date-time", "date", "email", "uuid", "uri", "uri-reference", "unknown"]
        .map { "optional/format/\($0).json" }

    /// Optional files that hold for us too: ECMA-262 regular expressions, big numbers, odd identifiers.
    static let optionalFiles = [
        "ecmascript-regex", "non-bmp-regex", "bignum", "float-overflow", "id", "anchor", "refOfUnknownKeyword",
        "unknownKeyword", "no-schema",
    ].map { "optional/\($0).json" }

    /// Every file that is run; `refRemote.json` also needs `remotes/` (served at http://localhost:1234/).
    static let filesRun = keywordFiles + formatFiles + optionalFiles + ["refRemote.json"]

    /// Files of the suite that are not run, each with its reason; ``everyFileIsAccountedFor``
    /// keeps this list and the folder in step.
    static let filesNotRun: [String: String] = [
        "dynamicRef.json": "$dynamicRef, which is deliberately not supported",
        "optional/dynamicRef.json": "$dynamicRef, which is deliberately not supported",
        "unevaluatedItems.json": "unevaluatedItems, which is deliberately not supported",
        "unevaluatedProperties.json": "unevaluatedProperties, which is deliberately not supported",
        "vocabulary.json": "custom meta-schemas and $vocabulary, which are not followed",
        "optional/format-assertion.json": "the format-assertion vocabulary of a custom meta-schema (not followed)",
        "optional/cross-draft.json": "references into other drafts; only draft 2020-12 is implemented",
        "optional/dependencies-compatibility.json": "the pre-2019 `dependencies` keyword, not part of draft 2020-12",
    ].merging(
        [
            "duration", "ecmascript-regex", "hostname", "idn-email", "idn-hostname", "ipv4", "ipv6", "iri",
            "iri-reference", "json-pointer", "regex", "relative-json-pointer", "time", "uri-template",
        ].map { ("optional/format/\($0).json", "a format our contracts do not use, so it is not asserted") }
    ) { first, _ in first }

    @Test(arguments: filesRun)
    func suiteFile(_ file: String) throws {
        try run(file)
    }

    /// Every file of the folder is either run or listed in ``filesNotRun``, so that a newer
    /// copy of the suite cannot bring files that nobody decided about.
    @Test func everyFileIsAccountedFor() throws {
        let run = Set(Self.filesRun)
        let notRun = Set(Self.filesNotRun.keys)
        let present = try SuiteFiles.testFiles()
        #expect(run.isDisjoint(with: notRun), "both run and not run: \(run.intersection(notRun).sorted())")
        #expect(present.subtracting(run).subtracting(notRun).isEmpty,
            "in the suite but neither run nor listed as not run: \(present.subtracting(run).subtracting(notRun).sorted())")
        #expect(run.union(notRun).subtracting(present).isEmpty,
            "listed but not in the suite: \(run.union(notRun).subtracting(present).sorted())")
    }

    private func run(_ file: String) throws {
        let base = try SuiteFiles.registryWithRemotes()
        let options = SchemaOptions(formatAssertion: file.hasPrefix("optional/format/"), rejectUnknownKeywords: false)
        var counts = (passed: 0, failed: 0, excluded: 0)
        for group in try SuiteFiles.groups(file) {
            let title = group["description"]?.string ?? "?"
            let tests = group["tests"]?.array ?? []
            var registry = base
            let uri = try registry.register(group["schema"]!)
            if let exclusion = Self.exclusions.first(where: { $0.file == file && $0.group == title }) {
                let stale: Comment = "excluded (\(exclusion.reason)) but compiles now: \(file) › \(title)"
                #expect(throws: SchemaError.self, stale) {
                    try registry.compile(uri, options: options)
                }
                counts.excluded += tests.count
                continue
            }
            let schema: Schema
            do {
                schema = try registry.compile(uri, options: options)
            } catch {
                Issue.record("\(file) › \(title): the schema does not compile: \(error)")
                counts.failed += tests.count
                continue
            }
            for test in tests {
                let expected = test["valid"]?.bool ?? false
                let errors = schema.validate(test["data"]!)
                let quick = schema.isValid(test["data"]!)
                // `isValid` is the flat program, `validate` asks it first; the node tree must agree.
                let tree = schema.treeVerdict(test["data"]!)
                // And the program over json-c's own tree, as the runtime validates incoming events.
                let inPlace = try schema.isValid(ParsedJSON(parsing: test["data"]!.serializedBytes()))
                if errors.isEmpty == expected && quick == expected && tree == expected && inPlace == expected {
                    counts.passed += 1
                } else {
                    counts.failed += 1
                    Issue.record("""
                        \(file) › \(title) › \(test["description"]?.string ?? "?"): expected \
                        \(expected ? "valid" : "invalid"), validate() said \(errors.isEmpty ? "valid" : "invalid"), \
                        isValid() said \(quick), the node tree \(tree), in place \(inPlace); errors: \(errors.map(\.message))
                        """)
                }
            }
        }
        #expect(counts.passed + counts.failed + counts.excluded > 0, "\(file): the file holds no test")
        print("[json-schema-test-suite] \(file): \(counts.passed) passed, \(counts.failed) failed, "
            + "\(counts.excluded) excluded")
    }
}
