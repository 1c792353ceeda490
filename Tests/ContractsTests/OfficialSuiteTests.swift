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
/// The suite is not copied into this repository: it is read from
/// `$JSON_SCHEMA_TEST_SUITE`, or else from `../shared/json-schema-test-suite`
/// beside the package. Without it these tests are skipped, with a warning.
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
    static let formatFiles = ["date-time", "date", "email", "uuid", "uri", "uri-reference"]
        .map { "optional/format/\($0).json" }

    /// Optional files that hold for us too: ECMA-262 regular expressions, big numbers, odd identifiers.
    static let optionalFiles = [
        "ecmascript-regex", "non-bmp-regex", "bignum", "float-overflow", "id", "anchor", "refOfUnknownKeyword",
        "unknownKeyword", "no-schema",
    ].map { "optional/\($0).json" }

    @Test(.enabled("the JSON Schema test suite must be present") { SuiteFiles.isAvailable(warnAbout: "the suite") },
        arguments: keywordFiles + formatFiles + optionalFiles)
    func suiteFile(_ file: String) throws {
        try run(file)
    }

    /// Apart because it also needs the suite's `remotes/` folder (served at http://localhost:1234/).
    @Test(.enabled("the suite's remotes/ folder must be present") { SuiteFiles.isAvailable(warnAbout: "remotes") })
    func refRemote() throws {
        try run("refRemote.json")
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
                if errors.isEmpty == expected && quick == expected && tree == expected {
                    counts.passed += 1
                } else {
                    counts.failed += 1
                    Issue.record("""
                        \(file) › \(title) › \(test["description"]?.string ?? "?"): expected \
                        \(expected ? "valid" : "invalid"), validate() said \(errors.isEmpty ? "valid" : "invalid"), \
                        isValid() said \(quick), the node tree \(tree); errors: \(errors.map(\.message))
                        """)
                }
            }
        }
        print("[json-schema-test-suite] \(file): \(counts.passed) passed, \(counts.failed) failed, "
            + "\(counts.excluded) excluded")
    }
}

/// Finds and reads the suite.
enum SuiteFiles {
    static let root: String? = {
        // Tests/ContractsTests/<this file> → the package root → ../shared/json-schema-test-suite.
        let path = ProcessInfo.processInfo.environment["JSON_SCHEMA_TEST_SUITE"]
            ?? URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appending(path: "../shared/json-schema-test-suite").standardized.path
        return FileManager.default.fileExists(atPath: path + "/tests/draft2020-12") ? path : nil
    }()

    static var remotes: String? {
        root.map { $0 + "/remotes/draft2020-12" }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }

    /// Whether the suite (or its remotes) is there; prints why not, so a skip is never silent.
    static func isAvailable(warnAbout part: String) -> Bool {
        let found = part == "remotes" ? remotes != nil : root != nil
        if !found {
            print("""
                WARNING: JSON Schema test suite\(part == "remotes" ? "'s remotes/draft2020-12 folder" : "") not found \
                (set JSON_SCHEMA_TEST_SUITE or put it at ../shared/json-schema-test-suite): \
                \(part == "remotes" ? "refRemote.json is" : "the official suite tests are") SKIPPED.
                """)
        }
        return found
    }

    static func groups(_ file: String) throws -> [JSONValue] {
        try read(root! + "/tests/draft2020-12/" + file).array ?? []
    }

    static func read(_ path: String) throws -> JSONValue {
        try JSONValue(parsing: [UInt8](Data(contentsOf: URL(filePath: path))))
    }

    /// A registry holding the suite's remote documents under http://localhost:1234/draft2020-12/.
    static func registryWithRemotes() throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        guard let remotes else { return registry }
        let files = try FileManager.default.subpathsOfDirectory(atPath: remotes).sorted()
        for file in files where file.hasSuffix(".json") {
            try registry.register(read(remotes + "/" + file), uri: "http://localhost:1234/draft2020-12/" + file)
        }
        return registry
    }
}
