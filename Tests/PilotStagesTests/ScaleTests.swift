import Foundation
import PilotRuntime
import PilotStore
import PilotTestKit
import Synchronization
import Testing

/// The proof across hosts: three "hosts" (each a group of two worker processes with its
/// own local folder and `HOSTNAME`) share only PostgreSQL, the object store and a 3-node
/// broker cluster, and run whole pilots while a random worker is killed with SIGKILL every
/// few seconds, the node that leads the stage queues is stopped and started again,
/// PostgreSQL restarts once and the object store is away for 10 s. Afterwards the
/// rehearsal's checks (`Rehearsal`): no pilot lost, no outcome doubled, no dead letter,
/// empty queues and outbox, every document in the bucket where the contract says, and
/// nothing written to any host's local folder.
///
/// CI runs it with `PILOT_SCALE_PILOTS` (default 12); `Tests/scale/run.sh N` runs N.
@Suite(.serialized, .live, .heavy) struct ScaleTests {
    static func setting(_ name: String) -> String? { ProcessInfo.processInfo.environment["PILOT_SCALE_" + name] }
    static let pilots = Int(setting("PILOTS") ?? "") ?? 12
    static let days = Int(setting("DAYS") ?? "") ?? 14
    /// Two-second days, as in `ChaosTests`. The offer lasts at most 60 pilot days: when
    /// the faults still ran inside the drive, which signed nothing meanwhile, a CI run with
    /// 1-s days whose faults took 116 s let two pilots lapse unsigned.
    static let daySeconds = Double(setting("DAY_SECONDS") ?? "") ?? 2
    static let hosts = 3
    static let workersPerHost = 2
    /// The stage queue whose leader is stopped: every pilot's first stage.
    static let leadQueue = "pilot.stage.agreement"

