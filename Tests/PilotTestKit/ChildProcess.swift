import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped by a thread of its own.
///
/// Foundation's `Process` was seen here to leave a finished child as a zombie and never
/// report its exit when the child had started a daemon (the broker), so the test kit
/// manages its children itself. Each child is reaped the moment it exits, whether or not
/// its owner is looking: Swift Testing's exit-test monitor waits for *any* child without
/// reaping it and loops on the first zombie it finds, so one zombie of ours left for later
/// kept it from ever seeing its own child and hung a whole run.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `status` is guarded by `exited`.
    public let pid: pid_t
    private let exited = NSCondition()
    private var status: Int32?

    /// Starts `path` with `arguments`, the given environment, stdin from /dev/null and
    /// stdout and stderr appended to `outputPath`.
    public init(path: String, arguments: [String], environment: [String: String], outputPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else {
            throw ShellError(command: path, status: result, output: "posix_spawn failed: \(String(cString: strerror(result)))")
        }
        self.pid = pid
        Thread.detachNewThread { [self] in reap() }
    }

    /// Blocks in `waitpid` until the child exits, then records its status.
    private func reap() {
        var raw: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &raw, 0)
        } while result == -1 && errno == EINTR
        let signal = raw & 0x7F
        // -1: nobody else reaps our children, so this is a bug to be seen, not a status.
        let exitStatus = result != pid ? -1 : signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        exited.lock()
        status = exitStatus
        exited.broadcast()
        exited.unlock()
    }

    /// The exit status (128 + signal when killed by a signal), or nil while it runs.
    public var exitStatus: Int32? {
        exited.lock()
        defer { exited.unlock() }
        return status
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Blocks the calling thread until the child exits or `timeout` passes; nil if it
    /// still runs.
    public func wait(blockingFor timeout: Duration) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        exited.lock()
        defer { exited.unlock() }
        while status == nil, exited.wait(until: deadline) {}
        return status
    }

    /// Waits for exit up to `timeout`; nil if still running.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }
}

/// Finds `name` on PATH.
func which(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
    if name.hasPrefix("/") { return name }
    let path = path ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
