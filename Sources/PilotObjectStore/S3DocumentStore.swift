import PilotRuntime
import PilotStageAPI

/// The documents in a bucket of an S3-compatible store (`PILOT_DOCUMENTS=s3://bucket/prefix`).
///
/// A document's key is its workspace-relative path under the prefix
/// (`prefix/threads/sales/<thread>/pilot-agreement-custom.md`), so the paths in events
/// mean the same thing as with the workspace. An object appears whole or not at all, so
/// `stage` puts it where it belongs at once, before the batch commits; a plan that then
/// fails leaves an object no committed state points at, and its redelivery puts the same
/// bytes at the same key again. Nothing is written to the local disk.
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

    public func stage(_ document: Document) throws -> any StagedDocument {
        try Workspace.check(document.path)
        try client.put(key(document.path), document.bytes)
        return PutObject()
    }

    /// Puts a batch's documents side by side, at most `parallelPuts` at a time: a store
    /// a few milliseconds away would otherwise cost a batch of a hundred documents that
    /// many round trips in a row. Where two documents share a key only the later one is put
    /// (put side by side, the earlier could land last). The first failure stops what has not
    /// started and is thrown; the objects already put are as after a failed plan.
    public func stage(_ documents: [Document]) throws -> [any StagedDocument] {
        for document in documents { try Workspace.check(document.path) }
        try ParallelPuts(Self.latestPerKey(documents.map { (key($0.path), $0.bytes) })).run(width: parallelPuts, client.put)
        return documents.map { _ in PutObject() }
    }

    /// The last of each key's objects, in the order of those last ones.
    static func latestPerKey(_ objects: [(String, [UInt8])]) -> [(String, [UInt8])] {
        var latest: [String: Int] = [:]
        for (index, object) in objects.enumerated() { latest[object.0] = index }
        return latest.values.sorted().map { objects[$0] }
    }

    /// How many PUTs of one batch run at once.
    public var parallelPuts = 8

    public func flush() throws {}

    public func install(_ documents: [any StagedDocument]) throws {}

    public func read(_ path: String) throws -> [UInt8]? {
        try Workspace.check(path)
        return try client.get(key(path))
    }

    public func templates() throws -> PilotSnapshot.Templates {
        let bytes = try client.get(key("\(Workspace.templatesFolder)/pilot-agreement.md"))
        return PilotSnapshot.Templates(agreement: bytes.map { String(decoding: $0, as: UTF8.self) })
    }

    public var location: String { "s3://\(client.configuration.bucket)/\(prefix)" }

    /// An object already in place: nothing to install, nothing to take back.
    struct PutObject: StagedDocument {
        func discard() {}
    }
}
