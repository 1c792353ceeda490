/// The three phases of a pilot: setup and integration (the first quarter of
/// the days), active usage, results and analysis (the last quarter).
public enum PilotPhase: String, CaseIterable, Hashable, Sendable {
    case setup = "setup_and_integration"
    case activeUsage = "active_usage"
    case results = "results_and_analysis"

    /// The phase of `day` (1-based) in a pilot of `durationDays` days. A day is in
    /// setup while `day ≤ duration / 4` and in results once `day > duration × 3 / 4`:
    /// days 1–7, 8–22 and 23–30 for 30 days; 1–3, 4–10 and 11–14 for 14.
    public static func of(day: Int, durationDays: Int) -> PilotPhase {
        if day * 4 <= durationDays { return .setup }
        if day * 4 > durationDays * 3 { return .results }
        return .activeUsage
    }

    /// The first and last day of this phase in a pilot of `durationDays` days.
    public func days(durationDays: Int) -> ClosedRange<Int> {
        let setupEnd = max(1, durationDays / 4)
        let resultsStart = durationDays * 3 / 4 + 1
        switch self {
        case .setup: return 1...setupEnd
        case .activeUsage: return (setupEnd + 1)...max(setupEnd + 1, resultsStart - 1)
        case .results: return resultsStart...max(resultsStart, durationDays)
        }
    }

    /// "Setup and integration".
    public var title: String {
        switch self {
        case .setup: "Setup and integration"
        case .activeUsage: "Active usage"
        case .results: "Results and analysis"
        }
    }
}
