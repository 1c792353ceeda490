import PilotJSON

/// The queries of `PilotStoreReader` over one connection, shared by reads and writes.
protocol SQLiteQueries: PilotStoreReader {
    var db: SQLiteDatabase { get }
}

/// What `SQLitePilotStore.read` hands out: queries only.
struct SQLiteStoreReader: SQLiteQueries {
    let db: SQLiteDatabase
}

extension SQLiteQueries {
    static var pilotColumns: String {
        "thread_id, stage, status, state_json, version, created_at, updated_at"
    }

    func pilot(_ threadID: String) throws -> PilotRecord? {
        try db.query(
            "SELECT \(Self.pilotColumns) FROM pilots WHERE thread_id = ?", [.text(threadID)], row: pilotRecord
        ).first
    }

    func pilots(status: String?, limit: Int) throws -> [PilotRecord] {
        if let status {
            return try db.query(
                "SELECT \(Self.pilotColumns) FROM pilots WHERE status = ? ORDER BY updated_at DESC, thread_id LIMIT ?",
                [.text(status), .integer(Int64(limit))], row: pilotRecord)
        }
        return try db.query(
            "SELECT \(Self.pilotColumns) FROM pilots ORDER BY updated_at DESC, thread_id LIMIT ?",
            [.integer(Int64(limit))], row: pilotRecord)
    }

    func pilotsWaitingLongest(status: String, limit: Int) throws -> [PilotRecord] {
        try db.query(
            "SELECT \(Self.pilotColumns) FROM pilots WHERE status = ? ORDER BY updated_at, thread_id LIMIT ?",
            [.text(status), .integer(Int64(limit))], row: pilotRecord)
    }

    func isHandled(eventID: String) throws -> Bool {
        try !db.query("SELECT 1 FROM inbox WHERE event_id = ?", [.text(eventID)]) { _ in () }.isEmpty
    }

    func handledEvents(threadID: String) throws -> [InboxEntry] {
        try db.query(
            """
            SELECT event_id, thread_id, type, causation_id, stage, worker, handled_at, duration_ms, outcome
            FROM inbox WHERE thread_id = ? ORDER BY handled_at, rowid
            """, [.text(threadID)]
        ) { row in
            InboxEntry(
                eventID: row.string(0), threadID: row.optionalString(1), type: row.optionalString(2),
                causationID: row.optionalString(3), stage: row.optionalString(4), worker: row.optionalString(5),
                handledAt: row.optionalString(6), durationMilliseconds: row.optionalDouble(7),
                outcome: row.optionalString(8))
        }
    }

    func pendingOutbox(limit: Int) throws -> [OutboxMessage] {
        try db.query(
            """
            SELECT seq, event_id, thread_id, exchange, routing_key, headers_json, body, created_at, sent_at
            FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?
            """, [.integer(Int64(limit))]
        ) { row in
            let eventID = row.string(1)
            var headers = JSONObject()
            if let text = row.optionalString(5) {
                guard case .object(let object) = try StoredJSON.value(text, table: "outbox", key: eventID, cached: false) else {
                    throw PilotStoreError.corruptRecord(
                        table: "outbox", key: eventID, reason: "headers_json is not an object")
                }
                headers = object
            }
            return OutboxMessage(
                eventID: eventID, threadID: row.optionalString(2), exchange: row.string(3),
                routingKey: row.string(4), headers: headers, body: row.blob(6), createdAt: row.optionalString(7),
                seq: row.int64(0), sentAt: row.optionalString(8))
        }
    }

    func pendingOutboxCount() throws -> Int {
        try db.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") { Int($0.int64(0)) }.first ?? 0
    }

    func pilotCounts() throws -> [PilotCount] {
        try db.query("SELECT stage, status, count(*) FROM pilots GROUP BY stage, status ORDER BY stage, status") { row in
            PilotCount(stage: row.string(0), status: row.string(1), count: Int(row.int64(2)))
        }
    }

    func documents(threadID: String) throws -> [DocumentEntry] {
        try db.query(
            """
            SELECT thread_id, path, sha256, size, written_at, event_id FROM documents
            WHERE thread_id = ? ORDER BY path
            """,
            [.text(threadID)]
        ) { row in
            DocumentEntry(
                threadID: row.string(0), path: row.string(1), sha256: row.optionalString(2),
                size: row.optionalInt64(3), writtenAt: row.optionalString(4), eventID: row.optionalString(5))
        }
    }

