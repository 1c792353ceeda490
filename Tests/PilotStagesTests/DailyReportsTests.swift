import Foundation
import PilotJSON
import PilotStageAPI
import Testing

/// The rehearsal's daily pacing: each pilot's report of day N falls due in the middle of
/// that day, N - 1/2 days after its signature, never earlier, each once.
struct DailyReportsTests {
    @Test func eachDayFallsDueInTheMiddleOfThatDayOnce() throws {
        var reports = Rehearsal.DailyReports(days: 3)
        let start = ContinuousClock.now
        let day = Duration.seconds(10)
        reports.schedule("a", latency: 210, signedAt: start, dayLength: day)
        reports.schedule("b", latency: 420, signedAt: start + .seconds(4), dayLength: day)

        #expect(reports.take(dueBy: start + .seconds(4)).isEmpty)
        #expect(try Self.reports(reports.take(dueBy: start + .seconds(5))) == ["a 1 210"])
        #expect(reports.take(dueBy: start + .seconds(5)).isEmpty)
        #expect(try Self.reports(reports.take(dueBy: start + .seconds(15))) == ["b 1 420", "a 2 210"])
        #expect(try Self.reports(reports.take(dueBy: start + .seconds(60))) == ["b 2 420", "a 3 210", "b 3 420"])
        #expect(reports.take(dueBy: start + .seconds(600)).isEmpty)

        // A line emptied is used again for pilots signed later.
        reports.schedule("c", latency: 210, signedAt: start + .seconds(100), dayLength: day)
        #expect(try Self.reports(reports.take(dueBy: start + .seconds(124))) == ["c 1 210", "c 2 210"])
        #expect(try Self.reports(reports.take(dueBy: start + .seconds(125))) == ["c 3 210"])
    }

    /// "thread day latency" for each report, in the order taken.
    static func reports(_ events: [CloudEvent]) throws -> [String] {
        try events.map { event in
            let day = try #require(event.data["day"]?.integer)
            let latency = try #require(event.data["technical"]?["latency_p95_ms"]?.number)
            return "\(event.subject) \(day) \(Int(latency))"
        }
    }
}
