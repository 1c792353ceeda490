import CPostgres
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection, used by one thread at a time. Statements are prepared on first
/// use (`PQprepare`) and executed with text parameters (`PQexecPrepared`); a connection
/// keeps its prepared statements for its life, so a hot query is parsed once per connection.
final class PostgresConnection {
    private let handle: OpaquePointer
    private var prepared: [String: String] = [:]

    /// Connects with a libpq connection URI. Throws `PostgresError` (operation `connect`)
    /// with libpq's message, which names the host but never the password.
    init(conninfo: String) throws(PostgresError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(operation: "connect", message: "out of memory", connectionLost: true)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = PostgresCheck.libpqMessage(handle)
            PQfinish(handle)
            throw PostgresError(operation: "connect", message: message, connectionLost: true)
        }
        self.handle = handle
        // Notices (e.g. "relation already exists, skipping") would go to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// False once libpq saw the connection break: the pool then opens another.
    var isUsable: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Whether a transaction is open (or failed and awaits ROLLBACK).
    var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Runs SQL without parameters, possibly several statements (migrations, BEGIN, COMMIT).
    func execute(_ sql: String) throws(PostgresError) {
        PQclear(try PostgresCheck.result(PQexec(handle, sql), sql, connection: handle))
    }

    /// Runs `sql` (with `$1`, `$2`… placeholders) as a prepared statement with text
    /// parameters; nil is NULL.
    func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresRows {
        let name = try statementName(sql)
        let result = withCStrings(parameters) { values in
            PQexecPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0)
        }
        return PostgresRows(try PostgresCheck.result(result, "execute", connection: handle, sql: sql))
    }

    /// Like `query`, returning the number of rows the command changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> Int {
        try query(sql, parameters).affectedRows
    }

    private func statementName(_ sql: String) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "pilot_\(prepared.count + 1)"
        PQclear(try PostgresCheck.result(PQprepare(handle, name, sql, 0, nil), "prepare", connection: handle, sql: sql))
        prepared[sql] = name
        return name
    }

    private func withCStrings<T>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = values.map { $0.map { strdup($0)! } }
        defer { for copy in copies { free(copy) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}

/// A query's rows in text format; the libpq result is freed with this value.
final class PostgresRows {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    var count: Int { Int(PQntuples(result)) }

    var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    func string(_ row: Int, _ column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int64(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }

    func double(_ row: Int, _ column: Int) -> Double? { string(row, column).flatMap { Double($0) } }

    /// A `bytea` column, from PostgreSQL's hex output (`\x0a1b…`).
    func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard let text = string(row, column) else { return nil }
        return PostgresBytes.decode(text)
    }

    /// Maps each row through `body`.
    func map<T>(_ body: (Int) throws -> T) rethrows -> [T] {
        var values: [T] = []
        values.reserveCapacity(count)
        for row in 0..<count { values.append(try body(row)) }
        return values
    }
}

/// `bytea` in PostgreSQL's hex text format, both ways.
enum PostgresBytes {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
