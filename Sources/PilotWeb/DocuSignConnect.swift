import Contracts
import Foundation
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// What a DocuSign Connect notification means for a pilot: an event to publish,
/// or nothing (an event kind we do not act on).
public enum DocuSignOutcome: Sendable {
    case publish(CloudEvent)
    case ignore(event: String)
}

/// A genuine notification that cannot become an event (no `thread_id` field, no
/// signer…): retrying will not fix it, so it gets a 4xx and is logged.
public struct DocuSignMappingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Maps DocuSign Connect JSON notifications (the "JSON SIM" format of Connect
/// v2.1) to pilot events. Pure: no I/O, no clock but the one passed in.
///
/// - `envelope-completed` → `pilot.signed`, `method: docusign`, the first signer
///   (lowest routing order) as `signed_by`, `signed_at` = `completedDateTime`.
/// - `envelope-declined` → `pilot.declined` with the declining signer's `declinedReason`;
///   `envelope-voided` → `pilot.declined` with the envelope's `voidedReason`.
/// - The thread id is the envelope's text custom field `thread_id`; the start date the
///   field `start_date` (`YYYY-MM-DD`), else the UTC date of `completedDateTime`.
/// - The event id is derived from the envelope id and the Connect event name, and the
///   event's `time` is the instant of the signature or decline, so a notification
///   DocuSign sends again produces the same event, byte for byte.
public enum DocuSignConnect {
    public static let source = "/docusign"
    public static let threadField = "thread_id"
    public static let startDateField = "start_date"

    public static func outcome(of notification: JSONValue, receivedAt: Date) throws(DocuSignMappingError) -> DocuSignOutcome {
        guard let event = notification["event"]?.string, !event.isEmpty else {
            throw DocuSignMappingError("missing \"event\": not a DocuSign Connect JSON notification")
        }
        guard ["envelope-completed", "envelope-declined", "envelope-voided"].contains(event) else {
            return .ignore(event: event)
        }
        guard let data = notification["data"], let envelopeID = data["envelopeId"]?.string, !envelopeID.isEmpty else {
            throw DocuSignMappingError("missing \"data.envelopeId\"")
        }
        guard let summary = data["envelopeSummary"], summary.object != nil else {
            throw DocuSignMappingError("missing \"data.envelopeSummary\" (include it in the Connect configuration)")
        }
        let fields = textCustomFields(summary)
        guard let thread = fields[threadField] else {
            throw DocuSignMappingError("envelope \(ThreadID.quoted(envelopeID)) has no text custom field \"\(threadField)\"")
        }
        guard ThreadID.isValid(thread) else {
            throw DocuSignMappingError("custom field \"\(threadField)\" \(ThreadID.quoted(thread)) is not a valid thread id")
        }
        let signers = sortedSigners(summary)

        switch event {
        case "envelope-completed":
            guard let completed = summary["completedDateTime"]?.string.flatMap(instant) else {
                throw DocuSignMappingError("envelope-completed without a \"completedDateTime\"")
            }
            guard let signer = signers.first, let name = signer["name"]?.string, let email = signer["email"]?.string else {
                throw DocuSignMappingError("envelope-completed without a signer's name and email")
            }
            let startDate = fields[startDateField] ?? utcDate(completed) ?? String(completed.prefix(10))
            let data: JSONValue = [
                "signed_at": .string(completed),
                "signed_by": ["name": .string(name), "email": .string(email)],
                "method": "docusign",
                "start_date": .string(startDate),
            ]
            return .publish(make("pilot.signed", envelopeID, event, thread, completed, data))
        default:
            let voided = event == "envelope-voided"
            let decliner = signers.first { $0["status"]?.string == "declined" }
            let given =
                voided ? summary["voidedReason"]?.string : (decliner?["declinedReason"]?.string ?? summary["declinedReason"]?.string)
            // The schema's 2000 counts code points; a cut by characters could still be longer.
            let reason = given.map(trimmed).flatMap { $0.isEmpty ? nil : String(String.UnicodeScalarView($0.unicodeScalars.prefix(2000))) }
                ?? (voided ? "voided in DocuSign (no reason given)" : "declined in DocuSign (no reason given)")
            let candidates: [String?] =
                voided
                ? [summary["voidedDateTime"]?.string]
                : [decliner?["declinedDateTime"]?.string, summary["declinedDateTime"]?.string]
            let at = (candidates + [summary["statusChangedDateTime"]?.string, notification["generatedDateTime"]?.string])
                .lazy.compactMap { $0.flatMap(instant) }.first ?? EventTime.string(receivedAt)
            let data: JSONValue = ["declined_at": .string(at), "reason": .string(reason)]
            return .publish(make("pilot.declined", envelopeID, event, thread, at, data))
        }
    }

    private static func make(
        _ type: String, _ envelopeID: String, _ event: String, _ thread: String, _ time: String, _ data: JSONValue
    ) -> CloudEvent {
        CloudEvent(
            id: DerivedID.make(cause: envelopeID, type: type, discriminator: event), source: source, type: type,
            subject: thread, time: time, causationID: nil, data: data)
    }

    /// `customFields.textCustomFields[]` as name → value (first of a name wins).
    static func textCustomFields(_ summary: JSONValue) -> [String: String] {
        var fields: [String: String] = [:]
        for field in summary["customFields"]?["textCustomFields"]?.array ?? [] {
            guard let name = field["name"]?.string, let raw = field["value"]?.string, fields[name] == nil else { continue }
            let value = trimmed(raw)
            if !value.isEmpty { fields[name] = value }
        }
        return fields
    }

    /// Signers by routing order (DocuSign sends it as a string), then as listed.
    static func sortedSigners(_ summary: JSONValue) -> [JSONValue] {
        let signers = summary["recipients"]?["signers"]?.array ?? []
        return signers.enumerated().sorted { a, b in
            let ra = order(a.element), rb = order(b.element)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    private static func order(_ signer: JSONValue) -> Int {
        signer["routingOrder"]?.string.flatMap { Int($0) } ?? signer["routingOrder"]?.integer.map { Int($0) } ?? Int.max
    }

    /// A DocuSign timestamp as RFC 3339: DocuSign writes UTC, at times without the `Z`.
    static func instant(_ text: String) -> String? {
        let text = trimmed(text)
        let pattern = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        return match.output.2 == nil ? text + "Z" : text
    }

    /// The UTC calendar date of an RFC 3339 instant (as `instant` returns it).
    static func utcDate(_ instant: String) -> String? {
        let digits = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:Z|([+-])([0-9]{2}):([0-9]{2}))$/
        guard let m = instant.wholeMatch(of: digits) else { return nil }
        var offset = 0
        if let sign = m.output.7, let hours = m.output.8.flatMap({ Int($0) }), let minutes = m.output.9.flatMap({ Int($0) }) {
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let zone = TimeZone(secondsFromGMT: offset), let utc = TimeZone(secondsFromGMT: 0) else { return nil }
        calendar.timeZone = zone
        let components = DateComponents(
            year: Int(m.output.1), month: Int(m.output.2), day: Int(m.output.3),
            hour: Int(m.output.4), minute: Int(m.output.5), second: Int(m.output.6))
        guard let date = calendar.date(from: components) else { return nil }
        calendar.timeZone = utc
        let day = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = day.year, let month = day.month, let dayOfMonth = day.day else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, dayOfMonth)
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
