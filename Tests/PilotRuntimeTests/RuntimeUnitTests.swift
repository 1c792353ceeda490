import Foundation
import PilotAMQP
import Testing

@testable import PilotRuntime
import PilotStageAPI

@Suite struct RuntimeUnitTests {
    @Test func derivedIDsArePureAndDistinct() {
        let a = DerivedID.make(cause: "e1", type: "pilot.agreement.generated")
        #expect(a == DerivedID.make(cause: "e1", type: "pilot.agreement.generated"))
        #expect(a != DerivedID.make(cause: "e2", type: "pilot.agreement.generated"))
        #expect(a != DerivedID.make(cause: "e1", type: "crm.update"))
        #expect(a != DerivedID.make(cause: "e1", type: "pilot.agreement.generated", discriminator: "2"))
        #expect(a.count == 36 && Array(a)[14] == "5")
    }

    @Test(arguments: [
        ("acme-2026-11", true), ("a", true), ("A.b_c-9", true), (String(repeating: "x", count: 128), true),
        ("", false), ("-a", false), (".a", false), ("a..b", false), ("a/b", false), ("a\u{0}b", false),
        (String(repeating: "x", count: 129), false), ("é", false), ("a b", false), ("a\nb", false),
    ])
    func threadIDs(id: String, valid: Bool) {
        #expect(ThreadID.isValid(id) == valid)
    }

    @Test func durations() {
        #expect(Duration(parsing: "250ms") == .milliseconds(250))
        #expect(Duration(parsing: "10s") == .seconds(10))
        #expect(Duration(parsing: "5m") == .seconds(300))
        #expect(Duration(parsing: "1.5") == .milliseconds(1500))
        #expect(Duration(parsing: "x") == nil)
        #expect(Duration.list(parsing: "1s,10s,60s,5m") == [.seconds(1), .seconds(10), .seconds(60), .seconds(300)])
        #expect(Topology.delayTierName(.seconds(60)) == "pilot.retry.1m")
        #expect(Topology.delayTierName(.milliseconds(1500)) == "pilot.retry.1500ms")
    }

    @Test func backoffGrowsWithJitterUpToTheCap() {
        var backoff = Backoff(initial: .milliseconds(100), cap: .seconds(1))
        var waits: [Duration] = []
        for _ in 0..<8 { waits.append(backoff.next()) }
        #expect(waits[0] >= .milliseconds(50) && waits[0] <= .milliseconds(100))
        #expect(waits.allSatisfy { $0 <= .seconds(1) })
        #expect(waits[7] >= .milliseconds(500))
        backoff.reset()
        #expect(backoff.ceiling == .milliseconds(100))
    }

    /// A session that fails as soon as it is up (a delivery it cannot dead-letter) must
    /// not reconnect at the first wait for ever; one that lasted starts the waits over.
    @Test func sessionsThatEndAtOnceWaitLongerEachTime() {
        var pacing = ReconnectPacing(backoff: Backoff(initial: .milliseconds(100), cap: .seconds(5)))
        let start = ContinuousClock.now
        var waits: [Duration] = []
        for round in 0..<7 {
            let up = start + .seconds(round * 10)
            pacing.connected(at: up)
            waits.append(pacing.lost(at: up + .milliseconds(30)))
        }
        #expect(pacing.backoff.ceiling == .seconds(5))
        #expect(waits[6] >= .milliseconds(2_500), "\(waits)")
        // A connection attempt that fails (no session at all) counts as an early end too.
        #expect(pacing.lost(at: start + .seconds(100)) >= .milliseconds(2_500))

        pacing.connected(at: start + .seconds(200))
        let afterALongSession = pacing.lost(at: start + .seconds(200) + pacing.stableAfter)
        #expect(afterALongSession <= .milliseconds(100))
    }

    @Test func urlsNeverShowTheirPassword() throws {
        let url = try AMQPURL("amqps://pilot:s3cret@broker.example:5671/prod")
        #expect(url.tls && url.port == 5671 && url.vhost == "prod" && url.password == "s3cret")
        #expect(!url.description.contains("s3cret"))
        let error = #expect(throws: AMQPError.self) { try AMQPURL("http://pilot:s3cret@host") }
        #expect(error.map { !$0.description.contains("s3cret") } == true)
        #expect(try AMQPURL("amqp://guest:guest@127.0.0.1:5672/%2f").vhost == "/")
    }
}

@Suite struct ContentTypeTests {
    @Test(arguments: [nil, "", "application/cloudevents+json", "application/json", "Application/JSON; charset=UTF-8", "application/cloudevents+json;charset=\"utf-8\""])
    func acceptsJSONInUTF8OrNothingSaid(_ value: String?) {
        #expect(ContentType.problem(with: value) == nil)
    }

    @Test(arguments: ["text/plain", "application/xml", "application/cloudevents-batch+json", "application/json; charset=latin1", ";", ";;", " ; "])
    func refusesEverythingElse(_ value: String) {
        #expect(ContentType.problem(with: value)?.contains(value) == true)
    }
}
