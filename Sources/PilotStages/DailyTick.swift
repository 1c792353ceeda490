import Contracts
import Foundation
import PilotJSON
import PilotStageAPI

/// The daily timer of an active pilot. Each tick evaluates its day and schedules the
/// next one through the timer queue; the tick after the last day asks for the results.
enum DailyTick {
    /// The event type of the timer, fixed by the external contract.
    static let type = "pilot.monitor.tick"

    struct Data: Decodable, Sendable {
        var day: Int
    }

    /// The tick for `day`, due one pilot day after `cause`. Its id derives from the
    /// cause and the day, so however often the cause is redelivered there is one tick.
    static func tick(day: Int, after cause: CloudEvent, scheduledFor: Date, _ context: StageContext) -> OutgoingEvent {
        var event = context.derived(type, from: cause, data: [
            "day": .int(Int64(day)), "scheduled_for": .string(EventTime.string(scheduledFor)),
        ], discriminator: "day-\(day)")
        event.afterOneDay = true
        return event
    }

    static func handle(_ event: TypedEvent<Data>, state: PilotState, context: StageContext, snapshot: PilotSnapshot) throws -> StageOutcome {
        let day = event.data.day
        let duration = state.resolvedDuration
        guard (1...duration).contains(day) else {
            throw Refusal.never("day_out_of_range", "tick for day \(day) of a \(duration)-day pilot")
        }
        var outcome = try DayEvaluator.evaluate(day: day, event: event.envelope, state: state, snapshot: snapshot, context: context)
        let now = try StageSupport.time(of: event.envelope)
        if day < duration {
            outcome.events.append(tick(day: day + 1, after: event.envelope, scheduledFor: now, context))
        } else {
            outcome.events.append(context.derived("pilot.results.requested", from: event.envelope, data: [
                "period_end": .string(EventTime.string(now)), "days": .int(Int64(duration)),
            ]))
        }
        return outcome
    }
}
