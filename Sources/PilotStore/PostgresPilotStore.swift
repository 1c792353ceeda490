import Synchronization

/// The PostgreSQL `PilotStore`, for workers on several hosts sharing one database.
///
/// Same blocking model as the rest of the worker: each `read` and `write` runs on a
/// connection of its own from a small pool, so in practice each consumer thread has one
/// connection beside its AMQP one. Writes run at READ COMMITTED: `savePilot`'s version
/// check is a conditional UPDATE, which PostgreSQL re-evaluates against a concurrent
/// commit, so two writers of one pilot cannot both win. Reads run in a REPEATABLE READ,
/// READ ONLY transaction: one consistent snapshot, never waiting for writers.
///
/// A connection that broke (server restarted, network lost) is dropped: the call that
/// found it broken throws, and the next call connects again. A stale idle connection
/// discovered at `BEGIN`, before anything ran, is replaced at once and the call goes on.
public final class PostgresPilotStore: PilotStore {
    /// The URL with its password replaced by `***`, for logs and errors.
    public let redactedURL: String
    private let pool: PostgresPool

    /// Connects to `url` (a libpq URI: `postgres://user:password@host:port/db?sslmode=…`)
    /// and migrates the database to `PostgresSchema.version`.
    ///
    /// Throws `PostgresError` when the server cannot be reached or refuses the login, and
    /// `PilotStoreError.schemaTooNew` for a database written by a newer build.
    public init(url: String, maximumIdleConnections: Int = 16, migrations: [String] = PostgresSchema.migrations) throws {
        redactedURL = DatabaseLocation.redacted(url)
        let url = Self.withDefaults(url)
        let first = try PostgresConnection(conninfo: url)
        try PostgresMigrations(scripts: migrations).apply(to: first, name: redactedURL)
        pool = PostgresPool(first: first, maximumIdle: max(1, maximumIdleConnections)) {
            try PostgresConnection(conninfo: url)
        }
    }

    /// `url` with `connect_timeout=10` unless it sets one: a consumer whose database host
    /// went silent must fail its call (and retry the delivery later), not block for minutes
    /// in connect while its broker connection misses heartbeats.
    static func withDefaults(_ url: String) -> String {
        guard !url.lowercased().contains("connect_timeout=") else { return url }
        return url + (url.contains("?") ? "&" : "?") + "connect_timeout=10"
    }

    @discardableResult
    public func write<T>(_ body: (any PilotStoreTransaction) throws -> T) throws -> T {
        try pool.transaction("BEGIN ISOLATION LEVEL READ COMMITTED") { try body(PostgresStoreTransaction(connection: $0)) }
    }

    public func read<T>(_ body: (any PilotStoreReader) throws -> T) throws -> T {
        try pool.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(PostgresStoreReader(connection: $0)) }
    }

    /// Claims the due rows with `FOR UPDATE SKIP LOCKED` in a transaction held while
    /// `publish` runs: a relay on another host skips them (and takes the next ones)
    /// instead of publishing them too. The rows that reached a queue are marked sent in
    /// the same transaction; the others go back to unsent when it commits.
    public func relayOutbox(
        limit: Int, createdAtOrBefore cutoff: String, sentAt: () -> String, _ publish: ([OutboxMessage]) throws -> Set<String>
    ) throws -> Int {
        try pool.transaction("BEGIN ISOLATION LEVEL READ COMMITTED") { connection in
            let transaction = PostgresStoreTransaction(connection: connection)
            let rows = try transaction.outboxRows(
                where: "sent_at IS NULL AND coalesce(created_at, '') <= $2", [cutoff], limit: limit,
                lock: "FOR UPDATE SKIP LOCKED")
            guard !rows.isEmpty else { return 0 }
            let unrouted = try publish(rows)
            let sent = rows.map(\.eventID).filter { !unrouted.contains($0) }
            return sent.isEmpty ? 0 : try transaction.markSent(eventIDs: sent, at: sentAt())
        }
    }
}

/// Idle PostgreSQL connections of one store, and the transaction discipline around them.
final class PostgresPool: Sendable {
    /// Moves a connection between threads. Unchecked because a connection is only
    /// reachable from the pool's array or from the one call that checked it out.
    private final class Slot: @unchecked Sendable {
        let connection: PostgresConnection
        init(_ connection: PostgresConnection) { self.connection = connection }
    }

    private let idle: Mutex<[Slot]>
    private let open: @Sendable () throws -> PostgresConnection
    private let maximumIdle: Int

    init(first: PostgresConnection, maximumIdle: Int, open: @escaping @Sendable () throws -> PostgresConnection) {
        self.idle = Mutex([Slot(first)])
        self.open = open
        self.maximumIdle = maximumIdle
    }

    /// Runs `body` between `begin` and COMMIT on a connection no other thread uses;
    /// rolls back and rethrows when it throws.
    func transaction<T>(_ begin: String, _ body: (PostgresConnection) throws -> T) throws -> T {
        let current = try begun(begin)
        defer { checkIn(current) }
        do {
            let value = try body(current.connection)
            try current.connection.execute("COMMIT")
            return value
        } catch {
            if current.connection.isInTransaction { try? current.connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// A connection inside a transaction just begun with `begin`.
    private func begun(_ begin: String) throws -> Slot {
        if let pooled = idle.withLock({ $0.popLast() }) {
            do {
                try pooled.connection.execute(begin)
                return pooled
            } catch {
                // An idle connection the server dropped (a restart): nothing ran yet, so
                // a fresh connection can take the call.
                guard error.connectionLost else { throw error }
            }
        }
        let fresh = Slot(try open())
        try fresh.connection.execute(begin)
        return fresh
    }

    private func checkIn(_ slot: Slot) {
        // A broken connection, or one still in a transaction (its ROLLBACK failed), is
        // closed rather than handed to the next caller.
        guard slot.connection.isUsable, !slot.connection.isInTransaction else { return }
        idle.withLock { slots in
            if slots.count < maximumIdle { slots.append(slot) }
        }
    }
}
