import Foundation

/// The issues met during the pilot, by their latest state, oldest report first
/// (ties by id). If the same `issueID` appears twice, the later in the input wins.
public struct IssueSummary: Hashable, Sendable {
    /// Every issue, oldest report first.
    public var issues: [PilotIssue]

    public init(_ issues: [PilotIssue]) {
        var latest: [String: PilotIssue] = [:]
        for issue in issues { latest[issue.issueID] = issue }
        self.issues = latest.values.sorted { ($0.reportedAt, $0.issueID) < ($1.reportedAt, $1.issueID) }
    }

    /// Issues whose last status is resolved.
    public var resolved: [PilotIssue] { issues.filter(\.isResolved) }
    /// Issues still open.
    public var unresolved: [PilotIssue] { issues.filter { !$0.isResolved } }
    /// Critical issues still open: each one fails the pilot.
    public var openCritical: [PilotIssue] { issues.filter(\.isOpenCritical) }

    /// Issues first reported in `window`.
    public func opened(in window: Range<Date>) -> [PilotIssue] {
        issues.filter { window.contains($0.reportedAt) }
    }

    /// Issues resolved in `window` (by `resolvedAt`).
    public func resolved(in window: Range<Date>) -> [PilotIssue] {
        issues.filter { issue in issue.isResolved && issue.resolvedAt.map { window.contains($0) } == true }
    }
}
