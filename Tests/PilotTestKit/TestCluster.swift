import Foundation

/// A 3-node RabbitMQ cluster on loopback (nodes `rabbit1..3@localhost`), started by the
/// project's own `deploy/broker.sh cluster-start` with a private data folder. Stop it
/// with `stop()`; each node can be stopped and started again on its own.
public final class TestCluster: Sendable {
    public let directory: URL
    /// AMQP ports of rabbit1, rabbit2, rabbit3.
    public let ports: [Int]

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-cluster-\(UUID().uuidString.prefix(8))")
        // Each node takes its AMQP port, and that port + 10000 and + 20000 (management,
        // distribution): look for a base where all nine are free.
        var base = 0
        for _ in 0..<20 {
            let candidate = freeLoopbackPort()
            guard candidate + 20_002 < 65_536 else { continue }
            let all = (0..<3).flatMap { [candidate + $0, candidate + $0 + 10_000, candidate + $0 + 20_000] }
            if all.allSatisfy(isFreeLoopbackPort) { base = candidate; break }
        }
        guard base > 0 else { throw ShellError(command: "TestCluster", status: -1, output: "no free block of ports") }
        ports = (0..<3).map { base + $0 }
        try start()
    }

    /// `amqp://guest:guest@127.0.0.1:<port>/%2f` of each node.
    public var urls: [String] { ports.map { "amqp://guest:guest@127.0.0.1:\($0)/%2f" } }

    /// Starts whatever is not running and joins it to the cluster.
    public func start() throws {
        try shell([Self.script, "cluster-start", directory.path], environment: ["PILOT_BROKER_PORT": String(ports[0])])
    }

    /// Stops node `n` (1…3), gracefully.
    public func stop(node n: Int) throws {
        try shell([Self.script, "stop", directory.appendingPathComponent("rabbit\(n)").path])
    }

    /// Stops every node and removes the data folder.
    public func stop() {
        _ = try? shell([Self.script, "cluster-stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    static var script: String { packageRoot.appendingPathComponent("deploy/broker.sh").path }
}
