import Testing
@testable import PilotWeb

/// The length the buyer's page states.
@Suite struct PageLengthTests {
    /// Extended from 14 to 21 days after day 5's snapshot: the page says 21 at once, not at
    /// the next tick.
    @Test func anExtensionShowsBeforeTheNextSnapshot() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-extended")
        try fixture.replaceState("acme-extended", with: PageFixture.state(extra: [("duration_days", 21)]), stage: "monitoring")
        let html = try await fixture.buyerPage("acme-extended")
        #expect(html.contains("Day 5 of 21") && html.contains("21 days"), "\(html)")
        #expect(!html.contains("Day 5 of 14"))
    }
}
