import PilotAMQP
import PilotRuntime
@testable import PilotWeb
import Testing

/// A publisher's batch after a `basic.return`: only the requests whose messages came back
/// fail; when a return cannot be told apart, every request fails (a retry is harmless, a
/// 202 for a lost event is not).
@Suite struct ReturnedJobsTests {
    func batch(_ ids: [String?]) -> [Publication] {
        ids.map { id in
            Publication(exchange: Topology.exchange, routingKey: "k",
                properties: AMQPProperties(contentType: "application/cloudevents+json", messageID: id), body: [])
        }
    }

    @Test func onlyTheReturnedMessagesFail() {
        #expect(PublisherPool.returnedJobs(batch(["a", "b", "c"]), returned: ["b"]) == [1])
        #expect(PublisherPool.returnedJobs(batch(["a", "b", "c"]), returned: ["c", "a"]) == [0, 2])
    }

    @Test func aRepeatedIdFailsEveryRequestThatCarriesIt() {
        #expect(PublisherPool.returnedJobs(batch(["a", "b", "a"]), returned: ["a"]) == [0, 2])
    }

    @Test func aReturnThatNamesNoneOfTheBatchFailsAll() {
        #expect(PublisherPool.returnedJobs(batch(["a", "b"]), returned: [nil]) == [0, 1])
        #expect(PublisherPool.returnedJobs(batch(["a", "b"]), returned: ["z"]) == [0, 1])
        #expect(PublisherPool.returnedJobs(batch(["a", nil]), returned: ["a", nil]) == [0, 1])
    }
}
