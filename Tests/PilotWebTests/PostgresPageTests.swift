import Foundation
import Hummingbird
import HummingbirdTesting
import PilotTestKit
import Testing
@testable import PilotWeb

/// pilot-web given `PILOT_DATABASE=postgres://…`: it opens the store itself and the pages read it.
@Suite(.livePostgres) struct PostgresPageTests {
    @Test func theBuyerPageAndTheDashboardReadAPostgresStore() async throws {
        let fixture = try PageFixture(database: try TestPostgres.shared.makeDatabase())
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11", health: 90, updatedAt: "2026-12-06T09:00:00Z")
        try fixture.addPilot("sinking-1", company: "Sinking Ltd", health: 25, updatedAt: "2026-12-01T09:00:00Z")
        let link = PageFixture.link("acme-2026-11")
        try await fixture.app().test(.router) { client in
            let page = try await client.execute(uri: link.path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Day 5 of 14"))
            let dashboard = try await client.execute(
                uri: "/", method: .get, headers: Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")]))
            #expect(dashboard.status == .ok)
            let html = String(buffer: dashboard.body)
            // At risk first, from the PostgreSQL risk index's order.
            let sinking = try #require(html.range(of: "Sinking Ltd")), acme = try #require(html.range(of: "Acme Analytics"))
            #expect(sinking.lowerBound < acme.lowerBound)
        }
    }
}
