import Foundation
import PilotJSON
import PilotStageAPI

/// A diagnostic stage: answers every event it receives with one `pilot.echoed`.
///
/// It exercises the runtime before (and besides) the real stages, and the benchmark's
/// no-op stage uses it. CloudEvents extension attributes on the incoming event steer it,
/// so the event itself still meets its schema: `echodelayms` (sleep before answering),
/// `echofailattempts` (throw on the first n tries), `echoreject` (a permanent refusal
/// with that text).
public enum EchoStage {
    /// A definition of `stage` that echoes each of its routing keys. With a store it
    /// goes through the inbox and the commit like a real stage.
    public static func definition(for stage: Stage) -> StageDefinition {
        StageDefinition(stage.name) { definition in
            for type in stage.routingKeys { definition.on(type, raw: echo) }
        }
    }

    @Sendable static func echo(_ event: CloudEvent, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        // Attributes alone: echoing never needs the data as a Swift tree.
        if let delay = event.attribute("echodelayms")?.integer, delay > 0 {
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
        }
        if let reject = event.attribute("echoreject")?.string {
            throw Refusal.never("rejected", reject)
        }
        if let failures = event.attribute("echofailattempts")?.integer, context.attempt <= Int(failures) {
            throw EchoFailure(attempt: context.attempt)
        }
        let data: JSONValue = [
            "echo_of": .string(event.type), "stage": .string(context.stage), "attempt": .int(Int64(context.attempt)),
        ]
        return StageOutcome(events: [context.derived("pilot.echoed", from: event, data: data)])
    }
}

struct EchoFailure: Error, CustomStringConvertible {
    var attempt: Int
    var description: String { "echo asked to fail on attempt \(attempt)" }
}
