import PilotJSON

/// The pilot's summary: what `pilot.completed`, `pilot.results.compiled` and
/// `outcome.json` carry.
///
/// Its `Codable` encoding is exactly the `pilot.completed` data
/// (`schemas/pilot.completed.v1.json`, which allows no `failure_reasons`);
/// `failureReasons` travels in `compiledData` and `document` instead. Decoding
/// accepts any of the three shapes: `failure_reasons` is read when present and
/// `next_action`, when absent, follows from `status`.
public struct PilotOutcome: Codable, Hashable, Sendable {
    /// The file `document` is written to, in the pilot's thread folder.
    public static let fileName = "outcome.json"

    /// What happens next on the sales chain.
    public enum NextAction: String, Codable, Hashable, Sendable {
        case salesClose = "sales:close"
        case none
    }

    public var status: PilotVerdict.Status
    public var technicalMetrics: [MetricResult]
    public var businessMetrics: [MetricResult]
    public var userFeedback: UserFeedback
    public var issues: IssueCounts
    /// `sales:close` on SUCCESS, `none` on FAILED.
    public var nextAction: NextAction
    /// Empty on SUCCESS. Not part of the `Codable` encoding (see the type's notes).
    public var failureReasons: [String]
    /// `threads/sales/<thread>/pilot-results.md`, when known; encoded when present.
    public var resultsPath: String?

    enum CodingKeys: String, CodingKey {
        case status
        case technicalMetrics = "technical_metrics"
        case businessMetrics = "business_metrics"
        case userFeedback = "user_feedback"
        case issues
        case nextAction = "next_action"
        case failureReasons = "failure_reasons"
        case resultsPath = "results_path"
    }

    public init(status: PilotVerdict.Status, technicalMetrics: [MetricResult], businessMetrics: [MetricResult],
        userFeedback: UserFeedback, issues: IssueCounts, nextAction: NextAction, failureReasons: [String],
        resultsPath: String? = nil)
    {
        self.status = status
        self.technicalMetrics = technicalMetrics
        self.businessMetrics = businessMetrics
        self.userFeedback = userFeedback
        self.issues = issues
        self.nextAction = nextAction
        self.failureReasons = failureReasons
        self.resultsPath = resultsPath
    }

    /// The summary of `evaluation` (of the pilot's last day) and its verdict.
    public init(_ evaluation: PilotEvaluation, resultsPath: String? = nil) {
        let verdict = evaluation.verdict
        func rows(_ kind: Criterion.Kind) -> [MetricResult] {
            evaluation.criteria.filter { $0.criterion.kind == kind }.map {
                MetricResult(metric: $0.criterion.metric, target: $0.criterion.target,
                    comparison: $0.criterion.comparison, actual: $0.actual, met: $0.met, unit: $0.criterion.unit)
            }
        }
        self.init(status: verdict.status, technicalMetrics: rows(.technical), businessMetrics: rows(.business),
            userFeedback: UserFeedback(nps: evaluation.feedback.nps, responses: evaluation.feedback.count,
                averageScore: evaluation.feedback.averageScore),
            issues: IssueCounts(resolved: evaluation.issues.resolved.count,
                unresolved: evaluation.issues.unresolved.count),
            nextAction: verdict.nextAction, failureReasons: verdict.failureReasons, resultsPath: resultsPath)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(PilotVerdict.Status.self, forKey: .status)
        technicalMetrics = try container.decode([MetricResult].self, forKey: .technicalMetrics)
        businessMetrics = try container.decode([MetricResult].self, forKey: .businessMetrics)
        userFeedback = try container.decode(UserFeedback.self, forKey: .userFeedback)
        issues = try container.decode(IssueCounts.self, forKey: .issues)
        nextAction = try container.decodeIfPresent(NextAction.self, forKey: .nextAction)
            ?? (status == .success ? .salesClose : .none)
        failureReasons = try container.decodeIfPresent([String].self, forKey: .failureReasons) ?? []
        resultsPath = try container.decodeIfPresent(String.self, forKey: .resultsPath)
    }

    /// The `pilot.completed` data.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(technicalMetrics, forKey: .technicalMetrics)
        try container.encode(businessMetrics, forKey: .businessMetrics)
        try container.encode(userFeedback, forKey: .userFeedback)
        try container.encode(issues, forKey: .issues)
        try container.encode(nextAction, forKey: .nextAction)
        try container.encodeIfPresent(resultsPath, forKey: .resultsPath)
    }

    /// The `pilot.completed` data as a JSON value (same as encoding `self`).
    public var completedData: JSONValue {
        var members: [(String, JSONValue)] = [("status", .string(status.rawValue))]
        members += summaryMembers
        members.append(("next_action", .string(nextAction.rawValue)))
        if let resultsPath { members.append(("results_path", .string(resultsPath))) }
        return .object(JSONObject(members))
    }

    /// The `pilot.results.compiled` data for files written to `resultsPath` and `outcomePath`.
    public func compiledData(resultsPath: String, outcomePath: String) -> JSONValue {
        var members: [(String, JSONValue)] = [("status", .string(status.rawValue))]
        members.append(("results_path", .string(resultsPath)))
        members.append(("outcome_path", .string(outcomePath)))
        members.append(("failure_reasons", .array(failureReasons.map { JSONValue.string($0) })))
        members += summaryMembers
        return .object(JSONObject(members))
    }

    /// `outcome.json`: the `pilot.completed` data plus `failure_reasons`.
    public var document: JSONValue {
        guard case .object(var object) = completedData else { return completedData }
        object["failure_reasons"] = .array(failureReasons.map { JSONValue.string($0) })
        return .object(object)
    }

    /// Metrics, feedback and issues, as every shape carries them.
    var summaryMembers: [(String, JSONValue)] {
        let technical: [JSONValue] = technicalMetrics.map(\.json)
        let business: [JSONValue] = businessMetrics.map(\.json)
        let counts: [(String, JSONValue)] = [
            ("resolved", .int(Int64(issues.resolved))), ("unresolved", .int(Int64(issues.unresolved))),
        ]
        return [
            ("technical_metrics", .array(technical)), ("business_metrics", .array(business)),
            ("user_feedback", userFeedback.json), ("issues", .object(JSONObject(counts))),
        ]
    }
}
