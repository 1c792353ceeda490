import Foundation
import PilotStore
import Testing

@Suite struct MigrationTests {
    @Test func freshDatabaseGetsTheCurrentSchemaInWALMode() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/nested/.pilot/pilot.db"  // the folders do not exist yet
            _ = try SQLitePilotStore(path: path)
            let db = try SQLiteDatabase(path: path)
            #expect(try db.userVersion() == PilotSchema.version)
            #expect(try db.pragma("journal_mode") == "wal")
            #expect(try db.pragma("foreign_keys") == "1")
            #expect(try db.pragma("synchronous") == "2")  // FULL
            let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                $0.string(0)
            }
            for table in ["pilots", "inbox", "outbox", "documents", "metrics", "issues", "issue_history", "feedback"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
        }
    }

    @Test func reopeningKeepsTheData() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            do {
                let store = try SQLitePilotStore(path: path)
                try store.write { try $0.savePilot(samplePilot("acme")) }
            }
            let store = try SQLitePilotStore(path: path)
            #expect(try store.read { try $0.pilot("acme")?.version } == 1)
        }
    }

    @Test func olderDatabaseIsMigratedStepByStep() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            let v1 = "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"
            let v2 = "ALTER TABLE a ADD COLUMN y TEXT; UPDATE a SET y = 'migrated';"
            let db = try SQLiteDatabase(path: path)
            try SchemaMigrations([v1]).apply(to: db)
            #expect(try db.userVersion() == 1)
            try SchemaMigrations([v1, v2]).apply(to: db)
            #expect(try db.userVersion() == 2)
            #expect(try db.query("SELECT x, y FROM a") { "\($0.int64(0)) \($0.string(1))" } == ["1 migrated"])
            try SchemaMigrations([v1, v2]).apply(to: db)  // nothing left to do
            #expect(try db.userVersion() == 2)
        }
    }

    @Test func existingEmptyFileIsMigrated() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            try SQLiteDatabase(path: path).execute("CREATE TABLE unrelated (x)")
            _ = try SQLitePilotStore(path: path)
            #expect(try SQLiteDatabase(path: path).userVersion() == PilotSchema.version)
        }
    }

    @Test func newerDatabaseIsRefused() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            try SQLiteDatabase(path: path).execute("PRAGMA user_version = 99")
            let error = #expect(throws: PilotStoreError.self) { try SQLitePilotStore(path: path) }
            #expect(error == .schemaTooNew(path: path, found: 99, supported: PilotSchema.version))
            #expect(error?.description.contains("newer pilot-worker") == true)
            #expect(try SQLiteDatabase(path: path).userVersion() == 99)  // untouched
        }
    }

    @Test func concurrentOpenersApplyEachScriptOnce() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            let scripts = [
                "CREATE TABLE runs (script INTEGER); INSERT INTO runs VALUES (1);",
                "INSERT INTO runs VALUES (2);",
            ]
            let errors = concurrently(8) { _ in
                try SchemaMigrations(scripts).apply(to: SQLiteDatabase(path: path))
            }
            #expect(errors.isEmpty, "\(errors)")
            let db = try SQLiteDatabase(path: path)
            #expect(try db.query("SELECT script FROM runs ORDER BY script") { $0.int64(0) } == [1, 2])
        }
    }

    @Test func concurrentStoresOnAFreshFileAllOpen() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            let errors = concurrently(8) { _ in _ = try SQLitePilotStore(path: path) }
            #expect(errors.isEmpty, "\(errors)")
        }
    }
}
