import Foundation
import PilotJSON
import PilotRuntime
import PilotStore

/// The daily timer of an active pilot. Each tick evaluates its day and schedules the
/// next one through the timer queue; the tick after the last day asks for the results.
struct DailyTick {
    /// The tick for `day`, due one pilot day after `cause`. Its id derives from the
    /// cause and the day, so however often the cause is redelivered there is one tick.
    static func tick(day: Int, after cause: CloudEvent, scheduledFor: Date) -> OutgoingEvent {
        var event = StageSupport.derived(Topology.tickType, from: cause, data: [
            "day": .int(Int64(day)), "scheduled_for": .string(Timestamp.rfc3339(scheduledFor)),
        ], discriminator: "day-\(day)")
        event.afterOneDay = true
        return event
    }

    let evaluator: DayEvaluator

    func handle(_ event: CloudEvent, record: PilotRecord, state: PilotState, context: HandlerContext) throws -> HandlerOutcome {
        let day = Int(event.data["day"]?.integer ?? 0)
        let duration = state.durationDays ?? state.request.terms.resolvedDurationDays
        guard (1...duration).contains(day) else {
            throw HandlerRejection(reason: "day_out_of_range", detail: "tick for day \(day) of a \(duration)-day pilot")
        }
        var outcome = try evaluator.evaluate(day: day, event: event, record: record, state: state, context: context)
        let now = try StageSupport.time(of: event)
        if day < duration {
            outcome.events.append(Self.tick(day: day + 1, after: event, scheduledFor: now))
        } else {
            outcome.events.append(StageSupport.derived("pilot.results.requested", from: event, data: [
                "period_end": .string(Timestamp.rfc3339(now)), "days": .int(Int64(duration)),
            ]))
        }
        return outcome
    }
}
