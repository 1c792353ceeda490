import Foundation
import PilotJSON
import PilotRuntime
import PilotStore

/// Everything on the monitoring queue: the signature gate, the daily data the lead's
/// systems report, and the daily timer. Monitoring data before the signature waits for it
/// (retried); data for a pilot that is over is refused.
struct MonitoringStage: EventHandler {
    let gate: SignatureGate
    let tick: DailyTick

    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        guard let record = context.pilot else {
            throw StageSupport.notYet("no pilot for thread \(event.subject): \(event.type) needs a pilot.requested first")
        }
        switch event.type {
        case "pilot.signed": return try gate.signed(event, record, context)
        case "pilot.declined": return try gate.declined(event, record, context)
        default: break
        }
        guard record.status == PilotStatus.active.rawValue else {
            let preparing = [PilotStatus.agreementSent.rawValue, PilotStatus.kickoffScheduled.rawValue].contains(record.status)
            if preparing {
                throw StageSupport.notYet("\(event.type) for \(event.subject) before the pilot is signed (status \(record.status))")
            }
            throw StageSupport.wrongState("\(event.type) for \(event.subject) after the pilot ended (status \(record.status))")
        }
        let state = try StageSupport.state(of: record)
        switch event.type {
        case Topology.tickType: return try tick.handle(event, record: record, state: state, context: context)
        default: return try Ingestion.record(event, state: state)
        }
    }
}

/// Stores what the lead's systems report: a day's metrics (a second report for the
/// day replaces the first), issues with their history, feedback responses.
enum Ingestion {
    static func record(_ event: CloudEvent, state: PilotState) throws -> HandlerOutcome {
        let thread = event.subject
        switch event.type {
        case "pilot.metrics":
            let day = Int(event.data["day"]?.integer ?? 0)
            let duration = state.durationDays ?? state.request.terms.resolvedDurationDays
            guard (1...duration).contains(day) else {
                throw HandlerRejection(reason: "day_out_of_range", detail: "metrics for day \(day) of a \(duration)-day pilot")
            }
            return HandlerOutcome(records: [.metrics(MetricsEntry(threadID: thread, day: day, data: event.data, receivedAt: event.time, eventID: event.id))])
        case "pilot.issue":
            let issueID = event.data["issue_id"]?.string ?? ""
            let status = event.data["status"]?.string ?? "open"
            return HandlerOutcome(records: [.issue(
                IssueEntry(threadID: thread, issueID: issueID, data: event.data, updatedAt: event.time),
                IssueHistoryEntry(threadID: thread, issueID: issueID, eventID: event.id, status: status, at: event.time))])
        case "pilot.feedback":
            return HandlerOutcome(records: [.feedback(FeedbackEntry(
                threadID: thread, eventID: event.id, data: event.data, submittedAt: event.data["submitted_at"]?.string))])
        default:
            throw HandlerRejection(reason: "unknown_type", detail: "the monitoring stage does not take \(event.type)")
        }
    }
}
