import Foundation
import Logging
import PilotJSON
import PilotStageAPI
import PilotStages

/// The stages in process, without a broker or a store: whole 30-day pilots walked from
/// the request to the last daily tick, each event handed the snapshot the runtime would
/// load for it (documents and metrics rows carried over, as the store and its cache keep
/// them). Reports the time of the 30 daily ticks, the events a worker handles most and
/// the dearest, beside the rest of the walk in the same run. Compare two builds by running
/// each in turn.
struct TickBenchmark {
    var pilots: Int

    func run() throws {
        let examples = try Examples()
        var ticks = Duration.zero
        var rest = Duration.zero
        var sink = 0
        for index in 0..<pilots {
            var walk = Walk(thread: "bench-\(index)")
            let started = ContinuousClock.now
            let agreement = try walk.handle(.agreement, examples.event("pilot.requested", thread: walk.thread))
            let generated = try agreement.events.first { $0.event.type == "pilot.agreement.generated" }.map(\.event)
                .orThrow("the agreement stage announced no agreement")
            try walk.handle(.kickoff, generated)
            try walk.handle(.monitoring, examples.event("pilot.signed", thread: walk.thread))
            for day in 1...30 {
                try walk.handle(.monitoring, examples.event("pilot.metrics", thread: walk.thread) { $0["day"] = .int(Int64(day)) })
                let tickStarted = ContinuousClock.now
                let outcome = try walk.handle(.monitoring, Examples.tick(day: day, thread: walk.thread))
                ticks += ContinuousClock.now - tickStarted
                sink &+= outcome.documents.count
            }
            rest += ContinuousClock.now - started
        }
        rest -= ticks
        func micros(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12) / Double(pilots)
        }
        say(String(format: "%d pilots: 30 daily ticks %.0f µs per pilot (%.0f µs a tick); the rest of the walk (request to last metrics) %.0f µs per pilot; ratio ticks/rest %.2f (checksum %d)",
                   pilots, micros(ticks), micros(ticks) / 30, micros(rest), micros(ticks) / micros(rest), sink % 7))
    }

    /// One pilot's snapshot and documents between its events.
    struct Walk {
        var thread: String
        var snapshot = PilotSnapshot()
        var documents: [String: [UInt8]] = [:]
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let log: EventLog = {
            var logger = Logger(label: "bench")
            logger.logLevel = .warning
            return EventLog(logger: logger)
        }()

        @discardableResult
        mutating func handle(_ stage: PilotStage, _ event: CloudEvent) throws -> StageOutcome {
            let route = try PilotStages.definition(of: stage).routes[event.type].orThrow("\(stage) takes no \(event.type)")
            var seen = snapshot
            for name in route.needs.documents {
                seen.documents[name] = documents["\(Document.threadsFolder)/\(thread)/\(name)"]
            }
            let outcome = try route.handle(event, seen, StageContext(stage: stage.rawValue, log: log, now: now))
            snapshot.apply(outcome, thread: thread)
            for document in outcome.documents { documents[document.path] = document.bytes }
            return outcome
        }
    }

    /// The events of `examples/`, for any thread.
    struct Examples {
        var documents: [String: JSONObject] = [:]

        init() throws {
            for type in ["pilot.requested", "pilot.signed", "pilot.metrics"] {
                let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../examples/\(type).json").standardized.path
                let data = try FileManager.default.contents(atPath: path).orThrow("cannot read \(path)")
                documents[type] = try JSONValue(parsing: Array(data)).object.orThrow("\(path) is not an object")
            }
        }

        func event(_ type: String, thread: String, edit: (inout JSONObject) -> Void = { _ in }) throws -> CloudEvent {
            var document = documents[type]!
            var data = document["data"]?.object ?? JSONObject()
            edit(&data)
            document["data"] = .object(data)
            document["subject"] = .string(thread)
            document["time"] = "2026-11-25T09:00:00Z"
            document["id"] = .string("\(type)-\(thread)-\(data["day"]?.integer ?? 0)")
            return try CloudEvent(document: .object(document))
        }

        static func tick(day: Int, thread: String) -> CloudEvent {
            CloudEvent(
                id: "tick-\(thread)-\(day)", source: "bench", type: "pilot.monitor.tick", subject: thread,
                time: "2026-11-25T09:00:00Z", causationID: nil,
                data: ["day": .int(Int64(day)), "scheduled_for": "2026-11-25T09:00:00Z"])
        }
    }
}

extension Optional {
    fileprivate func orThrow(_ reason: String) throws -> Wrapped {
        guard let self else { throw TickBenchmarkError(description: reason) }
        return self
    }
}

struct TickBenchmarkError: Error, CustomStringConvertible {
    var description: String
}
