import Contracts
import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStages
import PilotStore

/// A day's metrics reports through the monitoring stage, with a real store and workspace:
/// one report for each of many pilots, as leads' systems send them day by day (each report
/// alone with its pilot in its batch), against the same number of reports 30 to a pilot,
/// sent together as the rehearsal's driver sends them with the signature (a pilot's
/// reports sharing a batch: one record read, one version saved). The ratio of the two is
/// what a report pays for being alone with its pilot.
struct ReportsBenchmark {
    var url: AMQPURL
    var reports: Int
    var rounds: Int
    var contracts: Contracts

    static let daysTogether = 30

    func run() async throws {
        let admin = try AMQPConnection(url: url)
        try admin.enableConfirms()
        guard let stage = Stage.all.first(where: { $0.name == PilotStage.monitoring.rawValue }) else {
            throw TickBenchmarkError(description: "no monitoring stage")
        }
        try Topology(stages: [stage]).declare(on: admin)
        let record = try StoreBenchmark.pilotOnDayTen()
        let examples = try TickBenchmark.Examples()
        say("\(reports) reports a run; a pilot's state \(record.state.serializedBytes().count) bytes (day 10 of its monitoring)")

        // As in the agreement benchmark: workspaces go at the end, so that the inodes one run
        // frees do not slow the next run's file creation on ext4 without a journal.
        var workspaces: [URL] = []
        defer { for workspace in workspaces { try? FileManager.default.removeItem(at: workspace) } }
        var perReport: [Bool: [Double]] = [true: [], false: []]
        for round in 1...rounds {
            for alone in [true, false] {
                let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-bench-\(UUID().uuidString.prefix(8))")
                workspaces.append(workspace)
                let store = try SQLitePilotStore(path: workspace.appendingPathComponent(".pilot/pilot.db").path)
                let pilots = alone ? reports : (reports + Self.daysTogether - 1) / Self.daysTogether
                try store.write { transaction in
                    for index in 0..<pilots {
                        var pilot = record
                        pilot.threadID = "bench-\(index)"
                        try transaction.savePilot(pilot)
                    }
                }
                try admin.purgeQueue(stage.queue)
                var ids: [String] = []
                ids.reserveCapacity(reports)
                for index in 0..<reports {
                    let thread = "bench-\(alone ? index : index / Self.daysTogether)"
                    let day = alone ? 11 : index % Self.daysTogether + 1
                    let event = try examples.event("pilot.metrics", thread: thread) { $0["day"] = .int(Int64(day)) }
                    ids.append(event.id)
                    try admin.publish(Publication(event: event, timestamp: 0))
                    if index % 1000 == 999 { try admin.waitForConfirms() }
                }
                try admin.waitForConfirms()

                let start = ContinuousClock.now
                let cpuStart = NoopStageBenchmark.processCPU()
                // One consumer, whatever the default: the wait below relies on it.
                let worker = BenchWorker(url: url, stage: stage, concurrency: 1, contracts: contracts) { _ in
                    PilotStages.definition(of: .monitoring)
                }
                let task = Task { try await worker.run(store: store, workspace: Workspace(root: workspace)) }
                // One consumer commits its batches in order: the last report in means all are.
                let last = ids[ids.count - 1]
                while try !store.read({ try $0.isHandled(eventID: last) }) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                let elapsed = (ContinuousClock.now - start).seconds
                let cpuEnd = NoopStageBenchmark.processCPU()
                task.cancel()
                try await task.value
                let missing = try store.read { reader in try ids.filter { try !reader.isHandled(eventID: $0) }.count }
                guard missing == 0 else {
                    throw TickBenchmarkError(description: "\(missing) of \(reports) reports were not handled (retried or dead-lettered)")
                }
                let cpu = (cpuEnd.user + cpuEnd.system - cpuStart.user - cpuStart.system) * 1e6 / Double(reports)
                perReport[alone]!.append(cpu)
                say(String(format: "round %d, %@: %.2f s, %.0f reports/s, CPU %.0f µs a report", round,
                    alone ? "each report alone with its pilot (\(pilots) pilots)" : "30 reports a pilot together (\(pilots) pilots)",
                    elapsed, Double(reports) / elapsed, cpu))
            }
        }
        let alone = median(perReport[true]!)
        let together = median(perReport[false]!)
        say(String(format: "median CPU a report: alone %.0f µs, together %.0f µs: %.2f× (%.0f µs more a report alone)",
            alone, together, alone / together, alone - together))
    }
}
