import Foundation
import PilotTestKit
import Testing

/// The test kit's children, here beside the exit test they must not stall: Swift Testing's
/// exit-test monitor loops on any zombie it finds, so ours are reaped as they exit.
@Suite struct ChildProcessTests {
    @Test func aChildIsReapedAsItExitsEvenIfNobodyAsks() async throws {
        let child = try ChildProcess(path: "/bin/true", arguments: [], environment: [:], outputPath: "/dev/null")
        // Nothing asks `child` before it is gone: a zombie keeps its /proc entry until reaped.
        try await waitUntil("pid \(child.pid) reaped", timeout: .seconds(10), interval: .milliseconds(10)) {
            !FileManager.default.fileExists(atPath: "/proc/\(child.pid)")
        }
        #expect(child.exitStatus == 0)
    }

    @Test func aBlockingWaitEndsAtItsDeadlineOrAtTheExit() throws {
        let child = try ChildProcess(path: "/bin/sleep", arguments: ["30"], environment: [:], outputPath: "/dev/null")
        #expect(child.wait(blockingFor: .milliseconds(100)) == nil)
        child.signal(SIGKILL)
        #expect(child.wait(blockingFor: .seconds(10)) == 128 + SIGKILL)
    }

    @Test func aShellCommandThatHangsIsKilledAndFails() throws {
        let error = #expect(throws: ShellError.self) {
            try shell(["sleep", "30"], timeout: .milliseconds(200))
        }
        #expect(error?.output.contains("still running after") == true)
    }
}
