import CSQLite

/// One SQLite connection with the settings every connection of ours needs, and a cache
/// of prepared statements.
///
/// Not thread safe: opened in SQLite's multi-thread mode (`SQLITE_OPEN_NOMUTEX`), so a
/// connection may move between threads but must never be used by two at once.
/// `SQLitePilotStore` hands each call its own connection from a pool.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    /// The database file.
    public let path: String
    public let options: Options
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens (creating if needed) the database at `path`, which must be a file: the
    /// settings below assume WAL, which `:memory:` databases cannot use.
    ///
    /// The parent folder must exist. Settings applied to every connection:
    /// - `journal_mode=WAL`: readers never block the writer nor the writer readers, and
    ///   several processes on one host can share the file (not over a network file system).
    /// - `synchronous` from `options` (see `Options.Synchronous`).
    /// - `busy_timeout`: a connection that meets a lock waits up to `options.busyTimeout`.
    /// - `foreign_keys=ON`: SQLite leaves them off by default, per connection.
    /// - double-quoted string literals off, so a misspelt `"column"` is an error, not a string.
    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        SQLiteLibrary.configured
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let error = Check.error(result, "sqlite3_open_v2 \(path)", db: handle, sql: nil)
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        self.options = options
        try configure()
    }

    deinit {
        cache.removeAll()  // finalizes the statements before the connection closes
        sqlite3_close_v2(handle)
    }

    private func configure() throws(SQLiteError) {
        try Check.result(
            sqlite3_busy_timeout(handle, Int32(clamping: options.busyTimeout.milliseconds)),
            "sqlite3_busy_timeout", db: handle)
        for option in [SQLITE_DBCONFIG_DQS_DML, SQLITE_DBCONFIG_DQS_DDL] {
            try Check.result(
                pilot_sqlite3_db_config_flag(handle, option, 0), "sqlite3_db_config(\(option))", db: handle)
        }
        // Switching to WAL takes an exclusive lock once per file; two processes creating
        // the file at the same moment may find it taken beyond the busy timeout.
        let mode = try retryingWhileBusy("PRAGMA journal_mode=WAL") { () throws(SQLiteError) in
            try pragma("journal_mode=WAL")
        }
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(
                operation: "PRAGMA journal_mode=WAL", code: SQLITE_ERROR, extendedCode: SQLITE_ERROR,
                message: "the database stays in journal mode \(mode ?? "unknown")",
                note: "WAL needs a local file system with shared memory")
        }
        try execute("""
            PRAGMA synchronous=\(options.synchronous.rawValue);
            PRAGMA foreign_keys=ON;
            PRAGMA journal_size_limit=\(options.journalSizeLimit);
            """)
    }

    /// Runs one or more SQL statements without parameters or results (`sqlite3_exec`).
    public func execute(_ script: String) throws(SQLiteError) {
        try Check.result(sqlite3_exec(handle, script, nil, nil, nil), "sqlite3_exec", db: handle, sql: script)
    }

    /// The cached prepared statement for `sql`, prepared on first use.
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let statement = cache[sql] { return statement }
        let statement = try SQLiteStatement(db: handle, sql: sql, persistent: true)
        cache[sql] = statement
        return statement
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() {}
        return Int(sqlite3_changes64(handle))
    }

    /// Runs a query and maps each row.
    public func query<T>(
        _ sql: String, _ bindings: [SQLiteValue] = [], row transform: (SQLiteRow) throws -> T
    ) throws -> [T] {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        var rows: [T] = []
        while try statement.step() {
            rows.append(try transform(statement.row))
        }
        return rows
    }

    /// Runs `PRAGMA <text>` and returns the first column of its first row as text, if any.
    /// Not cached: pragmas run once per connection.
    @discardableResult
    public func pragma(_ text: String) throws(SQLiteError) -> String? {
        let statement = try SQLiteStatement(db: handle, sql: "PRAGMA " + text, persistent: false)
        return try statement.step() ? statement.row.optionalString(0) : nil
    }

    /// The schema version kept in the file header (`PRAGMA user_version`).
    public func userVersion() throws(SQLiteError) -> Int {
        Int(try pragma("user_version") ?? "0") ?? 0
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
