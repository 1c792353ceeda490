import Foundation
import PilotJSON
import PilotStore
import Testing

/// Other processes write the same file through the `sqlite3` command-line shell (forking
/// the test process is not safe in Swift), while this process writes through the store.
private let sqliteShell = "/usr/bin/sqlite3"

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: sqliteShell), "needs the sqlite3 shell"))
struct MultiProcessTests {
    @Test func processesAndThreadsShareTheFileWithoutLostUpdates() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            let store = try SQLitePilotStore(path: path)
            try store.write { try $0.savePilot(samplePilot("shared")) }

            let processes = 3, perProcess = 200, threads = 4, perThread = 100
            var children: [(Process, Pipe)] = []
            for index in 0..<processes {
                var script = ".bail on\n.timeout 10000\n"
                for step in 0..<perProcess {
                    script += """
                        BEGIN IMMEDIATE;
                        INSERT INTO inbox (event_id, thread_id) VALUES ('p\(index)-\(step)', 'shared');
                        UPDATE pilots SET version = version + 1,
                            state_json = json_set(state_json, '$.n', json_extract(state_json, '$.n') + 1)
                            WHERE thread_id = 'shared';
                        COMMIT;

                        """
                }
                let scriptPath = folder + "/writer-\(index).sql"
                try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: sqliteShell)
                process.arguments = [path]
                process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: scriptPath))
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                children.append((process, errors))
            }

            let errors = concurrently(threads) { index in
                for step in 0..<perThread {
                    try ConcurrencyTests.increment(store, eventID: "t\(index)-\(step)")
                }
            }
            for (process, pipe) in children {
                process.waitUntilExit()
                let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(process.terminationStatus == 0, "sqlite3: \(stderr)")
            }
            #expect(errors.isEmpty, "\(errors.prefix(3))")

            let total = Int64(processes * perProcess + threads * perThread)
            let pilot = try #require(try store.read { try $0.pilot("shared") })
            #expect(pilot.state["n"]?.integer == total)
            #expect(pilot.version == total + 1)
        }
    }
}
