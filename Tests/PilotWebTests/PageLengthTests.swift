import Foundation
import HummingbirdTesting
import PilotStore
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
        try fixture.store.write { tx in
            let record = try #require(try tx.pilot("acme-extended"))
            _ = try tx.savePilot(PilotRecord(
                threadID: "acme-extended", stage: "monitoring", status: "active",
                state: try PageFixture.state(extra: [("duration_days", 21)]), version: record.version))
        }
        let html = try await fixture.app().test(.router) { client in
            PageTests.text(try await client.execute(uri: PageFixture.link("acme-extended").path, method: .get))
        }
        #expect(html.contains("Day 5 of 21") && html.contains("21 days"), "\(html)")
        #expect(!html.contains("Day 5 of 14"))
    }
}
