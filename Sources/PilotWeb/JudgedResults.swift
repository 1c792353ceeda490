import Contracts
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// What the results judged the pilot by (its `outcome.json`), for the buyer's page once
/// they are in: the last daily snapshot measured a total against the whole pilot's
/// target and said "not met yet", where an early close judged it on its own days.
struct JudgedResults {
    var outcome: PilotOutcome
    /// The pilot days judged: the pilot's length, or fewer after an early close.
    var days: Int?
    /// The pilot's length.
    var durationDays: Int?

    /// The results of a pilot whose `outcome.json` the store lists and that reads as one;
    /// nil before the results, and for a file that is unreadable (the page then shows the
    /// daily standing, as before the results).
    static func read(
        _ documents: [DocumentEntry], thread: String, store: any DocumentStore, facts: PilotFacts, durationDays: Int?
    ) -> JudgedResults? {
        let path = "\(Workspace.threadsFolder)/\(thread)/outcome.json"
        guard documents.contains(where: { $0.path == path }), let bytes = try? store.read(path),
            let json = try? JSONValue(parsing: bytes), let outcome = try? JSONValueDecoder().decode(PilotOutcome.self, from: json)
        else { return nil }
        return JudgedResults(outcome: outcome, days: facts.resultsDays ?? durationDays, durationDays: durationDays)
    }

    /// Closed before its last day.
    var closedEarly: Bool {
        guard let days, let durationDays else { return false }
        return days < durationDays
    }

    /// The result of the criterion on `metric`.
    func result(for metric: String) -> PilotOutcome.MetricResult? {
        (outcome.technicalMetrics + outcome.businessMetrics).first { $0.metric == metric }
    }

    /// "Results of days 1 to 20 of 30: closed early." or "Results of all 30 days."
    var caption: String {
        guard let days else { return "Results of the pilot." }
        guard let durationDays, days < durationDays else { return "Results of all \(days) days." }
        return "Results of days 1 to \(days) of \(durationDays): closed early."
    }
}
