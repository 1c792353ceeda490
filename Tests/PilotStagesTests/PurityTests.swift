import Foundation
import PilotTestKit
import Testing

/// The stages are pure by construction: Package.swift gives PilotStages no runtime, store
/// or AMQP module to import, and this test keeps out what Foundation would still allow:
/// files, the wall clock, the environment, sleeping.
@Suite struct PurityTests {
    static let forbidden = [
        "Date()", "Date.now", ".now()", "FileManager", "contentsOf", "contentsOfFile", "FileHandle", "fopen(",
        "ProcessInfo", "Thread.sleep", "usleep(", "Task.sleep", "URLSession", "import PilotRuntime",
        "import PilotStore", "import PilotAMQP", "import Glibc", "import Dispatch",
    ]

    @Test func stageSourcesUseNoFilesClockOrRuntime() throws {
        let folder = packageRoot.appendingPathComponent("Sources/PilotStages")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 10)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                for word in Self.forbidden where code.contains(word) {
                    found.append("Sources/PilotStages/\(file):\(number + 1): \(word)")
                }
            }
        }
        #expect(found.isEmpty, "stages must get time, files and state from their snapshot and context:\n\(found.joined(separator: "\n"))")
    }
}
