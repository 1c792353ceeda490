import Testing

@testable import PilotDomain

/// Small wording helpers of the health sentences and reports.
@Suite struct MetricTextTests {
    @Test(arguments: [
        ("Uptime", "uptime"), ("Hours saved", "hours saved"), ("p95 latency", "p95 latency"), ("NPS", "NPS"),
        ("A", "A"), ("", ""), ("Ab", "ab"), ("Éclair rate", "éclair rate"), ("E\u{301}cart", "e\u{301}cart"),
        ("👍 rate", "👍 rate"), ("ÆSIR", "ÆSIR"),
    ])
    func lowercasedStartLowersOnlyACapitalisedWord(_ text: String, _ expected: String) {
        #expect(MetricText.lowercasedStart(text) == expected)
    }
}
