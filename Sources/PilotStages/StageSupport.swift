import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Shared by the stage handlers: state round trips, event times, derived events.
enum StageSupport {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }

    static func state(of pilot: PilotSnapshot.Pilot) throws -> PilotState {
        try JSONValueDecoder().decode(PilotState.self, from: pilot.state)
    }

    /// The record to save: `state` under `status`, saved by the context's stage.
    static func update(_ state: PilotState, _ context: StageContext, status: PilotStatus) throws -> PilotUpdate {
        PilotUpdate(stage: context.stage, status: status.rawValue, state: try encode(state))
    }

    /// The event's own `time`, the "now" of everything computed from it.
    static func time(of event: CloudEvent) throws -> Date {
        guard let date = EventTime.date(event.time) else {
            throw Refusal.never("invalid_time", "event time \(ThreadID.quoted(event.time)) is not RFC 3339")
        }
        return date
    }

    /// An email to send: its `.eml` at `path` and the `email.send` announcing it; `kind`
    /// tells the mailer which email it is. The `Message-ID` is the event's id, derived from
    /// the cause, so a message written again after a crash is the same message to every
    /// mail system that sees it twice.
    static func mail(_ email: MIMEMessage, path: String, kind: String, from cause: CloudEvent, _ context: StageContext) -> (document: Document, event: OutgoingEvent) {
        let event = context.derived("email.send", from: cause, data: [
            "to": .array(email.to.map { .string($0.email) }), "subject": .string(email.subject),
            "eml_path": .string(path), "kind": .string(kind),
        ], discriminator: kind)
        var email = email
        email.messageID = "\(event.event.id)@pilot-worker"
        return (Document(path: path, bytes: email.serialized()), event)
    }

    static func crmUpdate(_ status: String, from cause: CloudEvent, note: String, _ context: StageContext) -> OutgoingEvent {
        context.derived("crm.update", from: cause, data: ["status": .string(status), "note": .string(note)], discriminator: status)
    }

    /// The pilot can never take this event.
    static func wrongState(_ detail: String) -> Refusal {
        .never("wrong_state", detail)
    }

    /// The state may still come (an earlier event is in another queue, or redelivered).
    static func notYet(_ detail: String) -> Refusal {
        .notYet("wrong_state", detail)
    }

    /// `threads/sales/<thread>/<name>`; the thread id has been validated with the envelope.
    static func path(_ thread: String, _ name: String) -> String {
        "\(Document.threadsFolder)/\(thread)/\(name)"
    }

    /// The pilot the event needs, or a verdict: an event for a thread with no pilot may
    /// be early (its `pilot.requested` is still in another queue).
    static func pilot(_ snapshot: PilotSnapshot, for event: CloudEvent, needing what: String) throws -> PilotSnapshot.Pilot {
        guard let pilot = snapshot.pilot else {
            throw notYet("no pilot for thread \(event.subject): \(event.type) needs \(what) first")
        }
        return pilot
    }
}
