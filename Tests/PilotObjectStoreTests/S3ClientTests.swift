import Foundation
@testable import PilotObjectStore
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing

/// The S3 client against a real SeaweedFS that enforces SigV4 (`deploy/objectstore.sh`).
@Suite(.objectStore) struct S3ClientTests {
    /// The document store `PILOT_DOCUMENTS` makes for `prefix` of the test bucket.
    func documents(in store: TestObjectStore, prefix: String) throws -> S3DocumentStore {
        try #require(try DocumentStoreFactory.make(
            environment: store.environment(prefix: prefix), workspace: URL(fileURLWithPath: "/nonexistent")) as? S3DocumentStore)
    }

    @Test func anObjectRoundTripsByteForByteAndAMissingOneIsNil() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        // Every byte value, NULs and invalid UTF-8 included, and more than one read buffer.
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) } + Array(0...255)
        try store.client.put("\(run)/t/binary.bin", bytes)
        #expect(try store.client.get("\(run)/t/binary.bin") == bytes)
        #expect(try store.client.get("\(run)/t/absent.bin") == nil)
        // A redelivery puts the same key again: the same bytes, one object.
        try store.client.put("\(run)/t/binary.bin", bytes)
        try store.client.put("\(run)/t/empty", [])
        #expect(try store.client.get("\(run)/t/empty") == [])
        #expect(try store.keys(prefix: "\(run)/t/").sorted() == ["\(run)/t/binary.bin", "\(run)/t/empty"])
    }

    @Test func keysWithCharactersThatNeedEncodingAreSignedAndStoredAsGiven() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        let keys = ["a b/c+d.md", "été/ü%20~x.txt", "q?x=1&y=#z", "semi;colon,comma=@'()!*$"].map { "\(run)/p/\($0)" }
        for (index, key) in keys.enumerated() { try store.client.put(key, Array("doc \(index)".utf8)) }
        for (index, key) in keys.enumerated() {
            #expect(try store.client.get(key) == Array("doc \(index)".utf8), "\(key)")
        }
        #expect(try store.keys(prefix: "\(run)/p/").sorted() == keys.sorted())
    }

    @Test func listingFollowsContinuationTokens() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        // More than one page of 1000.
        let keys = (0..<1_005).map { String(format: "\(run)/many/%04d", $0) }
        for key in keys { try store.client.put(key, [1]) }
        #expect(try store.keys(prefix: "\(run)/many/") == keys)
    }

    @Test func aWrongSecretIsASignatureErrorThatNamesTheKeyNotTheSecret() async throws {
        let store = try await TestObjectStore.shared
        var configuration = store.client.configuration
        configuration.secretKey = "wrong-secret-\(UUID().uuidString)"
        let client = try S3Client(configuration: configuration)
        let error = try #require(throws: S3Error.self) { try client.put("threads/sales/x/doc.md", [1, 2, 3]) }
        #expect(error.status == 403)
        #expect(error.code == "SignatureDoesNotMatch", "\(error)")
        #expect(error.description.contains("PUT") && error.description.contains("threads/sales/x/doc.md"), "\(error)")
        #expect(!error.description.contains(configuration.secretKey) && !error.description.contains(store.client.configuration.secretKey))
        let read = try #require(throws: S3Error.self) { _ = try client.get("threads/sales/x/doc.md") }
        #expect(read.status == 403 && read.operation == "GET", "\(read)")
    }

    /// A missing bucket is a misconfigured store, not a missing document: it must fail the
    /// read loudly rather than read as "no such file" (a mail dead-lettered, no template).
    @Test func aMissingBucketIsAnErrorNotAMissingObject() async throws {
        let store = try await TestObjectStore.shared
        var configuration = store.client.configuration
        configuration.bucket = "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())"
        let client = try S3Client(configuration: configuration)
        let error = try #require(throws: S3Error.self) { _ = try client.get("threads/sales/x/doc.md") }
        #expect(error.status == 404 && error.code == "NoSuchBucket", "\(error)")
        #expect(try store.client.get("threads/sales/x/absent-\(UUID().uuidString).md") == nil)
    }

    @Test func anUnreachableStoreIsAConnectionErrorNamingTheOperation() throws {
        var configuration = S3Configuration(
            bucket: "pilot", endpoint: "http://127.0.0.1:\(freeLoopbackPort())", region: "us-east-1",
            accessKey: "key", secretKey: "secret")
        configuration.connectTimeout = .seconds(2)
        let client = try S3Client(configuration: configuration)
        let error = try #require(throws: S3Error.self) { try client.put("a/b", [1]) }
        #expect(error.status == 0 && error.description.contains("S3 PUT of a/b failed"), "\(error)")
    }

    /// A plan that loses its commit (another worker saved the pilot first) must leave the
    /// documents the committed state points at as they were: what it staged goes, unseen.
    @Test func aDiscardedPlanLeavesTheCommittedDocumentAsItWas() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        let documents = try documents(in: store, prefix: run)
        let path = "threads/sales/acme-1/kickoff-invite.ics"
        try documents.write(Document(path: path, bytes: Array("SEQUENCE:0".utf8)))
        let losing = try documents.stage([Document(path: path, bytes: Array("SEQUENCE:1".utf8))])
        #expect(try documents.read(path) == Array("SEQUENCE:0".utf8), "staged, not installed")
        documents.discard(losing)
        #expect(try documents.read(path) == Array("SEQUENCE:0".utf8))
        #expect(try store.client.list(prefix: "\(run)/\(S3DocumentStore.stagingFolder)/").isEmpty)
    }

    /// A worker killed between staging and commit leaves objects no one reads: the sweep
    /// deletes those the store wrote over an hour ago, and nothing else.
    @Test func stagedObjectsOlderThanAnHourAreSwept() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        let documents = try documents(in: store, prefix: run)
        let staging = "\(run)/\(S3DocumentStore.stagingFolder)/"
        try documents.write(Document(path: "threads/sales/acme-1/pilot-agreement-custom.md", bytes: Array("agreed".utf8)))
        _ = try documents.stage((0..<12).map { Document(path: "threads/sales/acme-1/day-\($0).json", bytes: [UInt8($0)]) })

        let listed = try store.client.listObjects(prefix: staging)
        #expect(listed.count == 12)
        for object in listed {
            let written = try #require(object.lastModified, "\(object)")
            #expect(abs(written.timeIntervalSinceNow) < 600, "the store's clock and ours agree within minutes: \(written)")
        }
        #expect(try documents.sweepLeftovers(now: Date()) == 0, "young objects may belong to a commit under way")
        #expect(try store.client.list(prefix: staging).count == 12)
        #expect(try documents.sweepLeftovers(now: Date().addingTimeInterval(3700)) == 12)
        #expect(try store.client.list(prefix: staging).isEmpty)
        #expect(try documents.read("threads/sales/acme-1/pilot-agreement-custom.md") == Array("agreed".utf8), "documents are never swept")
        #expect(try documents.read("threads/sales/acme-1/day-0.json") == nil)
    }

    /// Released and discarded staged objects, and swept ones, go a thousand a request
    /// (DeleteObjects), keys that need escaping and keys already gone included.
    @Test func manyObjectsAreDeletedInRequestsOfAThousand() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        let keys = (0..<1_003).map { String(format: "\(run)/gone/%04d", $0) } + ["\(run)/gone/a&b<c>'\"d.md", "\(run)/gone/été ü+%.md", "\(run)/gone/tab\tcr\r.md", "\(run)/gone/control\u{1}.md"]
        for key in keys { try store.client.put(key, [1]) }
        try store.client.put("\(run)/kept/x", [1])
        try store.client.delete(keys.reversed() + ["\(run)/gone/never-written"])
        #expect(try store.keys(prefix: "\(run)/gone/").isEmpty)
        let few = (0..<5).map { "\(run)/few/\($0)" }
        for key in few { try store.client.put(key, [1]) }
        try store.client.delete(few, perRequest: 2)
        #expect(try store.keys(prefix: "\(run)/few/").isEmpty, "every chunk, the short last one too")
        #expect(try store.keys(prefix: "\(run)/kept/") == ["\(run)/kept/x"])

        var configuration = store.client.configuration
        configuration.bucket = "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())"
        let error = try #require(throws: S3Error.self) { try S3Client(configuration: configuration).delete(["\(run)/a", "\(run)/b"]) }
        #expect(error.operation == "DELETE" && error.status == 404 && error.code == "NoSuchBucket", "\(error)")
        #expect(error.key == "2 keys from \(run)/a", "a refused request is not one key's failure")
    }

    @Test func anObjectIsCopiedInsideTheStoreAndDeleted() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        try store.client.put("\(run)/a b/source", [1, 2, 3])
        try store.client.copy(from: "\(run)/a b/source", to: "\(run)/target")
        #expect(try store.client.get("\(run)/target") == [1, 2, 3])
        try store.client.delete("\(run)/a b/source")
        #expect(try store.client.get("\(run)/a b/source") == nil)
        try store.client.delete("\(run)/never-there")
        #expect(throws: S3Error.self) { try store.client.copy(from: "\(run)/never-there", to: "\(run)/other") }
    }

    @Test func theDocumentStorePutsAtThePrefixedKeyAndReadsTemplates() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        let documents = try documents(in: store, prefix: "\(run)/tenant/one")
        #expect(documents.location == "s3://\(store.bucket)/\(run)/tenant/one")
        #expect(try documents.templates() == PilotSnapshot.Templates())
        try store.client.put("\(run)/tenant/one/artifacts/sales/current/pilot-agreement.md", Array("# {{company}}".utf8))
        #expect(try documents.templates().agreement == "# {{company}}")

        let document = Document(path: "threads/sales/acme-1/pilot-agreement-custom.md", bytes: Array("agreed".utf8))
        let staged = try documents.stage(document)
        try documents.flush()
        try documents.install([staged])
        documents.release([staged])
        #expect(try store.object("\(run)/tenant/one/threads/sales/acme-1/pilot-agreement-custom.md") == Array("agreed".utf8))
        #expect(try documents.read("threads/sales/acme-1/pilot-agreement-custom.md") == Array("agreed".utf8))
        #expect(try documents.read("threads/sales/acme-1/missing.md") == nil)
        #expect(throws: WorkspaceError.self) { try documents.stage(Document(path: "threads/sales/../x.md", bytes: [])) }
        #expect(throws: WorkspaceError.self) { try documents.read("artifacts/secret.md") }
    }

    @Test func aBatchIsPutSideBySideAndTheLastOfAKeyWins() async throws {
        let store = try await TestObjectStore.shared
        let run = "run-\(UUID().uuidString.prefix(8))"
        let documents = try documents(in: store, prefix: run)
        // A chart rewritten twice in one batch between 40 other documents of 8 pilots.
        var batch = (0..<40).map { Document(path: "threads/sales/p-\($0 % 8)/day-\($0).json", bytes: Array("day \($0)".utf8)) }
        batch.insert(Document(path: "threads/sales/p-1/charts/x.svg", bytes: Array("old".utf8)), at: 3)
        batch.append(Document(path: "threads/sales/p-1/charts/x.svg", bytes: Array("new".utf8)))
        let staged = try documents.stage(batch)
        #expect(staged.count == batch.count)
        // Staged is not yet visible: only the commit installs.
        #expect(try documents.read("threads/sales/p-1/charts/x.svg") == nil)
        try documents.install(staged)
        // The deletes wait for the commit to be over: installing only copies.
        #expect(try store.client.list(prefix: "\(run)/\(S3DocumentStore.stagingFolder)/").count == 41)
        documents.release(staged)
        #expect(try store.client.list(prefix: "\(run)/\(S3DocumentStore.stagingFolder)/").isEmpty, "released objects leave the staging folder")
        for index in 0..<40 {
            #expect(try documents.read("threads/sales/p-\(index % 8)/day-\(index).json") == Array("day \(index)".utf8))
        }
        #expect(try documents.read("threads/sales/p-1/charts/x.svg") == Array("new".utf8))

        // A path outside a thread's folder refuses the whole batch before anything is put.
        let refused = [Document(path: "threads/sales/p-9/a.md", bytes: [1]), Document(path: "threads/sales/../x.md", bytes: [])]
        #expect(throws: WorkspaceError.self) { try documents.stage(refused) }
        #expect(try documents.read("threads/sales/p-9/a.md") == nil)

        // A store that refuses the PUTs: the batch throws the store's error.
        var configuration = store.client.configuration
        configuration.secretKey = "wrong-secret-\(UUID().uuidString)"
        let wrong = S3DocumentStore(client: try S3Client(configuration: configuration), prefix: run)
        let error = try #require(throws: S3Error.self) { try wrong.stage(Array(batch.prefix(20))) }
        #expect(error.status == 403 && error.operation == "PUT", "\(error)")
    }
}


