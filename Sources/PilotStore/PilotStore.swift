/// Where the worker keeps pilots, the inbox of handled events, the outbox of events to
/// publish, and monitoring data. SQLite by default (`SQLitePilotStore`); the protocol leaves
/// room for a server database when workers run on several hosts.
///
/// Synchronous, because consumers run on their own threads. The closures get a reader or
/// a transaction that is valid only inside the call: do not keep it, and do not call
/// `read` or `write` from inside another `read` or `write` on the same thread.
public protocol PilotStore: Sendable {
    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE … COMMIT`): everything it
    /// writes commits together, or not at all if it throws (the error is rethrown).
    /// `body` runs once; waiting for the write lock is retried, `body` never is.
    @discardableResult
    func write<T>(_ body: (any PilotStoreTransaction) throws -> T) throws -> T

    /// Runs `body` on a consistent snapshot, without taking the write lock.
    func read<T>(_ body: (any PilotStoreReader) throws -> T) throws -> T

    /// Relays pending outbox rows: hands up to `limit` of them created at or before
    /// `cutoff` (RFC 3339), in outbox order, to `publish` (which returns once the broker
    /// confirmed them, with the event ids of those that reached no queue), then marks the
    /// others sent at `sentAt()`. Returns how many were marked.
    ///
    /// PostgreSQL claims the rows (`FOR UPDATE SKIP LOCKED`) for the whole call, so relays
    /// on several hosts take different rows. SQLite reads, publishes outside any lock (never
    /// holding the one write lock of the host while waiting for the broker), then marks: two
    /// relays may publish a row twice, which the receivers' inboxes absorb.
    func relayOutbox(
        limit: Int, createdAtOrBefore cutoff: String, sentAt: () -> String, _ publish: ([OutboxMessage]) throws -> Set<String>
    ) throws -> Int
}

extension PilotStore {
    public func relayOutbox(
        limit: Int, createdAtOrBefore cutoff: String, sentAt: () -> String, _ publish: ([OutboxMessage]) throws -> Set<String>
    ) throws -> Int {
        let rows = try read { try $0.pendingOutbox(limit: limit) }.filter { ($0.createdAt ?? "") <= cutoff }
        guard !rows.isEmpty else { return 0 }
        let unrouted = try publish(rows)
        let sent = rows.map(\.eventID).filter { !unrouted.contains($0) }
        guard !sent.isEmpty else { return 0 }
        return try write { try $0.markSent(eventIDs: sent, at: sentAt()) }
    }
}

/// Queries, available in reads and in write transactions.
public protocol PilotStoreReader {
    /// The pilot, or nil when there is none.
    func pilot(_ threadID: String) throws -> PilotRecord?
    /// Pilots, most recently updated first, optionally only those with `status`.
    func pilots(status: String?, limit: Int) throws -> [PilotRecord]
    /// Pilots with `status` that have not changed for the longest, least recently updated first.
    func pilotsWaitingLongest(status: String, limit: Int) throws -> [PilotRecord]
    /// Whether the event is in the inbox.
    func isHandled(eventID: String) throws -> Bool
    /// The pilot's handled events, oldest first (the trace).
    func handledEvents(threadID: String) throws -> [InboxEntry]
    /// Messages not yet marked sent, in enqueue order.
    func pendingOutbox(limit: Int) throws -> [OutboxMessage]
    /// How many messages are not yet marked sent (the outbox backlog).
    func pendingOutboxCount() throws -> Int
    /// How many pilots each (stage, status) pair has, for gauges.
    func pilotCounts() throws -> [PilotCount]
    /// The pilot's files, by path.
    func documents(threadID: String) throws -> [DocumentEntry]
    /// The pilot's daily metrics, by day.
    func metrics(threadID: String) throws -> [MetricsEntry]
    /// The pilot's issues, by id.
    func issues(threadID: String) throws -> [IssueEntry]
    /// The pilot's issue status changes, oldest first.
    func issueHistory(threadID: String) throws -> [IssueHistoryEntry]
    /// The pilot's feedback, oldest first.
    func feedback(threadID: String) throws -> [FeedbackEntry]
    /// A page of pilots, at-risk first: lowest `health.score` in the state first, pilots
    /// without a score after them, then most recently updated first. For the dashboard.
    func pilotsAtRiskFirst(offset: Int, limit: Int) throws -> [PilotRecord]
    /// Finished pilots (`completed`, `lost`, `declined`) by status and reason, for the
    /// success rate and the loss reasons.
    func outcomeCounts() throws -> [OutcomeCount]
}

/// Changes, inside `PilotStore.write`.
public protocol PilotStoreTransaction: PilotStoreReader {
    /// Inserts the pilot when `record.version` is 0, otherwise updates it if the stored
    /// version is still `record.version`. Returns the record as stored, with its new version.
    /// Throws `PilotStoreError.versionConflict` when someone else saved it first.
    @discardableResult
    func savePilot(_ record: PilotRecord) throws -> PilotRecord

    /// Saves a pilot whose stage, status and state have not changed: only moves its
    /// version on from `version`, so any other plan of it conflicts as with `savePilot`.
    /// Nothing indexed changes (`updated_at` is when the record last changed), so the
    /// database rewrites no index and recomputes nothing from the state. Returns the new
    /// version. Throws `PilotStoreError.versionConflict` when someone else saved it first,
    /// or when there is no such pilot.
    @discardableResult
    func touchPilot(threadID: String, version: Int64) throws -> Int64

    /// Adds the event to the inbox. Throws `PilotStoreError.duplicateEvent` when it is
    /// already there, which rolls back the whole transaction unless caught: a redelivered
    /// event then cannot apply its effects twice even if the caller forgot to check
    /// `isHandled` first. Call it first in the transaction, so a duplicate fails fast.
    func recordHandled(_ entry: InboxEntry) throws

    /// Adds messages to the outbox, in order. A message whose event id is already there
    /// is skipped: derived event ids are a pure function of their cause, so it is the same
    /// event. Returns how many were added.
    @discardableResult
    func enqueue(_ messages: [OutboxMessage]) throws -> Int

    /// Marks messages as published at `at` (RFC 3339). Returns how many were still pending.
    @discardableResult
    func markSent(eventIDs: [String], at: String) throws -> Int

    /// Deletes up to `limit` outbox messages sent before `before` (RFC 3339, compared as
    /// text). Returns how many. Unsent messages are never deleted.
    @discardableResult
    func purgeSent(before: String, limit: Int) throws -> Int

    /// Deletes up to `limit` inbox entries handled before `before` (RFC 3339, compared as
    /// text). Returns how many. An event redelivered after its entry is gone would be
    /// handled again: keep entries longer than any redelivery can come.
    @discardableResult
    func purgeInbox(before: String, limit: Int) throws -> Int

    /// Records (or replaces) a file the pilot has.
    func recordDocument(_ entry: DocumentEntry) throws

    /// Stores a day's metrics, replacing an earlier report for the same day.
    func upsertMetrics(_ entry: MetricsEntry) throws

    /// Stores the issue's latest state and appends `history` (once per event id).
    func upsertIssue(_ issue: IssueEntry, history: IssueHistoryEntry) throws

    /// Adds a feedback response; returns false when its event id was already recorded.
    @discardableResult
    func addFeedback(_ entry: FeedbackEntry) throws -> Bool
}

extension PilotStoreTransaction {
    /// Deletes every outbox message sent before `before`; see `purgeSent(before:limit:)`.
    @discardableResult
    public func purgeSent(before: String) throws -> Int {
        try purgeSent(before: before, limit: Int(Int32.max))
    }
}

extension PilotStoreReader {
    /// Pilots of any status, most recently updated first.
    public func pilots(limit: Int) throws -> [PilotRecord] {
        try pilots(status: nil, limit: limit)
    }
}

/// One row of `PilotStoreReader.pilotCounts()`.
public struct PilotCount: Sendable, Hashable {
    public var stage: String
    public var status: String
    public var count: Int

    public init(stage: String, status: String, count: Int) {
        self.stage = stage
        self.status = status
        self.count = count
    }
}

/// One row of `PilotStoreReader.outcomeCounts()`.
public struct OutcomeCount: Sendable, Hashable {
    /// `completed`, `lost` or `declined`.
    public var status: String
    /// The state's `loss_reason`, else its `declined_reason`; nil when it has neither.
    public var reason: String?
    public var count: Int

    public init(status: String, reason: String?, count: Int) {
        self.status = status
        self.reason = reason
        self.count = count
    }
}
