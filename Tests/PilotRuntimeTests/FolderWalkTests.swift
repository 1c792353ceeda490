import Foundation
import Testing

@testable import PilotRuntime

/// The sweep's walk goes on past a folder it cannot read, whatever order the folders come in.
@Suite struct FolderWalkTests {
    @Test func aFolderItCannotReadDoesNotEndTheWalk() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walk-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        // Two folders, each with a file and a folder below the walk's depth: stopped at the
        // first unread folder, it would miss the other's file in either order.
        for folder in ["a", "b"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("\(folder)/deep"), withIntermediateDirectories: true)
            for file in ["\(folder)/wanted.tmp", "\(folder)/other.md", "\(folder)/deep/wanted.tmp"] {
                try Data("x".utf8).write(to: root.appendingPathComponent(file))
            }
        }
        try Data("x".utf8).write(to: root.appendingPathComponent("top.tmp"))
        var seen: [String] = []
        let unread = FolderWalk(maximumDepth: 1).files(under: root.path, wanted: { $0.suffix(4).elementsEqual(".tmp".utf8) }) {
            _, path, name in seen.append(String(path.dropFirst(root.path.count)) + "/" + String(decoding: name, as: UTF8.self))
        }
        #expect(seen.sorted() == ["/a/wanted.tmp", "/b/wanted.tmp", "/top.tmp"])
        #expect(unread.map { String($0.path.dropFirst(root.path.count)) }.sorted() == ["/a/deep", "/b/deep"])
        #expect(unread.allSatisfy { $0.reason == "past the walk's depth of 1" })
    }

    @Test func aMissingRootIsNoFailure() {
        let unread = FolderWalk().files(under: "/nonexistent-\(UUID().uuidString)", wanted: { _ in true }) { _, _, _ in }
        #expect(unread.isEmpty)
    }
}
