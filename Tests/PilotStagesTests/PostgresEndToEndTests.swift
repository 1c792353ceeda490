import Foundation
import PilotJSON
import PilotStore
import PilotTestKit
import Testing

/// A real pilot-worker on a private PostgreSQL: a pilot through agreement and kickoff,
/// read back by `pilotctl`, and a PostgreSQL restart the worker rides out by retrying.
@Suite(.serialized, .live, .livePostgres) struct PostgresEndToEndTests {
    static let outbound = ["pilot.agreement.generated", "crm.update", "calendar.invite", "email.send", "pilot.kickoff.scheduled"]

    @Test(.timeLimit(.minutes(3))) func aPilotRunsOnPostgresAndSurvivesARestart() async throws {
        let server = try await offThePool { try TestPostgres.start() }
        defer { server.stop() }
        let vhost = try await TestBroker.shared.makeVirtualHost("pg")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.out", routingKeys: Self.outbound)
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_DATABASE": server.url(),
            "PILOT_STAGES": "agreement,kickoff", "PILOT_RETRY_DELAYS": "200ms",
        ])
        defer { Task { await worker.terminate() } }

        try probe.publish(TestEvents.request(subject: "pg-acme", id: "req-pg-1"))
        let first = try await probe.take(6, from: "tap.out")
        #expect(first.filter { $0.routingKey == "pilot.kickoff.scheduled" }.count == 1)
        let shown = try await offThePool {
            try shell([try WorkerProcess.locate("pilotctl").path, "pilot", "show", "pg-acme", "--database", server.url(),
                       "--workspace", vhost.workspace.path])
        }
        #expect(shown.contains("pilot pg-acme: stage kickoff, status kickoff_scheduled"), "\(shown)")
        #expect(!shown.contains(server.password))
        let trace = try await offThePool {
            try shell([try WorkerProcess.locate("pilotctl").path, "pilot", "trace", "pg-acme", "--database", server.url()])
        }
        #expect(trace.contains("req-pg-1"), "\(trace)")

        // PostgreSQL goes away: the batch fails, goes back to the queue and is retried
        // (with the store backoff, not the attempts that end in a dead letter)…
        try await offThePool { try server.stopServer() }
        try probe.publish(TestEvents.request(subject: "pg-later", id: "req-pg-2"))
        try await worker.waitForLog("store failed; batch returned to the queue")
        #expect(!worker.log.contains(server.password))
        try await offThePool { try server.startServer() }
        // …and once it is back, the pilot goes through.
        let second = try await probe.take(6, from: "tap.out", timeout: .seconds(60))
        #expect(second.filter { $0.routingKey == "pilot.kickoff.scheduled" }.count == 1)
        #expect(try probe.depth("pilot.stage.agreement.dead") == 0)
        let store = try PostgresPilotStore(url: server.url())
        #expect(try store.read { try $0.pilot("pg-later")?.status } == "kickoff_scheduled")
        #expect(worker.isRunning)
    }
}
