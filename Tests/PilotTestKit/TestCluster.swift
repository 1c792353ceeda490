import Foundation

/// A 3-node RabbitMQ cluster on loopback, started by the project's own
/// `deploy/broker.sh cluster-start` with a private data folder. Its nodes are named after
/// their first port (`c<port>n1..3@localhost`), so clusters of tests running side by side
/// do not collide. Stop it with `stop()`; each node can be stopped and started again.
public final class TestCluster: Sendable {
    public let directory: URL
    /// AMQP ports of nodes 1, 2 and 3.
    public let ports: [Int]

    public init() throws {
        (directory, ports) = try startOnFreePorts { _ in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-cluster-\(UUID().uuidString.prefix(8))")
            // Each node takes its AMQP port, and that port + 10000 and + 20000 (management,
            // distribution).
            let base = reserveLoopbackPorts(offsets: (0..<3).flatMap { [$0, $0 + 10_000, $0 + 20_000] })
            let ports = (0..<3).map { base + $0 }
            do {
                try Self.start(directory, ports)
            } catch {
                // broker.sh has stopped the nodes; the folder with their logs is ours to remove.
                Self.stop(directory)
                throw error
            }
            return (directory, ports)
        }
    }

    /// `amqp://guest:guest@127.0.0.1:<port>/%2f` of each node.
    public var urls: [String] { ports.map { "amqp://guest:guest@127.0.0.1:\($0)/%2f" } }

    /// Starts whatever is not running and joins it to the cluster.
    public func start() throws {
        try Self.start(directory, ports)
    }

    private static func start(_ directory: URL, _ ports: [Int]) throws {
        try shell([script, "cluster-start", directory.path], environment: [
            "PILOT_BROKER_PORT": String(ports[0]), "PILOT_BROKER_CLUSTER_NAME": "c\(ports[0])n",
        ])
    }

    /// The Erlang node name of node `n` (1…3).
    public func nodeName(_ n: Int) -> String { "c\(ports[0])n\(n)@localhost" }

    /// Stops node `n` (1…3), gracefully.
    public func stop(node n: Int) throws {
        try shell([Self.script, "stop", directory.appendingPathComponent("rabbit\(n)").path])
    }

    /// The node (1…3) that leads quorum queue `queue`, asked of the first node that answers.
    public func leader(of queue: String) throws -> Int {
        try listQueues(["name", "leader"]) { rows, output in
            for fields in rows where fields.count == 2 && fields[0] == queue {
                if let node = (1...3).first(where: { nodeName($0) == fields[1] }) { return node }
            }
            throw ShellError(command: "list_queues", status: -1, output: "no leader of \(queue) in:\n\(output)")
        }
    }

    /// Each queue's ready and unacked messages and its consumers, as the first node that
    /// answers counts them (`rabbitmqctl list_queues`): what an AMQP probe cannot see, such
    /// as deliveries a consumer holds.
    public func queueCounts() throws -> [(name: String, ready: Int, unacked: Int, consumers: Int)] {
        try listQueues(["name", "messages_ready", "messages_unacknowledged", "consumers"], timeout: .seconds(20)) { rows, _ in
            rows.compactMap { fields in
                guard fields.count == 4, let ready = Int(fields[1]), let unacked = Int(fields[2]), let consumers = Int(fields[3])
                else { return nil }
                return (String(fields[0]), ready, unacked, consumers)
            }
        }
    }

    /// `rabbitmqctl list_queues` with `columns`, each queue's fields, read by `read` from
    /// the first node that answers and whose answer `read` does not refuse.
    private func listQueues<T>(
        _ columns: [String], timeout: Duration = .seconds(300), _ read: ([[Substring]], String) throws -> T
    ) throws -> T {
        var failure: (any Error)?
        for n in 1...3 {
            do {
                let output = try shell(
                    [Self.script, "ctl", directory.appendingPathComponent("rabbit\(n)").path, "-q", "list_queues"] + columns
                        + ["--no-table-headers"], timeout: timeout)
                return try read(output.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }, output)
            } catch {
                failure = error
            }
        }
        throw failure!
    }

    /// Stops every node and removes the data folder.
    public func stop() {
        Self.stop(directory)
    }

    /// Kills the nodes, then lets `cluster-stop` find nothing running: the data is
    /// disposable, and three graceful stops in a row held the calling test's thread (one of
    /// the two that run every test) for tens of seconds on a loaded machine.
    private static func stop(_ directory: URL) {
        for n in 1...3 { killBrokerVM(pidFile: directory.appendingPathComponent("rabbit\(n)/pid").path) }
        _ = try? shell([script, "cluster-stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    static var script: String { packageRoot.appendingPathComponent("deploy/broker.sh").path }
}
