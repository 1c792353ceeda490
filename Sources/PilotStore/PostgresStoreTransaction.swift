import PilotJSON

/// What `PostgresPilotStore.write` hands out: queries and changes, inside one transaction.
/// Every conflict is absorbed with `ON CONFLICT … DO NOTHING` rather than caught as an
/// error: an error aborts a PostgreSQL transaction, and `duplicateEvent` must leave the
/// caller free to go on or roll back.
struct PostgresStoreTransaction: PilotStoreTransaction, PostgresQueries {
    let connection: PostgresConnection

    /// Reads the pilot and locks its row until the commit, as SQLite's one writer at a
    /// time would: a read-modify-write inside one `write` cannot lose another's update.
    func pilot(_ threadID: String) throws -> PilotRecord? {
        try pilotRecords("SELECT \(Self.pilotColumns) FROM pilots WHERE thread_id = $1 FOR UPDATE", [threadID]).first
    }

    func savePilot(_ record: PilotRecord) throws -> PilotRecord {
        let state = record.state.serialized()
        // RETURNING yields no row when the insert or the version check did not apply.
        let stored: PostgresRows
        if record.version == 0 {
            stored = try connection.query(
                """
                INSERT INTO pilots (thread_id, stage, status, state_json, version, created_at, updated_at)
                VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (thread_id) DO NOTHING
                RETURNING version, created_at
                """,
                [record.threadID, record.stage, record.status, state, record.createdAt ?? record.updatedAt, record.updatedAt])
        } else {
            stored = try connection.query(
                """
                UPDATE pilots SET stage = $1, status = $2, state_json = $3, version = version + 1, updated_at = $4
                WHERE thread_id = $5 AND version = $6
                RETURNING version, created_at
                """,
                [record.stage, record.status, state, record.updatedAt, record.threadID, String(record.version)])
        }
        guard stored.count == 1, let version = stored.int64(0, 0) else {
            throw try conflict(threadID: record.threadID, expected: record.version)
        }
        var saved = record
        saved.version = version
        saved.createdAt = stored.string(0, 1)
        return saved
    }

    func touchPilot(threadID: String, version: Int64) throws -> Int64 {
        let stored = try connection.query(
            "UPDATE pilots SET version = version + 1 WHERE thread_id = $1 AND version = $2 RETURNING version",
            [threadID, String(version)])
        guard stored.count == 1, let saved = stored.int64(0, 0) else { throw try conflict(threadID: threadID, expected: version) }
        return saved
    }

    /// The error for a save whose version check did not apply, with the version stored.
    private func conflict(threadID: String, expected: Int64) throws -> PilotStoreError {
        let actual = try connection.query("SELECT version FROM pilots WHERE thread_id = $1", [threadID])
        return PilotStoreError.versionConflict(threadID: threadID, expected: expected, actual: actual.count > 0 ? actual.int64(0, 0) : nil)
    }

    func recordHandled(_ entry: InboxEntry) throws {
        let inserted = try connection.run(
            """
            INSERT INTO inbox (event_id, thread_id, type, causation_id, stage, worker, handled_at, duration_ms, outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING
            """,
            [
                entry.eventID, entry.threadID, entry.type, entry.causationID, entry.stage, entry.worker, entry.handledAt,
                entry.durationMilliseconds.map { String($0) }, entry.outcome,
            ])
        guard inserted == 1 else { throw PilotStoreError.duplicateEvent(eventID: entry.eventID) }
    }

    func enqueue(_ messages: [OutboxMessage]) throws -> Int {
        var added = 0
        for message in messages {
            added += try connection.run(
                """
                INSERT INTO outbox (event_id, thread_id, exchange, routing_key, headers_json, body, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING
                """,
                [
                    message.eventID, message.threadID, message.exchange, message.routingKey,
                    message.headers.isEmpty ? nil : JSONValue.object(message.headers).serialized(),
                    PostgresBytes.encode(message.body), message.createdAt,
                ])
        }
        return added
    }

    /// Rows another transaction holds are skipped, not waited for: that is a relay, which
    /// publishes them (while waiting for the broker's confirms) and marks them itself. A
    /// consumer's commit, which holds its pilots' rows, must not wait behind the broker.
    func markSent(eventIDs: [String], at: String) throws -> Int {
        var marked = 0
        for eventID in eventIDs {
            marked += try connection.run(
                """
                UPDATE outbox SET sent_at = $1 WHERE seq IN (
                    SELECT seq FROM outbox WHERE event_id = $2 AND sent_at IS NULL FOR UPDATE SKIP LOCKED)
                """, [at, eventID])
        }
        return marked
    }

    func purgeSent(before: String, limit: Int) throws -> Int {
        try connection.run(
            """
            DELETE FROM outbox WHERE seq IN (
                SELECT seq FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, [before, String(max(0, limit))])
    }

    func purgeInbox(before: String, limit: Int) throws -> Int {
        try connection.run(
            """
            DELETE FROM inbox WHERE event_id IN (
                SELECT event_id FROM inbox WHERE handled_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, [before, String(max(0, limit))])
    }

    func recordDocument(_ entry: DocumentEntry) throws {
        try connection.run(
            """
            INSERT INTO documents (thread_id, path, sha256, size, written_at, event_id) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (thread_id, path) DO UPDATE SET
                sha256 = excluded.sha256, size = excluded.size, written_at = excluded.written_at, event_id = excluded.event_id
            """,
            [entry.threadID, entry.path, entry.sha256, entry.size.map { String($0) }, entry.writtenAt, entry.eventID])
    }

    func upsertMetrics(_ entry: MetricsEntry) throws {
        try connection.run(
            """
            INSERT INTO metrics (thread_id, day, data_json, received_at, event_id) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (thread_id, day) DO UPDATE SET
                data_json = excluded.data_json, received_at = excluded.received_at, event_id = excluded.event_id
            """,
            [entry.threadID, String(entry.day), entry.data.serialized(), entry.receivedAt, entry.eventID])
    }

    func upsertIssue(_ issue: IssueEntry, history: IssueHistoryEntry) throws {
        try connection.run(
            """
            INSERT INTO issues (thread_id, issue_id, data_json, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (thread_id, issue_id) DO UPDATE SET data_json = excluded.data_json, updated_at = excluded.updated_at
            """,
            [issue.threadID, issue.issueID, issue.data.serialized(), issue.updatedAt])
        try connection.run(
            "INSERT INTO issue_history (thread_id, issue_id, event_id, status, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            [history.threadID, history.issueID, history.eventID, history.status, history.at])
    }

    func addFeedback(_ entry: FeedbackEntry) throws -> Bool {
        try connection.run(
            """
            INSERT INTO feedback (thread_id, event_id, data_json, submitted_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (event_id) DO NOTHING
            """,
            [entry.threadID, entry.eventID, entry.data.serialized(), entry.submittedAt]) == 1
    }
}
