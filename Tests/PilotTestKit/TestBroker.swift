import Foundation
import PilotAMQP
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A private RabbitMQ started with `deploy/broker.sh` on free loopback ports with its
/// own data folder, plus a TLS listener whose throwaway CA is made with openssl.
///
/// Tests share one broker per test process (`TestBroker.shared`) and isolate
/// themselves in a virtual host each, so the fixed queue names of the contract
/// never collide between tests running in parallel. A test that must stop the
/// broker starts its own with `TestBroker.start()`.
public final class TestBroker: Sendable {
    public let directory: URL
    public let amqpPort: Int
    public let managementPort: Int
    public let tlsPort: Int
    /// CA that signed the broker's certificate.
    public let caFile: String
    /// A CA that signed nothing the broker uses, for negative TLS tests.
    public let otherCAFile: String
    let erlangArguments: String?

    /// The broker shared by the whole test process; stopped when the process exits.
    public static var shared: TestBroker {
        get async throws { try await SharedBroker.instance.get() }
    }

    /// Starts a new broker; the caller stops it with `stop()`.
    ///
    /// A start that fails on a port another process took is tried again on other ports, up
    /// to `attempts` times (`startOnFreePorts`). `firstTLSPort` is for the test of that.
    /// `erlangArguments` set the node's application environment (`-rabbit frame_max 8192`).
    public static func start(attempts: Int = 3, firstTLSPort: Int? = nil, erlangArguments: String? = nil) async throws -> TestBroker {
        try await offThePool { try startNow(attempts: attempts, firstTLSPort: firstTLSPort, erlangArguments: erlangArguments) }
    }

    static func startNow(attempts: Int, firstTLSPort: Int?, erlangArguments: String? = nil) throws -> TestBroker {
        try startOnFreePorts(attempts: attempts) { attempt in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-broker-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let tlsPort = attempt == 1 ? firstTLSPort ?? freeLoopbackPort() : freeLoopbackPort()
            let broker = TestBroker(
                directory: directory, amqpPort: freeLoopbackPort(), managementPort: freeLoopbackPort(), tlsPort: tlsPort,
                erlangArguments: erlangArguments)
            do {
                try broker.makeCertificates()
                try broker.startNodeNow()
                return broker
            } catch {
                broker.stop()
                throw error
            }
        }
    }

    private init(directory: URL, amqpPort: Int, managementPort: Int, tlsPort: Int, erlangArguments: String?) {
        self.directory = directory
        self.erlangArguments = erlangArguments
        self.amqpPort = amqpPort
        self.managementPort = managementPort
        self.tlsPort = tlsPort
        self.caFile = directory.appendingPathComponent("tls/ca.pem").path
        self.otherCAFile = directory.appendingPathComponent("tls/other-ca.pem").path
    }

    var nodeDirectory: String { directory.appendingPathComponent("node").path }

    var environment: [String: String] {
        let tls = directory.appendingPathComponent("tls").path
        var environment = [
            "PILOT_BROKER_PORT": String(amqpPort), "PILOT_BROKER_MGMT_PORT": String(managementPort),
            "PILOT_BROKER_DIST_PORT": String(freeLoopbackPort()), "PILOT_BROKER_TLS_PORT": String(tlsPort),
            "PILOT_BROKER_TLS_CERT": tls + "/server.pem", "PILOT_BROKER_TLS_KEY": tls + "/server.key",
            "PILOT_BROKER_TLS_CA": tls + "/ca.pem",
        ]
        environment["PILOT_BROKER_ERL_ARGS"] = erlangArguments
        return environment
    }

    /// Starts (or restarts) the node with the same ports and data.
    ///
    /// A restart races the stopped VM's teardown and every other process binding ports on
    /// the machine: a start that failed because one of its ports or its node name was still
    /// held is tried again, three times in all. Any other failure is thrown at once.
    public func startNode() async throws {
        try await offThePool { try retryingStart(attempts: 3, when: \.heldByAnother) { _ in try self.startNodeNow() } }
    }

