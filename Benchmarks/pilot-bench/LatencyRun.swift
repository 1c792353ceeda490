import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import Synchronization

/// Latency at a steady rate below saturation: pilots published at `rate` per second on
/// one connection, the stage's output consumed on another, each answer matched to its
/// request through `causationid`. A saturated queue measures waiting, not the worker.
struct LatencyRun {
    var url: AMQPURL
    var rate: Double
    var count: Int
    var output: String
    var makeEvent: (Int) throws -> CloudEvent

    struct Result {
        var p50: Double
        var p99: Double
        var max: Double
        var received: Int
    }

    func run() throws -> Result {
        let sentAt = Mutex<[String: ContinuousClock.Instant]>([:])
        let latencies = Mutex<[Double]>([])
        let box = ConnectionBox(try AMQPConnection(url: url))
        try box.connection.consume(queue: output, prefetch: 500)
        let done = Atomic<Bool>(false)
        let count = count, rate = rate
        let reader = Thread {
            let consumer = box.connection
            let deadline = ContinuousClock.now + .seconds(Int64(Double(count) / rate) + 60)
            var seen = 0
            while seen < count, ContinuousClock.now < deadline {
                guard let delivery = try? consumer.nextDelivery(timeout: 0.1) else { continue }
                let now = ContinuousClock.now
                try? consumer.ack(delivery.deliveryTag, multiple: false)
                guard let cause = (try? JSONValue(parsing: delivery.body))?["causationid"]?.string,
                      let start = sentAt.withLock({ $0[cause] }) else { continue }
                let elapsed = now - start
                latencies.withLock { $0.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
                seen += 1
            }
            done.store(true, ordering: .releasing)
        }
        reader.start()

        let publisher = try AMQPConnection(url: url)
        try publisher.enableConfirms()
        let start = ContinuousClock.now
        let interval = 1.0 / rate
        for index in 0..<count {
            let due = start + .milliseconds(Int64(Double(index) * interval * 1000))
            let wait = due - ContinuousClock.now
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
            let event = try makeEvent(index)
            sentAt.withLock { $0[event.id] = ContinuousClock.now }
            try publisher.publish(Publication(event: event, timestamp: 0))
            if index % 50 == 49 { try publisher.waitForConfirms() }
        }
        try publisher.waitForConfirms()
        while !done.load(ordering: .acquiring) { Thread.sleep(forTimeInterval: 0.05) }
        publisher.close()
        box.connection.close()
        let sorted = latencies.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { return Result(p50: .nan, p99: .nan, max: .nan, received: 0) }
        func quantile(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return Result(p50: quantile(0.5), p99: quantile(0.99), max: sorted.last!, received: sorted.count)
    }
}

/// Hands a connection to the one thread that uses it from then on.
private final class ConnectionBox: @unchecked Sendable {
    let connection: AMQPConnection
    init(_ connection: AMQPConnection) { self.connection = connection }
}
