import CSQLite

extension SQLiteDatabase {
    /// How a transaction starts.
    public enum TransactionKind: String, Sendable {
        /// `BEGIN`: takes locks as statements need them. For reads: a consistent snapshot
        /// that never waits for writers in WAL mode.
        case deferred = "BEGIN"
        /// `BEGIN IMMEDIATE`: takes the write lock at once. For every transaction that
        /// writes: a deferred one that reads first and then writes can fail with
        /// `SQLITE_BUSY` (snapshot too old) without the busy handler ever helping.
        case immediate = "BEGIN IMMEDIATE"
    }

    /// Runs `body` inside a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Taking the lock waits `busyTimeout` per attempt, for `writeLockAttempts` attempts;
    /// `body` itself runs once and is never retried. Transactions do not nest.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        precondition(!isInTransaction, "SQLite transactions do not nest")
        try retryingWhileBusy(kind.rawValue) { () throws(SQLiteError) in try execute(kind.rawValue) }
        do {
            let value = try body()
            // In WAL mode COMMIT does not wait for readers; in other modes it may, and then
            // the transaction stays open and COMMIT can simply be tried again.
            try retryingWhileBusy("COMMIT") { () throws(SQLiteError) in try execute("COMMIT") }
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// Rolls back the open transaction, if any (SQLite may already have rolled it back
    /// after an I/O error or a full disk).
    func rollback() {
        guard isInTransaction else { return }
        // A failed ROLLBACK leaves the transaction open; the pool then discards the
        // connection, which rolls back when it closes.
        _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }

    /// Runs `work` again while it fails with `SQLITE_BUSY`, up to `writeLockAttempts` times
    /// (each attempt already waited `busyTimeout` inside SQLite), then throws a busy error
    /// that says how long it waited.
    func retryingWhileBusy<T>(_ operation: String, _ work: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 1
        while true {
            do {
                return try work()
            } catch where error.isBusy && attempt < options.writeLockAttempts {
                attempt += 1
            } catch where error.isBusy {
                var error = error
                let waited = (clock.now - start).formatted
                error.note = "gave up after \(attempt) attempt(s) over \(waited) (busy_timeout "
                    + "\(options.busyTimeout.milliseconds) ms each): another connection or process "
                    + "holds the lock on \(path)"
                throw error
            }
        }
    }
}

extension Duration {
    /// `1.234 s`.
    var formatted: String {
        let milliseconds = self.milliseconds
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }
}
