import Foundation
import PilotAMQP
import PilotJSON
import PilotStore

/// Where a store-backed batch applies its effects: one store transaction and the
/// workspace. Made by the consumer for each batch; the processor uses it per event.
public struct EffectScope {
    let transaction: any PilotStoreTransaction
    let workspace: Workspace
    /// `host:pid`, recorded with each handled event for `pilotctl pilot trace`.
    let worker: String
    let stage: Stage
    /// The batch's documents, written but not yet in place: `installDocuments()` puts them
    /// in place with one flush for the batch just before the commit.
    private let staged = StagedDocuments()

    final class StagedDocuments {
        var files: [Workspace.StagedFile] = []
    }

    public init(transaction: any PilotStoreTransaction, workspace: Workspace, worker: String, stage: Stage) {
        self.transaction = transaction
        self.workspace = workspace
        self.worker = worker
        self.stage = stage
    }

    var reader: any PilotStoreReader { transaction }

    func isHandled(_ eventID: String) throws(EffectFailure) -> Bool {
        try EffectFailure.wrap("look up the inbox") { try transaction.isHandled(eventID: eventID) }
    }

    func pilot(_ threadID: String) throws(EffectFailure) -> PilotRecord? {
        try EffectFailure.wrap("load the pilot") { try transaction.pilot(threadID) }
    }

    /// Writes the documents beside their targets; they take their place in `installDocuments()`.
    func write(_ documents: [Document]) throws {
        for document in documents { staged.files.append(try workspace.stage(document, sync: false)) }
    }

    /// Puts every document of the batch in place, durably; call last in the transaction.
    public func installDocuments() throws {
        let files = staged.files
        staged.files = []
        try workspace.install(files)
    }

    /// Removes the batch's temporary files when the transaction fails.
    public func discardDocuments() {
        for file in staged.files { file.discard() }
        staged.files = []
    }

    /// Saves everything the event changed, in the batch's transaction: state, monitoring
    /// rows, document index, inbox row and the outbox rows of its events.
    func commit(event: CloudEvent, outcome: HandlerOutcome, publications: [Publication], elapsed: Duration) throws(EffectFailure) {
        let now = Timestamp.now()
        try EffectFailure.wrap("commit the effects") {
            try transaction.recordHandled(InboxEntry(
                eventID: event.id, threadID: event.subject, type: event.type, causationID: event.causationID,
                stage: stage.name, worker: worker, handledAt: now,
                durationMilliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000,
                outcome: "ok"))
            if var pilot = outcome.pilot {
                pilot.updatedAt = now
                if pilot.createdAt == nil { pilot.createdAt = now }
                try transaction.savePilot(pilot)
            }
            for record in outcome.records {
                switch record {
                case .metrics(let entry): try transaction.upsertMetrics(entry)
                case .issue(let issue, let history): try transaction.upsertIssue(issue, history: history)
                case .feedback(let entry): try transaction.addFeedback(entry)
                }
            }
            for document in outcome.documents {
                try transaction.recordDocument(DocumentEntry(
                    threadID: event.subject, path: document.path, sha256: nil, size: Int64(document.bytes.count),
                    writtenAt: now, eventID: event.id))
            }
            try transaction.enqueue(publications.map { $0.outboxMessage(threadID: event.subject, createdAt: now) })
        }
    }
}

/// The store failed while applying a batch; nothing of the batch is committed.
public struct EffectFailure: Error, CustomStringConvertible {
    public var operation: String
    public var underlying: any Error

    public var description: String { "could not \(operation): \(underlying)" }

    static func wrap<T>(_ operation: String, _ body: () throws -> T) throws(EffectFailure) -> T {
        do {
            return try body()
        } catch {
            throw EffectFailure(operation: operation, underlying: error)
        }
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
    init(outbox message: OutboxMessage) {
        self.init(
            exchange: message.exchange, routingKey: message.routingKey,
            properties: AMQPProperties(
                contentType: "application/cloudevents+json", messageID: message.eventID,
                type: message.headers["type"]?.string, correlationID: message.headers["correlation_id"]?.string,
                appID: "pilot-worker", timestamp: UInt64(Date().timeIntervalSince1970), persistent: true),
            body: message.body)
    }
}
