import Foundation
import PilotRuntime
import PilotStageAPI

/// A document store that calls `beforeRead` with each path before reading it from `base`,
/// for tests that need a read to take time on a clock or to wait for a signal.
public struct ObservedReads: DocumentStore {
    let base: any DocumentStore
    let beforeRead: @Sendable (String) -> Void

    public init(_ base: any DocumentStore, beforeRead: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.beforeRead = beforeRead
    }

    public func read(_ path: String) throws -> [UInt8]? {
        beforeRead(path)
        return try base.read(path)
    }

    public func stage(_ document: Document) throws -> any StagedDocument { try base.stage(document) }
    public func stage(_ documents: [Document]) throws -> [any StagedDocument] { try base.stage(documents) }
    public func flush() throws { try base.flush() }
    public func install(_ documents: [any StagedDocument]) throws { try base.install(documents) }
    public func release(_ installed: [any StagedDocument]) { base.release(installed) }
    public func discard(_ staged: [any StagedDocument]) { base.discard(staged) }
    public func sweepLeftovers(now: Date) throws -> Int { try base.sweepLeftovers(now: now) }
    public func templates() throws -> PilotSnapshot.Templates { try base.templates() }
    public var location: String { base.location }
}
