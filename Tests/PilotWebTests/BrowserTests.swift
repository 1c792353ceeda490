import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore
import PilotTestKit
import Testing

/// The pages in a real browser: a 14-day pilot and a failing one rehearsed by the real
/// worker on a private broker with one-second days, then a real `pilot-web` over that
/// store, driven in headless Chromium by `python/browser_check.py` (selenium).
///
/// Needs `chromium`, `chromium-driver` and selenium (deploy/install-deps.sh). Without
/// them the test is skipped, saying so, unless `PILOT_REQUIRE_LIVE_TESTS=1`: then it fails.
/// The screenshots are written to a temporary folder, kept and named when a browser check
/// fails (or with `PILOT_KEEP_BROWSER_ARTIFACTS=1`) and removed otherwise; with
/// `PILOT_UPDATE_SCREENSHOTS=1` they are also copied to docs/images for the README.
@Suite(.serialized, .live, .enabled(if: Browser.skipReason == nil, Comment(rawValue: Browser.skipReason ?? "")))
struct BrowserTests {
    static let chromium = Browser.chromium
    static let chromedriver = Browser.chromedriver
    static let script = packageRoot.appendingPathComponent("Tests/PilotWebTests/python/browser_check.py").path

    static func signed(_ thread: String) -> CloudEvent {
        TestEvents.make(type: "pilot.signed", subject: thread, id: "sig-\(thread)", data: [
            "signed_at": "2026-11-27T16:00:00Z", "signed_by": ["name": "Dana Whitfield", "email": "dana@acme-analytics.com"],
            "method": "docusign", "start_date": "2026-12-01",
        ])
    }

    static func metrics(_ thread: String, day: Int, latency: Double) -> CloudEvent {
        TestEvents.make(type: "pilot.metrics", subject: thread, id: "m-\(thread)-\(day)", data: [
            "day": .int(Int64(day)),
            "technical": [
                "latency_p95_ms": .double(latency - Double(day) * 3), "accuracy_pct": .double(96.5 + Double(day % 3) * 0.4),
                "uptime_pct": 99.9, "error_rate_pct": 0.4, "requests": 15000,
            ],
            "business": ["active_users": .int(Int64(8 + day)), "hours_saved": 2.5, "tasks_completed": 40],
        ])
    }

    static func feedback(_ thread: String, _ index: Int, score: Int) -> CloudEvent {
        TestEvents.make(type: "pilot.feedback", subject: thread, id: "f-\(thread)-\(index)", data: [
            "respondent": ["name": .string("User \(index)"), "email": .string("user\(index)@acme-analytics.com")],
            "score": .int(Int64(score)), "comment": "Saves our Mondays.", "submitted_at": "2026-12-05T10:00:00Z",
        ])
    }

    @Test(.timeLimit(.minutes(4))) func aBuyerAndAnOperatorFollowARehearsedPilotInChromium() async throws {
        if let missing = Browser.missing {
            Issue.record("PILOT_REQUIRE_LIVE_TESTS=1 and the browser test cannot run: \(missing)")
            return
        }
        let vhost = try await TestBroker.shared.makeVirtualHost("pages")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        // The default retry tiers, which pilot-web lists as pilotctl does: nothing here retries.
        let topology = Topology(dayLength: .seconds(1))
        try probe.tap("tap.pages", routingKeys: ["pilot.completed", "pilot.kickoff.scheduled"], topology: topology)
        // On a busy machine 14 one-second days can pass before the signatures are handled:
        // the offers must not lapse first (the signature chase has its own tests).
        let environment = [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_DAY_SECONDS": "1",
            "PILOT_SIGNATURE_EXPIRY_DAYS": "60",
        ]
        let worker = try WorkerProcess(environment: environment)
        defer { Task { await worker.terminate() } }

        // The rehearsal: one pilot that succeeds, one that misses its latency target.
        let pilots = [("acme-2026-12", 180.0), ("slow-2026-12", 460.0)]
        try probe.publish(pilots.map { TestEvents.request($0.0, days: 14) })
        _ = try await worker.explaining { try await probe.take(pilots.count, from: "tap.pages", timeout: .seconds(60)) }
        var upstream = pilots.map { Self.signed($0.0) }
        for (thread, latency) in pilots {
            upstream += (1...14).map { Self.metrics(thread, day: $0, latency: latency) }
            upstream += (1...3).map { Self.feedback(thread, $0, score: $0 == 3 ? 8 : 10) }
        }
        upstream.append(TestEvents.make(type: "pilot.issue", subject: "acme-2026-12", id: "issue-1", data: [
            "issue_id": "SUP-7", "title": "SSO login loops once a day", "severity": "medium", "status": "open",
            "reported_at": "2026-12-04T09:00:00Z",
        ]))
        try probe.publish(upstream)
        _ = try await worker.explaining { try await probe.take(pilots.count, from: "tap.pages", timeout: .seconds(90)) }

        // A body that is not JSON is dead-lettered at once: the dead letter ops will replay.
        try probe.publishRaw(Array("not json".utf8), routingKey: "pilot.metrics", messageID: "broken-metrics-1")
        try await waitUntil("the dead letter", timeout: .seconds(30)) { try probe.depth("pilot.stage.monitoring.dead") == 1 }
        // Stopped, so the replayed copy stays in the stage queue instead of failing again.
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)

