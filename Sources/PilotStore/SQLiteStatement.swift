import CSQLite

/// A prepared statement. Obtained from `SQLiteDatabase`, which caches the ones it runs,
/// and used on the connection's thread only.
public final class SQLiteStatement {
    let handle: OpaquePointer
    let db: OpaquePointer
    /// The SQL the statement was prepared from.
    public let sql: String

    init(db: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        var handle: OpaquePointer?
        // PERSISTENT: cached statements live as long as the connection, so SQLite may
        // allocate them from long-lived memory instead of its lookaside buffers.
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let result = sqlite3_prepare_v3(db, sql, -1, flags, &handle, nil)
        try Check.result(result, "sqlite3_prepare_v3", db: db, sql: sql)
        guard let handle else {
            // SQL made of comments or whitespace only prepares to nothing.
            throw SQLiteError(
                operation: "sqlite3_prepare_v3", sql: sql, code: SQLITE_MISUSE, extendedCode: SQLITE_MISUSE,
                message: "no SQL statement in the text")
        }
        self.handle = handle
        self.db = db
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to parameters 1, 2, … in order.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the 1-based parameter `index`. Text and blobs are copied.
    public func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            result = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            result = sqlite3_bind_double(handle, index, real)
        case .text(var text):
            result = text.withUTF8 { bytes in
                // A nil pointer would bind NULL, so "" gets a real (empty) C string.
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite3_bind_text64(handle, index, "", 0, pilot_sqlite3_transient(), UInt8(SQLITE_UTF8))
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text64(
                        handle, index, $0, UInt64(bytes.count), pilot_sqlite3_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            result = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, !raw.isEmpty else {
                    return sqlite3_bind_zeroblob(handle, index, 0)
                }
                return sqlite3_bind_blob64(handle, index, base, UInt64(raw.count), pilot_sqlite3_transient())
            }
        }
        try Check.result(result, "sqlite3_bind (parameter \(index))", db: db, sql: sql)
    }

    /// Advances to the next row: `true` when a row is available, `false` when done.
    public func step() throws(SQLiteError) -> Bool {
        let result = sqlite3_step(handle)
        if result == SQLITE_ROW { return true }
        try Check.result(result, "sqlite3_step", db: db, sql: sql)
        return false
    }

    /// Makes the statement ready to run again and drops its bindings.
    public func reset() {
        // sqlite3_reset repeats the last step's error, which was already reported.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The current row; valid until the next `step()` or `reset()`.
    public var row: SQLiteRow { SQLiteRow(handle: handle) }
}

/// Column accessors for the current row of a statement. Columns are 0-based.
public struct SQLiteRow {
    let handle: OpaquePointer

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    /// The column as UTF-8 text (invalid sequences are repaired); "" for NULL.
    public func string(_ column: Int32) -> String {
        // Text first, then its length, as the SQLite documentation prescribes.
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column's bytes; empty for NULL.
    public func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    public func optionalString(_ column: Int32) -> String? {
        isNull(column) ? nil : string(column)
    }

    public func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    public func optionalDouble(_ column: Int32) -> Double? {
        isNull(column) ? nil : double(column)
    }
}
