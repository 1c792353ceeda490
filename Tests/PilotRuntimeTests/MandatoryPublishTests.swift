import Foundation
import Logging
@testable import PilotAMQP
import PilotJSON
@testable import PilotRuntime
import PilotStore
import PilotTestKit
import Synchronization
import Testing

/// The broker confirms a message that no queue took as readily as one it stored. A
/// mandatory message comes back instead (`basic.return`, before its ack), and the confirm
/// wait then fails, so whoever published it does not ack what caused it.
@Suite(.live) struct MandatoryPublishTests {
    func connection() async throws -> AMQPConnection {
        let broker = try await TestBroker.shared
        let connection = try AMQPConnection(url: AMQPURL(broker.url()))
        try connection.enableConfirms()
        return connection
    }

    let properties = AMQPProperties(contentType: "application/octet-stream", messageID: "m")

    @Test func aMessageNoQueueTakesIsConfirmedUnlessItIsMandatory() async throws {
        let connection = try await connection()
        defer { connection.close() }
        let missing = "missing-\(UUID().uuidString.prefix(8))"
        // The hazard: confirmed, and gone.
        try connection.publish(exchange: "", routingKey: missing, properties: properties, body: [1])
        try connection.waitForConfirms(timeout: 10)

        try connection.publish(exchange: "", routingKey: missing, properties: properties, body: [2], mandatory: true)
        let error = try #require(throws: AMQPError.self) { try connection.waitForConfirms(timeout: 10) }
        #expect(error.kind == .returned)

        // The return comes with every confirm in, on a channel the broker left open: the
        // same connection goes on (pilot-web's publishers keep theirs after a return).
        let queue = "present-\(UUID().uuidString.prefix(8))"
        try connection.declareQueue(queue, transient: true)
        try connection.publish(exchange: "", routingKey: queue, properties: properties, body: [3], mandatory: true)
        try connection.waitForConfirms(timeout: 10)
        #expect(try connection.declareQueue(queue, passive: true).messages == 1)
    }

    /// Which messages of a batch came back: the others reached their queue, and pilot-web
    /// answers their requests 202 rather than fail the whole batch.
    @Test func aReturnNamesTheMessagesThatCameBack() async throws {
        let connection = try await connection()
        defer { connection.close() }
        let queue = "present-\(UUID().uuidString.prefix(8))"
        try connection.declareQueue(queue, transient: true)
        let missing = "missing-\(UUID().uuidString.prefix(8))"
        for (index, routingKey) in [queue, missing, queue, missing].enumerated() {
            let properties = AMQPProperties(contentType: "application/octet-stream", messageID: "m-\(index)")
            try connection.publish(exchange: "", routingKey: routingKey, properties: properties, body: Array(repeating: 7, count: 300_000), mandatory: true)
        }
        try connection.publish(exchange: "", routingKey: missing, properties: AMQPProperties(contentType: "text/plain"), body: [1], mandatory: true)
        let error = try #require(throws: AMQPError.self) { try connection.waitForConfirms(timeout: 10) }
        #expect(error.kind == .returned)
        #expect(error.returnedMessageIDs == ["m-1", "m-3", nil])
        #expect(try connection.declareQueue(queue, passive: true).messages == 2)
        // Read whole, bodies of several frames and all: the connection goes on.
        try connection.publish(exchange: "", routingKey: queue, properties: properties, body: [3], mandatory: true)
        try connection.waitForConfirms(timeout: 10)
        #expect(try connection.declareQueue(queue, passive: true).messages == 3)
    }

    @Test func theNonBlockingCheckReportsTheReturnToo() async throws {
        let connection = try await connection()
        defer { connection.close() }
        let sequence = try connection.publish(
            exchange: "", routingKey: "missing-\(UUID().uuidString.prefix(8))", properties: properties, body: [1], mandatory: true)
        var outcome: Result<Bool, AMQPError> = .success(false)
        try await waitUntil("the return or the confirm of a mandatory message", timeout: .seconds(10), interval: .milliseconds(5)) {
            outcome = Result { () throws(AMQPError) in try connection.isConfirmed(upTo: sequence) }
            return (try? outcome.get()) != false
        }
        guard case .failure(let error) = outcome else {
            Issue.record("a mandatory message no queue took was confirmed as if stored")
            return
        }
        #expect(error.kind == .returned)
    }

