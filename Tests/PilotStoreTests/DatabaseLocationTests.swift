import PilotStore
import Testing

@Suite struct DatabaseLocationTests {
    @Test(arguments: [
        ("/var/lib/pilot/pilot.db", "/var/lib/pilot/pilot.db"), ("pilot.db", "pilot.db"), ("./a:b.db", "./a:b.db"),
        ("file:/tmp/p.db", "/tmp/p.db"), ("file:///tmp/p.db", "/tmp/p.db"), ("c:pilot.db", "c:pilot.db"),
    ])
    func pathsAreSQLiteFiles(value: String, path: String) throws {
        #expect(try DatabaseLocation.sqlitePath(value) == path)
    }

    @Test(arguments: ["postgres://pilot:s3cret@db:5432/pilots?sslmode=require", "postgresql://pilot:s3cret@db/pilots", "mysql://x:s3cret@h/d"])
    func aURLWithAnotherSchemeIsRefusedWithoutItsPassword(value: String) {
        let error = #expect(throws: DatabaseLocation.Unsupported.self) { try DatabaseLocation.sqlitePath(value) }
        #expect(error?.description.contains("://") == true)
        #expect(error?.description.contains("s3cret") == false)
    }
}