        // A pilot at risk, as the lifecycle's health score marks one: the acme state with a low score.
        let store = try SQLitePilotStore(path: vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
        try store.write { tx in
            let acme = try #require(try tx.pilot("acme-2026-12"))
            var state = acme.state.object!
            state["health"] = [
                "score": 34, "label": "at risk",
                "reasons": ["No metrics for 3 days", "Open high-severity issue SUP-9"],
            ]
            var request = state["request"]!.object!
            var lead = request["lead"]!.object!
            lead["company"] = ["name": "Globex Logistics"]
            request["lead"] = .object(lead)
            state["request"] = .object(request)
            try tx.savePilot(PilotRecord(
                threadID: "globex-2026-12", stage: "monitoring", status: "active", state: .object(state),
                createdAt: acme.createdAt, updatedAt: acme.createdAt))
        }

        let port = freeLoopbackPort()
        let token = "browser-token-0123456789abcdef"
        let secret = "browser-secret-0123456789abcdef"
        let web = try WorkerProcess("pilot-web", environment: environment.merging([
            "PILOT_WEB_HOST": "127.0.0.1", "PILOT_WEB_PORT": String(port), "PILOT_WEB_TOKEN": token,
            "PILOT_WEB_SECRET": secret, "PILOT_MANAGEMENT_URL": vhost.managementURL,
            "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path,
        ]) { $1 })
        defer { Task { await web.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        try await web.explaining { try await HTTPProbe.waitFor(base + "/healthz", status: 200) }

        let now = Date()
        let link = ShareLink(threadID: "acme-2026-12", days: 30, now: now, secret: secret)
        let expired = ShareLink(threadID: "acme-2026-12", expires: Int64(now.timeIntervalSince1970) - 60, secret: secret)
        let other = ShareLink(threadID: "slow-2026-12", days: 30, now: now, secret: secret)
        var tampered = Array(link.signature)
        tampered[5] = tampered[5] == "0" ? "1" : "0"
        let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-web-browser-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        // The screenshots and the browser's logs are for a failure: kept (and named) only then.
        var keepArtifacts = ProcessInfo.processInfo.environment["PILOT_KEEP_BROWSER_ARTIFACTS"] == "1"
        defer {
            if keepArtifacts {
                print("browser test artifacts: \(artifacts.path)")
            } else {
                try? FileManager.default.removeItem(at: artifacts)
            }
        }
        let config: JSONValue = [
            "base": .string(base), "artifacts": .string(artifacts.path), "share": .string(link.path),
            "company": "Acme Analytics", "thread": "acme-2026-12", "token": .string(token), "at_risk": "globex-2026-12",
            "dead_letter": "broken-metrics-1", "dead_stage": "monitoring",
            "chromium": .string(Self.chromium), "chromedriver": .string(Self.chromedriver),
            "refused": [
                "tampered sig": .string("/share/acme-2026-12?exp=\(link.expires)&sig=\(String(tampered))"),
                "expired exp": .string(expired.path),
                "another thread's sig": .string("/share/acme-2026-12?exp=\(other.expires)&sig=\(other.signature)"),
                "a document with a tampered sig": .string("/share/acme-2026-12/documents/pilot-results.md?exp=\(link.expires)&sig=\(String(tampered))"),
            ],
        ]
        let configFile = artifacts.appendingPathComponent("config.json")
        try Data(config.serializedBytes()).write(to: configFile)
        let output: String
        do {
            // Off the pool: the browser runs for tens of seconds, and the suites beside this
            // one need the pool's threads.
            output = try await offThePool { try shell(["python3", Self.script, configFile.path]) }
        } catch {
            keepArtifacts = true
            Issue.record("browser checks failed: \(error)\npilot-web log ends with:\n\(web.log.suffix(3000))")
            return
        }
        if !output.contains("all browser checks passed") { keepArtifacts = true }
        #expect(output.contains("all browser checks passed"), "\(output)")
        for name in ["buyer-page.png", "dashboard.png"] {
            let shot = artifacts.appendingPathComponent(name)
            let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
            if size <= 10_000 { keepArtifacts = true }
            #expect(size > 10_000, "\(name) is \(size) bytes")
            if ProcessInfo.processInfo.environment["PILOT_UPDATE_SCREENSHOTS"] == "1" {
                let destination = packageRoot.appendingPathComponent("docs/images/\(name)")
                try? FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: destination)
                try FileManager.default.copyItem(at: shot, to: destination)
            }
        }
        // The replayed copy went back to the monitoring queue (no worker is running).
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 0)
        #expect(try probe.depth("pilot.stage.monitoring") == 1)
        // What pilot-web logged has no token, secret or signature in it.
        for secretText in [token, secret, link.signature, "guest:guest"] {
            #expect(!web.log.contains(secretText), "the log shows \(secretText)")
        }
        web.signal(SIGTERM)
        #expect(try await web.waitForExit() == 0)
    }
}

/// Whether Chromium, its driver and selenium are here.
enum Browser {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// What is missing for the browser tests, or nil when they can run (or must run and fail).
    static let missing: String? = {
        for tool in [chromium, chromedriver] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is not installed (apt-get install chromium chromium-driver)"
        }
        if (try? shell(["python3", "-c", "import selenium"])) == nil { return "python3 cannot import selenium (pip install selenium)" }
        return nil
    }()

    static let skipReason: String? = {
        guard let missing else { return nil }
        if ProcessInfo.processInfo.environment["PILOT_REQUIRE_LIVE_TESTS"] == "1" { return nil }
        return "browser test skipped: \(missing)"
    }()
}
