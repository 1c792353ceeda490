import Foundation
import PilotRuntime
import PilotTestKit
import Testing

/// `PILOT_DAY_SECONDS` names the timer queue and sets its TTL in milliseconds: a value
/// that is not a positive number the TTL can hold is refused, not trapped on or declared.
@Suite struct DayLengthTests {
    @Test func positiveLengthsTheTTLCanHoldAreDays() {
        #expect(Topology.dayLength(seconds: 86_400) == .seconds(86_400))
        #expect(Topology.dayLength(seconds: 2) == .seconds(2))
        #expect(Topology.dayLength(seconds: 0.1) == .milliseconds(100))
        #expect(Topology.dayLength(seconds: 4_294_967) == .seconds(4_294_967))
    }

    @Test(arguments: [Double.infinity, -.infinity, .nan, 1e300, 4_294_968, 0, 0.0001, -5])
    func anythingElseIsRefused(_ seconds: Double) {
        #expect(Topology.dayLength(seconds: seconds) == nil)
    }
}
