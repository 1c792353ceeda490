import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore
import PilotTestKit
import Testing

/// Many whole pilots driven the way upstream systems drive them, against workers the
/// caller runs and breaks: every request, then, as each kickoff is scheduled, the
/// signature, the pilot's feedback and its metrics (half the pilots miss their latency
/// target): all its days at once, or each day's in the middle of that day (`MetricsPace`).
/// Afterwards it counts what happened, the way RabbitMQ's Jepsen checker reports, and
/// checks that every pilot finished with exactly one outcome, every document, and
/// nothing left behind. The chaos suite (one host) and the scale suite (three hosts on
/// shared engines) both run it; only their workers, faults and stores differ.
final class Rehearsal {
    let name: String
    let pilots: Int
    let days: Int
    let probe: QueueProbe
    let topology: Topology
    let pace: MetricsPace
    var counts: Counts
    /// Events the broker confirmed, each of which must be handled.
    private(set) var confirmedIDs = Set<String>()
    private(set) var signed = Set<String>()
    private var pending: [CloudEvent] = []
    private var reports: DailyReports
    private var outcomes: [String: Set<String>] = [:]

    var threads: [String] { (0..<pilots).map { "\(name)-\($0)" } }
    /// The pilots with no outcome yet.
    var unfinished: [String] { threads.filter { outcomes[$0] == nil } }
    /// How many pilots have an outcome.
    var finished: Int { outcomes.count }
    /// More of where a run stands, for the progress lines: what the caller can see and the
    /// probe cannot (the pilots' stages in the store, unacked deliveries).
    var status: ((Rehearsal) -> String)?

    /// Retry tiers for runs with faults. An event that overtook the one it waits for
    /// (metrics before their signature, taken by another worker) is retried until that one
    /// is handled, which must outlast the longest outage a run injects: the object store
    /// away 10 s, a node or PostgreSQL restarting, a store backoff of up to 30 s. Ten
    /// attempts over 0.2 s, 1 s and then 5 s tiers last about 41 s.
    static let retryDelays: [Duration] = [.milliseconds(200), .seconds(1), .seconds(5)]
    static let retrySettings = ["PILOT_RETRY_DELAYS": "200ms,1s,5s", "PILOT_MAX_ATTEMPTS": "10"]

    /// When upstream reports a pilot's metrics.
    enum MetricsPace {
        /// Every day's as soon as the pilot is signed. Under faults this keeps the last
        /// day's report from coming after the pilot ended (which would dead-letter it):
        /// a driver held up by a broker restart would otherwise send late.
        case upfront
        /// Each day's in the middle of that day (pilot days of `dayLength` from the
        /// signature), as a lead's systems report: the workers see the load a real fleet
        /// of pilots brings, instead of 30 days of metrics in the first minutes. Not at
        /// the day's start, where the pilot's tick of the day before fires: the two would
        /// often reach the two workers together, and one would plan again.
        case daily(dayLength: Duration)

        var name: String {
            switch self {
            case .upfront: "metrics sent at the signature"
            case .daily: "metrics sent day by day"
            }
        }
    }

    /// The documents every finished pilot has, workspace-relative below its thread folder.
    var documents: [String] {
        ["pilot-agreement-custom.md", "kickoff-invite.ics", "kickoff-invite.eml", "pilot-results.md", "results-email.eml", "outcome.json"]
            + (1...days).map { String(format: "monitoring/day-%02d.json", $0) }
            + (1...(days / 7)).map { "progress-week-\($0).md" }
    }

    /// Taps the kickoffs and outcomes on `probe`'s broker.
    init(name: String, pilots: Int, days: Int, probe: QueueProbe, topology: Topology, pace: MetricsPace = .upfront, faults: String) throws {
        self.name = name
        self.pilots = pilots
        self.days = days
        self.probe = probe
        self.topology = topology
        self.pace = pace
        reports = DailyReports(days: days)
        counts = Counts(pilots: pilots, days: days, metrics: pace.name, faults: faults)
        try probe.tap("tap.kickoff", routingKeys: ["pilot.kickoff.scheduled"], topology: topology)
        try probe.tap("tap.outcome", routingKeys: ["action.create", "deal.lost"], topology: topology)
    }

