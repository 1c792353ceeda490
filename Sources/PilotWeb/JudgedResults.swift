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
    /// The pilot days judged (`results_days` in the state): the pilot's length, or fewer
    /// after an early close; nil for results an older build compiled.
    var resultsDays: Int?
    /// The pilot's length, from its state (what the results stage judged against).
    var durationDays: Int?

    /// The results of a pilot whose `outcome.json` the store lists and that reads as one;
    /// nil before the results, and for a file that is unreadable (the page then shows the
    /// daily standing, as before the results).
    static func read(_ documents: [DocumentEntry], thread: String, store: any DocumentStore, facts: PilotFacts) -> JudgedResults? {
        let path = "\(Workspace.threadsFolder)/\(thread)/\(PilotOutcome.fileName)"
        guard documents.contains(where: { $0.path == path }), let bytes = try? store.read(path),
            let json = try? JSONValue(parsing: bytes), let outcome = try? JSONValueDecoder().decode(PilotOutcome.self, from: json)
        else { return nil }
        return JudgedResults(outcome: outcome, resultsDays: facts.resultsDays, durationDays: facts.durationDays)
    }

    /// The result of the `occurrence`-th criterion (from 0) on `metric`: the results list
    /// them in the criteria's order, and two criteria may measure one metric.
    func result(for metric: String, occurrence: Int) -> PilotOutcome.MetricResult? {
        let results = (outcome.technicalMetrics + outcome.businessMetrics).filter { $0.metric == metric }
        return occurrence < results.count ? results[occurrence] : nil
    }

    /// Closed before its last day (known only for results that say their days).
    var closedEarly: Bool {
        guard let resultsDays, let durationDays else { return false }
        return resultsDays < durationDays
    }

    /// "Results of days 1 to 20 of 30: closed early.", "Results of all 30 days." or, for
    /// results that do not say their days, "Results of the pilot."
    var caption: String {
        guard let resultsDays else { return "Results of the pilot." }
        guard closedEarly, let durationDays else { return "Results of all \(resultsDays) days." }
        return "Results of days 1 to \(resultsDays) of \(durationDays): closed early."
    }
}
