import Foundation

/// A wait on something observable that did not happen in time. Thrown, it fails the
/// test with what was awaited, so a wait can never pass quietly.
public struct WaitTimeout: Error, CustomStringConvertible {
    public var awaited: String
    public var timeout: Duration
    public var description: String { "timed out after \(timeout) waiting for \(awaited)" }
}

/// Polls `condition` every `interval` until it holds; throws `WaitTimeout` naming
/// `awaited` once `timeout` has passed without it.
public func waitUntil(
    _ awaited: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout(awaited: awaited, timeout: timeout) }
        try await Task.sleep(for: interval)
    }
}

/// Polls `produce` until it returns a value; throws `WaitTimeout` naming `awaited` on timeout.
public func waitFor<T>(
    _ awaited: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(100),
    _ produce: () async throws -> T?
) async throws -> T {
    var value: T?
    try await waitUntil(awaited, timeout: timeout, interval: interval) {
        value = try await produce()
        return value != nil
    }
    return value!
}

/// Runs blocking work (a script, a broker start or stop) on a thread of its own and
/// awaits it. Async tests share a few threads (as many as cores, 2 here): blocking one
/// for the seconds a broker takes would stall every other test's waits and probes.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
