import Foundation
import Testing

@testable import PilotRuntime
import PilotStageAPI

/// The workspace seen through `DocumentStore`, as the batch path, the delivery stage,
/// pilot-web and pilotctl use it.
@Suite struct WorkspaceDocumentStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("documents-\(UUID().uuidString.prefix(8))")

    func withStore(_ body: (any DocumentStore) throws -> Void) throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try body(Workspace(root: root))
    }

    func names(_ thread: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("threads/sales/\(thread)").path)) ?? []).sorted()
    }

    @Test func stagedDocumentsAreReadableOnlyOnceInstalled() throws {
        try withStore { store in
            let staged = try ["a.md", "b.md"].map { try store.stage(Document(path: "threads/sales/t-1/\($0)", text: $0)) }
            try store.flush()
            #expect(try store.read("threads/sales/t-1/a.md") == nil)
            try store.install(staged)
            #expect(try store.read("threads/sales/t-1/a.md") == Array("a.md".utf8))
            #expect(names("t-1") == ["a.md", "b.md"])
        }
    }

    @Test func aDiscardedPlanLeavesNothingBehind() throws {
        try withStore { store in
            try store.write(Document(path: "threads/sales/t-2/a.md", text: "old"))
            let staged = try store.stage(Document(path: "threads/sales/t-2/a.md", text: "new"))
            staged.discard()
            #expect(names("t-2") == ["a.md"])
            #expect(try store.read("threads/sales/t-2/a.md") == Array("old".utf8))
        }
    }

    @Test func templatesFallBackToTheBuiltInOnesWhenAbsent() throws {
        try withStore { store in
            #expect(try store.templates() == PilotSnapshot.Templates())
            let folder = root.appendingPathComponent(Workspace.templatesFolder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("# {{company}}".utf8).write(to: folder.appendingPathComponent("pilot-agreement.md"))
            #expect(try store.templates().agreement == "# {{company}}")
        }
    }

    @Test func pathsOutsideAThreadsFolderAndLinksLeadingOutAreRefused() throws {
        try withStore { store in
            #expect(throws: WorkspaceError.self) { try store.read("artifacts/sales/current/pilot-agreement.md") }
            #expect(throws: WorkspaceError.self) { try store.read("threads/sales/t-3/../../x") }
            #expect(throws: WorkspaceError.self) { try store.stage(Document(path: "/etc/passwd", text: "x")) }
            // Split by Character, "/\u{301}" is one character and the ".." before it a part's start.
            #expect(throws: WorkspaceError.self) { try store.stage(Document(path: "threads/sales/t-3/../\u{301}x", text: "x")) }
            #expect(throws: WorkspaceError.self) { try store.stage(Document(path: "threads/sales/t-3/./x", text: "x")) }
            #expect(throws: WorkspaceError.self) { try store.stage(Document(path: "threads/sales/t-3//x", text: "x")) }
            #expect(throws: WorkspaceError.self) { try store.stage(Document(path: "threads/sales/.t/x", text: "x")) }
            #expect(throws: WorkspaceError.self) { try store.stage(Document(path: "threads/sales/t-3", text: "x")) }
            let folder = root.appendingPathComponent("threads/sales/t-3")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString.prefix(8))")
            try Data("secret".utf8).write(to: outside)
            defer { try? FileManager.default.removeItem(at: outside) }
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.eml"), withDestinationURL: outside)
            #expect(throws: WorkspaceError.self) { try store.read("threads/sales/t-3/link.eml") }
        }
    }

    @Test func itsLocationIsTheFolder() throws {
        try withStore { store in #expect(store.location == root.standardizedFileURL.path) }
    }
}
