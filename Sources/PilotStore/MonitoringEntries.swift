import PilotJSON

/// One day's `pilot.metrics` report. A second report for the same day replaces the first.
public struct MetricsEntry: Sendable, Equatable {
    public var threadID: String
    /// 1-based pilot day.
    public var day: Int
    /// The event's `data`.
    public var data: JSONValue
    /// RFC 3339.
    public var receivedAt: String?
    public var eventID: String?
    /// The typed forms of `data`, shared by every read of the same row (see `JSONMemo`).
    public var memo: JSONMemo

    public init(threadID: String, day: Int, data: JSONValue, receivedAt: String? = nil, eventID: String? = nil, memo: JSONMemo = JSONMemo()) {
        self.threadID = threadID
        self.day = day
        self.data = data
        self.receivedAt = receivedAt
        self.eventID = eventID
        self.memo = memo
    }
}

/// The latest known state of an issue (`pilot.issue`).
public struct IssueEntry: Sendable, Equatable {
    public var threadID: String
    public var issueID: String
    /// The latest event's `data`.
    public var data: JSONValue
    /// RFC 3339.
    public var updatedAt: String?

    public init(threadID: String, issueID: String, data: JSONValue, updatedAt: String? = nil) {
        self.threadID = threadID
        self.issueID = issueID
        self.data = data
        self.updatedAt = updatedAt
    }
}

/// One status change of an issue, from one event.
public struct IssueHistoryEntry: Sendable, Equatable {
    public var threadID: String
    public var issueID: String
    public var eventID: String
    /// `open` or `resolved`.
    public var status: String
    /// RFC 3339.
    public var at: String?

    public init(threadID: String, issueID: String, eventID: String, status: String, at: String? = nil) {
        self.threadID = threadID
        self.issueID = issueID
        self.eventID = eventID
        self.status = status
        self.at = at
    }
}

/// One `pilot.feedback` response.
public struct FeedbackEntry: Sendable, Equatable {
    public var threadID: String
    public var eventID: String
    /// The event's `data`.
    public var data: JSONValue
    /// RFC 3339.
    public var submittedAt: String?

    public init(threadID: String, eventID: String, data: JSONValue, submittedAt: String? = nil) {
        self.threadID = threadID
        self.eventID = eventID
        self.data = data
        self.submittedAt = submittedAt
    }
}
