import Contracts
import ArgumentParser
import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import ServiceLifecycle

/// No-op stage (consume, parse and check the envelope, publish the next event with
/// confirms, ack) against the plain rabbitmq-c loop, alternating runs in one invocation.
struct NoopStageBenchmark {
    var url: AMQPURL
    var messages: Int
    var prefetch: UInt16
    var rounds: Int
    var contracts: Contracts

    static let output = "bench.out"
    static let plainInput = "bench.plain.in"

    func run() async throws {
        let admin = try AMQPConnection(url: url)
        try admin.enableConfirms()
        let topology = Topology(stages: [Stage.all[0]])
        try topology.declare(on: admin)
        let quorum: [(String, AMQPFieldValue)] = [("x-queue-type", .string("quorum"))]
        for queue in [Self.output, Self.plainInput] { try admin.declareQueue(queue, arguments: quorum) }
        try admin.bindQueue(Self.output, exchange: Topology.exchange, routingKey: "pilot.echoed")
        let sample = try Self.sampleEvent()
        say("message body: \(sample.count) bytes, \(messages) messages per run, prefetch \(prefetch), quorum queues")

        var plainRates: [Double] = []
        var runtimeRates: [Double] = []
        var plainCPU: [Double] = []
        var runtimeCPU: [Double] = []
        for round in 1...rounds {
            try fill(admin, queue: Self.plainInput, body: sample)
            let plain = try await timed(admin) {
                PlainLoop.run(host: url.host, port: Int32(url.port), input: Self.plainInput, exchange: Topology.exchange, routingKey: "pilot.echoed", count: messages, prefetch: prefetch)
            }
            try fill(admin, queue: Stage.all[0].queue, body: sample)
            let runtime = try await timed(admin) { try await runWorker() }
            plainRates.append(Double(messages) / plain.seconds)
            runtimeRates.append(Double(messages) / runtime.seconds)
            plainCPU.append(plain.cpuSeconds * 1e6 / Double(messages))
            runtimeCPU.append(runtime.cpuSeconds * 1e6 / Double(messages))
            say(String(format: "round %d: plain rabbitmq-c %.0f msg/s, pilot runtime %.0f msg/s, ratio %.2f; client CPU per message: plain %.1f µs, runtime %.1f µs",
                         round, plainRates.last!, runtimeRates.last!, runtimeRates.last! / plainRates.last!, plainCPU.last!, runtimeCPU.last!))
        }
        let plain = plainRates.sorted()[plainRates.count / 2]
        let runtime = runtimeRates.sorted()[runtimeRates.count / 2]
        say(String(format: "median: plain %.0f msg/s, runtime %.0f msg/s, ratio %.2f (target >= 0.90); client CPU per message: plain %.1f µs, runtime %.1f µs",
                     plain, runtime, runtime / plain, plainCPU.sorted()[plainCPU.count / 2], runtimeCPU.sorted()[runtimeCPU.count / 2]))
    }

    /// Pre-loads `queue` with `messages` copies of the sample, confirmed.
    private func fill(_ admin: AMQPConnection, queue: String, body: [UInt8]) throws {
        try admin.purgeQueue(queue)
        try admin.purgeQueue(Self.output)
        for index in 0..<messages {
            var props = AMQPProperties(contentType: "application/cloudevents+json", messageID: "bench-\(index)", type: "pilot.requested")
            props.persistent = true
            try admin.publish(exchange: "", routingKey: queue, properties: props, body: body)
            if index % 1000 == 999 { try admin.waitForConfirms() }
        }
        try admin.waitForConfirms()
    }

    /// Seconds from starting `body` until `bench.out` holds every message, and the CPU
    /// this process used meanwhile. The CPU is the steadier figure: the broker's disk
    /// makes the rate of one round differ from the next by up to 2x on this machine.
    private func timed(_ admin: AMQPConnection, _ body: @escaping @Sendable () async throws -> Void) async throws -> (seconds: Double, cpuSeconds: Double) {
        let cpuStart = Self.processCPUSeconds()
        let start = ContinuousClock.now
        let task = Task { try await body() }
        while try admin.declareQueue(Self.output, passive: true).messages < messages {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - start
        task.cancel()
        try await task.value
        return (Double(elapsed.milliseconds) / 1000, Self.processCPUSeconds() - cpuStart)
    }

    /// User and system CPU of this process so far.
    static func processCPUSeconds() -> Double {
        let cpu = processCPU()
        return cpu.user + cpu.system
    }

    /// User and system CPU of this process so far, apart.
    static func processCPU() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// The runtime's consumer with the echo handler, until `bench.out` is full.
    private func runWorker() async throws {
        var configuration = WorkerConfiguration(amqpURL: url)
        configuration.stages = [Stage.all[0]]
        configuration.prefetch = prefetch
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let worker = WorkerService(configuration: configuration, logger: logger, contracts: contracts) { EchoStage.definition(for: $0) }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        try await withTaskCancellationHandler {
            try await group.run()
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// The sample pilot of `examples/`, with a fixed id and time.
    static func sampleEvent() throws -> [UInt8] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/pilot.requested.json").standardized.path
        guard let data = FileManager.default.contents(atPath: path), var object = try JSONValue(parsing: Array(data)).object else {
            throw ValidationError("cannot read \(path)")
        }
        object["id"] = "0b6c7c1e-8d1f-4f55-a2a1-5d3f3c2b1a00"
        object["time"] = "2026-11-25T09:00:00Z"
        return JSONValue.object(object).serializedBytes()
    }
}