    @Test func publicationsToNamedQueuesRetryTiersAndStagesAreMandatoryOtherEventsAreNot() {
        let properties = AMQPProperties(contentType: "application/cloudevents+json", messageID: "m")
        func publication(_ exchange: String, _ routingKey: String = "k") -> Publication {
            Publication(exchange: exchange, routingKey: routingKey, properties: properties, body: [])
        }
        #expect(publication("").mustReachAQueue)
        #expect(publication(Topology.delayTierName(.seconds(5))).mustReachAQueue)
        for type in ["pilot.agreement.generated", "pilot.results.requested", "pilot.results.compiled", "pilot.requested"] {
            #expect(publication(Topology.exchange, type).mustReachAQueue, "a stage takes \(type)")
        }
        for type in ["crm.update", "email.send", "action.create", "pilot.completed"] {
            #expect(!publication(Topology.exchange, type).mustReachAQueue, "no stage of every worker takes \(type)")
        }
        #expect(!publication("elsewhere", "pilot.requested").mustReachAQueue)
    }
}

/// The outbox relay against a real broker: a row for a stage whose queue is gone comes
/// back instead of being confirmed and dropped; the rows published with it are marked sent
/// (not sent again with it), and the relay's reconnect puts the queue back.
@Suite(.live, .timeLimit(.minutes(2))) struct OutboxRelayTests {
    @Test func aRowWhoseQueueWasDeletedStaysUntilTheRelayDeclaredItAgain() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost()
        defer { Task { await vhost.delete() } }
        let store = try SQLitePilotStore(path: vhost.workspace.appendingPathComponent("pilot.db").path)
        var configuration = WorkerConfiguration(amqpURL: try AMQPURL(vhost.url))
        configuration.stages = [Stage.all[0]]
        var effects = Effects(store: store, documents: Workspace(root: vhost.workspace))
        effects.relayInterval = .milliseconds(100)
        let admin = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { admin.close() }
        // Declared before: what puts the deleted queue back is the relay's reconnect.
        try configuration.topology.declare(on: admin)
        let stop = StopSignal()
        let log = RecordedLog()
        let relay = OutboxRelay(configuration: configuration, effects: effects, stop: stop, logger: log.logger("relay-test"))
        let ended = Mutex(false)
        Thread {
            relay.run()
            ended.withLock { $0 = true }
        }.start()
        defer { stop.stop() }
        func row(_ id: String, _ type: String) -> OutboxMessage {
            OutboxMessage(
                eventID: id, threadID: "acme-1", exchange: Topology.exchange, routingKey: type, headers: JSONObject(),
                body: Array(#"{"id":"\#(id)"}"#.utf8), createdAt: "2026-11-25T09:00:00Z")
        }
        func exists(_ queue: String) -> Bool {
            guard let connection = try? AMQPConnection(url: AMQPURL(vhost.url)) else { return false }
            defer { connection.close() }
            return (try? connection.declareQueue(queue, passive: true)) != nil
        }
        // A first row relayed proves the relay connected and declared everything; the
        // queue is deleted only then, while the relay stays connected.
        try store.write { try $0.enqueue([row("first", "crm.update")]) }
        try await waitUntil("the first row relayed") { try store.read { try $0.pendingOutboxCount() } == 0 }
        _ = try await TestBroker.shared.management("DELETE", "/api/queues/\(vhost.name)/pilot.stage.kickoff", body: nil)
        #expect(!exists("pilot.stage.kickoff"))

        try store.write { try $0.enqueue([row("to-kickoff", "pilot.agreement.generated"), row("to-results", "pilot.results.requested")]) }
        try await waitUntil("both rows marked sent", timeout: .seconds(60)) { try store.read { try $0.pendingOutboxCount() } == 0 }
        #expect(try admin.declareQueue("pilot.stage.kickoff", passive: true).messages == 1, "the returned row, once")
        #expect(try admin.get(queue: "pilot.stage.kickoff")?.properties.messageID == "to-kickoff")
        #expect(try admin.declareQueue("pilot.stage.results", passive: true).messages == 1, "the row that got through, not sent again")
        #expect(log.contains("no queue took 1 outbox row(s) (to-kickoff to pilot.events pilot.agreement.generated)"), "\(log.all)")
        stop.stop()
        try await waitUntil("the relay's end") { ended.withLock { $0 } }
    }
}
