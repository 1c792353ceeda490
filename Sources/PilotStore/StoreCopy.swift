/// Copies everything a store holds into another: pilots with their versions, the inbox,
/// the outbox (sent or not), documents and monitoring data. For moving a SQLite
/// installation to PostgreSQL (`pilotctl store copy`); any direction works.
///
/// Rows go over in batches, one target transaction each, in an order that satisfies the
/// foreign keys (pilots first). A row whose key the target already has is skipped, so a
/// copy that stopped half-way can simply run again. Stop the workers first: rows written
/// to the source during the copy may be missed.
public enum StoreCopy {
    /// What one table contributed.
    public struct TableCount: Sendable, Equatable {
        public var table: String
        /// Rows read from the source.
        public var read: Int
        /// Rows the target did not have yet.
        public var copied: Int
    }

    public struct NonEmptyTarget: Error, CustomStringConvertible, Sendable {
        public var counts: [String: Int]
        public var description: String {
            let rows = counts.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { "\($0.key) \($0.value)" }
            return "the target store is not empty (\(rows.joined(separator: ", "))); copy into an empty one, "
                + "or allow it to add only what it lacks"
        }
    }

    enum Kind { case text, integer, real, blob }

    struct Table {
        let name: String
        let columns: [(String, Kind)]
        /// A stable order for paging through a PostgreSQL source.
        let order: String
    }

    static let tables: [Table] = [
        Table(name: "pilots", columns: [
            ("thread_id", .text), ("stage", .text), ("status", .text), ("state_json", .text), ("version", .integer),
            ("created_at", .text), ("updated_at", .text),
        ], order: "thread_id"),
        Table(name: "documents", columns: [
            ("thread_id", .text), ("path", .text), ("sha256", .text), ("size", .integer), ("written_at", .text), ("event_id", .text),
        ], order: "thread_id, path"),
        Table(name: "metrics", columns: [
            ("thread_id", .text), ("day", .integer), ("data_json", .text), ("received_at", .text), ("event_id", .text),
        ], order: "thread_id, day"),
        Table(name: "issues", columns: [("thread_id", .text), ("issue_id", .text), ("data_json", .text), ("updated_at", .text)],
              order: "thread_id, issue_id"),
        Table(name: "issue_history", columns: [
            ("thread_id", .text), ("issue_id", .text), ("event_id", .text), ("status", .text), ("at", .text),
        ], order: "at, thread_id, issue_id, event_id"),
        Table(name: "feedback", columns: [("thread_id", .text), ("event_id", .text), ("data_json", .text), ("submitted_at", .text)],
              order: "submitted_at, event_id"),
        // Handled order (the trace's order) is kept: the target numbers rows as they come.
        Table(name: "inbox", columns: [
            ("event_id", .text), ("thread_id", .text), ("type", .text), ("causation_id", .text), ("stage", .text),
            ("worker", .text), ("handled_at", .text), ("duration_ms", .real), ("outcome", .text),
        ], order: "handled_at, event_id"),
        // The seq comes along: it is the publishing order of what is still pending.
        Table(name: "outbox", columns: [
            ("seq", .integer), ("event_id", .text), ("thread_id", .text), ("exchange", .text), ("routing_key", .text),
            ("headers_json", .text), ("body", .blob), ("created_at", .text), ("sent_at", .text),
        ], order: "seq"),
    ]

    /// Copies `source` into `target`; throws `NonEmptyTarget` when the target holds pilots,
    /// inbox or outbox rows and `allowNonEmpty` is false. `progress` hears each table's count.
    @discardableResult
    public static func copy(
        from source: any PilotStore, to target: any PilotStore, allowNonEmpty: Bool = false, batch: Int = 1000,
        progress: (TableCount) -> Void = { _ in }
    ) throws -> [TableCount] {
        if !allowNonEmpty {
            let counts = try target.read { reader in
                try ["pilots", "inbox", "outbox"].reduce(into: [String: Int]()) { $0[$1] = try rowCount(reader, $1) }
            }
            guard counts.values.allSatisfy({ $0 == 0 }) else { throw NonEmptyTarget(counts: counts) }
        }
        var result: [TableCount] = []
        for table in tables {
            var count = TableCount(table: table.name, read: 0, copied: 0)
            var position: Int64 = 0
            while true {
                let (rows, next) = try source.read { try exportRows(table, from: $0, after: position, limit: batch) }
                position = next
                if rows.isEmpty { break }
                count.read += rows.count
                count.copied += try target.write { try importRows(table, rows, into: $0) }
                if rows.count < batch { break }
            }
            if table.name == "outbox" { try target.write { try afterOutbox($0) } }
            progress(count)
            result.append(count)
        }
        return result
    }

