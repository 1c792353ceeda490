import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotTestKit
import Testing

@testable import PilotRuntime
import PilotStageAPI

/// The failure policy without a broker: one delivery in, the messages to publish out.
@Suite struct DeliveryProcessorTests {
    let stage = Stage.all[0]
    let logger = Logger(label: "test")

    func processor(_ definition: StageDefinition? = nil, policy: FailurePolicy = .init()) -> DeliveryProcessor {
        var processor = DeliveryProcessor(stage: stage, definition: definition ?? EchoStage.definition(for: stage), policy: policy)
        processor.clock = WallClock { Date(timeIntervalSince1970: 1_795_000_000) }
        return processor
    }

    /// A stage whose one route throws or returns what `body` does.
    func stageDefinition(_ body: @escaping @Sendable (CloudEvent) throws -> StageOutcome) -> StageDefinition {
        StageDefinition(stage.name) { $0.on("pilot.requested", raw: { event, _, _ in try body(event) }) }
    }

    func delivery(_ body: [UInt8], headers: [(String, AMQPFieldValue)] = [], routingKey: String = "pilot.requested") -> AMQPDelivery {
        AMQPDelivery(
            deliveryTag: 1, redelivered: false, exchange: "pilot.events", routingKey: routingKey,
            properties: AMQPProperties(messageID: "m1", headers: headers), body: body)
    }

    func event(_ type: String = "pilot.requested", data: JSONValue = [:], extensions: [(String, JSONValue)] = []) -> [UInt8] {
        var document = CloudEvent(
            id: "e1", source: "/t", type: type, subject: "acme-1", time: "2026-11-25T09:00:00Z", causationID: nil, data: data
        ).document.object!
        for (name, value) in extensions { document[name] = value }
        return JSONValue.object(document).serializedBytes()
    }

    @Test func handledEventPublishesDerivedEventWithContractProperties() throws {
        let (verdict, publications) = processor().processed(delivery(event()), logger: logger)
        #expect(verdict == .handled(events: 1))
        let published = try #require(publications.first)
        #expect(published.exchange == "pilot.events")
        #expect(published.routingKey == "pilot.echoed")
        #expect(published.properties.contentType == "application/cloudevents+json")
        #expect(published.properties.persistent)
        #expect(published.properties.correlationID == "acme-1")
        let body = try JSONValue(parsing: published.body)
        #expect(body["causationid"] == "e1")
        #expect(body["id"]?.string == published.properties.messageID)
        // A redelivered cause must yield the same derived id.
        let (_, again) = processor().processed(delivery(event()), logger: logger)
        #expect(again.first?.properties.messageID == published.properties.messageID)
    }

