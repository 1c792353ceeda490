import Foundation
import PilotRuntime

/// The workspace's sweep of temporary files over a workspace of `pilots` finished pilots
/// (each thread folder with its documents, `monitoring/` with 30 days and `charts/`): the
/// walk the sweep made before `FolderWalk` (Foundation's enumerator over every file)
/// against the sweep now. The workspace is made in `TMPDIR` and walked once before the
/// rounds, so every round finds it in the page cache.
struct SweepBenchmark {
    var pilots: Int
    var rounds: Int

    func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-bench-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = try Self.makeWorkspace(root, pilots: pilots)
        let workspace = Workspace(root: root, syncFiles: false)
        _ = Self.enumeratorWalk(root)
        say("\(pilots) pilots, \(files) files in \(root.path)")
        var rows: [(before: Double, now: Double)] = []
        for round in 1...rounds {
            let before = ContinuousClock().measure { _ = Self.enumeratorWalk(root) }.seconds
            let now = try ContinuousClock().measure { _ = try workspace.sweepLeftovers(now: Date()) }.seconds
            rows.append((before, now))
            say(String(format: "round %d: the enumerator %.3f s, the sweep %.3f s (%.3f×)", round, before, now, now / before))
        }
        let before = median(rows.map(\.before))
        let now = median(rows.map(\.now))
        say(String(format: "median: the enumerator %.3f s, the sweep %.3f s: %.3f× the time", before, now, now / before))
    }

    /// The sweep's walk as it was: Foundation's enumerator over every file, keeping the
    /// names a temporary file may have.
    static func enumeratorWalk(_ root: URL) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: root.appendingPathComponent(Workspace.threadsFolder).path) else { return 0 }
        var candidates = 0
        while let path = walker.nextObject() as? String {
            if path.hasSuffix(".tmp"), path.split(separator: "/").last?.hasPrefix(".") == true { candidates += 1 }
        }
        return candidates
    }

    /// Writes the pilots' folders and returns how many files they hold.
    static func makeWorkspace(_ root: URL, pilots: Int) throws -> Int {
        let top = ["pilot-agreement-custom.md", "kickoff-invite.ics", "kickoff-invite.eml", "pilot-results.md", "results-email.eml", "outcome.json"]
            + (1...4).map { "progress-week-\($0).md" }
        let days = (1...30).map { String(format: "monitoring/day-%02d.json", $0) }
        let charts = ["charts/latency.svg", "charts/adoption.svg", "charts/uptime.svg"]
        var files = 0
        for index in 0..<pilots {
            let thread = root.appendingPathComponent("\(Workspace.threadsFolder)/bench-\(index)")
            for folder in ["monitoring", "charts"] {
                try FileManager.default.createDirectory(at: thread.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            for name in top + days + charts {
                let fd = open(thread.appendingPathComponent(name).path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
                close(fd)
                files += 1
            }
        }
        return files
    }
}
