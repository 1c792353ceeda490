import Foundation
import PilotTestKit
import Testing

/// `pilotctl` run as an operator runs it, refusing bad settings before it reaches a broker:
/// a usage error, and no secret in what it prints.
@Suite struct PilotctlRefusalTests {
    func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let tool = try WorkerProcess("pilotctl", arguments: arguments, environment: [:])
        defer { Task { await tool.terminate() } }
        let status = try await tool.waitForExit()
        return (status, tool.log)
    }

    /// `--day-seconds inf` trapped converting infinity to Int64; `-5` exported a queue
    /// `pilot.timer.-5s` with a negative TTL.
    @Test(arguments: ["inf", "1e300", "-5", "0"])
    func aDayLengthTheTimerCannotHoldIsAUsageError(_ value: String) async throws {
        let (status, output) = try await run(["topology", "export", "--day-seconds=\(value)"])
        #expect(status == 64, "\(output)")
        #expect(output.contains("--day-seconds [PILOT_DAY_SECONDS] must be a number of seconds from 0.1"), "\(output)")
    }

    @Test func aBadManagementURLIsNamedWithoutItsPassword() async throws {
        let (status, output) = try await run(["queues", "--management-url", "ftp://admin:mgmt-secret@x/"])
        #expect(status != 0)
        #expect(output.contains("ftp://admin:***@x/ is not an http(s) URL"), "\(output)")
        #expect(!output.contains("mgmt-secret"), "\(output)")
    }
}
