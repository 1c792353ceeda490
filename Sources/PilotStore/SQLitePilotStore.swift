#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The SQLite `PilotStore`: one database file shared by every worker process on the host.
///
/// One instance serves all the threads of a process: each `read` and `write` runs on a
/// connection of its own from a small pool. Writers of one process queue on a mutex;
/// processes coordinate through SQLite's file locks: a write takes the write lock with
/// `BEGIN IMMEDIATE`, waits up to `busyTimeout`, tries again `writeLockAttempts` times, then
/// fails with a busy `SQLiteError` saying so. Reads never wait for writes (WAL).
/// WAL needs every process on the same host (no network file systems).
public final class SQLitePilotStore: PilotStore {
    /// The database file.
    public let path: String
    public let options: SQLiteDatabase.Options
    private let pool: ConnectionPool
    /// Serializes this process's writers before they reach SQLite's lock (see `WriterGate`).
    private let writerGate = WriterGate()

    /// Opens the database at `path`, creating the file and its folder if needed, and
    /// migrates it to `PilotSchema.version`.
    ///
    /// Throws `PilotStoreError.schemaTooNew` for a database written by a newer build,
    /// `PilotStoreError.unusablePath` when the folder cannot be created, and `SQLiteError`.
    /// `maximumIdleConnections` bounds the connections kept open between calls; set it to
    /// at least the number of threads that use the store.
    public init(path: String, options: SQLiteDatabase.Options = .init(), maximumIdleConnections: Int = 16) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PilotStoreError.unusablePath(path: path, reason: "cannot create \(folder): \(error)")
        }
        let first = try SQLiteDatabase(path: path, options: options)
        try SchemaMigrations(PilotSchema.migrations).apply(to: first)
        self.path = path
        self.options = options
        self.pool = ConnectionPool(first: first, maximumIdle: max(1, maximumIdleConnections)) {
            try SQLiteDatabase(path: path, options: options)
        }
    }

    @discardableResult
    public func write<T>(_ body: (any PilotStoreTransaction) throws -> T) throws -> T {
        try writerGate.withLock {
            try pool.withConnection { db in
                try db.transaction(.immediate) { try body(SQLiteStoreTransaction(db: db)) }
            }
        }
    }

    public func read<T>(_ body: (any PilotStoreReader) throws -> T) throws -> T {
        try pool.withConnection { db in
            try db.transaction(.deferred) { try body(SQLiteStoreReader(db: db)) }
        }
    }
}
