import Foundation
import PilotJSON

/// A diagnostic handler: publishes one `pilot.echoed` event per event it receives.
///
/// It exercises the runtime before (and besides) the real stages, and the
/// benchmark's no-op stage uses it. An optional `data.echo` object steers it:
/// `delay_ms` (sleep before answering), `fail_attempts` (throw on the first n tries),
/// `reject` (a permanent rejection with that text).
public struct EchoHandler: EventHandler {
    public init() {}

    public func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        let controls = event.data["echo"]?.object ?? JSONObject()
        if let delay = controls["delay_ms"]?.integer, delay > 0 {
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
        }
        if let reject = controls["reject"]?.string {
            throw HandlerRejection(reason: "rejected", detail: reject)
        }
        if let failures = controls["fail_attempts"]?.integer, context.attempt <= Int(failures) {
            throw EchoFailure(attempt: context.attempt)
        }
        let data: JSONValue = [
            "echo_of": .string(event.type), "stage": .string(context.stage.name),
            "attempt": .int(Int64(context.attempt)),
        ]
        return HandlerOutcome(events: [
            OutgoingEvent(type: "pilot.echoed", causedBy: event, data: data, time: Timestamp.now())
        ])
    }
}

struct EchoFailure: Error, CustomStringConvertible {
    var attempt: Int
    var description: String { "echo asked to fail on attempt \(attempt)" }
}
