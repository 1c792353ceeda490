/// A criterion's standing in one word, as the reports show it.
///
/// - `met`: the target is met so far.
/// - `onTrack`: a sum (hours saved) not reached yet whose projection reaches it.
/// - `atRisk`: a required criterion at risk (`CriterionEvaluation.atRisk`).
/// - `behind`: a criterion that is only reported and not met (or, for a sum, not on pace).
/// - `noData`: nothing measured yet.
public enum CriterionStatus: String, Hashable, Sendable {
    case met
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case behind
    case noData = "no_data"

    /// The status of `item`.
    public init(_ item: CriterionEvaluation) {
        if item.met {
            self = .met
        } else if item.atRisk {
            self = .atRisk
        } else if !item.hasData {
            self = .noData
        } else if let projected = item.projected,
            item.criterion.comparison.isMet(actual: projected, target: item.criterion.target)
        {
            self = .onTrack
        } else {
            self = .behind
        }
    }

    /// "Met", "On track", "At risk", "Behind target", "No data yet".
    public var label: String {
        switch self {
        case .met: "Met"
        case .onTrack: "On track"
        case .atRisk: "At risk"
        case .behind: "Behind target"
        case .noData: "No data yet"
        }
    }
}
