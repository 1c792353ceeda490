extension SQLiteDatabase {
    /// How a connection is set up.
    public struct Options: Sendable {
        /// When SQLite waits for the disk (`PRAGMA synchronous`), in WAL mode.
        public enum Synchronous: String, Sendable {
            /// fsync of the WAL at every commit: a committed transaction survives a process
            /// crash *and* a power loss or kernel panic. The default, because the worker acks
            /// a message once its effects are committed: an acked event whose effects are
            /// lost is lost for good.
            case full = "FULL"
            /// fsync only at checkpoints: still safe against process crashes and never
            /// corrupts the file, but the last transactions before a power loss may roll
            /// back. Fine for rehearsals and benchmarks, not for acks.
            case normal = "NORMAL"
        }

        public var synchronous: Synchronous
        /// How long one attempt waits for a lock held by another connection (`busy_timeout`).
        public var busyTimeout: Duration
        /// How many times a write transaction (or a journal-mode switch) tries to take the
        /// write lock, each waiting up to `busyTimeout`, before it fails with `SQLITE_BUSY`.
        public var writeLockAttempts: Int
        /// The size in bytes the WAL file is truncated to after a checkpoint.
        public var journalSizeLimit: Int

        public init(
            synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(10), writeLockAttempts: Int = 3,
            journalSizeLimit: Int = 64 << 20
        ) {
            precondition(writeLockAttempts >= 1, "writeLockAttempts must be at least 1")
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.writeLockAttempts = writeLockAttempts
            self.journalSizeLimit = journalSizeLimit
        }
    }
}