    // Values travel as text (blobs as `\x…` hex), nil for NULL.

    static func rowCount(_ reader: any PilotStoreReader, _ table: String) throws -> Int {
        switch reader {
        case let sqlite as any SQLiteQueries:
            return Int(try sqlite.db.query("SELECT count(*) FROM \(table)") { $0.int64(0) }.first ?? 0)
        case let postgres as any PostgresQueries:
            return Int(try postgres.connection.query("SELECT count(*) FROM \(table)").int64(0, 0) ?? 0)
        default:
            preconditionFailure("unknown store reader \(type(of: reader))")
        }
    }

    /// A page of rows after `position` and the position to continue from. SQLite pages by
    /// rowid (insertion order, from an index however large the table); PostgreSQL, the
    /// rarer source, by offset in key order.
    static func exportRows(
        _ table: Table, from reader: any PilotStoreReader, after position: Int64, limit: Int
    ) throws -> (rows: [[String?]], next: Int64) {
        switch reader {
        case let sqlite as any SQLiteQueries:
            let columns = table.columns.map { $0.1 == .blob ? "hex(\($0.0))" : $0.0 }.joined(separator: ", ")
            var last = position
            let rows = try sqlite.db.query(
                "SELECT rowid, \(columns) FROM \(table.name) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                [.integer(position), .integer(Int64(limit))]
            ) { row in
                last = row.int64(0)
                return table.columns.indices.map { index in
                    let value = row.optionalString(Int32(index + 1))
                    return table.columns[index].1 == .blob ? value.map { "\\x" + $0.lowercased() } : value
                }
            }
            return (rows, last)
        case let postgres as any PostgresQueries:
            let columns = table.columns.map(\.0).joined(separator: ", ")
            let rows = try postgres.connection.query(
                "SELECT \(columns) FROM \(table.name) ORDER BY \(table.order) LIMIT $1 OFFSET $2", [String(limit), String(position)])
            return (rows.map { row in table.columns.indices.map { rows.string(row, $0) } }, position + Int64(rows.count))
        default:
            preconditionFailure("unknown store reader \(type(of: reader))")
        }
    }

    static func importRows(_ table: Table, _ rows: [[String?]], into transaction: any PilotStoreTransaction) throws -> Int {
        let names = table.columns.map(\.0).joined(separator: ", ")
        var copied = 0
        switch transaction {
        case let sqlite as SQLiteStoreTransaction:
            let sql = "INSERT INTO \(table.name) (\(names)) VALUES (\(table.columns.map { _ in "?" }.joined(separator: ", "))) ON CONFLICT DO NOTHING"
            for row in rows {
                let values: [SQLiteValue] = try zip(row, table.columns).map { value, column in
                    guard let value else { return .null }
                    switch column.1 {
                    case .text: return .text(value)
                    case .integer: return .integer(Int64(value))
                    case .real: return .real(Double(value))
                    case .blob:
                        guard let bytes = PostgresBytes.decode(value) else {
                            throw PilotStoreError.corruptRecord(table: table.name, key: row.first.flatMap { $0 } ?? "?", reason: "bad bytes")
                        }
                        return .blob(bytes)
                    }
                }
                copied += try sqlite.db.run(sql, values)
            }
        case let postgres as PostgresStoreTransaction:
            let placeholders = table.columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            let sql = "INSERT INTO \(table.name) (\(names)) VALUES (\(placeholders)) ON CONFLICT DO NOTHING"
            for row in rows { copied += try postgres.connection.run(sql, row) }
        default:
            preconditionFailure("unknown store transaction \(type(of: transaction))")
        }
        return copied
    }

    /// PostgreSQL numbers new outbox rows from its sequence: move it past the copied seqs.
    static func afterOutbox(_ transaction: any PilotStoreTransaction) throws {
        guard let postgres = transaction as? PostgresStoreTransaction else { return }
        _ = try postgres.connection.query(
            "SELECT setval(pg_get_serial_sequence('outbox', 'seq'), greatest((SELECT max(seq) FROM outbox), 1))")
    }
}