    @Test(arguments: [
        (Array("not json".utf8), "malformed_json"),
        (Array(#"{"specversion":"1.0"}"#.utf8), "invalid_envelope"),
        (Array(#"{"specversion":"0.3","id":"1","source":"/s","type":"pilot.requested","subject":"a","time":"t","data":{}}"#.utf8), "invalid_envelope"),
        (Array(#"{"specversion":"1.0","id":"1","source":"/s","type":"pilot.requested","subject":"a/../b","time":"t","data":{}}"#.utf8), "invalid_envelope"),
        (Array(#"{"specversion":"1.0","id":"1","source":"/s","type":"pilot.bogus","subject":"a","time":"t","data":{}}"#.utf8), "unknown_type"),
    ])
    func badBodiesAreDeadLetteredAtOnce(body: [UInt8], reason: String) throws {
        let (verdict, publications) = processor().processed(delivery(body), logger: logger)
        #expect(verdict == .dead(reason: reason))
        let dead = try #require(publications.first)
        #expect(publications.count == 1)
        #expect(dead.exchange == "")
        #expect(dead.routingKey == "pilot.stage.agreement.dead")
        #expect(dead.body == body)
        #expect(dead.properties.header("x-error-reason") == .string(reason))
        #expect(dead.properties.header("x-attempts") == .int(1))
        #expect(dead.properties.header("x-original-routing-key") == .string("pilot.requested"))
        #expect(dead.properties.header("x-first-failed-at")?.stringValue?.hasPrefix("2026-11-18T") == true)
        #expect(dead.properties.header("x-error-detail")?.stringValue?.isEmpty == false)
    }

    @Test func oversizedBodyIsDeadLetteredUnread() {
        var policy = FailurePolicy()
        policy.maxBodyBytes = 10
        let (verdict, publications) = processor(policy: policy).processed(delivery(event()), logger: logger)
        #expect(verdict == .dead(reason: "too_large"))
        #expect(publications.first?.properties.header("x-error-detail")?.stringValue?.contains("limit of 10 bytes") == true)
    }

    @Test func failingHandlerIsRetriedThroughTheTiersThenDeadLettered() throws {
        var policy = FailurePolicy()
        policy.maxAttempts = 4
        policy.retryDelays = [.seconds(1), .seconds(10)]
        let failing = event(extensions: [("echofailattempts", 99)])
        var headers: [(String, AMQPFieldValue)] = []
        var routingKey = "pilot.requested"
        var exchanges: [String] = []
        for attempt in 1...3 {
            let (verdict, publications) = processor(policy: policy).processed(delivery(failing, headers: headers, routingKey: routingKey), logger: logger)
            let retry = try #require(publications.first)
            #expect(verdict == .retry(attempt: attempt, delay: attempt == 1 ? .seconds(1) : .seconds(10)))
            #expect(retry.routingKey == "pilot.stage.agreement")
            #expect(retry.properties.header("x-attempts") == .int(Int64(attempt)))
            exchanges.append(retry.exchange)
            headers = retry.properties.headers
            routingKey = retry.routingKey  // as the delay queue dead-letters it back
        }
        #expect(exchanges == ["pilot.retry.1s", "pilot.retry.10s", "pilot.retry.10s"])
        let (verdict, publications) = processor(policy: policy).processed(delivery(failing, headers: headers, routingKey: routingKey), logger: logger)
        #expect(verdict == .dead(reason: "handler_failed"))
        let dead = try #require(publications.first)
        #expect(dead.properties.header("x-attempts") == .int(4))
        #expect(dead.properties.header("x-original-routing-key") == .string("pilot.requested"))
        #expect(dead.properties.headers.filter { $0.0 == "x-attempts" }.count == 1)
    }

    @Test func rejectionIsDeadLetteredWithItsReason() {
        let (verdict, _) = processor().processed(delivery(event(extensions: [("echoreject", "no such pilot")])), logger: logger)
        #expect(verdict == .dead(reason: "rejected"))
    }

    @Test func schemaViolationsAreDeadLetteredWithWhereAndWhy() throws {
        var processor = processor()
        processor.contracts = TestEvents.contracts
        var data = TestEvents.sampleRequest.object!
        var terms = data["terms"]!.object!
        terms["duration_days"] = 45
        data["terms"] = .object(terms)
        let (verdict, publications) = processor.processed(delivery(event(data: .object(data))), logger: logger)
        #expect(verdict == .dead(reason: "schema_violation"))
        let detail = try #require(publications.first?.properties.header("x-error-detail")?.stringValue)
        #expect(detail.contains("/data/terms/duration_days: 45 is greater than the maximum 30"))

        let (valid, _) = processor.processed(delivery(event(data: TestEvents.sampleRequest)), logger: logger)
        #expect(valid == .handled(events: 1))
    }

    @Test func earlyEventWaitsThroughTheTiersThenIsDeadLetteredWithItsOwnReason() throws {
        var policy = FailurePolicy()
        policy.maxAttempts = 3
        let early = processor(stageDefinition { _ in throw Refusal.notYet("wrong_state", "the pilot is not signed yet") }, policy: policy)
        let (first, retry) = early.processed(delivery(event()), logger: logger)
        #expect(first == .retry(attempt: 1, delay: .seconds(1)))
        #expect(retry.first?.exchange == "pilot.retry.1s")
        #expect(retry.first?.properties.header(Header.lastError) == .string("not yet: the pilot is not signed yet"))

        let (last, dead) = early.processed(delivery(event(), headers: [(Header.attempts, .int(2))]), logger: logger)
        #expect(last == .dead(reason: "wrong_state"))
        #expect(dead.first?.routingKey == stage.deadQueue)
        #expect(dead.first?.properties.header(Header.errorDetail) == .string("still so after 3 attempts: the pilot is not signed yet"))
    }

    /// `x-attempts` comes with the message, and any publisher may set it: a count no retry
    /// of ours writes must neither crash the worker nor be believed.
    @Test func anAttemptsHeaderNoRetryWritesIsClampedNotTrusted() throws {
        let failing = processor(stageDefinition { _ in throw Refusal.notYet("wrong_state", "not yet") })
        for recorded in [Int64.max, Int64.max - 1, 1 << 40] {
            let (verdict, dead) = failing.processed(delivery(event(), headers: [(Header.attempts, .int(recorded))]), logger: logger)
            #expect(verdict == .dead(reason: "wrong_state"), "x-attempts \(recorded)")
            #expect(dead.first?.properties.header(Header.attempts) == .int(FailurePolicy.largestRecordedAttempts + 1))
        }
        for recorded in [Int64.min, -1] {
            let (verdict, retry) = failing.processed(delivery(event(), headers: [(Header.attempts, .int(recorded))]), logger: logger)
            #expect(verdict == .retry(attempt: 1, delay: .seconds(1)), "x-attempts \(recorded)")
            #expect(retry.first?.properties.header(Header.attempts) == .int(1))
        }
        #expect(FailurePolicy().retryDelay(afterAttempt: 0) == .seconds(1))
        #expect(FailurePolicy().retryDelay(afterAttempt: -5) == .seconds(1))
    }

    @Test func invalidOutboundEventIsNeverPublished() {
        var processor = processor(stageDefinition { event in
            StageOutcome(events: [OutgoingEvent(type: "pilot.echoed", causedBy: event, data: ["echo_of": 7], time: "2026-11-25T09:00:00Z")])
        })
        processor.contracts = TestEvents.contracts
        let (verdict, publications) = processor.processed(delivery(event(data: TestEvents.sampleRequest)), logger: logger)
        #expect(verdict == .retry(attempt: 1, delay: .seconds(1)))
        #expect(publications.allSatisfy { $0.exchange != "pilot.events" })
        #expect(publications.first?.properties.header("x-last-error")?.stringValue?.contains("refusing to publish an invalid pilot.echoed") == true)
    }
}

extension DeliveryProcessor {
    /// `process` as the verdict and the publications.
    func processed(_ delivery: AMQPDelivery, logger: Logger) -> (Verdict, [Publication]) {
        let result = process(delivery, logger: logger)
        return (result.verdict, result.publications)
    }
}
