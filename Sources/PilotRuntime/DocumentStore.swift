import Foundation
import PilotStageAPI

/// Where a pilot's documents live: the workspace folder (`Workspace`) or an S3-compatible
/// bucket (`S3DocumentStore`), chosen by `PILOT_DOCUMENTS` (`DocumentStoreFactory`).
///
/// Paths are workspace-relative (`threads/sales/<thread>/…`) in both, so the paths in
/// events and in the store's document index mean the same thing whichever is used.
///
/// The batch path writes in four steps: `stage` each document while the batch is
/// planned, `flush` once, `install` them inside the commit transaction (last, so a
/// failure rolls the commit back), then `release` what installing left once the
/// transaction is over. A plan that does not commit `discard`s its staged documents.
/// What "staged" means is the store's: a temporary file beside the target in the
/// workspace (installed by a rename); an object under `.pilot-staging/` in S3 (installed
/// by a server-side copy).
public protocol DocumentStore: Sendable {
    /// Writes `document` where a reader does not see it yet, or (when the store has no
    /// such place) where it belongs.
    func stage(_ document: Document) throws -> any StagedDocument
    /// Stages a batch's documents, in their order: where two have the same path, the later
    /// one is what a reader finds once they are installed. On failure none of them stays
    /// staged. A store may write them side by side (`S3DocumentStore` does).
    func stage(_ documents: [Document]) throws -> [any StagedDocument]
    /// Makes what was staged so far durable.
    func flush() throws
    /// Puts staged documents in place; on failure none of them is left half-installed.
    func install(_ documents: [any StagedDocument]) throws
    /// After the commit, outside the transaction: frees what installing left behind (in
    /// S3, the staged objects a copy leaves in place). What it cannot free is left to
    /// `sweepLeftovers`.
    func release(_ installed: [any StagedDocument])
    /// Takes back what a plan that will not commit staged. What it cannot is left to
    /// `sweepLeftovers`.
    func discard(_ staged: [any StagedDocument])
    /// Removes what workers killed between staging and committing left behind, and
    /// returns how many: what was written before `Leftovers.cutoff(now:)`, and in the
    /// workspace also, at once, temporary files of processes of this host and pid
    /// namespace that are gone (in S3 no one can tell whether an object's writer lives).
    /// Whatever it removes, a plan that still needed it fails its commit and is planned
    /// again: nothing is lost.
    func sweepLeftovers(now: Date) throws -> Int
    /// The bytes of a document, or nil when there is none; throws when the path is not
    /// one of a thread's documents or the store cannot be read.
    func read(_ path: String) throws -> [UInt8]?
    /// The sales team's templates (`artifacts/sales/current/`); a missing one means the
    /// built-in default.
    func templates() throws -> PilotSnapshot.Templates
    /// Where the documents are, for logs: a folder, or `s3://bucket/prefix`.
    var location: String { get }
}

/// When a staged document counts as a killed worker's whoever wrote it: written over an
/// hour ago. A commit takes seconds; the hour leaves room for clocks that disagree (S3's
/// and ours) and for writers whose liveness no one here can see (another host, another
/// pid namespace).
public enum Leftovers {
    public static let age: Duration = .seconds(3600)

    public static func cutoff(now: Date) -> Date { now.addingTimeInterval(-Double(age.components.seconds)) }
}

/// A document written by `DocumentStore.stage` and not yet installed.
public protocol StagedDocument: Sendable {
    /// Forgets it (the plan that wrote it will not commit).
    func discard()
}

extension DocumentStore {
    /// Nothing to free: installing moved what was staged.
    public func release(_ installed: [any StagedDocument]) {}

    /// One after another.
    public func discard(_ staged: [any StagedDocument]) {
        for document in staged { document.discard() }
    }

    /// One after another.
    public func stage(_ documents: [Document]) throws -> [any StagedDocument] {
        var staged: [any StagedDocument] = []
        staged.reserveCapacity(documents.count)
        do {
            for document in documents { staged.append(try stage(document)) }
        } catch {
            discard(staged)
            throw error
        }
        return staged
    }

    /// Stages and installs one document at once, outside any batch.
    public func write(_ document: Document) throws {
        let staged = try stage(document)
        do {
            try flush()
            try install([staged])
            release([staged])
        } catch {
            staged.discard()
            throw error
        }
    }
}

extension Workspace: DocumentStore {
    public func stage(_ document: Document) throws -> any StagedDocument {
        try stage(document, sync: false)
    }

    public func install(_ documents: [any StagedDocument]) throws {
        // Only this workspace's files are ever handed back to it.
        try install(documents.map { $0 as! StagedFile }, contentsFlushed: true)
    }

    public func sweepLeftovers(now: Date) throws -> Int { try sweepTemporaryFiles(modifiedBefore: Leftovers.cutoff(now: now)) }

    public var location: String { root.path }
}

extension Workspace.StagedFile: StagedDocument {}