    @Test(.timeLimit(.minutes(30))) func pilotsRunAcrossHostsOnSharedEngines() async throws {
        let cluster = try await offThePool { try TestCluster() }
        defer { cluster.stop() }
        let hostsFolder = cluster.directory.appendingPathComponent("hosts")
        let engines = try await Engines.start(database: "postgres", documents: "s3", workspace: hostsFolder)
        defer { engines.stop() }
        let database = try #require(engines.postgres)
        let objects = try #require(engines.objects)

        let topology = Topology(retryDelays: Rehearsal.retryDelays, dayLength: .milliseconds(Int64(Self.daySeconds * 1000)))
        // Upstream is one more client of the cluster: it moves to the next node when its own goes.
        let probe = try QueueProbe(url: cluster.urls.joined(separator: ","))
        let run = try Rehearsal(
            name: "scale", pilots: Self.pilots, days: Self.days, probe: probe, topology: topology,
            faults: "the leading broker node stopped and started, PostgreSQL restarted, the object store away for 10 s")
        // A slow run must say what it waits for: the stragglers' stages, and where their
        // events are (ready, held by a consumer, waiting in a delay queue).
        run.status = { run in RunStatus.pilots(run.unfinished, in: engines.store) + "; " + RunStatus.queues(of: cluster) }
        let folders = (0..<Self.hosts).map { hostsFolder.appendingPathComponent("host-\($0)") }
        var environments: [[String: String]] = []
        for (host, folder) in folders.enumerated() {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Each host lists the nodes starting with a different one, so connections spread.
            let nodes = (0..<3).map { cluster.urls[($0 + host) % 3] }
            let environment = engines.environment.merging([
                "HOSTNAME": "host-\(host)", "PILOT_WORKSPACE": folder.path,
                "PILOT_AMQP_URL": nodes.joined(separator: ","), "PILOT_DAY_SECONDS": String(Self.daySeconds),
                // Signed late under faults: the offer must not lapse first (LifecycleStoryTests test the chase).
                "PILOT_SIGNATURE_EXPIRY_DAYS": "60",
                "PILOT_HEARTBEAT": "5", "PILOT_SHUTDOWN_TIMEOUT": "10", "PILOT_PREFETCH": "50",
            ]) { $1 }.merging(Rehearsal.retrySettings) { $1 }
            environments += Array(repeating: environment, count: Self.workersPerHost)
        }
        let fleet = try WorkerFleet(environments)
        defer { fleet.killAll() }
        fleet.startKillingWorkers(every: .seconds(4))

        try run.request()
        var faults: Task<(steps: [String], over: String), any Error>?
        // Pilots with an outcome, for the faults' log: a fault that began after the last
        // one tested nothing, and the output must show it.
        let finished = FinishedCount()
        let driveStarted = ContinuousClock.now
        @Sendable func sinceStart() -> String { String(format: "%.1f s", Double((ContinuousClock.now - driveStarted).milliseconds) / 1000) }
        do {
            try await run.drive(timeout: .seconds(240 + Self.pilots * 2)) { run in
                // From the first round on, one fault after the other, each healed before the
                // next, beside the drive: the requests wait in the queue whose leader stops,
                // upstream signs and reports through the faults (sending again what a dying
                // node did not confirm), and the workers go on throughout. (When the faults
                // ran inside the drive, upstream did nothing while they lasted.)
                finished.value.withLock { $0 = run.finished }
                guard faults == nil else { return }
                print("scale: faults begin \(sinceStart()) into the run")
                faults = Task {
                    // How long each step took goes into the output: the run's time includes them,
                    // and a slow run must say whether the system or the fault itself took the time.
                    var steps: [String] = []
                    func step(_ name: String, _ body: () async throws -> Void) async rethrows {
                        let start = ContinuousClock.now
                        let before = finished.value.withLock { $0 }
                        try await body()
                        steps.append(String(format: "%@ %.1f s (%d of %d pilots finished as it began)", name,
                            Double((ContinuousClock.now - start).milliseconds) / 1000, before, Self.pilots))
                    }
                    let leader = try await offThePool { try cluster.leader(of: Self.leadQueue) }
                    try await step("leader stopped") { try await offThePool { try cluster.stop(node: leader) } }
                    try await step("another node leads") {
                        try await waitUntil("another node to lead \(Self.leadQueue)", timeout: .seconds(60), interval: .milliseconds(500)) {
                            (try? await offThePool { try cluster.leader(of: Self.leadQueue) }).map { $0 != leader } ?? false
                        }
                    }
                    try await step("node started again") { try await offThePool { try cluster.start() } }
                    try await step("PostgreSQL restarted") {
                        try await offThePool { try database.stopServer() }
                        try await offThePool { try database.startServer() }
                    }
                    try await step("object store away and back") {
                        try await objects.stopServer()
                        // The outage itself: how long the object store is away, not a wait for anything.
                        try await Task.sleep(for: .seconds(10))
                        try await objects.startServer()
                    }
                    return (steps, sinceStart())
                }
            }
        } catch {
            // The faults heal before the cluster and the engines stop: a node started after
            // `cluster.stop()` would outlive the test.
            _ = await faults?.result
            throw error
        }
        // Every fault runs to its end and is healed before the checks, however soon the
        // pilots finished.
        let (steps, over) = try await #require(faults, "the run ended before the faults").value
        print("scale: faults over \(over) into the run: " + steps.joined(separator: ", "))

        await fleet.stopKillingWorkers()
        if fleet.restartCount > 0 {
            print("scale: \(fleet.restartCount) workers exited at start with the store away and were started again, as systemd does")
        }
        let store = try engines.store()
        try await run.drain(store)
        try await fleet.stopGracefully()
        try await run.verify(store, kills: fleet.killCount, missing: engines.missing, strays: { engines.strays(in: folders) },
            logLines: { fleet.logLines(mentioning: $0) })
        #expect(fleet.killCount >= 1)
    }
}

/// The rehearsal's count of finished pilots, as the drive last saw it, for the faults
/// that run beside it.
private final class FinishedCount: Sendable {
    let value = Mutex(0)
}