    func metrics(threadID: String) throws -> [MetricsEntry] {
        try db.query(
            "SELECT thread_id, day, data_json, received_at, event_id FROM metrics WHERE thread_id = ? ORDER BY day",
            [.text(threadID)]
        ) { row in
            let parsed = try StoredJSON.parsed(row.string(2), table: "metrics", key: "\(row.string(0))/\(row.int64(1))")
            return MetricsEntry(
                threadID: row.string(0), day: Int(row.int64(1)), data: parsed.value,
                receivedAt: row.optionalString(3), eventID: row.optionalString(4), memo: parsed.memo)
        }
    }

    func issues(threadID: String) throws -> [IssueEntry] {
        try db.query(
            "SELECT thread_id, issue_id, data_json, updated_at FROM issues WHERE thread_id = ? ORDER BY issue_id",
            [.text(threadID)]
        ) { row in
            IssueEntry(
                threadID: row.string(0), issueID: row.string(1),
                data: try StoredJSON.value(row.string(2), table: "issues", key: "\(row.string(0))/\(row.string(1))"),
                updatedAt: row.optionalString(3))
        }
    }

    func issueHistory(threadID: String) throws -> [IssueHistoryEntry] {
        try db.query(
            """
            SELECT thread_id, issue_id, event_id, status, at FROM issue_history
            WHERE thread_id = ? ORDER BY at, rowid
            """,
            [.text(threadID)]
        ) { row in
            IssueHistoryEntry(
                threadID: row.string(0), issueID: row.string(1), eventID: row.string(2), status: row.string(3),
                at: row.optionalString(4))
        }
    }

    func feedback(threadID: String) throws -> [FeedbackEntry] {
        try db.query(
            """
            SELECT thread_id, event_id, data_json, submitted_at FROM feedback
            WHERE thread_id = ? ORDER BY submitted_at, rowid
            """, [.text(threadID)]
        ) { row in
            FeedbackEntry(
                threadID: row.string(0), eventID: row.string(1),
                data: try StoredJSON.value(row.string(2), table: "feedback", key: row.string(1)),
                submittedAt: row.optionalString(3))
        }
    }

    func pilotsAtRiskFirst(offset: Int, limit: Int) throws -> [PilotRecord] {
        // The ORDER BY repeats PilotSchema's pilots_by_risk index expression word for word,
        // so SQLite walks the index instead of parsing every state to sort it.
        try db.query(
            """
            SELECT \(Self.pilotColumns) FROM pilots
            ORDER BY \(PilotSchema.riskExpression), updated_at DESC, thread_id LIMIT ? OFFSET ?
            """, [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))], row: pilotRecord)
    }

    func outcomeCounts() throws -> [OutcomeCount] {
        // Successes are counted from the status index alone; only lost and declined
        // pilots' states are read, for their reasons. json_extract ends a text at a
        // `\u0000`, so it reads as `\u0020` (a space), as in PostgreSQL (schema v2).
        let completed = try db.query("SELECT count(*) FROM pilots WHERE status = 'completed'") { Int($0.int64(0)) }.first ?? 0
        let others = try db.query(
            """
            SELECT status, coalesce(json_extract(state, '$.loss_reason'), json_extract(state, '$.declined_reason')), count(*)
            FROM (SELECT status, replace(state_json, '\\u0000', '\\u0020') AS state FROM pilots WHERE status IN ('lost', 'declined'))
            GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2
            """
        ) { row in
            OutcomeCount(status: row.string(0), reason: row.optionalString(1), count: Int(row.int64(2)))
        }
        return (completed > 0 ? [OutcomeCount(status: "completed", reason: nil, count: completed)] : []) + others
    }

    func pilotRecord(_ row: SQLiteRow) throws -> PilotRecord {
        let threadID = row.string(0)
        return PilotRecord(
            threadID: threadID, stage: row.string(1), status: row.string(2),
            state: try StoredJSON.value(row.string(3), table: "pilots", key: threadID, cached: false), version: row.int64(4),
            createdAt: row.optionalString(5), updatedAt: row.optionalString(6))
    }
}