    /// Publishes every request, confirmed.
    func request() throws {
        for first in stride(from: 0, to: pilots, by: 200) {
            let requests = (first..<min(first + 200, pilots)).map { PilotLifecycleTests.request("\(name)-\($0)", days: days) }
            try probe.publish(requests)
            confirmedIDs.formUnion(requests.map(\.id))
        }
    }

    /// Drives the pilots until each has an outcome or `timeout` passes (which fails the
    /// test, and goes on to the counts, which tell what is missing). `faults` runs after
    /// every round, to break things at points of the run it chooses (`signed.count`).
    /// The probe's connection dying with a broker node is healed by reconnecting:
    /// publishes are confirmed batch by batch, and a re-sent event carries its id.
    func drive(timeout: Duration, faults: (Rehearsal) async throws -> Void) async throws {
        let started = ContinuousClock.now
        let cpuAtStart = Self.processCPUSeconds()
        defer {
            counts.seconds = Double((ContinuousClock.now - started).milliseconds) / 1000
            counts.driverCPU = Self.processCPUSeconds() - cpuAtStart
        }
        var lastReport = started
        do {
            try await waitUntil("an outcome for every pilot", timeout: timeout, interval: .milliseconds(1)) {
                if ContinuousClock.now - lastReport >= .seconds(30) {
                    lastReport = ContinuousClock.now
                    print(progress(since: started))
                }
                var progressed = 0
                do {
                    progressed = try round()
                    try await faults(self)
                } catch is AMQPError {
                    try await reconnect()
                }
                if outcomes.count < pilots, progressed == 0 { try await Task.sleep(for: .milliseconds(100)) }
                return outcomes.count >= pilots
            }
        } catch let timedOut as WaitTimeout {
            Issue.record(timedOut)
        }
        counts.sent = probe.sent
        counts.acknowledged = probe.confirmed
    }

    /// Where a long run stands, every 30 s: a slow run must show what it waits for (the
    /// pilots that have not got far, and the queues that hold their events).
    private func progress(since started: ContinuousClock.Instant) -> String {
        let ready: String
        do {
            let depths = try inputs.compactMap { queue in try probe.depth(queue).nonZero.map { "\(queue) \($0)" } }
            ready = depths.isEmpty ? "none" : depths.joined(separator: ", ")
        } catch {
            // The probe's node went away; the next round reconnects it.
            ready = "unknown (\(String(describing: error).prefix(120)))"
        }
        return String(format: "%@: %.0f s into the run, %d of %d pilots signed, %d with an outcome; ready in the input queues: ", name,
            Double((ContinuousClock.now - started).milliseconds) / 1000, signed.count, pilots, outcomes.count) + ready
            + (status.map { "; " + $0(self) } ?? "")
    }

    /// One round: upstream's answer to new kickoffs, then the outcomes; returns how many
    /// messages it took.
    private func round() throws -> Int {
        let kickoffs = try probe.takeReady(upTo: 100, from: "tap.kickoff")
        for delivery in kickoffs {
            guard let thread = try JSONValue(parsing: delivery.body)["subject"]?.string, signed.insert(thread).inserted else { continue }
            let index = Int(thread.dropFirst(name.count + 1)) ?? 0
            let latency: Double = index % 2 == 0 ? 210 : 420
            pending.append(PreparationFlowTests.signed(thread, id: "sig-\(thread)"))
            pending += (1...3).map { PilotLifecycleTests.feedback(thread, $0, score: 9) }
            switch pace {
            case .upfront:
                pending += (1...days).map { PilotLifecycleTests.metrics(thread, day: $0, latency: latency) }
            case .daily(let dayLength):
                reports.schedule(thread, latency: latency, signedAt: .now, dayLength: dayLength)
            }
        }
        let due = reports.take(dueBy: .now)
        pending += due
        while !pending.isEmpty {
            let batch = pending.prefix(200)
            try probe.publish(batch)
            confirmedIDs.formUnion(batch.map(\.id))
            pending.removeFirst(batch.count)
        }
        return kickoffs.count + due.count + (try collectOutcomes())
    }

    /// The metrics reports, each held until the middle of its day. One line per day, first
    /// in first out: pilots are signed one after another, so each line's reports fall due
    /// in the order they were added.
    struct DailyReports {
        private var lines: [[(due: ContinuousClock.Instant, thread: String, latency: Double)]]
        private var heads: [Int]

        init(days: Int) {
            lines = Array(repeating: [], count: days)
            heads = Array(repeating: 0, count: days)
        }

