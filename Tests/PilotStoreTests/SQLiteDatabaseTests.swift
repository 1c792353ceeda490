import PilotStore
import Testing

@Suite struct SQLiteDatabaseTests {
    @Test func valuesRoundTrip() throws {
        try withTemporaryFolder { folder in
            let db = try SQLiteDatabase(path: folder + "/t.db")
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB)")
            let rows: [[SQLiteValue]] = [
                [.integer(.max), .real(-0.1), .text("é\u{0}ü 🚀"), .blob([0, 1, 255])],
                [.integer(.min), .real(1e300), .text(""), .blob([])],
                [.null, .null, .null, .null],
            ]
            for row in rows {
                try db.run("INSERT INTO t (i, r, s, b) VALUES (?, ?, ?, ?)", row)
            }
            let read = try db.query("SELECT i, r, s, b FROM t ORDER BY rowid") { row -> [SQLiteValue] in
                [
                    row.optionalInt64(0).map { .integer($0) } ?? .null,
                    row.optionalDouble(1).map { .real($0) } ?? .null,
                    row.optionalString(2).map { .text($0) } ?? .null,
                    row.isNull(3) ? .null : .blob(row.blob(3)),
                ]
            }
            #expect(read == rows)
            // "" is text and [] a zero-length blob, not NULL.
            #expect(try db.query("SELECT typeof(s), typeof(b) FROM t WHERE rowid = 2") { $0.string(0) + $0.string(1) }
                == ["textblob"])
        }
    }

    @Test func errorsNameTheOperationAndTheSQL() throws {
        try withTemporaryFolder { folder in
            let db = try SQLiteDatabase(path: folder + "/t.db")
            let prepare = #expect(throws: SQLiteError.self) { try db.run("INSERT INTO nowhere VALUES (1)") }
            #expect(prepare?.operation == "sqlite3_prepare_v3")
            #expect(prepare?.description.contains("no such table: nowhere") == true)
            #expect(prepare?.description.contains("[SQL: INSERT INTO nowhere VALUES (1)]") == true)

            try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
            try db.run("INSERT INTO t VALUES (?)", [.text("a")])
            let step = #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?)", [.text("a")]) }
            #expect(step?.operation == "sqlite3_step" && step?.isConstraint == true)
            #expect(step?.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
            #expect(step?.description.contains("UNIQUE constraint failed: t.k") == true)

            // Double-quoted strings are identifiers only.
            #expect(throws: SQLiteError.self) { try db.run("SELECT \"not a column\" FROM t") }
            // The cached statement is usable again after a failure.
            #expect(try db.run("INSERT INTO t VALUES (?)", [.text("b")]) == 1)
        }
    }

    @Test func openingWhereNoFileCanBeFails() throws {
        try withTemporaryFolder { folder in
            let error = #expect(throws: SQLiteError.self) { try SQLiteDatabase(path: folder + "/missing/t.db") }
            #expect(error?.operation.hasPrefix("sqlite3_open_v2") == true)
            #expect(error?.message.contains("unable to open") == true)
        }
    }
}
