import Foundation
import PilotRuntime
import PilotStageAPI
import Synchronization

/// The documents in a bucket of an S3-compatible store (`PILOT_DOCUMENTS=s3://bucket/prefix`).
///
/// A document's key is its workspace-relative path under the prefix
/// (`prefix/threads/sales/<thread>/pilot-agreement-custom.md`), so the paths in events
/// mean the same thing as with the workspace. As in the workspace, a plan's documents are
/// staged where no reader looks (`prefix/.pilot-staging/<uuid>`, put while the batch is
/// planned, outside any lock) and installed inside the commit, once the pilots' versions
/// held: a server-side copy to the document's key. A plan that loses its version check, or
/// fails, deletes what it staged and leaves the documents the committed state points at as
/// they were. (Put straight to their keys, the documents of a plan that lost to another
/// worker's commit stayed, though the store never recorded them: a rescheduled invite
/// after a cancellation, say.) Nothing is written to the local disk.
public struct S3DocumentStore: DocumentStore {
    public let client: S3Client
    /// Without leading or trailing slashes; empty for the bucket's root.
    public let prefix: String

    public init(client: S3Client, prefix: String) {
        self.client = client
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
    }

    /// The object key of a workspace-relative path.
    public func key(_ path: String) -> String { prefix.isEmpty ? path : "\(prefix)/\(path)" }

    /// Where staged objects wait for their commit. A worker killed between the two leaves
    /// its objects there, which no reader ever sees, until `sweepLeftovers` deletes them.
    public static let stagingFolder = ".pilot-staging"

    private func stagingKey() -> String { key("\(Self.stagingFolder)/\(UUID().uuidString.lowercased())") }

    public func stage(_ document: Document) throws -> any StagedDocument {
        try stage([document])[0]
    }

    /// Puts a batch's documents side by side, at most `parallelPuts` at a time: a store
    /// a few milliseconds away would otherwise cost a batch of a hundred documents that
    /// many round trips in a row. Where two documents share a key only the later one is
    /// staged (and installed). The first failure stops what has not started, deletes what
    /// was staged and is thrown.
    public func stage(_ documents: [Document]) throws -> [any StagedDocument] {
        for document in documents { try Workspace.check(document.path) }
        var latest: [String: Int] = [:]
        for (index, document) in documents.enumerated() { latest[key(document.path)] = index }
        let staged: [StagedObject?] = documents.enumerated().map { index, document in
            let target = key(document.path)
            return latest[target] == index ? StagedObject(client: client, staging: stagingKey(), target: target) : nil
        }
        let puts = zip(staged, documents).compactMap { object, document in object.map { ($0.staging, $0.target, document.bytes) } }
        let begun = BegunPuts()
        do {
            let client = self.client
            try ParallelRequests(puts).run(width: parallelPuts) { staging, target, bytes throws(S3Error) in
                begun.keys.withLock { _ = $0.insert(staging) }
                do throws(S3Error) {
                    try client.put(staging, bytes)
                } catch {
                    // The operator looks for the document, not for its staging name.
                    var named = error
                    named.key = target
                    throw named
                }
            }
        } catch {
            // Only the PUTs that began can have left an object.
            try? client.delete(begun.keys.withLock { started in staged.compactMap { $0 }.map(\.staging).filter(started.contains) })
            throw error
        }
        return staged.map { object -> any StagedDocument in
            guard let object else { return Superseded() }
            return object
        }
    }

    /// How many PUTs of one batch run at once.
    public var parallelPuts = 8

    public func flush() throws {}

    /// Copies each staged object to its key, side by side, then deletes the staged ones. A
    /// copy that fails throws, which rolls the commit back; the copies made before it
    /// stay, as renamed files do in the workspace, and the plan's redelivery writes them again.
    public func install(_ documents: [any StagedDocument]) throws {
        let objects = documents.compactMap { $0 as? StagedObject }
        let client = self.client
        try ParallelRequests(objects).run(width: parallelPuts) { object throws(S3Error) in
            try client.copy(from: object.staging, to: object.target)
        }
    }

    /// Deletes the staged objects of a committed batch in one request (`S3Client.delete`),
    /// after the commit so the transaction does not wait for them. What fails is left to
    /// the sweep.
    public func release(_ installed: [any StagedDocument]) {
        discard(installed)
    }

    /// Deletes the staged objects of a plan that will not commit in one request.
    public func discard(_ staged: [any StagedDocument]) {
        try? client.delete(staged.compactMap { ($0 as? StagedObject)?.staging })
    }

    /// Deletes the staged objects the store wrote before `Leftovers.cutoff(now:)`, a
    /// thousand a request; the first failure is thrown once every request has returned.
    public func sweepLeftovers(now: Date) throws -> Int {
        let cutoff = Leftovers.cutoff(now: now)
        let old = try client.listObjects(prefix: key("\(Self.stagingFolder)/")).filter { object in
            object.lastModified.map { $0 < cutoff } ?? false
        }
        try client.delete(old.map(\.key))
        return old.count
    }

    public func read(_ path: String) throws -> [UInt8]? {
        try Workspace.check(path)
        return try client.get(key(path))
    }

    public func templates() throws -> PilotSnapshot.Templates {
        let bytes = try client.get(key("\(Workspace.templatesFolder)/pilot-agreement.md"))
        return PilotSnapshot.Templates(agreement: bytes.map { String(decoding: $0, as: UTF8.self) })
    }

    public var location: String { "s3://\(client.configuration.bucket)/\(prefix)" }

    /// An object put under `staging`, to be copied to `target` on commit.
    struct StagedObject: StagedDocument {
        let client: S3Client
        let staging: String
        let target: String

        /// Deletes the staged object. A delete that fails leaves it in the staging folder,
        /// where it costs storage and nothing else.
        func discard() {
            try? client.delete(staging)
        }
    }

    /// A document a later one of its batch replaced: nothing was staged for it.
    struct Superseded: StagedDocument {
        func discard() {}
    }
}

/// The staging keys whose PUT began, shared by the threads that put them.
private final class BegunPuts: Sendable {
    let keys = Mutex<Set<String>>([])
}
