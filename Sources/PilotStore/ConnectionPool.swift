import Synchronization

/// Idle connections to one database file, shared by the threads of one store.
///
/// A call checks a connection out for its whole duration and back in afterwards, so no
/// connection is ever used by two threads at once, and the pool grows to the number of
/// threads that use the store at the same time.
final class ConnectionPool: Sendable {
    /// Moves a connection between threads. Unchecked because a connection is only
    /// reachable from the pool's array or from the one call that checked it out.
    private final class Slot: @unchecked Sendable {
        let db: SQLiteDatabase
        init(_ db: SQLiteDatabase) { self.db = db }
    }

    private let idle: Mutex<[Slot]>
    private let open: @Sendable () throws -> SQLiteDatabase
    private let maximumIdle: Int

    /// `first` is an already opened connection (the one that ran the migrations).
    init(first: SQLiteDatabase, maximumIdle: Int, open: @escaping @Sendable () throws -> SQLiteDatabase) {
        self.idle = Mutex([Slot(first)])
        self.open = open
        self.maximumIdle = maximumIdle
    }

    /// Runs `body` with a connection no other thread is using.
    func withConnection<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        // Opening happens outside the lock: it does file I/O and may wait for a lock.
        let slot = try idle.withLock { $0.popLast() } ?? Slot(open())
        defer { checkIn(slot) }
        return try body(slot.db)
    }

    private func checkIn(_ slot: Slot) {
        // A connection still inside a transaction (its ROLLBACK failed) is closed, which
        // rolls back, rather than handed to the next caller.
        guard !slot.db.isInTransaction else { return }
        idle.withLock { slots in
            if slots.count < maximumIdle { slots.append(slot) }
        }
    }
}
