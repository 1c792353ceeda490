import Contracts
import PilotJSON
import Testing

/// Loading schema folders, and refusing schemas the validator would not enforce fully.
@Suite struct SchemaRegistryTests {
    @Test func loadsEveryJSONFileOfAFolderByID() throws {
        let folder = try Fixtures.directory([
            "cloudevent.v1.json": Fixtures.envelope.serialized(),
            "pilot.requested.v1.json": Fixtures.pilotRequested.serialized(),
            "notes.txt": "not a schema",
        ])
        defer { Fixtures.remove(folder) }
        let registry = try SchemaRegistry(directory: folder)
        #expect(Set(registry.schemas.keys) == [
            "https://schemas.pilot-worker.dev/cloudevent.v1.json",
            "https://schemas.pilot-worker.dev/pilot.requested.v1.json",
        ])
        let schema = try #require(registry["https://schemas.pilot-worker.dev/pilot.requested.v1.json"])
        #expect(schema.isValid(Fixtures.event))
    }

    @Test func anEmptyFolderIsAnEmptyRegistry() throws {
        let folder = try Fixtures.directory([:])
        defer { Fixtures.remove(folder) }
        #expect(try SchemaRegistry(directory: folder).schemas.isEmpty)
    }

    @Test func brokenFilesAndDuplicateIDsAreReported() throws {
        let broken = try Fixtures.directory(["half.json": #"{"type": "obj"#])
        defer { Fixtures.remove(broken) }
        let unreadable = try #require(throws: SchemaError.self) { try SchemaRegistry(directory: broken) }
        #expect(unreadable.kind == .unreadable)
        #expect(unreadable.schema.hasSuffix("half.json"))

        let twice = try Fixtures.directory([
            "a.json": #"{"$id": "https://example.test/x.json"}"#, "b.json": #"{"$id": "https://example.test/x.json"}"#,
        ])
        defer { Fixtures.remove(twice) }
        let duplicate = try #require(throws: SchemaError.self) { try SchemaRegistry(directory: twice) }
        #expect(duplicate.kind == .duplicateID("https://example.test/x.json"))

        #expect(throws: SchemaError.self) { try SchemaRegistry(directory: "/nonexistent/schemas") }
    }

    @Test(arguments: [
        ("unevaluatedProperties", #"{"properties": {"a": {"unevaluatedProperties": false}}}"#),
        ("unevaluatedItems", #"{"unevaluatedItems": false}"#),
        ("$dynamicRef", ##"{"$defs": {"x": {"$dynamicRef": "#meta"}}}"##),
    ])
    func unsupportedKeywordsFailCompilation(_ keyword: String, _ text: String) throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(JSONValue(parsing: text))
        let error = try #require(throws: SchemaError.self) { try registry.compile(uri) }
        #expect(error.kind == .unsupportedKeyword(keyword))
        #expect(error.description.contains("\"\(keyword)\" is not supported"))
    }

    @Test func strictModeCatchesMisspeltKeywords() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(["properties": ["name": ["type": "string", "maxLenght": 3]]])
        let error = try #require(throws: SchemaError.self) { try registry.compile(uri) }
        #expect(error.kind == .unknownKeyword("maxLenght"))
        #expect(error.location == "/properties/name/maxLenght")
        // Annotations, and extensions marked `x-`, are fine; lenient mode ignores the rest.
        let annotated = try registry.register(["title": "T", "x-owner": "sales", "examples": [1], "type": "integer"])
        #expect(try registry.compile(annotated).isValid(1))
        let lenient = try registry.compile(uri, options: SchemaOptions(rejectUnknownKeywords: false))
        #expect(lenient.isValid(["name": "long"]))
    }

    @Test func otherDialectsAndBadValuesAreRefused() throws {
        var registry = SchemaRegistry()
        let draft7 = try registry.register(["$schema": "http://json-schema.org/draft-07/schema#"])
        #expect(throws: SchemaError.self) { try registry.compile(draft7) }
        let tupleItems = try registry.register(["items": [["type": "string"]]])
        #expect(throws: SchemaError.self) { try registry.compile(tupleItems) }
        let negative = try registry.register(["minLength": -1])
        #expect(throws: SchemaError.self) { try registry.compile(negative) }
        let badRegex = try registry.register(["pattern": "[a-"])
        #expect(throws: SchemaError.self) { try registry.compile(badRegex) }
    }

    @Test func unresolvedReferencesNameTheTarget() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(["$id": "https://example.test/a.json", "properties": ["b": ["$ref": "b.json"]]])
        let error = try #require(throws: SchemaError.self) { try registry.compile(uri) }
        #expect(error.kind == .unresolvedReference("https://example.test/b.json"))
        #expect(error.location == "/properties/b/$ref")
    }

    @Test func referencesAcrossDocumentsAnchorsAndEscapedPointers() throws {
        var registry = SchemaRegistry()
        try registry.register(["$id": "https://example.test/defs.json",
            "$defs": ["a/b": ["type": "integer"], "named": ["$anchor": "small", "maximum": 9]]])
        let uri = try registry.register(["$id": "https://example.test/main.json", "allOf": [
            ["$ref": "defs.json#/$defs/a~1b"], ["$ref": "https://example.test/defs.json#small"],
        ]])
        let schema = try registry.compile(uri)
        #expect(schema.isValid(5))
        #expect(!schema.isValid(5.5))
        #expect(!schema.isValid(10))
    }
}

@Suite struct JSONPointerTests {
    @Test func escapesAndSplits() {
        #expect(JSONPointer.join(["data", "a/b", "c~d", "0"]) == "/data/a~1b/c~0d/0")
        #expect(JSONPointer.tokens("/data/a~1b/c~0d/") == ["data", "a/b", "c~d", ""])
        #expect(JSONPointer.tokens("") == [])
        #expect(JSONPointer.tokens("data") == nil)
        #expect(JSONPointer.tokens("/a~2") == nil)
    }
}
