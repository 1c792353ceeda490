import Foundation
import Hummingbird
import HummingbirdTesting
import PilotDomain
import PilotStore
import PilotTestKit
import Testing
@testable import PilotWeb

/// The buyer's page and the dashboard in-process, over a store in a temporary folder and
/// no broker (the dashboard says the broker did not answer and shows the rest).
@Suite struct PageTests {
    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    func expectPageHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPFields.Element.Name("Referrer-Policy")!] == "no-referrer", sourceLocation: sourceLocation)
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.hasPrefix("default-src 'none'"), sourceLocation: sourceLocation)
        for directive in ["style-src 'self'", "img-src 'self' data:", "form-action 'self'", "frame-ancestors 'none'"] {
            #expect(csp.contains(directive), "\(csp)", sourceLocation: sourceLocation)
        }
        #expect(!csp.contains("script-src"), sourceLocation: sourceLocation)
    }

    @Test func theBuyerPageShowsTermsCriteriaMilestonesIssuesAndDocuments() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11")
        let link = PageFixture.link("acme-2026-11")
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: link.path, method: .get)
            #expect(response.status == .ok)
            expectPageHeaders(response)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = Self.text(response)
            for expected in [
                "Acme Analytics", "Day 5 of 14", "Active usage", "id=\"criteria-table\"", "id=\"milestones-table\"",
                "<th scope=\"col\">Target</th>", "Improving", "Met", "Kickoff meeting", "Agreement signed",
                "Integration done (first metrics)", "Mid-pilot check-in", "Results readout", "Decision meeting",
                "Nightly sync &lt;slow&gt;", "Pilot agreement", "name=\"viewport\"",
                "/share/acme-2026-11/charts/latency_p95_ms.svg?\(link.query.replacingOccurrences(of: "&", with: "&amp;"))",
            ] {
                #expect(html.contains(expected), "missing \(expected)")
            }
            #expect(!html.contains("<script"), "no script on the page")
            // The ops-only files are not offered to the buyer.
            #expect(!html.contains("kickoff-invite.eml"))
            // Times are the lead's (America/New_York in the sample request): the kickoff at 15:00Z is 10:00 EST.
            #expect(html.contains("10:00 EST"), "\(html)")

            let document = try await client.execute(
                uri: "/share/acme-2026-11/documents/pilot-agreement-custom.md?\(link.query)", method: .get)
            #expect(document.status == .ok)
            #expect(Self.text(document).contains("# Pilot agreement for Acme Analytics"))
            expectPageHeaders(document)
            let chart = try await client.execute(uri: "/share/acme-2026-11/charts/latency_p95_ms.svg?\(link.query)", method: .get)
            #expect(chart.status == .ok)
            #expect(chart.headers[.contentType] == "image/svg+xml")
            // A file the buyer is not offered, with a valid signature: not found.
            let eml = try await client.execute(uri: "/share/acme-2026-11/documents/kickoff-invite.eml?\(link.query)", method: .get)
            #expect(eml.status == .notFound)
            let traversal = try await client.execute(uri: "/share/acme-2026-11/charts/..%2F..%2F.pilot%2Fpilot.db?\(link.query)", method: .get)
            #expect(traversal.status == .notFound)
        }
    }

    @Test func badLinksGet403AndShowNothingOfThePilot() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11")
        try fixture.addPilot("other-2026-11", company: "Other Corp")
        let link = PageFixture.link("acme-2026-11")
        var tampered = Array(link.signature)
        tampered[0] = tampered[0] == "a" ? "b" : "a"
        let expired = ShareLink(threadID: "acme-2026-11", expires: Int64(PageFixture.now.timeIntervalSince1970) - 1, secret: PageFixture.secret)
        let other = PageFixture.link("other-2026-11")
        let cases: [(String, String)] = [
            ("tampered", "/share/acme-2026-11?exp=\(link.expires)&sig=\(String(tampered))"),
            ("longer expiry", "/share/acme-2026-11?exp=\(link.expires + 1)&sig=\(link.signature)"),
            ("expired", expired.path),
            ("another thread's signature", "/share/acme-2026-11?exp=\(other.expires)&sig=\(other.signature)"),
            ("no signature", "/share/acme-2026-11"),
            ("a document with a tampered signature", "/share/acme-2026-11/documents/pilot-agreement-custom.md?exp=\(link.expires)&sig=\(String(tampered))"),
            ("a chart of an expired link", "/share/acme-2026-11/charts/latency_p95_ms.svg?\(expired.query)"),
        ]
        try await fixture.app().test(.router) { client in
            for (name, uri) in cases {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .forbidden, "\(name)")
                expectPageHeaders(response)
                let html = Self.text(response)
                #expect(!html.contains("Acme") && !html.contains("Pilot agreement for"), "\(name) shows the pilot")
                #expect(html.contains(name == "expired" || name.contains("expired") ? "expired" : "not valid"), "\(name): \(html)")
            }
        }
        // No secret configured: every link is refused, none is open.
        try await fixture.app(secret: nil).test(.router) { client in
            let response = try await client.execute(uri: link.path, method: .get)
            #expect(response.status == .forbidden)
            #expect(!Self.text(response).contains("Acme"))
        }
    }

    @Test func valuesFromEventsAreEscaped() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("xss-1", company: #"<script>alert("x")</script> & <img src=x onerror=alert(1)>"#, health: 20)
        try await fixture.app().test(.router) { client in
            for (uri, headers) in [
                (PageFixture.link("xss-1").path, HTTPFields()),
                ("/", Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")])),
                ("/pilots/xss-1", Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")])),
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status == .ok, "\(uri)")
                let html = Self.text(response)
                #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"), "\(uri)")
                #expect(!html.contains("<script"), "\(uri)")
                #expect(!html.contains("<img src=x"), "\(uri)")
            }
        }
    }

    @Test func noTemplateWritesAValueUnescaped() throws {
        let folder = packageRoot.appendingPathComponent("Sources/PilotWeb/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 7)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name) writes a value unescaped")
            #expect(!text.lowercased().contains("<script") && !text.contains(" style=") && !text.contains(" on"), "\(name) has script or inline style")
        }
    }

    /// A store that cannot be read (here a file that is not a database; in production a
    /// PostgreSQL restart) is a 503 page for the person looking, not the API's JSON, and the
    /// cause goes to the log only.
    @Test(arguments: ["not a database", "from a newer build"])
    func aStoreThatCannotBeReadIsA503Page(_ broken: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".pilot"), withIntermediateDirectories: true)
        let database = folder.appendingPathComponent(".pilot/pilot.db").path
        if broken == "not a database" {
            try Data(repeating: 0x5a, count: 4096).write(to: URL(fileURLWithPath: database))
        } else {
            _ = try SQLitePilotStore(path: database)
            try shell(["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 999'); c.commit()", database])
        }
        let configuration = try WebConfiguration(
            host: "127.0.0.1", port: String(freeLoopbackPort()), token: Fixtures.token, amqpURL: Fixtures.nowhere,
            secret: PageFixture.secret, workspace: folder.path, managementURL: "http://127.0.0.1:\(freeLoopbackPort())")
        let app = PilotWebApplication.make(configuration: configuration, contracts: TestEvents.contracts, logger: Fixtures.logger)
        try await app.test(.router) { client in
            for (uri, headers) in [
                (PageFixture.link("acme-2026-11").path, HTTPFields()),
                ("/pilots/acme-2026-11", Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")])),
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status == .serviceUnavailable, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(uri)")
                #expect(Self.text(response).contains("cannot be read right now"), "\(uri)")
                #expect(!Self.text(response).contains("not a database"), "\(uri)")
            }
        }
    }

    @Test func theDashboardRefusesWhenNoTokenIsConfigured() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11")
        try await fixture.app(token: nil).test(.router) { client in
            for uri in ["/", "/pilots/acme-2026-11", "/login"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .serviceUnavailable, "\(uri)")
                #expect(Self.text(response).contains("set PILOT_WEB_TOKEN"))
                #expect(!Self.text(response).contains("Acme"))
            }
            let login = try await client.execute(
                uri: "/login", method: .post, headers: Fixtures.headers([("Content-Type", "application/x-www-form-urlencoded")]),
                body: ByteBuffer(string: "token="))
            #expect(login.status == .serviceUnavailable)
            #expect(login.headers[.setCookie] == nil)
        }
    }

    @Test func signingInSetsAnHttpOnlyStrictCookieThatIsNotTheToken() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("calm-1", health: 90, updatedAt: "2026-12-06T09:00:00Z")
        try fixture.addPilot("sinking-1", company: "Sinking Ltd", health: 25, updatedAt: "2026-12-01T09:00:00Z")
        try fixture.addPilot("unscored-1", company: "Unscored Inc", updatedAt: "2026-12-07T09:00:00Z")
        try await fixture.app().test(.router) { client in
            let anonymous = try await client.execute(uri: "/", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")
            let wrongBearer = try await client.execute(uri: "/", method: .get, headers: Fixtures.headers([("Authorization", "Bearer nope")]))
            #expect(wrongBearer.status == .unauthorized)

            let form = Fixtures.headers([("Content-Type", "application/x-www-form-urlencoded")])
            let wrong = try await client.execute(uri: "/login", method: .post, headers: form, body: ByteBuffer(string: "token=guess"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)

            let right = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "token=" + Fixtures.token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
            #expect(right.status == .seeOther)
            let cookie = try #require(right.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains(Fixtures.token))
            let value = String(cookie.split(separator: ";")[0])
            let overview = try await client.execute(uri: "/", method: .get, headers: Fixtures.headers([("Cookie", value)]))
            #expect(overview.status == .ok)
            expectPageHeaders(overview)
            let html = Self.text(overview)
            // At risk first: lowest health score, then the scored ones, then the rest.
            let order = ["sinking-1", "calm-1", "unscored-1"].map { html.range(of: ">\($0)</a>")?.lowerBound }
            #expect(order.allSatisfy { $0 != nil })
            #expect(order[0]! < order[1]! && order[1]! < order[2]!)
            #expect(html.contains("No metrics for 3 days"))
            #expect(html.contains("The broker did not answer"))

            // A forged cookie is not a session.
            let forged = try await client.execute(uri: "/", method: .get, headers: Fixtures.headers([("Cookie", "pilot_session=9999999999.00")]))
            #expect(forged.status == .seeOther)

            // A replay without the form's CSRF token is refused before the broker is touched.
            for body in ["", "csrf=wrong"] {
                let replay = try await client.execute(
                    uri: "/dead-letters/monitoring/replay", method: .post,
                    headers: Fixtures.headers([("Cookie", value), ("Content-Type", "application/x-www-form-urlencoded")]),
                    body: ByteBuffer(string: body))
                #expect(replay.status == .forbidden, "\(body)")
            }
            // No form at all carries no token either: 403, not 400.
            for headers in [[("Cookie", value)], [("Cookie", value), ("Content-Type", "application/json")]] {
                let replay = try await client.execute(uri: "/dead-letters/monitoring/replay", method: .post, headers: Fixtures.headers(headers))
                #expect(replay.status == .forbidden, "\(headers)")
                let logout = try await client.execute(uri: "/logout", method: .post, headers: Fixtures.headers(headers))
                #expect(logout.status == .forbidden, "\(headers)")
            }

            // Any page number reads a page; past Int.max / 50 its offset once trapped and took the process down.
            for page in ["9223372036854775807", "184467440737095516", "-3", "x"] {
                let far = try await client.execute(uri: "/?page=\(page)", method: .get, headers: Fixtures.headers([("Cookie", value)]))
                #expect(far.status == .ok, "page \(page)")
            }
        }
    }

    @Test func thePilotPageShowsTheTraceDocumentsAndTheBuyerLink() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try fixture.addPilot("acme-2026-11")
        try await fixture.app().test(.router) { client in
            let bearer = Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")])
            let response = try await client.execute(uri: "/pilots/acme-2026-11", method: .get, headers: bearer)
            #expect(response.status == .ok)
            let html = Self.text(response)
            #expect(html.contains("pilot.requested") && html.contains("pilot.agreement.generated") && html.contains("host-1/42"))
            #expect(html.contains("kickoff-invite.eml"))
            let link = PageFixture.link("acme-2026-11")
            #expect(html.contains(link.path.replacingOccurrences(of: "&", with: "&amp;")))
            let file = try await client.execute(uri: "/pilots/acme-2026-11/file?path=kickoff-invite.eml", method: .get, headers: bearer)
            #expect(file.status == .ok)
            #expect(Self.text(file) == "Subject: Kickoff\n")
            let outside = try await client.execute(uri: "/pilots/acme-2026-11/file?path=../../../.pilot/pilot.db", method: .get, headers: bearer)
            #expect(outside.status == .notFound)
            let missing = try await client.execute(uri: "/pilots/nobody", method: .get, headers: bearer)
            #expect(missing.status == .notFound)
        }
    }

    @Test func milestonesFollowThePilot() {
        let waiting = Milestones.derive(.init(
            status: "kickoff_scheduled", kickoff: "Fri 27 Nov 2026, 10:00 EST", kickoffPassed: false, signed: nil,
            startDate: nil, durationDays: 14, firstMetrics: nil, day: nil))
        #expect(waiting.map(\.done) == [false, false, false, false, false, false])
        #expect(waiting.map(\.owner) == [.vendor, .buyer, .buyer, .vendor, .vendor, .buyer])
        #expect(waiting[1].date == "awaiting signature")
        let running = Milestones.derive(.init(
            status: "active", kickoff: "k", kickoffPassed: true, signed: "Sat 28 Nov 2026", startDate: "2026-12-01",
            durationDays: 14, firstMetrics: "day 1, Tue 1 Dec 2026", day: 8))
        #expect(running.map(\.done) == [true, true, true, true, false, false])
        #expect(running[4].date == "planned Tue 15 Dec 2026")
        let decided = Milestones.derive(.init(
            status: "completed", kickoff: "k", kickoffPassed: true, signed: "s", startDate: "2026-12-01", durationDays: 14,
            firstMetrics: "f", day: 14))
        #expect(decided.allSatisfy { $0.done })
    }
}
