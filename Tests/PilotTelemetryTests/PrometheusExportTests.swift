import Foundation
import Logging
import PilotJSON
@testable import PilotRuntime
import PilotStore
@testable import PilotTelemetry
import Testing

/// What a scrape shows for what the runtime recorded, without a broker: each test has
/// its own registry, so nothing leaks between tests.
@Suite struct PrometheusExportTests {
    let export = PrometheusExport()

    private var text: String { String(decoding: export.render(), as: UTF8.self) }

    @Test func verdictsBecomeCountersPerStageAndOutcome() {
        let metrics = StageMetrics(stage: Stage.all[0], factory: export.factory)
        metrics.received(4)
        metrics.record(.handled(events: 2), took: .milliseconds(3))
        metrics.record(.duplicate, took: .microseconds(300))
        metrics.record(.retry(attempt: 1, delay: .seconds(1)), took: .milliseconds(1))
        metrics.record(.dead(reason: "wrong_state"), took: .milliseconds(1))
        metrics.acked(4)
        metrics.published(3)

        let lines = text
        #expect(lines.contains(#"pilot_deliveries_total{stage="agreement",outcome="received"} 4"#))
        #expect(lines.contains(#"pilot_deliveries_total{stage="agreement",outcome="handled"} 1"#))
        #expect(lines.contains(#"pilot_deliveries_total{stage="agreement",outcome="duplicate"} 1"#))
        #expect(lines.contains(#"pilot_deliveries_total{stage="agreement",outcome="retried"} 1"#))
        #expect(lines.contains(#"pilot_deliveries_total{stage="agreement",outcome="dead_lettered"} 1"#))
        #expect(lines.contains(#"pilot_dead_letters_total{stage="agreement",reason="wrong_state"} 1"#))
        #expect(lines.contains(#"pilot_acked_total{stage="agreement"} 4"#))
        #expect(lines.contains(#"pilot_published_total{stage="agreement"} 3"#))
        #expect(lines.contains(#"pilot_handling_seconds_count{stage="agreement"} 4"#))
        // The fine buckets: 300 µs falls under 0.0005 s, 3 ms under 0.005 s.
        #expect(lines.contains(#"pilot_handling_seconds_bucket{stage="agreement",le="0.0005"} 1"#))
        #expect(lines.contains(#"pilot_handling_seconds_bucket{stage="agreement",le="0.005"} 4"#))
        #expect(!lines.contains("pilot.deliveries"))
    }

    @Test func theRuntimesDeadLetterReasonsAreExportedAsZerosFromTheStart() {
        _ = StageMetrics(stage: Stage.all[1], factory: export.factory)
        for reason in DeadLetterReason.allCases {
            #expect(text.contains(#"pilot_dead_letters_total{stage="kickoff",reason="\#(reason.rawValue)"} 0"#))
        }
    }

    @Test func storeGaugesCountPilotsPerStageAndStatusAndTheOutboxBacklog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("telemetry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLitePilotStore(path: folder.appendingPathComponent("pilot.db").path)
        try store.write { transaction in
            for (thread, stage, status) in [("a-1", "monitoring", "active"), ("a-2", "monitoring", "active"), ("a-3", "agreement", "proposed")] {
                _ = try transaction.savePilot(PilotRecord(threadID: thread, stage: stage, status: status, state: [:]))
            }
            _ = try transaction.enqueue([
                OutboxMessage(eventID: "e-1", threadID: "a-1", exchange: "pilot.events", routingKey: "crm.update", body: [1]),
            ])
        }
        let status = WorkerStatus()
        let gauges = StoreGauges(store: store, status: status, factory: export.factory, logger: Logger(label: "test"))
        gauges.refresh()
        #expect(text.contains(#"pilot_pilots{stage="monitoring",status="active"} 2"#))
        #expect(text.contains(#"pilot_pilots{stage="agreement",status="proposed"} 1"#))
        #expect(text.contains("pilot_outbox_backlog 1"))
        #expect(text.contains("pilot_ready 0"))

        // A pair that empties reads 0 rather than its last value.
        try store.write { transaction in
            _ = try transaction.savePilot(PilotRecord(threadID: "a-3", stage: "kickoff", status: "scheduled", state: [:], version: 1))
            _ = try transaction.markSent(eventIDs: ["e-1"], at: "2026-11-25T10:00:00Z")
        }
        gauges.refresh()
        #expect(text.contains(#"pilot_pilots{stage="agreement",status="proposed"} 0"#))
        #expect(text.contains(#"pilot_pilots{stage="kickoff",status="scheduled"} 1"#))
        #expect(text.contains("pilot_outbox_backlog 0"))
    }

    @Test func readinessNeedsEveryConsumerAndTurnsOffWhileStopping() {
        let status = WorkerStatus()
        #expect(status.readiness == .init(isReady: false, reason: "starting"))
        status.started(consumers: 2)
        status.consumerStarted()
        #expect(status.readiness == .init(isReady: false, reason: "1 of 2 consumers consuming"))
        status.consumerStarted()
        #expect(status.readiness == .init(isReady: true, reason: "2 of 2 consumers consuming"))
        status.consumerStopped()
        #expect(!status.readiness.isReady)
        status.consumerStarted()
        status.shuttingDown()
        #expect(status.readiness == .init(isReady: false, reason: "shutting down"))
    }
}
