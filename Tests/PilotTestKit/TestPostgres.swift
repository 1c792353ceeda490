import Foundation
import Synchronization

/// A private PostgreSQL started with `deploy/postgres.sh` on a free loopback port with its
/// own data folder (Debian's PostgreSQL 15 binaries).
///
/// Tests share one server per test process (`TestPostgres.shared`, stopped at exit) and
/// isolate themselves in a database each (`makeDatabase()`). A test that must stop or
/// restart the server starts its own with `TestPostgres.start()` and calls `stop()`.
public final class TestPostgres: Sendable {
    /// DIR of `deploy/postgres.sh`: data, socket, log, `env`.
    public let directory: URL
    public let port: Int
    /// The role `pilot`'s password (hex, nothing to escape).
    public let password: String

    /// The server shared by the whole test process.
    public static var shared: TestPostgres {
        get throws {
            try sharedServer.withLock { server in
                if let server { return server }
                let started = try start()
                server = started
                atexit { TestPostgres.sharedServer.withLock { $0 }?.stop() }
                return started
            }
        }
    }
    private static let sharedServer = Mutex<TestPostgres?>(nil)

    /// Starts a new server (about 1–2 s); the caller stops it with `stop()`.
    public static func start() throws -> TestPostgres {
        try startOnFreePorts { _ in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-postgres-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let port = freeLoopbackPort()
            do {
                try shell([script, "start", directory.path], environment: ["PILOT_PG_PORT": String(port)])
                let password = try String(contentsOf: directory.appendingPathComponent("password"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return TestPostgres(directory: directory, port: port, password: password)
            } catch {
                _ = try? shell([script, "stop", directory.path])
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
        }
    }

    private init(directory: URL, port: Int, password: String) {
        self.directory = directory
        self.port = port
        self.password = password
    }

    static var script: String { packageRoot.appendingPathComponent("deploy/postgres.sh").path }

    /// The `PILOT_DATABASE` value for `database` (the role `pilot` owns it).
    public func url(database: String = "pilot") -> String {
        "postgres://pilot:\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// A new empty database for one test; returns its URL. Dropped with the server.
    public func makeDatabase(_ prefix: String = "t") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        // One at a time: a store suite run here once failed a CREATE DATABASE (psql exit 1)
        // while its parallel tests made theirs. PostgreSQL refuses to copy template1 while
        // another session is on it (SQLSTATE 55006), the likeliest cause; one at a time, no
        // two copies overlap.
        try creating.withLock { _ in try psql("-d", "postgres", "-c", "CREATE DATABASE \(name) OWNER pilot") }
        return url(database: name)
    }

    private let creating = Mutex(())

    /// Runs psql as the superuser over the private socket; returns its output.
    @discardableResult
    public func psql(_ arguments: String...) throws -> String {
        try shell([Self.script, "psql", directory.path, "-X", "-q", "-A", "-t"] + arguments)
    }

    /// Starts the server again with the same port and data.
    public func startServer() throws {
        try shell([Self.script, "start", directory.path])
    }

    /// Stops the server (fast shutdown: clients are disconnected); the data stays.
    public func stopServer() throws {
        try shell([Self.script, "stop", directory.path])
    }

    /// Stops the server and removes its folder.
    public func stop() {
        _ = try? stopServer()
        try? FileManager.default.removeItem(at: directory)
    }
}
