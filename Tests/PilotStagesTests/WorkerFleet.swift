import Foundation
import PilotRuntime
import PilotTestKit
import Synchronization
import Testing

/// Worker processes in slots, each slot started with its own environment (its host's),
/// and the fault the chaos and scale suites share: a random worker killed with SIGKILL
/// every few seconds and replaced by a fresh one in its slot. Like the service manager
/// (`Restart=on-failure` in `deploy/systemd`), the fleet also starts again a worker that
/// exited on its own because its store could not be opened at start (exit 64): one
/// started while PostgreSQL restarts does that by design. Any other exit is a failure.
final class WorkerFleet: Sendable {
    let environments: [[String: String]]
    private let workers: Mutex<[WorkerProcess]>
    private let kills = Atomic<Int>(0)
    private let survivors = Atomic<Int>(0)
    private let restarts = Atomic<Int>(0)
    /// Workers that exited on their own for another reason: pid, status and log tail.
    private let unexpectedExits = Mutex<[String]>([])
    private let stopKilling = StopSignal()
    private let killer = Mutex<Task<Void, Never>?>(nil)
    /// The logs of workers already gone (killed or stopped), kept in memory so that a
    /// failed run can still tell what a killed worker did with an event.
    private let goneLogs = Mutex<[(pid: Int32, log: String)]>([])

    init(_ environments: [[String: String]]) throws {
        self.environments = environments
        workers = Mutex(try environments.map { try WorkerProcess(environment: $0) })
    }

    var running: [WorkerProcess] { workers.withLock { $0 } }
    var killCount: Int { kills.load(ordering: .relaxed) }
    /// Workers started again after they exited at start, their store away.
    var restartCount: Int { restarts.load(ordering: .relaxed) }
    /// What `restartExited` found of workers that exited for another reason.
    var unexpected: [String] { unexpectedExits.withLock { $0 } }

    /// Kills a random worker every `interval` (the pace of the faults, not a wait for
    /// anything) until `stopKillingWorkers()`.
    func startKillingWorkers(every interval: Duration) {
        let task = Task.detached { [self] in
            while await Self.pause(interval, unless: stopKilling) {
                restartExited()
                let (victim, index) = workers.withLock { workers in
                    let index = Int.random(in: 0..<workers.count)
                    return (workers[index], index)
                }
                victim.signal(SIGKILL)
                // Counted, and checked later: an issue recorded in a detached task would not
                // be attributed to the test.
                if (try? await victim.waitForExit(timeout: .seconds(10))) == nil { survivors.add(1, ordering: .relaxed) }
                kills.add(1, ordering: .relaxed)
                if let replacement = try? WorkerProcess(environment: environments[index]) {
                    workers.withLock { $0[index] = replacement }
                }
                retire(victim)
                await victim.terminate()
            }
        }
        killer.withLock { $0 = task }
    }

    /// Stops the kills and waits for the last one to be replaced.
    func stopKillingWorkers() async {
        stopKilling.stop()
        await killer.withLock { $0 }?.value
        #expect(survivors.load(ordering: .relaxed) == 0, "a worker outlived SIGKILL by 10 s")
    }

    /// Starts a fresh worker in each slot whose worker exited by itself. Only an exit
    /// because the store could not be opened at start is expected; any other is recorded
    /// (`unexpected`) and fails the test in `stopGracefully`. The kill loop calls it, and
    /// `stopGracefully` once the kills are over (never both at once).
    func restartExited() {
        let exited = workers.withLock { workers in workers.indices.filter { !workers[$0].isRunning }.map { ($0, workers[$0]) } }
        for (index, worker) in exited {
            let status = worker.exitStatus
            let log = worker.log
            if status == 64, log.contains("cannot open the database") {
                restarts.add(1, ordering: .relaxed)
            } else {
                unexpectedExits.withLock {
                    $0.append("pid \(worker.pid) exited with \(status.map(String.init) ?? "?"); its log ends with:\n\(log.suffix(2000))")
                }
            }
            guard let replacement = try? WorkerProcess(environment: environments[index]) else { continue }
            workers.withLock { $0[index] = replacement }
            retire(worker)
        }
    }

    /// SIGTERM to every worker; each must finish its batch and exit 0.
    func stopGracefully() async throws {
        restartExited()
        #expect(unexpected.isEmpty, "workers exited on their own: \(unexpected)")
        let running = running
        // A replacement started by the last kill may still be starting, and a SIGTERM that
        // comes before its signal handling is set up kills it outright.
        do {
            try await waitUntil("every worker to have started") { running.allSatisfy { $0.count("worker started") >= 1 } }
        } catch let timedOut as WaitTimeout {
            let waiting = running.filter { $0.count("worker started") == 0 }.map { worker in
                "pid \(worker.pid), exit \(worker.exitStatus.map(String.init) ?? "none yet"), its log ends with:\n\(worker.log.suffix(1500))"
            }
            Issue.record(timedOut, "workers not started: \(waiting.joined(separator: "\n"))")
            throw timedOut
        }
        for worker in running { worker.signal(SIGTERM) }
        for worker in running {
            let status = try await worker.waitForExit()
            #expect(status == 0, "a worker did not stop gracefully: exit \(status); its log ends with:\n\(worker.log.suffix(2000))")
            retire(worker)
            await worker.terminate()
        }
    }

    private func retire(_ worker: WorkerProcess) {
        let log = worker.log
        goneLogs.withLock { $0.append((worker.pid, log)) }
    }

    /// The log lines of every worker of the run, gone or running, that mention one of
    /// `words` (event ids, pilots): what to read when a run lost something. At most `limit`.
    func logLines(mentioning words: [String], limit: Int = 200) -> [String] {
        guard !words.isEmpty else { return [] }
        let logs = goneLogs.withLock { $0 } + running.map { ($0.pid, $0.log) }
        var lines: [String] = []
        for (pid, log) in logs {
            for line in log.split(separator: "\n") where words.contains(where: { line.contains($0) }) {
                lines.append("[pid \(pid)] \(line)")
                if lines.count >= limit { return lines }
            }
        }
        return lines
    }

    /// Whatever ended the test, no worker outlives it.
    func killAll() {
        stopKilling.stop()
        for worker in running where worker.isRunning { worker.signal(SIGKILL) }
    }

    /// Waits `duration` unless stopped first; false if stopped. Async: a blocking sleep
    /// would hold one of the few threads every test's async code shares.
    static func pause(_ duration: Duration, unless stop: StopSignal) async -> Bool {
        let deadline = ContinuousClock.now + duration
        while !stop.isStopped, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !stop.isStopped
    }
}
