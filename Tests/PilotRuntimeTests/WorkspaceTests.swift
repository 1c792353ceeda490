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
        }
    }

    @Test func theSweepRemovesOnlyFilesOfDeadWorkersOnThisHost() throws {
        try withWorkspace { workspace in
            try workspace.write(Document(path: "threads/sales/t-2/keep.md", text: "kept"))
            let folder = root.appendingPathComponent("threads/sales/t-2")
            let host = ProcessInfo.processInfo.hostName
            let names = [
                ".day-01.json~\(host)~4000001~17.tmp",  // a dead worker here: removed
                ".day-02.json~\(host)~\(getpid())~18.tmp",  // this live process: kept
                ".day-03.json~other-host~4000001~19.tmp",  // another host's: kept
            ]
            for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
            let removed = workspace.sweepTemporaryFiles { $0 != 4_000_001 }
            #expect(removed == 1)
            #expect(try files(workspace, "t-2") == [names[1], names[2], "keep.md"].sorted())
        }
    }
}
