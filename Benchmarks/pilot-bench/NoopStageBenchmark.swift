import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotRuntime
import ServiceLifecycle

/// No-op stage (consume, parse and check the envelope, publish the next event with
/// confirms, ack) against the plain rabbitmq-c loop, alternating runs in one invocation.
struct NoopStageBenchmark {
    var url: AMQPURL
    var messages: Int
    var prefetch: UInt16
    var rounds: Int

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
        let sample = Self.sampleEvent()
        print("message body: \(sample.count) bytes, \(messages) messages per run, prefetch \(prefetch), quorum queues")

        var plainRates: [Double] = []
        var runtimeRates: [Double] = []
        for round in 1...rounds {
            try fill(admin, queue: Self.plainInput, body: sample)
            let plain = try await timed(admin) {
                PlainLoop.run(host: url.host, port: Int32(url.port), input: Self.plainInput, exchange: Topology.exchange, routingKey: "pilot.echoed", count: messages, prefetch: prefetch)
            }
            try fill(admin, queue: Stage.all[0].queue, body: sample)
            let runtime = try await timed(admin) { try await runWorker() }
            plainRates.append(Double(messages) / plain)
            runtimeRates.append(Double(messages) / runtime)
            print(String(format: "round %d: plain rabbitmq-c %.0f msg/s, pilot runtime %.0f msg/s, ratio %.2f",
                         round, plainRates.last!, runtimeRates.last!, runtimeRates.last! / plainRates.last!))
        }
        let plain = plainRates.sorted()[plainRates.count / 2]
        let runtime = runtimeRates.sorted()[runtimeRates.count / 2]
        print(String(format: "median: plain %.0f msg/s, runtime %.0f msg/s, ratio %.2f (target >= 0.90)", plain, runtime, runtime / plain))
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

    /// Seconds from starting `body` until `bench.out` holds every message.
    private func timed(_ admin: AMQPConnection, _ body: @escaping @Sendable () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        let task = Task { try await body() }
        while try admin.declareQueue(Self.output, passive: true).messages < messages {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - start
        task.cancel()
        try await task.value
        return Double(elapsed.milliseconds) / 1000
    }

    /// The runtime's consumer with the echo handler, until `bench.out` is full.
    private func runWorker() async throws {
        var configuration = WorkerConfiguration(amqpURL: url)
        configuration.stages = [Stage.all[0]]
        configuration.prefetch = prefetch
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let worker = WorkerService(configuration: configuration, logger: logger) { _ in EchoHandler() }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        try await withTaskCancellationHandler {
            try await group.run()
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// A realistic ~1 KB pilot.requested event.
    static func sampleEvent() -> [UInt8] {
        let data: JSONValue = [
            "lead": [
                "company": ["name": "Acme Analytics", "domain": "acme.example", "industry": "logistics", "size": "200-500"],
                "contacts": [["name": "Dana Roe", "email": "dana@acme.example", "title": "CTO", "technical": true]],
                "timezone": "Europe/Berlin",
            ],
            "founder": ["name": "Sam Founder", "email": "sam@pilot.example"],
            "qualification": [
                "pain_points": ["manual triage", "slow reporting"],
                "technical_targets": ["latency_p95_ms": 300, "accuracy_pct": 95, "uptime_pct": 99.5, "error_rate_pct": 1],
                "baseline": ["hours_per_week": 40, "hourly_cost": 60, "currency": "EUR"],
                "expected_improvement_pct": 30, "satisfaction_target_nps": 30, "roi_target_pct": 100,
            ],
            "terms": [
                "duration_days": 30, "support_level": "daily_checkins",
                "use_cases": [
                    ["title": "Ticket triage", "description": "Route inbound tickets automatically"],
                    ["title": "Weekly report", "description": "Generate the weekly ops report"],
                    ["title": "Anomaly alerts", "description": "Flag unusual delivery delays"],
                ],
                "pricing": ["model": "discounted", "list_price_annual": 24000, "discount_pct": 20, "currency": "EUR"],
            ],
        ]
        return CloudEvent(
            id: "0b6c7c1e-8d1f-4f55-a2a1-5d3f3c2b1a00", source: "/crm", type: "pilot.requested", subject: "acme-2026-11",
            time: "2026-11-25T09:00:00Z", causationID: nil, data: data
        ).document.serializedBytes()
    }
}
