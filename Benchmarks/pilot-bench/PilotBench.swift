import ArgumentParser
import Foundation
import Contracts
import PilotAMQP

@main
struct PilotBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot-bench",
        abstract: "Benchmarks of pilot-worker, each reported as a ratio against a baseline measured in the same run.",
        discussion: "Run through Benchmarks/run.sh, which builds in release mode and starts a private broker.")

    @Option(help: "Broker URL (a private, otherwise idle broker: queues are purged).")
    var amqpURL = "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "Messages per run.")
    var messages = 20_000

    @Option(help: "Prefetch of both loops.")
    var prefetch = 200

    @Option(help: "Consumers per stage in the worker (agreement).")
    var concurrency = 1

    @Option(help: "Alternating rounds of baseline and runtime; the median is reported.")
    var rounds = 3

    @Argument(help: "Benchmark to run: noop, agreement, reports (against a broker), process, validate, codec, render, tick, store or sweep (CPU and a store or folder only), puts (an object store: Benchmarks/run.sh puts).")
    var name = "noop"

    func run() async throws {
        let contracts = try Contracts.load(explicit: nil)
        if name == "process" { return try ProcessBenchmark(messages: messages, contracts: contracts).run() }
        if name == "validate" { return try ValidateBenchmark(messages: messages, contracts: contracts).run() }
        if name == "codec" { return try CodecBenchmark(messages: messages).run() }
        if name == "render" { return try RenderBenchmark(messages: messages).run() }
        if name == "tick" { return try TickBenchmark(pilots: messages).run() }
        if name == "store" { return try StoreBenchmark(pilots: messages, rounds: rounds).run() }
        if name == "sweep" { return try SweepBenchmark(pilots: messages, rounds: rounds).run() }
        if name == "puts" { return try PutsBenchmark(documents: messages, rounds: rounds).run() }
        if name == "reports" {
            return try await ReportsBenchmark(url: AMQPURL(amqpURL), reports: messages, rounds: rounds, contracts: contracts).run()
        }
        if name == "agreement" {
            return try await AgreementStageBenchmark(
                url: AMQPURL(amqpURL), pilots: messages, prefetch: UInt16(prefetch), concurrency: concurrency, contracts: contracts).run()
        }
        guard name == "noop" else { throw ValidationError("unknown benchmark \(name); available: noop, agreement, reports, process, validate, codec, render, tick, store, sweep, puts") }
        try await NoopStageBenchmark(url: AMQPURL(amqpURL), messages: messages, prefetch: UInt16(prefetch), rounds: rounds, contracts: contracts).run()
    }
}

/// Prints a line at once: stdout is block-buffered into a pipe, and a benchmark cut
/// short must still show the rounds it finished.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The middle of a benchmark's rounds.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
