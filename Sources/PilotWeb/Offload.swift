import Dispatch

/// Runs blocking work (rabbitmq-c calls, the management API over URLSession) on a
/// Dispatch thread, so it never holds one of the few threads that serve requests.
enum Offload {
    private static let queue = DispatchQueue(label: "pilot-web.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
