import Foundation
import PilotRuntime

/// Runs blocking work (the store, documents from the object store over libcurl,
/// rabbitmq-c calls, the management API over URLSession) on threads of its own.
///
/// Routes run on Swift's cooperative threads, one per core: two slow page loads there
/// would stall every route, `POST /events`, DocuSign and `/healthz` among them. The
/// threads here are a fixed few, so a burst of slow pages waits its turn instead of
/// growing threads without bound.
enum Offload {
    static let threads = 8
    private static let pool = BlockingPool(threads: threads, name: "pilot-web-blocking")

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.submit { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// Threads that take submitted work in order, for as long as the process lives.
final class BlockingPool: @unchecked Sendable {
    // @unchecked: `jobs` is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    init(threads: Int, name: String) {
        for index in 0..<threads {
            let thread = Thread { [self] in
                nameCurrentThread("\(name)-\(index)")
                loop()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
