import Foundation

/// A `pilot-worker` (or other built executable) started as its own process, the way
/// an operator runs it, with its log captured to a file.
public final class WorkerProcess: Sendable {
    public let child: ChildProcess
    public let logFile: URL

    /// Starts `executable` (a product of this package) with `arguments` and `environment`
    /// added to the test's own environment.
    public init(_ executable: String = "pilot-worker", arguments: [String] = [], environment: [String: String]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(executable)-\(UUID().uuidString.prefix(8)).log")
        child = try ChildProcess(
            path: try Self.locate(executable).path, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, outputPath: logFile.path)
    }

    /// A process let go without `terminate()` (a worker fleet's retired ones) leaves no log
    /// behind either: nothing can read it once the last reference is gone.
    deinit { try? FileManager.default.removeItem(at: logFile) }

    /// Finds a built executable beside the test bundle, or through `PILOT_BIN_DIR`.
    public static func locate(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["PILOT_BIN_DIR"] {
            candidates.append(URL(fileURLWithPath: dir).appendingPathComponent(name))
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent(name))
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ShellError(command: "locate \(name)", status: -1, output: "not built; looked in \(candidates.map(\.path))")
        }
        return found
    }

    public var isRunning: Bool { child.isRunning }
    /// The exit status, or nil while it runs.
    public var exitStatus: Int32? { child.exitStatus }
    public var pid: Int32 { child.pid }

    public func signal(_ signal: Int32) {
        child.signal(signal)
    }

    /// Waits for the process to exit and returns its status; throws `WaitTimeout` if it
    /// still runs after `timeout`.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        guard let status = await child.wait(timeout: timeout) else {
            throw WaitTimeout(awaited: "\(logFile.lastPathComponent) (pid \(pid)) to exit", timeout: timeout)
        }
        return status
    }

    public var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// The number of times `text` occurs in the log so far.
    public func count(_ text: String) -> Int {
        log.components(separatedBy: text).count - 1
    }

    /// Waits until the log contains `text` `count` times; throws `WaitTimeout` otherwise,
    /// with the end of the log.
    public func waitForLog(_ text: String, count: Int = 1, timeout: Duration = .seconds(30)) async throws {
        do {
            try await waitUntil("\"\(text)\" \(count) time(s) in the log", timeout: timeout, interval: .milliseconds(50)) {
                self.count(text) >= count
            }
        } catch var timedOut as WaitTimeout {
            timedOut.awaited += "; log ends with:\n" + log.suffix(2000)
            throw timedOut
        }
    }

    /// Runs `body` (a wait on this process, typically); an error it throws comes back
    /// with whether the process still runs and the end of its log, to tell why.
    public func explaining<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let state = child.exitStatus.map { "exited with \($0)" } ?? "still running"
            // The error last: ShellError keeps the end of its output, and the error is what matters most.
            throw ShellError(command: "\(logFile.lastPathComponent) (pid \(pid))", status: child.exitStatus ?? 0,
                output: "its log ends with:\n\(log.suffix(2000))\nprocess \(state)\n\(String(describing: error).prefix(900))")
        }
    }

    /// Kills the process if it still runs and removes its log.
    public func terminate() async {
        if child.isRunning {
            child.signal(SIGKILL)
            _ = await child.wait(timeout: .seconds(10))
        }
        try? FileManager.default.removeItem(at: logFile)
    }
}
