/// A file the worker wrote for a pilot, relative to the workspace.
public struct DocumentEntry: Sendable, Equatable {
    public var threadID: String
    /// Relative to the workspace, e.g. `threads/sales/acme/pilot-agreement-custom.md`.
    public var path: String
    /// Lowercase hex SHA-256 of the content, when known.
    public var sha256: String?
    public var size: Int64?
    /// RFC 3339.
    public var writtenAt: String?
    /// The event whose handling wrote it.
    public var eventID: String?

    public init(
        threadID: String, path: String, sha256: String? = nil, size: Int64? = nil, writtenAt: String? = nil,
        eventID: String? = nil
    ) {
        self.threadID = threadID
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.writtenAt = writtenAt
        self.eventID = eventID
    }
}
