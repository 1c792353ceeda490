/// What a store reports beyond the database's own errors (`SQLiteError` for SQLite).
public enum PilotStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `savePilot` found another version than the one the record was read at: someone else
    /// saved the pilot in between (`actual` is nil when the pilot does not exist).
    case versionConflict(threadID: String, expected: Int64, actual: Int64?)
    /// `recordHandled` found the event already in the inbox: it was handled before, and
    /// the transaction must not apply its effects again.
    case duplicateEvent(eventID: String)
    /// The database was written by a newer version of the worker.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// A stored value cannot be read back, e.g. a JSON column that does not parse.
    case corruptRecord(table: String, key: String, reason: String)
    /// The database file cannot be created or opened where configured.
    case unusablePath(path: String, reason: String)

    public var description: String {
        switch self {
        case .versionConflict(let threadID, let expected, let actual):
            "pilot \(threadID) was saved by someone else: expected version \(expected), found "
                + (actual.map { "version \($0)" } ?? "no pilot")
        case .duplicateEvent(let eventID):
            "event \(eventID) was already handled"
        case .schemaTooNew(let path, let found, let supported):
            "database \(path) has schema version \(found) but this build knows up to \(supported): "
                + "it was written by a newer pilot-worker; upgrade this one"
        case .corruptRecord(let table, let key, let reason):
            "\(table) row \(key) cannot be read: \(reason)"
        case .unusablePath(let path, let reason):
            "cannot use database path \(path): \(reason)"
        }
    }
}
