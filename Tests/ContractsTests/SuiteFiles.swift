import Contracts
import PilotJSON
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds and reads the official JSON-Schema-Test-Suite.
///
/// The suite is vendored in `Tests/json-schema-test-suite` (its `SOURCE` says where each
/// part came from); `$JSON_SCHEMA_TEST_SUITE` may name another copy with the same layout.
/// A missing suite fails the tests that need it: it is never a silent skip.
enum SuiteFiles {
    /// Where the remote documents are served in the suite's own tests.
    static let remoteBase = "http://localhost:1234/"

    static let root: String = ProcessInfo.processInfo.environment["JSON_SCHEMA_TEST_SUITE"]
        // Tests/ContractsTests/<this file> → Tests/json-schema-test-suite.
        ?? URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "json-schema-test-suite").path

    static var tests: String { root + "/tests/draft2020-12" }
    static var remotes: String { root + "/remotes" }

    /// Fails, naming the folder it looked for, when `folder` is not there.
    static func require(_ folder: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = (try? FileManager.default.contentsOfDirectory(atPath: folder)) != nil
        try #require(found, """
            JSON Schema test suite folder \(folder) not found: the suite is vendored in \
            Tests/json-schema-test-suite (or set JSON_SCHEMA_TEST_SUITE to a copy with tests/draft2020-12 and remotes)
            """, sourceLocation: sourceLocation)
    }

    /// Every test file of draft 2020-12, as a path relative to `tests/draft2020-12`.
    static func testFiles() throws -> Set<String> {
        try require(tests)
        return Set(try FileManager.default.subpathsOfDirectory(atPath: tests).filter { $0.hasSuffix(".json") })
    }

    static func groups(_ file: String) throws -> [JSONValue] {
        try require(tests)
        return try read(tests + "/" + file).array ?? []
    }

    static func read(_ path: String) throws -> JSONValue {
        try JSONValue(parsing: [UInt8](Data(contentsOf: URL(filePath: path))))
    }

    /// A registry holding every document of `remotes/` at its place under http://localhost:1234/.
    static func registryWithRemotes() throws -> SchemaRegistry {
        try require(remotes)
        var registry = SchemaRegistry()
        let files = try FileManager.default.subpathsOfDirectory(atPath: remotes).filter { $0.hasSuffix(".json") }
        for file in files.sorted() {
            try registry.register(read(remotes + "/" + file), uri: remoteBase + file)
        }
        return registry
    }
}
