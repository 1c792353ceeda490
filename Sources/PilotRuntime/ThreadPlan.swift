import PilotAMQP
import PilotJSON
import PilotStageAPI
import PilotStore

/// One pilot's share of a batch: its deliveries planned on one snapshot, and what their
/// commit writes.
struct ThreadPlan: Sendable {
    let thread: String
    /// The pilot as read; its version is what the commit checks.
    let base: PilotSnapshot.Pilot?
    /// The pilot after the handlers, saved by the commit.
    var final: PilotSnapshot.Pilot?
    var handled: [HandledEvent] = []
    /// Every delivery of the thread, by its position in the batch.
    var results: [Int: DeliveryProcessor.Result] = [:]
    /// The handled events' documents, written but not yet in place.
    var staged: [any StagedDocument] = []

    init(thread: String, base: PilotSnapshot.Pilot?) {
        self.thread = thread
        self.base = base
        self.final = base
    }

    /// Adds the inbox rows and saves the pilot at its base version. False when another
    /// worker got there first: an event already in the inbox, or a newer version.
    func claim(in transaction: any PilotStoreTransaction, worker: String, stage: String, at now: String) throws -> Bool {
        for event in handled {
            let elapsed = event.elapsed.components
            do {
                try transaction.recordHandled(InboxEntry(
                    eventID: event.incoming.event.id, threadID: thread, type: event.incoming.event.type,
                    causationID: event.incoming.event.causationID, stage: stage, worker: worker, handledAt: now,
                    durationMilliseconds: Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15,
                    outcome: "ok"))
            } catch PilotStoreError.duplicateEvent {
                return false
            }
        }
        // Every handled event saves its pilot, even when its state is unchanged, so any two
        // plans of one pilot conflict here and the later one is planned again. Unchanged
        // (metrics, feedback and issues: almost half of a pilot's events) only its version
        // is written: not the state's text, nor any index (the one on its health parses it).
        guard let final else { return true }
        do {
            if let base, !changesPilot {
                try transaction.touchPilot(threadID: thread, version: base.version)
            } else {
                try transaction.savePilot(PilotRecord(
                    threadID: thread, stage: final.stage, status: final.status, state: final.state,
                    version: base?.version ?? 0, updatedAt: now))
            }
        } catch PilotStoreError.versionConflict {
            return false
        }
        return true
    }

    /// Whether a handled event saves a new stage, status or state (`final` then differs
    /// from `base` only through them).
    var changesPilot: Bool { handled.contains { $0.outcome.pilot != nil } }

    /// The monitoring rows, the document index and the outbox rows of the handled events.
    func write(in transaction: any PilotStoreTransaction, at now: String) throws {
        for event in handled {
            let id = event.incoming.event.id
            for record in event.outcome.records {
                switch record {
                case .metrics(let day, let data, let receivedAt):
                    try transaction.upsertMetrics(MetricsEntry(threadID: thread, day: day, data: data, receivedAt: receivedAt, eventID: id))
                case .issue(let issueID, let status, let data, let at):
                    try transaction.upsertIssue(
                        IssueEntry(threadID: thread, issueID: issueID, data: data, updatedAt: at),
                        history: IssueHistoryEntry(threadID: thread, issueID: issueID, eventID: id, status: status, at: at))
                case .feedback(let data, let submittedAt):
                    try transaction.addFeedback(FeedbackEntry(threadID: thread, eventID: id, data: data, submittedAt: submittedAt))
                }
            }
            for document in event.outcome.documents {
                try transaction.recordDocument(DocumentEntry(
                    threadID: thread, path: document.path, sha256: nil, size: Int64(document.bytes.count), writtenAt: now,
                    eventID: id))
            }
            try transaction.enqueue(event.publications.map { $0.outboxMessage(threadID: thread, createdAt: now) })
        }
    }
}

/// An event its handler handled, with what it wants done.
struct HandledEvent: Sendable {
    var incoming: DeliveryProcessor.Incoming
    var outcome: StageOutcome
    var publications: [Publication]
    var elapsed: Duration
}

/// The snapshots of a batch's pilots and which of its events are in the inbox, read in
/// one store transaction.
struct SnapshotLoad {
    var snapshots: [String: PilotSnapshot] = [:]
    var handled: Set<String> = []

    init(_ reader: any PilotStoreReader, threads: [String: SnapshotNeeds], eventIDs: [String]) throws {
        for (thread, needs) in threads {
            var snapshot = PilotSnapshot()
            if let record = try reader.pilot(thread) {
                snapshot.pilot = PilotSnapshot.Pilot(
                    stage: record.stage, status: record.status, state: record.state, version: record.version)
            }
            if needs.monitoring {
                snapshot.metrics = try reader.metrics(threadID: thread).map { .init(day: $0.day, data: $0.data, memo: $0.memo) }
                snapshot.issues = try reader.issues(threadID: thread).map { .init(id: $0.issueID, data: $0.data) }
                snapshot.feedback = try reader.feedback(threadID: thread).map(\.data)
            }
            snapshots[thread] = snapshot
        }
        for id in eventIDs where try reader.isHandled(eventID: id) { handled.insert(id) }
    }
}

extension Publication {
    /// The outbox row that stands for this publication until its confirm arrives.
    func outboxMessage(threadID: String, createdAt: String) -> OutboxMessage {
        var headers = JSONObject()
        if let type = properties.type { headers["type"] = .string(type) }
        if let correlation = properties.correlationID { headers["correlation_id"] = .string(correlation) }
        return OutboxMessage(
            eventID: properties.messageID ?? "", threadID: threadID, exchange: exchange, routingKey: routingKey,
            headers: headers, body: body, createdAt: createdAt)
    }

    /// Rebuilds the publication of an outbox row, for the relay that publishes rows a
    /// crash left unsent.
    init(outbox message: OutboxMessage, timestamp: UInt64) {
        self.init(
            exchange: message.exchange, routingKey: message.routingKey,
            properties: AMQPProperties(
                contentType: "application/cloudevents+json", messageID: message.eventID,
                type: message.headers["type"]?.string, correlationID: message.headers["correlation_id"]?.string,
                appID: "pilot-worker", timestamp: timestamp, persistent: true),
            body: message.body)
    }
}
