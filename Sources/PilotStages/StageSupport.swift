import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// Shared by the stage handlers: typed decoding, state round trips, derived events.
enum StageSupport {
    /// Decodes an event's `data`; the schema has been checked, so a failure is a bug
    /// in the worker's types, reported as a retryable error naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from event: CloudEvent) throws -> T {
        try JSONValueDecoder().decode(T.self, from: event.data)
    }

    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }

    static func state(of record: PilotRecord) throws -> PilotState {
        try JSONValueDecoder().decode(PilotState.self, from: record.state)
    }

    static func record(_ state: PilotState, from previous: PilotRecord?, thread: String, stage: Stage, status: PilotStatus) throws -> PilotRecord {
        var record = previous ?? PilotRecord(threadID: thread, stage: stage.name, status: status.rawValue, state: .null)
        record.stage = stage.name
        record.status = status.rawValue
        record.state = try encode(state)
        return record
    }

    /// The event's own `time`, the "now" of everything computed from it.
    static func time(of event: CloudEvent) throws -> Date {
        guard let date = EventTime.date(event.time) else {
            throw HandlerRejection(reason: "invalid_time", detail: "event time \(ThreadID.quoted(event.time)) is not RFC 3339")
        }
        return date
    }

    /// An event derived from `cause`; `discriminator` tells apart two of one type.
    static func derived(_ type: String, from cause: CloudEvent, data: JSONValue, discriminator: String = "") -> OutgoingEvent {
        OutgoingEvent(type: type, causedBy: cause, data: data, discriminator: discriminator, time: Timestamp.now())
    }

    /// `email.send` for a message written to `path`; `kind` tells the mailer which email it is.
    static func emailSend(_ email: MIMEMessage, path: String, kind: String, from cause: CloudEvent) -> OutgoingEvent {
        derived("email.send", from: cause, data: [
            "to": .array(email.to.map { .string($0.email) }), "subject": .string(email.subject),
            "eml_path": .string(path), "kind": .string(kind),
        ], discriminator: kind)
    }

    static func crmUpdate(_ status: String, from cause: CloudEvent, note: String) -> OutgoingEvent {
        derived("crm.update", from: cause, data: ["status": .string(status), "note": .string(note)], discriminator: status)
    }

    static func wrongState(_ detail: String) -> HandlerRejection {
        HandlerRejection(reason: "wrong_state", detail: detail)
    }

    /// The state may still come (an earlier event is in another queue, or redelivered).
    static func notYet(_ detail: String) -> HandlerDeferral {
        HandlerDeferral(reason: "wrong_state", detail: detail)
    }

    static func path(_ thread: String, _ name: String) -> String {
        "\(Workspace.threadsFolder)/\(thread)/\(name)"
    }
}
