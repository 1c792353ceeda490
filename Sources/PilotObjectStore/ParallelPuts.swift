import Foundation
import Synchronization

/// Runs a list of PUTs on up to `width` threads (the caller's and threads of their own),
/// each taking the next PUT not started yet, so a slow one holds back no other. Stops
/// starting PUTs after the first failure and throws it once every PUT in flight has
/// returned. Threads of their own, not Dispatch's pool: a PUT blocks on the network, and
/// that pool is as wide as the CPUs and also runs the process's Swift tasks.
struct ParallelPuts {
    private let puts: [(key: String, bytes: [UInt8])]

    init(_ puts: [(String, [UInt8])]) {
        self.puts = puts.map { (key: $0.0, bytes: $0.1) }
    }

    func run(width: Int, _ put: @escaping @Sendable (String, [UInt8]) throws(S3Error) -> Void) throws(S3Error) {
        if puts.count <= 1 || width <= 1 {
            for item in puts { try put(item.key, item.bytes) }
            return
        }
        let progress = Progress()
        let puts = self.puts
        let work: @Sendable () -> Void = {
            while progress.failure.withLock({ $0 == nil }) {
                let index = progress.next.add(1, ordering: .relaxed).oldValue
                guard index < puts.count else { return }
                do throws(S3Error) {
                    try put(puts[index].key, puts[index].bytes)
                } catch {
                    progress.failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        let helpers = min(width, puts.count) - 1
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

    /// The next PUT to start and the first failure, shared by the threads.
    private final class Progress: Sendable {
        let next = Atomic<Int>(0)
        let failure = Mutex<S3Error?>(nil)
    }
}
