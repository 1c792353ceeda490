import Foundation
import Synchronization

/// Runs a list of requests (PUTs, copies, deletes) on up to `width` threads (the caller's
/// and threads of their own), each taking the next one not started yet, so a slow one
/// holds back no other. Stops starting requests after the first failure and throws it once
/// every request in flight has returned. Threads of their own, not Dispatch's pool: a
/// request blocks on the network, and that pool is as wide as the CPUs and also runs the
/// process's Swift tasks.
struct ParallelRequests<Item: Sendable> {
    private let items: [Item]

    init(_ items: [Item]) {
        self.items = items
    }

    func run(width: Int, _ request: @escaping @Sendable (Item) throws(S3Error) -> Void) throws(S3Error) {
        if items.count <= 1 || width <= 1 {
            for item in items { try request(item) }
            return
        }
        let progress = Progress()
        let items = self.items
        let work: @Sendable () -> Void = {
            while progress.failure.withLock({ $0 == nil }) {
                let index = progress.next.add(1, ordering: .relaxed).oldValue
                guard index < items.count else { return }
                do throws(S3Error) {
                    try request(items[index])
                } catch {
                    progress.failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        let helpers = min(width, items.count) - 1
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<helpers {
            Thread {
                work()
                finished.signal()
            }.start()
        }
        work()
        for _ in 0..<helpers { finished.wait() }
        if let error = progress.failure.withLock({ $0 }) { throw error }
    }

    /// The next request to start and the first failure, shared by the threads.
    private final class Progress: Sendable {
        let next = Atomic<Int>(0)
        let failure = Mutex<S3Error?>(nil)
    }
}
