import PilotJSON

/// A pilot's state as the stages see it: a JSON document plus the columns operators filter on.
public struct PilotRecord: Sendable, Equatable {
    /// The thread id (the events' `subject`).
    public var threadID: String
    /// The stage that last saved the pilot, e.g. `monitoring`.
    public var stage: String
    /// Where the pilot is, e.g. `agreement_sent`, `active`, `completed`.
    public var status: String
    public var state: JSONValue
    /// The version this record was read at: 0 for a pilot not yet saved. Saving succeeds
    /// only if the stored version is still this one, and stores `version + 1`.
    public var version: Int64
    /// RFC 3339. Kept from the first save.
    public var createdAt: String?
    /// RFC 3339: when the stage, status or state last changed (an event that leaves
    /// them as they are moves only `version`).
    public var updatedAt: String?

    public init(
        threadID: String, stage: String, status: String, state: JSONValue, version: Int64 = 0,
        createdAt: String? = nil, updatedAt: String? = nil
    ) {
        self.threadID = threadID
        self.stage = stage
        self.status = status
        self.state = state
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
