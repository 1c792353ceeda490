/// SUCCESS or FAILED, and why.
///
/// The rule (`rule`, printed in the results report): SUCCESS iff every required
/// criterion is met at the end of the pilot and no critical issue is still
/// open; otherwise FAILED, with one sentence per missed required criterion and
/// per open critical issue. Criteria that are only reported never fail a pilot.
public struct PilotVerdict: Hashable, Sendable {
    /// The outcome, spelt as the events spell it.
    public enum Status: String, Codable, Hashable, Sendable {
        case success = "SUCCESS"
        case failed = "FAILED"
    }

    /// The rule in words, for reports.
    public static let rule = "The pilot succeeds when every required success criterion is met at the end of the"
        + " pilot and no critical issue is left unresolved; otherwise it fails."

    public var status: Status
    /// Empty on SUCCESS; on FAILED one line each, missed criteria first (in the
    /// criteria's order), then open critical issues (oldest first).
    public var failureReasons: [String]

    /// The verdict on `evaluation` (normally of the last day).
    public init(_ evaluation: PilotEvaluation) {
        var reasons = evaluation.criteria.filter { $0.criterion.required && !$0.met }.map {
            CriterionSentence($0, evaluation).failure
        }
        reasons += evaluation.issues.openCritical.map { issue in
            "Critical issue " + MarkdownText.singleLine(issue.issueID) + " (" + MarkdownText.singleLine(issue.title)
                + ") is still unresolved"
        }
        failureReasons = reasons.map(Self.clipped)
        status = reasons.isEmpty ? .success : .failed
    }

    public init(status: Status, failureReasons: [String]) {
        self.status = status
        self.failureReasons = failureReasons
    }

    /// At most 500 characters (the schema's limit for one line), cut with "…".
    static func clipped(_ reason: String) -> String {
        let scalars = reason.unicodeScalars
        guard scalars.count > 500 else { return reason }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(499))
        return String(out) + "…"
    }

    /// The next action on the `sales` chain: close the deal, or nothing.
    public var nextAction: PilotOutcome.NextAction { status == .success ? .salesClose : .none }
}
