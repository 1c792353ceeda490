import CSQLite

/// A failed SQLite call: the operation, the SQL it ran, and SQLite's own account of why.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The SQLite function or statement that failed, e.g. `sqlite3_step` or `BEGIN IMMEDIATE`.
    public var operation: String
    /// The SQL text involved, when there is one.
    public var sql: String?
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …).
    public var code: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_PRIMARYKEY`, …).
    public var extendedCode: Int32
    /// `sqlite3_errmsg` at the time of the failure.
    public var message: String
    /// What the wrapper adds, e.g. how long it waited for the write lock.
    public var note: String?

    public init(
        operation: String, sql: String? = nil, code: Int32, extendedCode: Int32, message: String,
        note: String? = nil
    ) {
        self.operation = operation
        self.sql = sql
        self.code = code
        self.extendedCode = extendedCode
        self.message = message
        self.note = note
    }

    /// Another connection (here or in another process) holds a lock we waited for in vain.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// A UNIQUE, PRIMARY KEY, NOT NULL, CHECK or FOREIGN KEY constraint failed.
    public var isConstraint: Bool { code == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "\(operation) failed: \(message) (\(String(cString: sqlite3_errstr(code))), code \(code)"
        if extendedCode != code { text += ", extended \(extendedCode)" }
        text += ")"
        if let note { text += "; \(note)" }
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}

/// The one place that turns SQLite result codes into typed errors.
enum Check {
    /// Throws unless `result` is `SQLITE_OK`, `SQLITE_ROW` or `SQLITE_DONE`. Call it straight
    /// after the failing call, on the thread that made it: `sqlite3_errmsg` is per connection
    /// and the next call overwrites it.
    @inline(__always)
    static func result(
        _ result: Int32, _ operation: @autoclosure () -> String, db: OpaquePointer?,
        sql: @autoclosure () -> String? = nil
    ) throws(SQLiteError) {
        guard result != SQLITE_OK, result != SQLITE_ROW, result != SQLITE_DONE else { return }
        throw error(result, operation(), db: db, sql: sql())
    }

    static func error(_ result: Int32, _ operation: String, db: OpaquePointer?, sql: String?) -> SQLiteError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
        let extended = db.map { sqlite3_extended_errcode($0) } ?? result
        return SQLiteError(
            operation: operation, sql: sql, code: result & 0xFF, extendedCode: extended, message: message)
    }
}
