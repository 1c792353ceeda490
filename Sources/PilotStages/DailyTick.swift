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
        /// Absent for the daily evaluation; `signature` for the signature chase.
        var timer: String?
    }

    /// The tick for `day` of `timer` (nil: the daily evaluation), due one pilot day after
    /// now, as its `scheduled_for` says. Its id derives from the cause, the timer and the
    /// day, so however often the cause is redelivered there is one tick.
    static func tick(day: Int, timer: String? = nil, after cause: CloudEvent, _ context: StageContext) -> OutgoingEvent {
        var data = JSONObject()
        data["day"] = .int(Int64(day))
        data["scheduled_for"] = .string(EventTime.string(context.now.addingTimeInterval(context.pilotDay)))
        data["timer"] = timer.map(JSONValue.string)
        var event = context.derived(type, from: cause, data: .object(data), discriminator: timer.map { "\($0)-day-\(day)" } ?? "day-\(day)")
        event.afterOneDay = true
        return event
    }

    /// When `tick` was due: its `time` (when it was scheduled) plus one pilot day. What a
    /// tick does is dated from this, not from its `time`, a day old, nor from the clock: a
    /// plan made again (a redelivery while the first commit runs) must write the same bytes,
    /// since an object store takes documents before the commit.
    static func due(_ tick: CloudEvent, _ context: StageContext) throws -> Date {
        try StageSupport.time(of: tick).addingTimeInterval(context.pilotDay)
    }

    static func handle(_ event: TypedEvent<Data>, snapshot: PilotSnapshot, context: StageContext, links: BuyerLinks? = nil) throws -> StageOutcome {
        if let record = snapshot.pilot, PilotStatus.endedEarly.contains(record.status) || PilotStatus.judged.contains(record.status) {
            // A timer already in the broker when the pilot was cancelled, or closed early by
            // an operator's `pilot.results.requested`: nothing left to evaluate.
            context.log.info("daily timer after the pilot ended", ["status": .string(record.status)])
            return StageOutcome()
        }
        var state = try MonitoringStage.activeState(event.envelope, snapshot)
        let day = event.data.day
        let duration = state.resolvedDuration
        guard (1...duration).contains(day) else {
            throw Refusal.never("day_out_of_range", "tick for day \(day) of a \(duration)-day pilot")
        }
        // From the last day on the pilot's length is settled: an extension or a cancellation
        // is refused. DayEvaluator saves the state (with the day's health) in the same outcome.
        if day == duration { state.resultsRequestedDay = day }
        var outcome = try DayEvaluator.evaluate(day: day, event: event.envelope, state: state, snapshot: snapshot, context: context, links: links)
        if day < duration {
            outcome.events.append(tick(day: day + 1, after: event.envelope, context))
        } else {
            outcome.events.append(context.derived("pilot.results.requested", from: event.envelope, data: [
                "period_end": .string(EventTime.string(try due(event.envelope, context))), "days": .int(Int64(duration)),
            ]))
        }
        return outcome
    }
}
