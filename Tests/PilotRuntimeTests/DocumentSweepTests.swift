import Foundation
import Logging
import PilotTestKit
import Synchronization
import Testing

@testable import PilotRuntime

/// The worker's sweep of leftover documents runs at start and again every interval, so
/// leftovers of a worker killed while this one runs go too, and it ends when told to.
@Suite(.timeLimit(.minutes(2))) struct DocumentSweepTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString.prefix(8))")

    /// A temporary file of a process that cannot exist (past any pid_max) on this host, in
    /// another pid namespace (so only its age tells), last written `age` ago.
    /// With `here`, in this process's pid namespace, where the dead pid tells at once.
    func leftover(_ number: Int, age: TimeInterval = 7200, here: Bool = false) throws -> URL {
        let folder = root.appendingPathComponent("threads/sales/t-1")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let namespace = here ? Workspace.namespace : "0123456789abcdef"
        let owner = "\(ProcessInfo.processInfo.hostName)~\(namespace)~2147483646"
        let file = folder.appendingPathComponent(".day-\(number).json~\(owner)~\(number).tmp")
        try Data("x".utf8).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: file.path)
        return file
    }

    @Test func leftoversAreSweptAtStartAndAgainEveryInterval() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        // Written a minute ago: its writer may live in another pid namespace, so it waits.
        let young = try leftover(0, age: 60)
        let first = try leftover(1)
        // A worker here killed a minute ago and restarted: its file need not wait.
        let killedHere = try leftover(3, age: 60, here: true)
        let stop = StopSignal()
        let sweep = DocumentSweep(
            documents: Workspace(root: root), clock: .system, stop: stop, interval: .milliseconds(50),
            logger: Logger(label: "sweep-test"))
        let ended = Mutex(false)
        Thread {
            sweep.run()
            ended.withLock { $0 = true }
        }.start()
        try await waitUntil("the sweep at start", timeout: .seconds(20)) {
            !FileManager.default.fileExists(atPath: first.path) && !FileManager.default.fileExists(atPath: killedHere.path)
        }
        let second = try leftover(2)
        try await waitUntil("a later sweep", timeout: .seconds(20)) { !FileManager.default.fileExists(atPath: second.path) }
        stop.stop()
        try await waitUntil("the sweep's end once told to stop", timeout: .seconds(20)) { ended.withLock { $0 } }
        #expect(FileManager.default.fileExists(atPath: young.path), "a file younger than an hour is kept")
    }
}
