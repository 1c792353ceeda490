#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Queues one process's writers ahead of SQLite's write lock.
///
/// Only one writer can hold that lock anyway, but SQLite's busy handler waits by sleeping
/// and polling (1 ms, 2 ms, 5 ms, … up to 100 ms), so a thread may keep losing to others
/// while it sleeps. Measured with 8 threads writing one event per transaction: the slowest
/// write waited 1.3 to 2.5 s without the gate, 0.13 to 0.38 s with it; the tail without it
/// grows toward the busy timeout and ends in spurious `SQLITE_BUSY` errors. Threads of
/// other processes still meet the busy handler.
///
/// A plain pthread mutex rather than `Synchronization.Mutex`: on Linux the latter is a
/// priority-inheritance futex that hands the lock to a sleeping waiter at every unlock,
/// a context switch per transaction that cost a third of the throughput when commits are
/// short (`synchronous=NORMAL`).
final class WriterGate: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Error-checking, so that a `write` nested in a `write` on one thread stops with a
        // message instead of deadlocking.
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        let result = pthread_mutex_lock(mutex)
        precondition(result != EDEADLK, "PilotStore.write called inside a write on the same thread")
        precondition(result == 0, "pthread_mutex_lock failed: \(result)")
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