        mutating func schedule(_ thread: String, latency: Double, signedAt: ContinuousClock.Instant, dayLength: Duration) {
            for line in lines.indices { lines[line].append((signedAt + dayLength * line + dayLength / 2, thread, latency)) }
        }

        /// The reports due by `now`, as events.
        mutating func take(dueBy now: ContinuousClock.Instant) -> [CloudEvent] {
            var due: [CloudEvent] = []
            for line in lines.indices {
                while heads[line] < lines[line].count, lines[line][heads[line]].due <= now {
                    let report = lines[line][heads[line]]
                    due.append(PilotLifecycleTests.metrics(report.thread, day: line + 1, latency: report.latency))
                    heads[line] += 1
                }
                if heads[line] == lines[line].count {
                    lines[line].removeAll(keepingCapacity: true)
                    heads[line] = 0
                }
            }
            return due
        }
    }

    private func collectOutcomes() throws -> Int {
        let deliveries = try probe.takeReady(upTo: 1000, from: "tap.outcome")
        for delivery in deliveries {
            let event = try JSONValue(parsing: delivery.body)
            guard let thread = event["subject"]?.string, let id = event["id"]?.string else { continue }
            if outcomes[thread, default: []].insert(id).inserted == false { counts.copies += 1 }
        }
        return deliveries.count
    }

    /// This process's CPU time (every thread, user and system): the driver's share of the
    /// machine while the workers run, which a benchmark of them must leave out.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Reconnects the probe, waiting for a broker (node) to answer.
    func reconnect() async throws {
        try await waitUntil("the probe to reconnect to the broker", timeout: .seconds(90), interval: .seconds(1)) {
            (try? probe.reconnect()) != nil
        }
    }

    /// The queues the workers read or that feed them back (stages, retry tiers, day timer).
    var inputs: [String] { topology.queues.filter { !$0.hasSuffix(".dead") } }

    /// Waits until the workers have nothing left: their queues and the outbox are empty.
    /// The outbox too: rows a killed worker published but could not mark sent wait for a
    /// relay's next round, which publishes them again.
    func drain(_ store: any PilotStore) async throws {
        try await reconnect()
        try await waitUntil("the workers' queues (\(inputs)) and the outbox to drain", timeout: .seconds(180), interval: .milliseconds(250)) {
            try inputs.allSatisfy { try probe.depth($0) == 0 } && store.read { try $0.pendingOutboxCount() } == 0
        }
    }

    /// Counts and checks everything, once the workers were stopped gracefully: then
    /// nothing more can come, proven rather than waited for (every queue was empty, the
    /// workers acked what they held before exiting, and the stage queues are still empty
    /// once the broker dropped their consumers), so what the taps and queues hold is final.
    /// `missing` names the documents of a pilot that are not where the contract says;
    /// `strays` lists files that should not exist (temporary files, local copies).
    /// `logLines` finds what the workers logged about an event or pilot, printed when
    /// something was lost or doubled.
    func verify(
        _ store: any PilotStore, kills: Int, missing: (_ thread: String, _ documents: [String]) throws -> [String],
        strays: () throws -> [String], logLines: (_ mentioning: [String]) -> [String]
    ) async throws {
        counts.kills = kills
        for stage in Stage.all { counts.leftInQueues += try await probe.settledDepth(stage.queue) }
        for queue in inputs { counts.leftInQueues += try probe.depth(queue) }
        _ = try collectOutcomes()

        counts.finished = threads.filter { outcomes[$0]?.count == 1 }.count
        counts.lost = threads.filter { outcomes[$0] == nil }
        counts.duplicated = threads.filter { (outcomes[$0]?.count ?? 0) > 1 }
        for queue in topology.queues where queue.hasSuffix(".dead") {
            counts.deadLetters += try probe.depth(queue)
            for letter in try probe.takeReady(upTo: 1000, from: queue) {
                let reason = letter.properties.header(Header.errorReason)?.stringValue ?? "?"
                let detail = letter.properties.header(Header.errorDetail)?.stringValue ?? ""
                counts.deadReasons["\(queue) \(reason): \(detail.prefix(400))", default: 0] += 1
            }
        }
        counts.outboxBacklog = try store.read { try $0.pendingOutboxCount() }
        for thread in threads { counts.missingDocuments += try missing(thread, documents).map { "\(thread)/\($0)" } }
        counts.strayFiles = try strays()
        let inboxes = try store.read { reader in try threads.map { try reader.handledEvents(threadID: $0) } }
        // Each tick of each day handled exactly once, whatever was redelivered.
        let ticks = zip(threads, inboxes).map { thread, handled in TickChains(handled, signature: "sig-\(thread)") }
        counts.longestChase = ticks.map(\.chase.count).max() ?? 0
        counts.handled = inboxes.reduce(0) { $0 + $1.count }
        counts.unhandled = confirmedIDs.subtracting(Set(inboxes.joined().map(\.eventID))).sorted()

        print("\(name): \(counts)")
        let suspects = Array((counts.unhandled + counts.lost + counts.duplicated).prefix(10))
        if !suspects.isEmpty {
            print("\(name): what the workers logged about \(suspects):\n" + logLines(suspects).joined(separator: "\n"))
        }
        #expect(counts.lost.isEmpty)
        #expect(counts.unhandled.isEmpty)
        #expect(counts.acknowledged >= confirmedIDs.count)
        #expect(counts.duplicated.isEmpty)
        #expect(counts.finished == pilots)
        #expect(counts.deadLetters == 0)
        #expect(counts.leftInQueues == 0)
        #expect(counts.outboxBacklog == 0)
        #expect(counts.missingDocuments.isEmpty)
        #expect(counts.strayFiles.isEmpty)
        #expect(ticks.allSatisfy { $0.daily.count == days }, "daily ticks per pilot: \(Set(ticks.map(\.daily.count)))")
        #expect(ticks.allSatisfy { $0.stray.isEmpty }, "ticks outside the daily chain and the signature chase")
    }

