import Foundation
import PilotTestKit
import Testing

/// The test kit's own promises, without a broker: a wait that times out fails, and the
/// live tier skips only when asked to or when there is no broker, never when required.
@Suite struct TestKitTests {
    @Test func aWaitThatTimesOutThrowsNamingWhatItAwaited() async throws {
        let error = await #expect(throws: WaitTimeout.self) {
            try await waitUntil("the sky to fall", timeout: .milliseconds(50), interval: .milliseconds(10)) { false }
        }
        #expect(error?.description.contains("the sky to fall") == true)
        var polls = 0
        try await waitUntil("the third poll", interval: .milliseconds(1)) {
            polls += 1
            return polls == 3
        }
        #expect(polls == 3)
    }

    @Test func liveTestsSkipOnlyWhenAskedOrWithoutABrokerAndNeverWhenRequired() {
        #expect(LiveTests.reason(environment: ["PILOT_SKIP_LIVE_TESTS": "1"])?.contains("PILOT_SKIP_LIVE_TESTS=1") == true)
        #expect(LiveTests.reason(environment: ["PILOT_SKIP_LIVE_TESTS": "1", "PILOT_REQUIRE_LIVE_TESTS": "1"]) == nil)
        // Without rabbitmq-server on PATH (or where deploy/broker.sh looks), the reason says so.
        let reason = LiveTests.reason(environment: ["PATH": "/nonexistent"], serverAt: "/nonexistent/rabbitmq-server")
        #expect(reason?.contains("rabbitmq-server is not installed") == true)
        #expect(LiveTests.reason(environment: ["PATH": "/nonexistent", "PILOT_REQUIRE_LIVE_TESTS": "1"], serverAt: "/nonexistent/rabbitmq-server") == nil)
    }

    @Test func aStartIsTriedAgainOnlyWhenAPortWasTakenAndAtMostThreeTimes() throws {
        let taken = ShellError(command: "broker.sh start", status: 1, output: "Failed to start Ranch listener ... eaddrinuse (address already in use)")
        let other = ShellError(command: "postgres.sh start", status: 1, output: "initdb: error: could not create directory")
        var attempts: [Int] = []
        let started = try startOnFreePorts { attempt in
            attempts.append(attempt)
            if attempt < 3 { throw taken }
            return "up"
        }
        #expect(started == "up" && attempts == [1, 2, 3])

        attempts = []
        #expect(throws: ShellError.self) { try startOnFreePorts { attempt -> String in attempts.append(attempt); throw taken } }
        #expect(attempts == [1, 2, 3])
        attempts = []
        #expect(throws: ShellError.self) { try startOnFreePorts { attempt -> String in attempts.append(attempt); throw other } }
        #expect(attempts == [1])
        #expect(ShellError(command: "pg", status: 1, output: "could not bind IPv4 address \"127.0.0.1\": Address already in use").portWasTaken)
        // A node whose distribution port was taken (seen in CI: the cluster's third node).
        #expect(ShellError(command: "broker.sh cluster-start", status: 1, output: """
            ERROR: could not bind to distribution port 29950 on host localhost. It could be in use by another process
            reason: {dist_port_already_used,29950,not_erlang,"localhost"}
            """).portWasTaken)
    }

    /// A worker's log goes with the last reference to it, `terminate()` or not: whole runs
    /// left the logs of a fleet's retired workers in the temporary folder.
    @Test func aWorkerProcessLetGoLeavesNoLog() async throws {
        var worker: WorkerProcess? = try WorkerProcess(environment: [
            "PILOT_INBOX_RETENTION": "30d", "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2f",
        ])
        let log = try #require(worker?.logFile)
        #expect(try await worker?.waitForExit() == 64)
        #expect(FileManager.default.fileExists(atPath: log.path))
        worker = nil
        #expect(!FileManager.default.fileExists(atPath: log.path))
    }
}
