/// The store's tables, as an ordered list of migrations: script N brings the database
/// from `user_version` N-1 to N. Append new scripts; never edit a released one.
public enum PilotSchema {
    /// The schema version this build writes.
    public static var version: Int { migrations.count }

    public static let migrations: [String] = [v1, v2, v3]

    /// How at risk a pilot is, lower first: its health score (0–100) when the state has
    /// one, else 1000. Queries that order by risk must use this text exactly, or SQLite
    /// cannot use the index.
    public static let riskExpression = "coalesce(json_extract(state_json, '$.health.score'), 1000)"

    // Child tables of `pilots` cascade on delete. Their foreign keys are deferred to
    // COMMIT so one transaction may write them before the pilot row. The inbox and the
    // outbox have none: they also log events for threads that never became pilots.
    static let v1 = """
        CREATE TABLE pilots (
            thread_id TEXT NOT NULL PRIMARY KEY,
            stage TEXT NOT NULL,
            status TEXT NOT NULL,
            state_json TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT,
            updated_at TEXT
        );
        CREATE INDEX pilots_by_status ON pilots(status, updated_at);
        CREATE INDEX pilots_by_update ON pilots(updated_at);

        CREATE TABLE inbox (
            event_id TEXT NOT NULL PRIMARY KEY,
            thread_id TEXT,
            type TEXT,
            causation_id TEXT,
            stage TEXT,
            worker TEXT,
            handled_at TEXT,
            duration_ms REAL,
            outcome TEXT
        );
        CREATE INDEX inbox_by_thread ON inbox(thread_id, handled_at);

        -- AUTOINCREMENT: a seq is never reused, even after purging, so seq order is
        -- enqueue order for good.
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            thread_id TEXT,
            exchange TEXT NOT NULL,
            routing_key TEXT NOT NULL,
            headers_json TEXT,
            body BLOB NOT NULL,
            created_at TEXT,
            sent_at TEXT
        );
        -- Only the pending rows: stays small however long the sent history grows.
        CREATE INDEX outbox_pending ON outbox(seq) WHERE sent_at IS NULL;

        CREATE TABLE documents (
            thread_id TEXT NOT NULL
                REFERENCES pilots(thread_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            path TEXT NOT NULL,
            sha256 TEXT,
            size INTEGER,
            written_at TEXT,
            event_id TEXT,
            PRIMARY KEY (thread_id, path)
        );

        CREATE TABLE metrics (
            thread_id TEXT NOT NULL
                REFERENCES pilots(thread_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            day INTEGER NOT NULL,
            data_json TEXT NOT NULL,
            received_at TEXT,
            event_id TEXT,
            PRIMARY KEY (thread_id, day)
        );

        CREATE TABLE issues (
            thread_id TEXT NOT NULL
                REFERENCES pilots(thread_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            issue_id TEXT NOT NULL,
            data_json TEXT NOT NULL,
            updated_at TEXT,
            PRIMARY KEY (thread_id, issue_id)
        );

        CREATE TABLE issue_history (
            thread_id TEXT NOT NULL,
            issue_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            status TEXT NOT NULL,
            at TEXT,
            PRIMARY KEY (thread_id, issue_id, event_id),
            FOREIGN KEY (thread_id, issue_id) REFERENCES issues(thread_id, issue_id)
                ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
        );

        CREATE TABLE feedback (
            thread_id TEXT NOT NULL
                REFERENCES pilots(thread_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            event_id TEXT NOT NULL PRIMARY KEY,
            data_json TEXT NOT NULL,
            submitted_at TEXT
        );
        CREATE INDEX feedback_by_thread ON feedback(thread_id, submitted_at);
        """

    // The dashboard lists pilots at-risk first, a page at a time, over thousands of pilots,
    // and counts them by stage and status on every view (so do the workers' gauges):
    // both from an index, without reading the states.
    static let v2 = """
        CREATE INDEX pilots_by_risk ON pilots(\(riskExpression), updated_at DESC, thread_id);
        CREATE INDEX pilots_by_stage_status ON pilots(stage, status);
        """

    // The purge deletes by age: sent outbox rows by sent_at, inbox rows by handled_at.
    static let v3 = """
        CREATE INDEX inbox_by_time ON inbox(handled_at);
        CREATE INDEX outbox_sent ON outbox(sent_at) WHERE sent_at IS NOT NULL;
        """
}
