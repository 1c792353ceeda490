import Foundation
import PilotJSON
import PilotStages
import PilotStore

/// The commit's save of a pilot its events left as they found it (a day's metrics, a
/// feedback response): the whole record written again (`savePilot`, what every event did
/// until `touchPilot`) against its version moved on alone (`touchPilot`). A SQLite store
/// in `TMPDIR` holds `pilots` pilots with the state a real pilot has on day 10 of its
/// monitoring (walked through the stages in process); each round saves every pilot once,
/// 20 to a write transaction as a consumer's batch does, in a shuffled order.
struct StoreBenchmark {
    var pilots: Int
    var rounds: Int

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-bench-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLitePilotStore(path: folder.appendingPathComponent("pilot.db").path)
        let record = try Self.pilotOnDayTen()
        var versions = [Int64](repeating: 0, count: pilots)
        for first in stride(from: 0, to: pilots, by: 500) {
            try store.write { transaction in
                for index in first..<min(first + 500, pilots) {
                    var pilot = record
                    pilot.threadID = "bench-\(index)"
                    versions[index] = try transaction.savePilot(pilot).version
                }
            }
        }
        say("\(pilots) pilots in \(folder.path), state \(record.state.serializedBytes().count) bytes; each round saves every pilot once, 20 to a transaction")
        var generator = SystemRandomNumberGenerator()
        var saves: [Double] = []
        var touches: [Double] = []
        for round in 1...rounds {
            let order = (0..<pilots).shuffled(using: &generator)
            let save = try time(order) { transaction, index in
                var pilot = record
                pilot.threadID = "bench-\(index)"
                pilot.version = versions[index]
                versions[index] = try transaction.savePilot(pilot).version
            }
            let touch = try time(order) { transaction, index in
                versions[index] = try transaction.touchPilot(threadID: "bench-\(index)", version: versions[index])
            }
            saves.append(save)
            touches.append(touch)
            say(String(format: "round %d: the whole record %.1f µs a pilot, the version alone %.1f µs (%.2f×)", round, save, touch, touch / save))
        }
        let save = saves.sorted()[rounds / 2]
        let touch = touches.sorted()[rounds / 2]
        say(String(format: "median: the whole record %.1f µs a pilot, the version alone %.1f µs: %.2f× the time", save, touch, touch / save))

        /// Microseconds a pilot for saving every pilot of `order` with `save`.
        func time(_ order: [Int], _ save: (any PilotStoreTransaction, Int) throws -> Void) throws -> Double {
            let started = ContinuousClock.now
            for first in stride(from: 0, to: order.count, by: 20) {
                try store.write { transaction in
                    for index in order[first..<min(first + 20, order.count)] { try save(transaction, index) }
                }
            }
            let elapsed = (ContinuousClock.now - started).components
            return (Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) * 1e-12) / Double(order.count)
        }
    }

    /// The record of a pilot walked in process from its request to its tenth daily tick.
    static func pilotOnDayTen() throws -> PilotRecord {
        let examples = try TickBenchmark.Examples()
        var walk = TickBenchmark.Walk(thread: "bench")
        let agreement = try walk.handle(.agreement, examples.event("pilot.requested", thread: walk.thread))
        guard let generated = agreement.events.first(where: { $0.event.type == "pilot.agreement.generated" })?.event else {
            throw TickBenchmarkError(description: "the agreement stage announced no agreement")
        }
        try walk.handle(.kickoff, generated)
        try walk.handle(.monitoring, examples.event("pilot.signed", thread: walk.thread))
        for day in 1...10 {
            try walk.handle(.monitoring, examples.event("pilot.metrics", thread: walk.thread) { $0["day"] = .int(Int64(day)) })
            try walk.handle(.monitoring, TickBenchmark.Examples.tick(day: day, thread: walk.thread))
        }
        guard let pilot = walk.snapshot.pilot else { throw TickBenchmarkError(description: "the walk left no pilot") }
        return PilotRecord(
            threadID: walk.thread, stage: pilot.stage, status: pilot.status, state: pilot.state,
            createdAt: "2026-11-25T09:00:00Z", updatedAt: "2026-12-05T09:00:00Z")
    }
}
