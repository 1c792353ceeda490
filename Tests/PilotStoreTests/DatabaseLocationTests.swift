import PilotStore
import Testing

@Suite struct DatabaseLocationTests {
    @Test(arguments: [
        ("/var/lib/pilot/pilot.db", "/var/lib/pilot/pilot.db"), ("pilot.db", "pilot.db"), ("./a:b.db", "./a:b.db"),
        ("file:/tmp/p.db", "/tmp/p.db"), ("file:///tmp/p.db", "/tmp/p.db"), ("c:pilot.db", "c:pilot.db"),
    ])
    func pathsAreSQLiteFiles(value: String, path: String) throws {
        #expect(try DatabaseLocation.sqlitePath(value) == path)
        #expect(try DatabaseLocation.parse(value, defaultPath: "x") == .sqlite(path: path))
    }

    @Test func anEmptyValueIsTheDefaultPath() throws {
        #expect(try DatabaseLocation.parse("", defaultPath: "/w/.pilot/pilot.db") == .sqlite(path: "/w/.pilot/pilot.db"))
    }

    @Test(arguments: [
        ("postgres://pilot:s3cret@db:5432/pilots?sslmode=require", "postgres://pilot:***@db:5432/pilots?sslmode=require"),
        ("postgresql://pilot:s3cret@db/pilots", "postgresql://pilot:***@db/pilots"),
        ("POSTGRES://pilot@db/pilots?password=s3cret&sslmode=verify-full", "POSTGRES://pilot@db/pilots?password=***&sslmode=verify-full"),
        ("postgres://db/pilots", "postgres://db/pilots"),
        // Unencoded `/`, `?` or `#` in the password: the authority seems to end inside it.
        ("postgres://pilot:s3cret/x@db/pilots", "postgres://***@db/pilots"),
        ("postgres://pilot:s3cret?x@db/pilots", "postgres://***@db/pilots"),
        ("postgres://pilot:s3cret#x@db/pilots?password=s3cret", "postgres://pilot:***@db/pilots?password=***"),
        ("postgres://db/pilots?application_name=a@b&password=s3cret", "postgres://***@b&password=***"),
    ])
    func postgresURLsOpenPostgresAndPrintWithoutThePassword(value: String, redacted: String) throws {
        let location = try DatabaseLocation.parse(value, defaultPath: "x")
        #expect(location == .postgres(url: value))
        #expect(location.description == redacted)
        #expect(!location.description.contains("s3cret"))
    }

    @Test(arguments: ["mysql://x:s3cret@h/d", "redis://:s3cret@h:6379", "s3://bucket/s3cret"])
    func aURLWithAnotherSchemeIsRefusedWithoutItsPassword(value: String) {
        let error = #expect(throws: DatabaseLocation.Unsupported.self) { try DatabaseLocation.parse(value, defaultPath: "x") }
        #expect(error?.description.contains("://") == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test(arguments: ["postgres://pilot:s3cret@db:5432/pilots?sslmode=require", "mysql://x:s3cret@h/d"])
    func theSQLiteOnlyReadingRefusesEveryURL(value: String) {
        let error = #expect(throws: DatabaseLocation.Unsupported.self) { try DatabaseLocation.sqlitePath(value) }
        #expect(error?.description.contains("s3cret") == false)
    }
}
