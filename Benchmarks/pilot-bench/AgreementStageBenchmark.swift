import Contracts
import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStages
import PilotStore

/// The agreement stage with everything real — Mustache rendering, atomic file writes,
/// SQLite inbox/outbox/state, publisher confirms — against the echo stage with the
/// store (the runtime's own cost of exactly-once effects), in one invocation.
struct AgreementStageBenchmark {
    var url: AMQPURL
    var pilots: Int
    var prefetch: UInt16
    var concurrency: Int
    var contracts: Contracts

    static let output = "bench.agreement.out"

    func run() async throws {
        let admin = try AMQPConnection(url: url)
        try admin.enableConfirms()
        let stage = Stage.all[0]
        try Topology(stages: [stage]).declare(on: admin)
        try admin.declareQueue(Self.output, arguments: [("x-queue-type", .string("quorum"))])
        try admin.bindQueue(Self.output, exchange: Topology.exchange, routingKey: "pilot.agreement.generated")
        try admin.bindQueue(Self.output, exchange: Topology.exchange, routingKey: "pilot.echoed")
        let sample = try JSONValue(parsing: NoopStageBenchmark.sampleEvent()).object!

        // Workspaces are removed at the end, not between runs: ext4 scans for recently
        // deleted inodes when it allocates, and thousands of fresh deletions would slow
        // the next run's file creation in a way no production worker sees.
        var workspaces: [URL] = []
        defer { for workspace in workspaces { try? FileManager.default.removeItem(at: workspace) } }
        var agreementRates: [Double] = []
        for echo in [true, false, true, false] {
            let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-bench-\(UUID().uuidString.prefix(8))")
            workspaces.append(workspace)
            try admin.purgeQueue(stage.queue)
            try admin.purgeQueue(Self.output)
            let run = echo ? "echo stage + store" : "agreement stage"
            for index in 0..<pilots {
                var event = sample
                event["id"] = .string("bench-\(UUID().uuidString)")
                event["subject"] = .string("bench-\(index)")
                try admin.publish(Publication(event: try CloudEvent(document: .object(event)), timestamp: 0))
                if index % 1000 == 999 { try admin.waitForConfirms() }
            }
            try admin.waitForConfirms()
            let start = ContinuousClock.now
            let cpuStart = NoopStageBenchmark.processCPU()
            let store = try SQLitePilotStore(path: workspace.appendingPathComponent(".pilot/pilot.db").path)
            let task = Task { try await runWorker(store: store, workspace: Workspace(root: workspace), echo: echo) }
            let expected = echo ? pilots : pilots  // one agreement.generated or one echo per pilot
            while try admin.declareQueue(Self.output, passive: true).messages < expected {
                try await Task.sleep(for: .milliseconds(5))
            }
            let elapsed = Double((ContinuousClock.now - start).milliseconds) / 1000
            // The steadier figures: the broker's and the file system's latency move the rate
            // from run to run much more than the CPU each pilot costs. System CPU apart: on
            // ext4 without a journal, creating files slows after many deletions (README).
            let cpuEnd = NoopStageBenchmark.processCPU()
            let user = (cpuEnd.user - cpuStart.user) * 1e6 / Double(pilots)
            let system = (cpuEnd.system - cpuStart.system) * 1e6 / Double(pilots)
            task.cancel()
            try await task.value
            let rss = Self.residentMegabytes()
            say(String(format: "%@: %d pilots in %.2f s = %.0f pilots/s, CPU per pilot: user %.0f µs, system %.0f µs (RSS %.0f MB)",
                       run, pilots, elapsed, Double(pilots) / elapsed, user, system, rss))
            if !echo { agreementRates.append(Double(pilots) / elapsed) }
        }

        // Latency at half the throughput just measured, on a worker that keeps running.
        let rate = (agreementRates.max() ?? 100) / 2
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-bench-\(UUID().uuidString.prefix(8))")
        workspaces.append(workspace)
        try admin.purgeQueue(Self.output)
        let store = try SQLitePilotStore(path: workspace.appendingPathComponent(".pilot/pilot.db").path)
        let task = Task { try await runWorker(store: store, workspace: Workspace(root: workspace), echo: false) }
        try await Task.sleep(for: .seconds(1))
        let count = max(200, Int(rate * 10))
        let latency = try LatencyRun(url: url, rate: rate, count: count, output: Self.output) { index in
            var event = sample
            event["id"] = .string("latency-\(UUID().uuidString)")
            event["subject"] = .string("latency-\(index)")
            return try CloudEvent(document: .object(event))
        }.run()
        task.cancel()
        try await task.value
        say(String(format: "agreement latency at %.0f pilots/s (half the best run), %d pilots: p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms)",
                     rate, latency.received, latency.p50, latency.p99, latency.max))
    }

    private func runWorker(store: SQLitePilotStore, workspace: Workspace, echo: Bool) async throws {
        try await BenchWorker(url: url, stage: Stage.all[0], prefetch: prefetch, concurrency: concurrency, contracts: contracts) { stage in
            echo ? EchoStage.definition(for: stage) : PilotStages.definition(of: .agreement)
        }.run(store: store, workspace: workspace)
    }

    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }
}
