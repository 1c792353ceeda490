import Foundation
import PilotRuntime
import PilotStore
import PilotTestKit
import Testing

/// Three workers sharing one workspace and store run many short pilots while a random
/// worker is killed with SIGKILL every few seconds and restarted, and the broker is
/// stopped and started once. Afterwards every pilot must have finished with exactly one
/// outcome, every document, no dead letter, nothing unacked and no outbox backlog
/// (`Rehearsal`). The same run across three hosts on shared engines: `ScaleTests`.
///
/// CI runs it with `PILOT_CHAOS_PILOTS` (default 40); `Tests/chaos/run.sh` runs 500.
/// With `PILOT_CHAOS_FAULTS=0` nothing is killed: `Benchmarks/rehearsal.sh` uses that to
/// time thousands of 30-day pilots (`PILOT_CHAOS_DAYS`, `PILOT_CHAOS_DAY_SECONDS`,
/// `PILOT_CHAOS_WORKERS`) on release binaries, on SQLite and the workspace or on
/// PostgreSQL and S3 (`PILOT_CHAOS_DATABASE`, `PILOT_CHAOS_DOCUMENTS`: `Engines`), with
/// each day's metrics sent in the middle of that day (`PILOT_CHAOS_METRICS=daily`, faults
/// off only) or all of a pilot's at its signature (`upfront`, the default).
@Suite(.serialized, .live, .heavy) struct ChaosTests {
    static func setting(_ name: String) -> String? { ProcessInfo.processInfo.environment["PILOT_CHAOS_" + name] }
    static let pilots = Int(setting("PILOTS") ?? "") ?? 40
    static let days = Int(setting("DAYS") ?? "") ?? 14
    /// Two-second days: a signature handled late on a busy machine must still come within
    /// the longest chase there is (60 pilot days). Around the broker restart (workers
    /// noticing, the node booting, reconnect backoffs) CI has seen a chase of 35 one-second
    /// days, so two minutes.
    static let daySeconds = Double(setting("DAY_SECONDS") ?? "") ?? 2
    static var dayLength: Duration { .milliseconds(Int64(daySeconds * 1000)) }
    static let workerCount = Int(setting("WORKERS") ?? "") ?? 3
    static let faults = setting("FAULTS") != "0"
    /// Workers with nothing but the broker, workspace and day length set: the defaults, or
    /// what the caller's own `PILOT_*` variables say (`Benchmarks/rehearsal.sh`).
    static let plain = setting("PLAIN") == "1"
    static let database = setting("DATABASE") ?? "sqlite"
    static let documents = setting("DOCUMENTS") ?? "workspace"
    static let metrics = setting("METRICS") ?? "upfront"

    @Test(.timeLimit(.minutes(20))) func pilotsSurviveKilledWorkersAndABrokerRestart() async throws {
        let pace: Rehearsal.MetricsPace
        switch (Self.metrics, Self.faults) {
        case ("upfront", _): pace = .upfront
        case ("daily", false): pace = .daily(dayLength: Self.dayLength)
        default:
            Issue.record("PILOT_CHAOS_METRICS=\(Self.metrics): expected upfront, or daily with PILOT_CHAOS_FAULTS=0")
            return
        }
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        let workspace = broker.directory.appendingPathComponent("workspace")
        let engines = try await Engines.start(database: Self.database, documents: Self.documents, workspace: workspace)
        defer { engines.stop() }
        // The workers' own topology (their retry tiers too), to tell when they have nothing left.
        let topology = Topology(retryDelays: Rehearsal.retryDelays, dayLength: Self.dayLength)
        let probe = try QueueProbe(url: broker.url())
        let run = try Rehearsal(
            name: "chaos", pilots: Self.pilots, days: Self.days, probe: probe, topology: topology, pace: pace,
            faults: "broker restarted \(Self.faults ? "once" : "never"); \(engines.name)")
        // The pilots are signed once their kickoffs are out, which under kills and a broker
        // restart can take longer than 14 days: the offer must not lapse first, so it lasts
        // as long as it may, 60 pilot days (the signature chase has its own tests,
        // LifecycleStoryTests).
        var environment = engines.environment.merging([
            "PILOT_AMQP_URL": broker.url(), "PILOT_DAY_SECONDS": String(Self.daySeconds), "PILOT_SIGNATURE_EXPIRY_DAYS": "60",
        ]) { $1 }
        if !Self.plain {
            // Short retries and heartbeats so kills and the broker restart heal within the test.
            environment.merge(["PILOT_HEARTBEAT": "5", "PILOT_SHUTDOWN_TIMEOUT": "10", "PILOT_PREFETCH": "50"]) { $1 }
            environment.merge(Rehearsal.retrySettings) { $1 }
        }
        let fleet = try WorkerFleet(Array(repeating: environment, count: Self.workerCount))
        defer { fleet.killAll() }
        if Self.faults { fleet.startKillingWorkers(every: .seconds(3)) }

        try run.request()
        var brokerRestarted = false
        try await run.drive(timeout: .seconds(60 + Self.pilots * 2)) { run in
            // Mid-run: once half the pilots are signed (outcomes can all arrive in one burst,
            // so they cannot tell "mid-run" reliably). The broker stays down until every
            // running worker has noticed (its log says it is reconnecting).
            guard Self.faults, !brokerRestarted, run.signed.count >= run.pilots / 2 else { return }
            brokerRestarted = true
            let running = fleet.running
            let before = running.map { $0.count("reconnecting") }
            try await broker.stopNode()
            try await waitUntil("every running worker to notice the broker is gone", interval: .milliseconds(200)) {
                zip(running, before).allSatisfy { worker, seen in !worker.isRunning || worker.count("reconnecting") > seen }
            }
            try await broker.startNode()
            try await run.reconnect()
        }

        await fleet.stopKillingWorkers()
        let store = try engines.store()
        try await run.drain(store)
        try await fleet.stopGracefully()
        try await run.verify(store, kills: fleet.killCount, missing: engines.missing, strays: { engines.strays(in: [workspace]) },
            logLines: { fleet.logLines(mentioning: $0) })
        #expect(fleet.killCount >= 1 || !Self.faults)
    }
}
