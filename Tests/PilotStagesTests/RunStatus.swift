import PilotStore
import PilotTestKit

/// The parts of a progress line that only the caller of a rehearsal can see.
enum RunStatus {
    /// Where the unfinished pilots are in the store: how many at each stage and status,
    /// and the days of metrics each has, e.g. `monitoring/active 6 (days 9, 9, 10, 12, 14, 14)`.
    static func pilots(_ threads: [String], in store: () throws -> any PilotStore) -> String {
        guard !threads.isEmpty else { return "every pilot has its outcome" }
        do {
            let store = try store()
            var groups: [String: [Int]] = [:]
            try store.read { reader in
                for thread in threads.prefix(50) {
                    let key = try reader.pilot(thread).map { "\($0.stage)/\($0.status)" } ?? "not saved"
                    groups[key, default: []].append(try reader.metrics(threadID: thread).count)
                }
            }
            let shown = groups.sorted { $0.key < $1.key }.map { key, days in
                "\(key) \(days.count) (days \(days.sorted().map(String.init).joined(separator: ", ")))"
            }
            return "unfinished pilots in the store: " + shown.joined(separator: ", ") + (threads.count > 50 ? ", … (first 50)" : "")
        } catch {
            return "unfinished pilots in the store: unknown (\(String(describing: error).prefix(120)))"
        }
    }

    /// The cluster's queues that hold anything, with ready and unacked apart (a consumer's
    /// held deliveries are not ready), and each stage queue's consumers.
    static func queues(of cluster: TestCluster) -> String {
        do {
            let shown = try cluster.queueCounts().filter { !$0.name.hasPrefix("tap.") }.sorted { $0.name < $1.name }.compactMap { queue in
                var parts: [String] = []
                if queue.ready > 0 { parts.append("\(queue.ready) ready") }
                if queue.unacked > 0 { parts.append("\(queue.unacked) unacked") }
                if queue.name.hasPrefix("pilot.stage."), !queue.name.hasSuffix(".dead") { parts.append("\(queue.consumers) consumers") }
                return parts.isEmpty ? nil : "\(queue.name) " + parts.joined(separator: " ")
            }
            return "queues: " + shown.joined(separator: ", ")
        } catch {
            return "queues: unknown (\(String(describing: error).prefix(120)))"
        }
    }
}