    /// Stops the node; its data stays for `startNode()`.
    public func stopNode() async throws {
        try await offThePool { try self.stopNodeNow() }
    }

    func startNodeNow() throws {
        try shell([packageRoot.appendingPathComponent("deploy/broker.sh").path, "start", nodeDirectory], environment: environment)
    }

    func stopNodeNow() throws {
        try shell([packageRoot.appendingPathComponent("deploy/broker.sh").path, "stop", nodeDirectory])
    }

    /// Kills the node and removes its folder: its data is disposable, and a graceful
    /// stop spends seconds waiting on the management plugin.
    public func stop() {
        killBrokerVM(pidFile: directory.appendingPathComponent("node/pid").path)
        _ = try? stopNodeNow()
        try? FileManager.default.removeItem(at: directory)
    }

    public func url(vhost: String = "/", tls: Bool = false) -> String {
        let encoded = vhost == "/" ? "%2f" : vhost
        return tls ? "amqps://guest:guest@localhost:\(tlsPort)/\(encoded)" : "amqp://guest:guest@127.0.0.1:\(amqpPort)/\(encoded)"
    }

    /// A new virtual host for one test, with full permissions for guest.
    public func makeVirtualHost(_ prefix: String = "t") async throws -> VirtualHost {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        try await management("PUT", "/api/vhosts/\(name)", body: "{}")
        try await management("PUT", "/api/permissions/\(name)/guest", body: #"{"configure":".*","write":".*","read":".*"}"#)
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-workspace-\(name)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        return VirtualHost(broker: self, name: name, workspace: workspace)
    }

    func deleteVirtualHost(_ name: String) async {
        _ = try? await management("DELETE", "/api/vhosts/\(name)", body: nil)
    }

    @discardableResult
    public func management(_ method: String, _ path: String, body: String?) async throws -> Data {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(managementPort)\(path)")!)
        request.httpMethod = method
        request.setValue("Basic " + Data("guest:guest".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(code) else {
            throw ShellError(command: "\(method) \(path)", status: Int32(code), output: String(decoding: data, as: UTF8.self))
        }
        return data
    }

    private func makeCertificates() throws {
        let tls = directory.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: tls, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(tls.path)'
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=pilot-test-ca -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca -keyout other-ca.key -out other-ca.pem 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
            chmod 644 server.key
            """
        try shell(["bash", "-c", script])
    }
}

/// A virtual host of the test broker with a workspace folder of its own (documents and
/// the worker's database), both deleted by `delete()`.
public struct VirtualHost: Sendable {
    public let broker: TestBroker
    public let name: String
    public let workspace: URL

    public var url: String { broker.url(vhost: name) }
    public var managementURL: String { "http://127.0.0.1:\(broker.managementPort)" }

    public func connect() throws -> AMQPConnection {
        try AMQPConnection(url: AMQPURL(url))
    }

    public func delete() async {
        await broker.deleteVirtualHost(name)
        try? FileManager.default.removeItem(at: workspace)
    }
}

/// Starts the shared broker once, on first use, and stops it when the process exits.
actor SharedBroker {
    static let instance = SharedBroker()
    /// One start that every caller awaits: the actor is reentered while a start is
    /// awaited, and a second broker must not be started meanwhile.
    private var starting: Task<TestBroker, any Error>?

    func get() async throws -> TestBroker {
        let starting = self.starting ?? Task {
            let broker = try await TestBroker.start()
            SharedBrokerCleanup.register(broker)
            return broker
        }
        self.starting = starting
        return try await starting.value
    }
}

enum SharedBrokerCleanup {
    nonisolated(unsafe) static var broker: TestBroker?

    static func register(_ broker: TestBroker) {
        self.broker = broker
        atexit { SharedBrokerCleanup.broker?.stop() }
    }
}

/// SIGKILLs the Erlang VM whose pid `deploy/broker.sh` recorded in `pidFile`, if any.
func killBrokerVM(pidFile: String) {
    if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
        kill(pid, SIGKILL)
    }
}