    /// What the run saw, printed the way RabbitMQ's Jepsen checker reports its counts.
    struct Counts: CustomStringConvertible {
        var pilots: Int
        var days: Int
        /// When upstream sent the metrics, in words.
        var metrics: String
        /// The faults the run injected, in words.
        var faults: String
        var sent = 0
        var acknowledged = 0
        var unhandled: [String] = []
        var finished = 0
        var lost: [String] = []
        var duplicated: [String] = []
        var copies = 0
        var kills = 0
        var seconds = 0.0
        /// The driver's own CPU over `seconds` (publishing upstream's events, reading taps).
        var driverCPU = 0.0
        var handled = 0
        /// The most signature-chase ticks one pilot saw before its signature was handled.
        var longestChase = 0
        var deadLetters = 0
        var deadReasons: [String: Int] = [:]
        var leftInQueues = 0
        var outboxBacklog = 0
        var missingDocuments: [String] = []
        var strayFiles: [String] = []

        var description: String {
            """
            \(pilots) pilots of \(days) days, \(metrics), \(kills) workers killed with SIGKILL, \(faults)
              time: \(String(format: "%.1f", seconds)) s, \(handled) events handled (\(String(format: "%.0f", Double(handled) / max(seconds, 0.001))) a second); the driver's CPU \(String(format: "%.1f", driverCPU)) s
              longest signature chase: \(longestChase) pilot days
              sent: \(sent) upstream publishes (re-sends included), acknowledged (confirmed by the broker): \(acknowledged)
              confirmed but never handled (not in any inbox): \(unhandled.count)\(unhandled.isEmpty ? "" : " \(unhandled.prefix(10))")
              finished: \(finished) pilots with one outcome
              lost: \(lost.count)\(lost.isEmpty ? "" : " \(lost.prefix(10))")
              duplicated effects: \(duplicated.count)\(duplicated.isEmpty ? "" : " \(duplicated.prefix(10))")
              re-sent copies of one event (same id, absorbed by inboxes): \(copies)
              dead letters: \(deadLetters)\(deadReasons.isEmpty ? "" : " \(deadReasons.sorted { $0.value > $1.value }.prefix(5))"), left in queues: \(leftInQueues), outbox backlog: \(outboxBacklog)
              missing documents: \(missingDocuments.count)\(missingDocuments.isEmpty ? "" : " \(missingDocuments.prefix(10))")
              stray files: \(strayFiles.count)\(strayFiles.isEmpty ? "" : " \(strayFiles.prefix(10))")
            """
        }
    }
}

extension Int {
    fileprivate var nonZero: Int? { self == 0 ? nil : self }
}
