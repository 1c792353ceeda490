import Foundation
import Hummingbird
import HummingbirdTesting
import PilotJSON
import PilotTestKit
import Testing

/// pilot-web with a broker of its own that goes away and comes back: not ready and
/// 503 meanwhile, then the publisher threads reconnect by themselves.
@Suite(.serialized, .live) struct BrokerOutageTests {
    func waitFor(_ client: any TestClientProtocol, readyz status: HTTPResponse.Status) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await client.execute(uri: "/readyz", method: .get).status == status { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func aBrokerRestartGives503ThenReconnects() async throws {
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        let probe = try QueueProbe(url: broker.url())
        try probe.tap("tap.outage", routingKeys: ["pilot.signed"])
        nonisolated(unsafe) let probeRef = probe
        try await Fixtures.app(amqpURL: broker.url()).test(.live) { client in
            func post(_ id: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/events", method: .post, headers: Fixtures.eventHeaders,
                    body: ByteBuffer(bytes: Fixtures.signedEvent(id: id).serializedBytes()))
            }
            #expect(try await waitFor(client, readyz: .ok))
            #expect(try await post("before").status == .accepted)

            try await broker.stopNode()
            #expect(try await waitFor(client, readyz: .serviceUnavailable))
            let during = try await post("during")
            #expect(during.status == .serviceUnavailable)
            #expect(during.headers[.retryAfter] != nil)

            try await broker.startNode()
            #expect(try await waitFor(client, readyz: .ok))
            #expect(try await post("after").status == .accepted)
            try probeRef.reconnect()
            let ids = try await probeRef.take(2, from: "tap.outage").map(\.properties.messageID)
            #expect(ids == ["before", "after"])
        }
    }

    /// The first two nodes of the list are gone (nothing listens there), and each of the
    /// two publishers starts on one of them: they go on to the third, and events are
    /// published there.
    @Test func aNodeListSkipsANodeThatIsGone() async throws {
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        let probe = try QueueProbe(url: broker.url())
        try probe.tap("tap.nodes", routingKeys: ["pilot.signed"])
        nonisolated(unsafe) let probeRef = probe
        let gone = (0..<2).map { _ in "amqp://guest:guest@127.0.0.1:\(freeLoopbackPort())/%2f" }
        try await Fixtures.app(amqpURL: (gone + [broker.url()]).joined(separator: ",")).test(.live) { client in
            #expect(try await waitFor(client, readyz: .ok))
            let response = try await client.execute(
                uri: "/events", method: .post, headers: Fixtures.eventHeaders,
                body: ByteBuffer(bytes: Fixtures.signedEvent(id: "via-second-node").serializedBytes()))
            #expect(response.status == .accepted)
            let ids = try await probeRef.take(1, from: "tap.nodes").map(\.properties.messageID)
            #expect(ids == ["via-second-node"])
        }
    }
}
