import PilotJSON

/// What `SQLitePilotStore.write` hands out: queries and changes, inside `BEGIN IMMEDIATE`.
struct SQLiteStoreTransaction: PilotStoreTransaction, SQLiteQueries {
    let db: SQLiteDatabase

    func savePilot(_ record: PilotRecord) throws -> PilotRecord {
        let state = SQLiteValue.text(record.state.serialized())
        // RETURNING yields no row when the insert or the version check did not apply.
        let stored: [(Int64, String?)]
        if record.version == 0 {
            stored = try db.query(
                """
                INSERT INTO pilots (thread_id, stage, status, state_json, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (thread_id) DO NOTHING
                RETURNING version, created_at
                """,
                [
                    .text(record.threadID), .text(record.stage), .text(record.status), state,
                    .text(record.createdAt ?? record.updatedAt), .text(record.updatedAt),
                ]
            ) { ($0.int64(0), $0.optionalString(1)) }
        } else {
            stored = try db.query(
                """
                UPDATE pilots SET stage = ?, status = ?, state_json = ?, version = version + 1, updated_at = ?
                WHERE thread_id = ? AND version = ?
                RETURNING version, created_at
                """,
                [
                    .text(record.stage), .text(record.status), state, .text(record.updatedAt),
                    .text(record.threadID), .integer(record.version),
                ]
            ) { ($0.int64(0), $0.optionalString(1)) }
        }
        guard let (version, createdAt) = stored.first else {
            throw try conflict(threadID: record.threadID, expected: record.version)
        }
        var saved = record
        saved.version = version
        saved.createdAt = createdAt
        return saved
    }

    func touchPilot(threadID: String, version: Int64) throws -> Int64 {
        let stored = try db.query(
            "UPDATE pilots SET version = version + 1 WHERE thread_id = ? AND version = ? RETURNING version",
            [.text(threadID), .integer(version)]
        ) { $0.int64(0) }
        guard let saved = stored.first else { throw try conflict(threadID: threadID, expected: version) }
        return saved
    }

    /// The error for a save whose version check did not apply, with the version stored.
    private func conflict(threadID: String, expected: Int64) throws -> PilotStoreError {
        let actual = try db.query("SELECT version FROM pilots WHERE thread_id = ?", [.text(threadID)]) { $0.int64(0) }.first
        return PilotStoreError.versionConflict(threadID: threadID, expected: expected, actual: actual)
    }

    func recordHandled(_ entry: InboxEntry) throws {
        let inserted = try db.run(
            """
            INSERT INTO inbox (event_id, thread_id, type, causation_id, stage, worker, handled_at, duration_ms, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
            """,
            [
                .text(entry.eventID), .text(entry.threadID), .text(entry.type), .text(entry.causationID),
                .text(entry.stage), .text(entry.worker), .text(entry.handledAt), .real(entry.durationMilliseconds),
                .text(entry.outcome),
            ])
        guard inserted == 1 else { throw PilotStoreError.duplicateEvent(eventID: entry.eventID) }
    }

    func enqueue(_ messages: [OutboxMessage]) throws -> Int {
        var added = 0
        for message in messages {
            added += try db.run(
                """
                INSERT INTO outbox (event_id, thread_id, exchange, routing_key, headers_json, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                """,
                [
                    .text(message.eventID), .text(message.threadID), .text(message.exchange),
                    .text(message.routingKey),
                    message.headers.isEmpty ? .null : .text(JSONValue.object(message.headers).serialized()),
                    .blob(message.body), .text(message.createdAt),
                ])
        }
        return added
    }

    func markSent(eventIDs: [String], at: String) throws -> Int {
        var marked = 0
        for eventID in eventIDs {
            marked += try db.run(
                "UPDATE outbox SET sent_at = ? WHERE event_id = ? AND sent_at IS NULL", [.text(at), .text(eventID)])
        }
        return marked
    }

    func purgeSent(before: String, limit: Int) throws -> Int {
        try db.run(
            "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT ?)",
            [.text(before), .integer(Int64(max(0, limit)))])
    }

    func purgeInbox(before: String, limit: Int) throws -> Int {
        try db.run(
            "DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox WHERE handled_at < ? LIMIT ?)",
            [.text(before), .integer(Int64(max(0, limit)))])
    }

    func recordDocument(_ entry: DocumentEntry) throws {
        try db.run(
            """
            INSERT INTO documents (thread_id, path, sha256, size, written_at, event_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (thread_id, path) DO UPDATE SET
                sha256 = excluded.sha256, size = excluded.size, written_at = excluded.written_at,
                event_id = excluded.event_id
            """,
            [
                .text(entry.threadID), .text(entry.path), .text(entry.sha256), .integer(entry.size),
                .text(entry.writtenAt), .text(entry.eventID),
            ])
    }

    func upsertMetrics(_ entry: MetricsEntry) throws {
        try db.run(
            """
            INSERT INTO metrics (thread_id, day, data_json, received_at, event_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (thread_id, day) DO UPDATE SET
                data_json = excluded.data_json, received_at = excluded.received_at, event_id = excluded.event_id
            """,
            [
                .text(entry.threadID), .integer(Int64(entry.day)), .text(entry.data.serialized()),
                .text(entry.receivedAt), .text(entry.eventID),
            ])
    }

    func upsertIssue(_ issue: IssueEntry, history: IssueHistoryEntry) throws {
        try db.run(
            """
            INSERT INTO issues (thread_id, issue_id, data_json, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (thread_id, issue_id) DO UPDATE SET
                data_json = excluded.data_json, updated_at = excluded.updated_at
            """,
            [.text(issue.threadID), .text(issue.issueID), .text(issue.data.serialized()), .text(issue.updatedAt)])
        try db.run(
            """
            INSERT INTO issue_history (thread_id, issue_id, event_id, status, at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """,
            [
                .text(history.threadID), .text(history.issueID), .text(history.eventID), .text(history.status),
                .text(history.at),
            ])
    }

    func addFeedback(_ entry: FeedbackEntry) throws -> Bool {
        try db.run(
            """
            INSERT INTO feedback (thread_id, event_id, data_json, submitted_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING
            """,
            [.text(entry.threadID), .text(entry.eventID), .text(entry.data.serialized()), .text(entry.submittedAt)]
        ) == 1
    }
}
