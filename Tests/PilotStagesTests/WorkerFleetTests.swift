import Foundation
import PilotTestKit
import Testing

/// The fleet the chaos and scale suites run stands in for the service manager: a worker
/// that exits at start because its store is away is started again, any other exit fails
/// the run. Real worker processes; the database and the broker they name do not answer.
@Suite struct WorkerFleetTests {
    static let broker = "amqp://guest:guest@127.0.0.1:1/%2f"

    @Test func aWorkerThatCannotOpenItsStoreAtStartIsStartedAgain() async throws {
        let environment = ["PILOT_DATABASE": "postgres://pilot:pw@127.0.0.1:1/pilots?connect_timeout=1", "PILOT_AMQP_URL": Self.broker]
        let fleet = try WorkerFleet([environment])
        defer { fleet.killAll() }
        let first = fleet.running[0]
        #expect(try await first.waitForExit() == 64)
        fleet.restartExited()
        #expect(fleet.restartCount == 1)
        #expect(fleet.unexpected.isEmpty)
        #expect(fleet.running[0].pid != first.pid)
    }

    @Test func aWorkerThatExitsForAnotherReasonIsReported() async throws {
        let fleet = try WorkerFleet([["PILOT_INBOX_RETENTION": "30d", "PILOT_AMQP_URL": Self.broker]])
        defer { fleet.killAll() }
        #expect(try await fleet.running[0].waitForExit() == 64)
        fleet.restartExited()
        #expect(fleet.restartCount == 0)
        #expect(fleet.unexpected.count == 1)
        #expect(fleet.unexpected.first?.contains("PILOT_INBOX_RETENTION") == true)
    }
}
