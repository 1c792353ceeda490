import CPostgres

/// A failed libpq call: the operation, PostgreSQL's SQLSTATE and the server's message.
/// Never holds the connection URL: libpq's messages name the host and port, not the password.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What failed, e.g. `connect`, `prepare`, `execute`, `BEGIN`.
    public var operation: String
    /// The SQLSTATE (`23505` unique violation, `40001` serialization failure, …), nil when
    /// the failure happened before the server answered (a lost connection).
    public var sqlState: String?
    /// The server's primary message, or libpq's.
    public var message: String
    /// The SQL involved, when there is one.
    public var sql: String?
    /// Whether the connection is unusable afterwards (server restarted, network lost).
    public var connectionLost: Bool

    public init(operation: String, sqlState: String? = nil, message: String, sql: String? = nil, connectionLost: Bool = false) {
        self.operation = operation
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
        self.connectionLost = connectionLost
    }

    public var description: String {
        var text = "PostgreSQL \(operation) failed: \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if connectionLost { text += "; connection lost" }
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}

/// The one place that turns libpq results into typed errors.
enum PostgresCheck {
    /// Returns `result` when its status is one of `expected`; otherwise clears it and throws.
    static func result(
        _ result: OpaquePointer?, _ operation: @autoclosure () -> String, connection: OpaquePointer?,
        sql: @autoclosure () -> String? = nil, expected: [ExecStatusType] = [PGRES_COMMAND_OK, PGRES_TUPLES_OK]
    ) throws(PostgresError) -> OpaquePointer {
        if let result, expected.contains(PQresultStatus(result)) { return result }
        defer { PQclear(result) }
        let lost = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
        guard let result else {
            throw PostgresError(operation: operation(), message: libpqMessage(connection), sql: sql(), connectionLost: lost)
        }
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        throw PostgresError(
            operation: operation(), sqlState: state,
            message: primary ?? String(cString: PQresultErrorMessage(result)).trimmed,
            sql: sql(), connectionLost: lost)
    }

    static func libpqMessage(_ connection: OpaquePointer?) -> String {
        guard let connection, let text = PQerrorMessage(connection) else { return "out of memory" }
        let message = String(cString: text).trimmed
        return message.isEmpty ? "no answer from the server" : message
    }
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
