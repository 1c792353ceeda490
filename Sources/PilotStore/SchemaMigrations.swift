/// Applies an ordered list of SQL scripts, tracked with `PRAGMA user_version`.
public struct SchemaMigrations: Sendable {
    /// Script N takes the database from version N-1 to N.
    public let scripts: [String]

    public init(_ scripts: [String]) {
        self.scripts = scripts
    }

    /// Brings `db` up to `scripts.count`, one transaction per script.
    ///
    /// Each step takes the write lock (`BEGIN IMMEDIATE`) and reads the version again
    /// inside it, so two processes opening a fresh file at once apply each script once:
    /// the second waits, then finds the work done.
    ///
    /// Throws `PilotStoreError.schemaTooNew` when the file is at a version past the last
    /// script: a newer build wrote it, and this one would misread it.
    public func apply(to db: SQLiteDatabase) throws {
        var current = try db.userVersion()
        try refuseNewer(current, db)
        while current < scripts.count {
            current = try db.transaction(.immediate) {
                let found = try db.userVersion()
                try refuseNewer(found, db)
                guard found == current else { return found }  // another process got here first
                try db.execute(scripts[current])
                try db.execute("PRAGMA user_version = \(current + 1)")
                return current + 1
            }
        }
    }

    private func refuseNewer(_ version: Int, _ db: SQLiteDatabase) throws {
        guard version > scripts.count else { return }
        throw PilotStoreError.schemaTooNew(path: db.path, found: version, supported: scripts.count)
    }
}
