import Foundation
import PilotRuntime

/// The workspace's sweep of temporary files over a workspace of `pilots` finished pilots
/// (each thread folder with its documents, `monitoring/` with 30 days and `charts/`),
/// last changed a day ago: the walk the sweep made before `FolderWalk` (Foundation's
/// enumerator over every file) against the sweep now, first (every folder read) and after
/// an earlier sweep (folders without subfolders unchanged since it are passed over). The
/// workspace is made in `TMPDIR` and walked once before the rounds, so every round finds
/// it in the page cache.
struct SweepBenchmark {
    var pilots: Int
    var rounds: Int

    func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-bench-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = try Self.makeWorkspace(root, pilots: pilots)
        let workspace = Workspace(root: root, syncFiles: false)
        _ = Self.enumeratorWalk(root)
        say("\(pilots) pilots, \(files) files in \(root.path), last changed a day ago")
        var rows: [(before: Double, first: Double, later: Double)] = []
        for round in 1...rounds {
            let before = Self.seconds { _ = Self.enumeratorWalk(root) }
            let first = Self.seconds { _ = workspace.sweepLeftovers(now: Date(), lastSweep: nil) }
            let later = Self.seconds { _ = workspace.sweepLeftovers(now: Date(), lastSweep: Date().addingTimeInterval(-900)) }
            rows.append((before, first, later))
            say(String(format: "round %d: the enumerator %.3f s, a first sweep %.3f s (%.2f×), a later sweep %.3f s (%.3f×)",
                round, before, first, first / before, later, later / before))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let before = median(rows.map(\.before))
        let first = median(rows.map(\.first))
        let later = median(rows.map(\.later))
        say(String(format: "median: the enumerator %.3f s, a first sweep %.3f s (%.2f× the time), a later sweep %.3f s (%.3f× the time)",
            before, first, first / before, later, later / before))
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
        let dayAgo = timespec(tv_sec: time(nil) - 86_400, tv_nsec: 0)
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
            for folder in ["monitoring", "charts", ""] {
                var times = [dayAgo, dayAgo]
                utimensat(AT_FDCWD, thread.appendingPathComponent(folder).path, &times, 0)
            }
        }
        return files
    }

    static func seconds(_ body: () -> Void) -> Double {
        let started = ContinuousClock.now
        body()
        let elapsed = (ContinuousClock.now - started).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }
}
