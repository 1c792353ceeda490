import ArgumentParser
import Foundation
import PilotObjectStore
import PilotRuntime
import PilotStageAPI

/// A batch's documents put into the object store (`PILOT_DOCUMENTS=s3://…` and its
/// variables, as the worker reads them): one PUT after another, as every batch did
/// before, against `S3DocumentStore`'s side-by-side PUTs. Each round stages `documents`
/// documents of 1.5 kB (a day's snapshot) in batches of 100 with each width, alternating
/// which goes first; the median of the rounds is reported.
struct PutsBenchmark {
    var documents: Int
    var rounds: Int

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard var store = try DocumentStoreFactory.make(environment: environment, workspace: URL(fileURLWithPath: "/nonexistent"))
            as? S3DocumentStore
        else { throw ValidationError("puts needs PILOT_DOCUMENTS=s3://… (Benchmarks/run.sh puts starts a store)") }
        let run = "bench-\(UUID().uuidString.prefix(8))"
        let batches = stride(from: 0, to: documents, by: 100).map { first in
            (first..<min(first + 100, documents)).map { index in
                Document(path: "threads/sales/\(run)-\(index % 50)/monitoring/day-\(index).json", bytes: Array(repeating: UInt8(ascii: "a"), count: 1_500))
            }
        }
        let parallel = store.parallelPuts
        say("\(documents) documents of 1.5 kB a round in batches of 100 to \(store.location); \(rounds) rounds")
        var ratios: [Double] = []
        var sequentialRates: [Double] = []
        var parallelRates: [Double] = []
        for round in 1...rounds {
            var seconds: [Int: Double] = [:]
            for width in round % 2 == 1 ? [1, parallel] : [parallel, 1] {
                store.parallelPuts = width
                let start = ContinuousClock.now
                for batch in batches { _ = try store.stage(batch) }
                seconds[width] = (ContinuousClock.now - start).seconds
            }
            let one = seconds[1]!, side = seconds[parallel]!
            sequentialRates.append(Double(documents) / one)
            parallelRates.append(Double(documents) / side)
            ratios.append(one / side)
            say(String(format: "round %d: one at a time %.0f documents/s, %d side by side %.0f documents/s: %.2f×", round,
                Double(documents) / one, parallel, Double(documents) / side, one / side))
        }
        say(String(format: "median: one at a time %.0f documents/s, side by side %.0f documents/s, %.2f× (rounds %.2f–%.2f)",
            median(sequentialRates), median(parallelRates), median(ratios), ratios.min()!, ratios.max()!))
    }
}
