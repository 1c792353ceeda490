import Foundation
import PilotJSON

/// A diagnostic handler: publishes one `pilot.echoed` event per event it receives.
///
/// It exercises the runtime before (and besides) the real stages, and the
/// benchmark's no-op stage uses it. CloudEvents extension attributes on the incoming
/// event steer it, so the event itself still meets its schema: `echodelayms` (sleep
/// before answering), `echofailattempts` (throw on the first n tries), `echoreject`
/// (a permanent rejection with that text).
public struct EchoHandler: EventHandler {
    public init() {}

    public func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        let controls = event.document
        if let delay = controls["echodelayms"]?.integer, delay > 0 {
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
        }
        if let reject = controls["echoreject"]?.string {
            throw HandlerRejection(reason: "rejected", detail: reject)
        }
        if let failures = controls["echofailattempts"]?.integer, context.attempt <= Int(failures) {
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
