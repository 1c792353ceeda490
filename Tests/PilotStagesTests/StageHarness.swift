import Contracts
import Foundation
import Logging
import PilotJSON
import PilotStageAPI
import PilotStages
import PilotTestKit
import Testing

/// Runs the stages in process, as the runtime would but without a broker or a store:
/// event + snapshot → outcome. The snapshot and the documents carry over from one event
/// to the next, so a test can walk a pilot through its whole life.
struct StageHarness {
    var thread = "acme-2026-11"
    var snapshot = PilotSnapshot()
    /// Every document written so far, by workspace path.
    var documents: [String: [UInt8]] = [:]
    /// The clock the handlers see.
    var now = Date(timeIntervalSince1970: 1_795_000_000)
    /// The buyer's page in the e-mails, as `PILOT_WEB_PUBLIC_URL` would give it.
    var links: BuyerLinks?

    /// Handles `event` in `stage`, checks every event it wants published against its
    /// schema, and applies the outcome as the commit would.
    @discardableResult
    mutating func handle(_ stage: PilotStage, _ event: CloudEvent) throws -> StageOutcome {
        let route = try #require(PilotStages.definition(of: stage, links: links).routes[event.type], "\(stage) takes no \(event.type)")
        var seen = snapshot
        for name in route.needs.documents {
            seen.documents[name] = documents["\(Document.threadsFolder)/\(thread)/\(name)"]
        }
        let context = StageContext(stage: stage.rawValue, log: EventLog(logger: Logger(label: "stage-test")), now: now)
        let outcome = try route.handle(event, seen, context)
        for outgoing in outcome.events { try TestEvents.contracts.validate(event: outgoing.event.document) }
        snapshot.apply(outcome, thread: thread)
        for document in outcome.documents { documents[document.path] = document.bytes }
        return outcome
    }

    /// An event from upstream for this thread, with the `data` of `examples/<type>.json`
    /// changed by `edit`.
    func event(_ type: String, id: String = UUID().uuidString, edit: (inout JSONObject) -> Void = { _ in }) -> CloudEvent {
        var data = Self.example(type)["data"]?.object ?? JSONObject()
        edit(&data)
        return TestEvents.make(type: type, subject: thread, id: id, data: .object(data))
    }

    /// A daily tick as the timer queue delivers it.
    func tick(day: Int) -> CloudEvent {
        TestEvents.make(type: "pilot.monitor.tick", subject: thread, id: "tick-\(thread)-\(day)", data: [
            "day": .int(Int64(day)), "scheduled_for": "2026-11-25T09:00:00Z",
        ])
    }

    static func example(_ type: String) -> JSONValue {
        let path = packageRoot.appendingPathComponent("examples/\(type).json").path
        return (try? JSONValue(parsing: Array(FileManager.default.contents(atPath: path) ?? Data()))) ?? [:]
    }

    /// Request, agreement and kickoff: a pilot waiting for its signature.
    mutating func prepare() throws {
        let generated = try agreementGenerated()
        try handle(.agreement, TestEvents.request(subject: thread, id: "request-\(thread)"))
        try handle(.kickoff, generated)
    }

    /// The `pilot.agreement.generated` the agreement stage published.
    func agreementGenerated() throws -> CloudEvent {
        var copy = self
        copy.snapshot = PilotSnapshot()
        let outcome = try copy.handle(.agreement, TestEvents.request(subject: thread, id: "request-\(thread)"))
        return try #require(outcome.events.first { $0.event.type == "pilot.agreement.generated" }).event
    }
}

extension StageOutcome {
    var types: [String] { events.map(\.event.type) }
}
