import Foundation

/// The data of `pilot.issue`: an issue's latest state (`schemas/pilot.issue.v1.json`).
/// Reports with the same `issueID` replace each other; callers pass the latest.
public struct PilotIssue: Codable, Hashable, Sendable {
    /// How bad the issue is.
    public enum Severity: String, Codable, Hashable, Sendable, CaseIterable {
        case low, medium, high, critical
    }

    /// Open or resolved.
    public enum Status: String, Codable, Hashable, Sendable {
        case open, resolved
    }

    /// The id in the support system, e.g. `SUP-1042`.
    public var issueID: String
    /// One line.
    public var title: String
    public var severity: Severity
    public var status: Status
    public var reportedAt: Date
    /// Present when resolved.
    public var resolvedAt: Date?
    /// How it was resolved; quoted in the results report.
    public var resolution: String?

    enum CodingKeys: String, CodingKey {
        case issueID = "issue_id"
        case title, severity, status
        case reportedAt = "reported_at"
        case resolvedAt = "resolved_at"
        case resolution
    }

    public init(issueID: String, title: String, severity: Severity, status: Status, reportedAt: Date,
        resolvedAt: Date? = nil, resolution: String? = nil)
    {
        self.issueID = issueID
        self.title = title
        self.severity = severity
        self.status = status
        self.reportedAt = reportedAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }

    /// Resolved (the status says so; `resolvedAt` is informational).
    public var isResolved: Bool { status == .resolved }

    /// Critical and still open: such an issue fails the pilot at the end.
    public var isOpenCritical: Bool { severity == .critical && status == .open }
}
