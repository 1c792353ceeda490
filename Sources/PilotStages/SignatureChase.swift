import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Chasing the signature: from the kickoff invite on, a timer on the monitoring queue
/// fires once a pilot day (the same one-day timer queue as the daily evaluation, told
/// apart by `timer: "signature"`). Every `signatureReminderDays` it reminds the decision
/// maker; after `signatureExpiryDays` the offer lapses and the deal is lost. A signature,
/// a decline or a cancellation ends the chase: the next timer finds the pilot no longer
/// waiting and does nothing.
enum SignatureChase {
    static let timer = "signature"

    /// The timer for chase day `day` (pilot days since the invite), due a pilot day from now.
    static func tick(day: Int, after cause: CloudEvent, _ context: StageContext) -> OutgoingEvent {
        DailyTick.tick(day: day, timer: timer, after: cause, context)
    }

    static func handle(_ event: TypedEvent<DailyTick.Data>, _ snapshot: PilotSnapshot, _ context: StageContext, policy: LifecyclePolicy) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        guard SignatureGate.awaitingSignature.contains(record.status) else {
            context.log.info("signature chase over", ["status": .string(record.status)])
            return StageOutcome()
        }
        var state = try StageSupport.state(of: record)
        let day = event.data.day
        let cause = event.envelope
        // When the tick was due, not its `time` (a pilot day before).
        let now = try DailyTick.due(cause, context)
        if day >= policy.signatureExpiryDays {
            return try expire(day: day, state: &state, cause: cause, context)
        }
        var outcome = StageOutcome(events: [tick(day: day + 1, after: cause, context)])
        guard day % policy.signatureReminderDays == 0 else { return outcome }
        let number = day / policy.signatureReminderDays
        let reminder = SignatureReminder(
            thread: cause.subject, request: state.request, number: number, day: day,
            expiryDay: policy.signatureExpiryDays, now: now)
        let mail = StageSupport.mail(
            reminder.email, path: StageSupport.path(cause.subject, "signature-reminder-\(number).eml"),
            kind: "signature_reminder", from: cause, context)
        state.signatureReminders = number
        outcome.documents = [Document(path: StageSupport.path(cause.subject, SignatureReminder.fileName(number)), text: reminder.text), mail.document]
        outcome.events += [
            mail.event,
            StageSupport.crmUpdate("signature_reminder_sent", from: cause,
                note: "Signature reminder \(number) sent \(day) pilot days after the kickoff invite", context),
        ]
        outcome.pilot = try StageSupport.update(state, context, status: PilotStatus(rawValue: record.status) ?? .kickoffScheduled)
        return outcome
    }

    private static func expire(day: Int, state: inout PilotState, cause: CloudEvent, _ context: StageContext) throws -> StageOutcome {
        let sentence = "No signature \(day) pilot days after the kickoff invite"
        let due = try DailyTick.due(cause, context)
        state.expiredAt = due
        try state.record("expired", by: nil, what: "The offer lapsed: \(sentence.lowercased()).", event: cause, at: due)
        context.log.info("pilot expired without a signature", ["day": .stringConvertible(day)])
        return StageOutcome(
            events: [
                context.derived("actions.skip_remaining", from: cause, data: ["reason": "no_signature", "action": "sales:pilot"]),
                context.derived("deal.lost", from: cause, data: ["reason": "no_signature", "failure_reasons": [.string(sentence)]]),
                StageSupport.crmUpdate("deal_lost", from: cause, note: sentence, context),
            ],
            pilot: try StageSupport.update(state, context, status: .expired))
    }
}
