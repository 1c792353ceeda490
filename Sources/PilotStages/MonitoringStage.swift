import PilotDomain
import PilotJSON
import PilotStageAPI

/// Everything on the monitoring queue: the signature gate, the daily data the lead's
/// systems report, and the daily timer. Monitoring data before the signature waits for it
/// (retried); data for a pilot that is over is refused.
enum MonitoringStage {
    static func definition(_ policy: LifecyclePolicy, _ links: BuyerLinks? = nil) -> StageDefinition {
        StageDefinition(PilotStage.monitoring.rawValue) { stage in
        stage.on("pilot.signed", as: PilotSigned.self, needs: SnapshotNeeds(templates: true), SignatureGate.signed)
        stage.on("pilot.declined", as: PilotDeclined.self, SignatureGate.declined)
        stage.on("pilot.metrics", as: PilotMetrics.self) { event, snapshot, context in
            try Ingestion.metrics(event, duration: PilotState.length(of: activeRecord(event.envelope, snapshot).state))
        }
        stage.on("pilot.issue", as: PilotIssue.self) { event, snapshot, context in
            _ = try activeRecord(event.envelope, snapshot)
            return Ingestion.issue(event)
        }
        stage.on("pilot.feedback", as: PilotFeedback.self) { event, snapshot, context in
            _ = try activeRecord(event.envelope, snapshot)
            return Ingestion.feedback(event)
        }
        stage.on(DailyTick.type, as: DailyTick.Data.self, needs: SnapshotNeeds(monitoring: true)) { event, snapshot, context in
            switch event.data.timer {
            case nil: try DailyTick.handle(event, snapshot: snapshot, context: context, links: links)
            case SignatureChase.timer: try SignatureChase.handle(event, snapshot, context, policy: policy)
            case let other?: throw Refusal.never("unknown_timer", "pilot.monitor.tick with timer \(ThreadID.quoted(other))")
            }
        }
        stage.on("pilot.extended", as: PilotExtended.self, PilotChanges.extended)
        stage.on("pilot.cancelled", as: PilotCancelled.self, PilotChanges.cancelled)
        }
    }

    /// The state of an active pilot, or the verdict for an event that comes before the
    /// signature (wait) or after the end (refuse).
    static func activeState(_ event: CloudEvent, _ snapshot: PilotSnapshot) throws -> PilotState {
        try StageSupport.state(of: activeRecord(event, snapshot))
    }

    /// The record of an active pilot, or the verdict for an event that comes before the
    /// signature (not yet) or after the end (never).
    static func activeRecord(_ event: CloudEvent, _ snapshot: PilotSnapshot) throws -> PilotSnapshot.Pilot {
        let record = try StageSupport.pilot(snapshot, for: event, needing: "pilot.requested")
        guard record.status == PilotStatus.active.rawValue else {
            if [PilotStatus.agreementSent.rawValue, PilotStatus.kickoffScheduled.rawValue].contains(record.status) {
                throw StageSupport.notYet("\(event.type) for \(event.subject) before the pilot is signed (status \(record.status))")
            }
            throw StageSupport.wrongState("\(event.type) for \(event.subject) after the pilot ended (status \(record.status))")
        }
        return record
    }
}

/// Stores what the lead's systems report: a day's metrics (a second report for the
/// day replaces the first), issues with their history, feedback responses.
enum Ingestion {
    static func metrics(_ event: TypedEvent<PilotMetrics>, duration: Int) throws -> StageOutcome {
        let day = event.data.day
        guard (1...duration).contains(day) else {
            throw Refusal.never("day_out_of_range", "metrics for day \(day) of a \(duration)-day pilot")
        }
        return StageOutcome(records: [.metrics(day: day, data: event.envelope.data, receivedAt: event.envelope.time)])
    }

    static func issue(_ event: TypedEvent<PilotIssue>) -> StageOutcome {
        StageOutcome(records: [.issue(
            id: event.data.issueID, status: event.data.status.rawValue, data: event.envelope.data, at: event.envelope.time)])
    }

    static func feedback(_ event: TypedEvent<PilotFeedback>) -> StageOutcome {
        StageOutcome(records: [.feedback(data: event.envelope.data, submittedAt: event.envelope.data["submitted_at"]?.string)])
    }
}
