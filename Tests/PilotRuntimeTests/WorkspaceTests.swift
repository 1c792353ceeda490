import Foundation
import Testing

@testable import PilotRuntime
import PilotStageAPI

/// Atomic document writes, batch installs and the sweep of files killed workers leave.
@Suite struct WorkspaceTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("workspace-\(UUID().uuidString.prefix(8))")

    func withWorkspace(_ body: (Workspace) throws -> Void) throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try body(Workspace(root: root))
    }

    func files(_ workspace: Workspace, _ thread: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("threads/sales/\(thread)").path).sorted()
    }

    @Test func aBatchAppearsOnlyWhenInstalled() throws {
        try withWorkspace { workspace in
            let staged = try ["a.md", "b.md"].map { try workspace.stage(Document(path: "threads/sales/t-1/\($0)", text: $0), sync: false) }
            #expect(try files(workspace, "t-1").allSatisfy { $0.hasPrefix(".") && $0.hasSuffix(".tmp") })
            try workspace.install(staged)
            #expect(try files(workspace, "t-1") == ["a.md", "b.md"])
            #expect(try String(contentsOf: root.appendingPathComponent("threads/sales/t-1/b.md"), encoding: .utf8) == "b.md")
        }
    }

    @Test func documentsLandInFoldersMadeOnDemand() throws {
        try withWorkspace { workspace in
            let paths = ["threads/sales/t-3/a.md", "threads/sales/t-3/monitoring/day-01.json", "threads/sales/t-3/monitoring/day-02.json"]
            try workspace.install(try paths.map { try workspace.stage(Document(path: $0, text: $0), sync: true) })
            for path in paths {
                #expect(try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) == path)
            }
            #expect(try files(workspace, "t-3") == ["a.md", "monitoring"])
            // A second pilot's folder, beside the first; a file where a folder should be is refused.
            try workspace.write(Document(path: "threads/sales/t-4/a.md", text: "four"))
            #expect(try files(workspace, "t-4") == ["a.md"])
            try Data("not a folder".utf8).write(to: root.appendingPathComponent("threads/sales/t-5"))
            #expect(throws: WorkspaceError.self) { try workspace.write(Document(path: "threads/sales/t-5/a.md", text: "five")) }
            #expect(throws: WorkspaceError.self) { try workspace.write(Document(path: "threads/sales/t-5/more/a.md", text: "five")) }
        }
    }

    /// Writes `names` in thread `t-2`'s folder, last written `age` seconds ago.
    func leftovers(_ names: [String], age: TimeInterval = 0) throws {
        let folder = root.appendingPathComponent("threads/sales/t-2")
        for name in names {
            let file = folder.appendingPathComponent(name)
            try Data("x".utf8).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: file.path)
        }
    }

    @Test func aDeadWorkersFilesGoAtOnceOnlyWhereItsPidCanBeJudged() throws {
        try withWorkspace { workspace in
            try workspace.write(Document(path: "threads/sales/t-2/keep.md", text: "kept"))
            let host = ProcessInfo.processInfo.hostName
            let here = "\(host)~\(Workspace.namespace)"
            let names = [
                ".day-01.json~\(here)~4000001~17.tmp",  // a dead worker here: removed
                ".day-02.json~\(Workspace.temporaryOwner)~18.tmp",  // this live process: kept
                ".day-03.json~other-host~\(Workspace.namespace)~4000001~19.tmp",  // another host's: kept
                ".day-04.json~\(host)~0123456789abcdef~4000001~20.tmp",  // another pid namespace's: kept
                ".day-05.json~\(host)~4000001~21.tmp",  // named before namespaces: kept
            ]
            try leftovers(names)
            let removed = try workspace.sweepTemporaryFiles { $0 != 4_000_001 }
            #expect(removed == 1)
            #expect(try files(workspace, "t-2") == (names.dropFirst() + ["keep.md"]).sorted())
        }
    }

    @Test func anyWritersFilesGoOnceOlderThanTheCutoffButNotTheSalesSystems() throws {
        try withWorkspace { workspace in
            try workspace.write(Document(path: "threads/sales/t-2/keep.md", text: "kept"))
            let host = ProcessInfo.processInfo.hostName
            let old = [
                ".day-03.json~other-host~0123456789abcdef~4000001~19.tmp",
                ".day-04.json~\(host)~0123456789abcdef~4000001~20.tmp",
                ".day-05.json~\(host)~4000001~21.tmp",
                ".day-06.json~\(Workspace.temporaryOwner)~22.tmp",  // even a live writer's: no commit takes an hour
            ]
            // The sales system's own, however close to ours their names come.
            let theirs = [
                ".notes.tmp", ".draft~v2.tmp", ".report~q3~2024~1.tmp", ".sync~a~2024~11.tmp", ".x~y~beef~12~3.tmp",
                ".x~y~0123456789abcdeg~12~3.tmp", ".x~y~0123456789ABCDEF~12~3.tmp", ".x~y~０123456789abcdef~12~3.tmp", ".x~y~0123456789abcdef~0~3.tmp", ".x~y~0123456789abcdef~12~-3.tmp",
                ".~\(host)~0123456789abcdef~12~3.tmp", ".day-09.json~other-host~4000001~25.tmp",
            ]
            let young = [
                ".day-07.json~other-host~0123456789abcdef~4000001~23.tmp",
                ".day-08.json~\(Workspace.temporaryOwner)~24.tmp",  // this process's, judged by the real check
            ]
            try leftovers(old + theirs, age: 7200)
            try leftovers(young, age: 60)
            let kept = theirs + young
            let removed = try workspace.sweepLeftovers(now: Date())
            #expect(removed == old.count)
            #expect(try files(workspace, "t-2") == (kept + ["keep.md"]).sorted())
        }
    }

    /// The sweep reads folders by their bytes and through their parents: a folder named
    /// in no character set is swept like any other, a link never leads it out of the
    /// workspace, and a folder it cannot read fails the sweep by name once the rest is swept.
    @Test func theSweepReadsEveryFolderOfTheTreeAndNamesThoseItCannot() throws {
        try withWorkspace { workspace in
            let threads = root.appendingPathComponent("threads/sales").path
            let outside = root.appendingPathComponent("elsewhere").path
            for folder in ["\(threads)/t-5/charts", outside] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            try FileManager.default.createSymbolicLink(atPath: "\(threads)/t-5/linked", withDestinationPath: outside)
            // Latin-1 "café": not UTF-8, so no String names it.
            let latin1 = Array("\(threads)/t-5/caf".utf8) + [0xE9]
            try #require(Self.call(latin1) { mkdir($0, 0o755) } == 0)
            var deep = "\(threads)/t-6"
            for level in 0...FolderWalk.maximumDepth { deep += "/\(level)" }
            try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)

            // A dead writer's of this host and namespace: whatever the sweep reads, it removes.
            let here = "\(ProcessInfo.processInfo.hostName)~\(Workspace.namespace)~4000001"
            func leftover(_ folder: [UInt8], _ number: Int) throws -> [UInt8] {
                let path = folder + Array("/.day-\(number).json~\(here)~\(number).tmp".utf8)
                let fd = Self.call(path) { open($0, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
                try #require(fd >= 0)
                close(fd)
                return path
            }
            let swept = [
                try leftover(Array("\(threads)/t-5/charts".utf8), 1), try leftover(latin1, 2), try leftover(Array("\(threads)/t-6/0".utf8), 3),
            ]
            let linked = try leftover(Array(outside.utf8), 4)
            let tooDeep = try leftover(Array(deep.utf8), 5)

            let error = #expect(throws: WorkspaceError.self) { try workspace.sweepTemporaryFiles { $0 != 4_000_001 } }
            let message = String(describing: try #require(error))
            #expect(message.contains("partial (3 removed)") && message.contains("1 folder could not be read: "), "\(message)")
            #expect(!message.contains("could not be removed"), "\(message)")
            #expect(message.contains("/t-6/0/1/") && message.contains("(past the walk's depth of \(FolderWalk.maximumDepth))"), "\(message)")
            func exists(_ path: [UInt8]) -> Bool { Self.call(path) { access($0, F_OK) } == 0 }
            #expect(!swept.contains(where: exists), "every folder it could read was swept")
            #expect(exists(linked), "a link is not followed out of the workspace")
            #expect(exists(tooDeep), "the folder it could not read")
        }
    }

    /// A workspace nothing was written to has no `threads/sales/` yet: nothing to sweep,
    /// and no warning.
    @Test func aNewWorkspaceSweepsNothingWithoutFailing() throws {
        try withWorkspace { workspace in
            #expect(!FileManager.default.fileExists(atPath: root.path))
            let removed = try workspace.sweepLeftovers(now: Date())
            #expect(removed == 0)
        }
    }

    /// `body` with `path` as a C string.
    static func call(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> Int32) -> Int32 {
        (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    @Test func theNamespaceIsReadFromThisKernelAndTellsBootsAndNamespacesApart() throws {
        let boot = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
        let pids = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")
        #expect(Workspace.namespace == Workspace.namespace(boot: boot, pids: pids), "not the fallback a process has alone")
        #expect(Workspace.namespace.count == 16 && Workspace.namespace.allSatisfy(\.isHexDigit))
        let other = [
            Workspace.namespace(boot: boot, pids: "pid:[4026532999]"),
            Workspace.namespace(boot: "0f6c5b52-5f1e-4c84-9d1b-3b1f8d7f4a10", pids: pids),
        ]
        #expect(!other.contains(Workspace.namespace))
        #expect(Workspace.temporaryOwner.hasSuffix("~\(Workspace.namespace)~\(getpid())"))
    }

    @Test func aZombieOrAReapedProcessIsNotRunningButThisOneIs() throws {
        #expect(Workspace.isRunning(getpid()))
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { for argument in argv { free(argument) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0)
        var reaped = false
        defer { if !reaped { waitpid(pid, nil, 0) } }
        let deadline = Date().addingTimeInterval(20)
        func state() -> Character? {
            (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)).flatMap { $0.split(separator: ")").last?.dropFirst().first }
        }
        while state() != "Z" {
            guard Date() < deadline else { Issue.record("timed out after 20 s waiting for /bin/true to exit"); return }
            usleep(5_000)
        }
        #expect(kill(pid, 0) == 0, "a zombie still takes signal 0")
        #expect(!Workspace.isRunning(pid))
        waitpid(pid, nil, 0)
        reaped = true
        #expect(!Workspace.isRunning(pid))
    }
}
