import PilotJSON

/// The queries of `PilotStoreReader` over one PostgreSQL connection, shared by reads and writes.
protocol PostgresQueries: PilotStoreReader {
    var connection: PostgresConnection { get }
}

/// What `PostgresPilotStore.read` hands out: queries only.
struct PostgresStoreReader: PostgresQueries {
    let connection: PostgresConnection
}

extension PostgresQueries {
    static var pilotColumns: String { "thread_id, stage, status, state_json, version, created_at, updated_at" }
    static var outboxColumns: String {
        "seq, event_id, thread_id, exchange, routing_key, headers_json, body, created_at, sent_at"
    }

    func pilot(_ threadID: String) throws -> PilotRecord? {
        try pilotRecords("SELECT \(Self.pilotColumns) FROM pilots WHERE thread_id = $1", [threadID]).first
    }

    func pilots(status: String?, limit: Int) throws -> [PilotRecord] {
        if let status {
            return try pilotRecords(
                "SELECT \(Self.pilotColumns) FROM pilots WHERE status = $1 ORDER BY updated_at DESC, thread_id LIMIT $2",
                [status, String(max(0, limit))])
        }
        return try pilotRecords(
            "SELECT \(Self.pilotColumns) FROM pilots ORDER BY updated_at DESC, thread_id LIMIT $1", [String(max(0, limit))])
    }

    func pilotsWaitingLongest(status: String, limit: Int) throws -> [PilotRecord] {
        try pilotRecords(
            "SELECT \(Self.pilotColumns) FROM pilots WHERE status = $1 ORDER BY updated_at, thread_id LIMIT $2",
            [status, String(max(0, limit))])
    }

    func isHandled(eventID: String) throws -> Bool {
        try connection.query("SELECT 1 FROM inbox WHERE event_id = $1", [eventID]).count > 0
    }

    func handledEvents(threadID: String) throws -> [InboxEntry] {
        let rows = try connection.query(
            """
            SELECT event_id, thread_id, type, causation_id, stage, worker, handled_at, duration_ms, outcome
            FROM inbox WHERE thread_id = $1 ORDER BY handled_at, seq
            """, [threadID])
        return rows.map { row in
            InboxEntry(
                eventID: rows.string(row, 0) ?? "", threadID: rows.string(row, 1), type: rows.string(row, 2),
                causationID: rows.string(row, 3), stage: rows.string(row, 4), worker: rows.string(row, 5),
                handledAt: rows.string(row, 6), durationMilliseconds: rows.double(row, 7), outcome: rows.string(row, 8))
        }
    }

    func pendingOutbox(limit: Int) throws -> [OutboxMessage] {
        try outboxRows(where: "sent_at IS NULL", [], limit: limit)
    }

    /// Outbox rows matching `condition` (its parameters start at `$2`; `$1` is the limit),
    /// in outbox order, with an optional locking clause.
    func outboxRows(where condition: String, _ parameters: [String?], limit: Int, lock: String = "") throws -> [OutboxMessage] {
        let rows = try connection.query(
            "SELECT \(Self.outboxColumns) FROM outbox WHERE \(condition) ORDER BY seq LIMIT $1 \(lock)",
            [String(max(0, limit))] + parameters)
        return try rows.map { row in
            let eventID = rows.string(row, 1) ?? ""
            var headers = JSONObject()
            if let text = rows.string(row, 5) {
                guard case .object(let object) = try StoredJSON.value(text, table: "outbox", key: eventID, cached: false) else {
                    throw PilotStoreError.corruptRecord(table: "outbox", key: eventID, reason: "headers_json is not an object")
                }
                headers = object
            }
            guard let body = rows.bytes(row, 6) else {
                throw PilotStoreError.corruptRecord(table: "outbox", key: eventID, reason: "body is not bytea hex")
            }
            return OutboxMessage(
                eventID: eventID, threadID: rows.string(row, 2), exchange: rows.string(row, 3) ?? "",
                routingKey: rows.string(row, 4) ?? "", headers: headers, body: body, createdAt: rows.string(row, 7),
                seq: rows.int64(row, 0), sentAt: rows.string(row, 8))
        }
    }

    func pendingOutboxCount() throws -> Int {
        Int(try connection.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL").int64(0, 0) ?? 0)
    }

    func pilotCounts() throws -> [PilotCount] {
        let rows = try connection.query("SELECT stage, status, count(*) FROM pilots GROUP BY stage, status ORDER BY stage, status")
        return rows.map { PilotCount(stage: rows.string($0, 0) ?? "", status: rows.string($0, 1) ?? "", count: Int(rows.int64($0, 2) ?? 0)) }
    }

    func documents(threadID: String) throws -> [DocumentEntry] {
        let rows = try connection.query(
            "SELECT thread_id, path, sha256, size, written_at, event_id FROM documents WHERE thread_id = $1 ORDER BY path",
            [threadID])
        return rows.map { row in
            DocumentEntry(
                threadID: rows.string(row, 0) ?? "", path: rows.string(row, 1) ?? "", sha256: rows.string(row, 2),
                size: rows.int64(row, 3), writtenAt: rows.string(row, 4), eventID: rows.string(row, 5))
        }
    }

    func metrics(threadID: String) throws -> [MetricsEntry] {
        let rows = try connection.query(
            "SELECT thread_id, day, data_json, received_at, event_id FROM metrics WHERE thread_id = $1 ORDER BY day", [threadID])
        return try rows.map { row in
            let thread = rows.string(row, 0) ?? "", day = Int(rows.int64(row, 1) ?? 0)
            let parsed = try StoredJSON.parsed(rows.string(row, 2) ?? "", table: "metrics", key: "\(thread)/\(day)")
            return MetricsEntry(
                threadID: thread, day: day, data: parsed.value,
                receivedAt: rows.string(row, 3), eventID: rows.string(row, 4), memo: parsed.memo)
        }
    }

    func issues(threadID: String) throws -> [IssueEntry] {
        let rows = try connection.query(
            "SELECT thread_id, issue_id, data_json, updated_at FROM issues WHERE thread_id = $1 ORDER BY issue_id", [threadID])
        return try rows.map { row in
            let thread = rows.string(row, 0) ?? "", issue = rows.string(row, 1) ?? ""
            return IssueEntry(
                threadID: thread, issueID: issue,
                data: try StoredJSON.value(rows.string(row, 2) ?? "", table: "issues", key: "\(thread)/\(issue)"),
                updatedAt: rows.string(row, 3))
        }
    }

    func issueHistory(threadID: String) throws -> [IssueHistoryEntry] {
        let rows = try connection.query(
            "SELECT thread_id, issue_id, event_id, status, at FROM issue_history WHERE thread_id = $1 ORDER BY at, seq", [threadID])
        return rows.map { row in
            IssueHistoryEntry(
                threadID: rows.string(row, 0) ?? "", issueID: rows.string(row, 1) ?? "", eventID: rows.string(row, 2) ?? "",
                status: rows.string(row, 3) ?? "", at: rows.string(row, 4))
        }
    }

    func feedback(threadID: String) throws -> [FeedbackEntry] {
        let rows = try connection.query(
            "SELECT thread_id, event_id, data_json, submitted_at FROM feedback WHERE thread_id = $1 ORDER BY submitted_at, seq",
            [threadID])
        return try rows.map { row in
            let eventID = rows.string(row, 1) ?? ""
            return FeedbackEntry(
                threadID: rows.string(row, 0) ?? "", eventID: eventID,
                data: try StoredJSON.value(rows.string(row, 2) ?? "", table: "feedback", key: eventID), submittedAt: rows.string(row, 3))
        }
    }

    func pilotsAtRiskFirst(offset: Int, limit: Int) throws -> [PilotRecord] {
        // The ORDER BY repeats the pilots_by_risk index expression, so PostgreSQL can walk
        // the index instead of parsing every state to sort it.
        try pilotRecords(
            """
            SELECT \(Self.pilotColumns) FROM pilots
            ORDER BY \(PostgresSchema.riskExpression), updated_at DESC, thread_id LIMIT $1 OFFSET $2
            """, [String(max(0, limit)), String(max(0, offset))])
    }

    func outcomeCounts() throws -> [OutcomeCount] {
        let completed = Int(try connection.query("SELECT count(*) FROM pilots WHERE status = 'completed'").int64(0, 0) ?? 0)
        // Through `pilot_state_jsonb` (schema v2): a plain `::jsonb` fails on a state with
        // `\u0000` in a string, and a NUL in a reason reads as a space, as in SQLite. Once a
        // row: the materialised CTE keeps the planner from converting it for each reason.
        let rows = try connection.query(
            """
            WITH ended AS MATERIALIZED (
                SELECT status, pilot_state_jsonb(state_json) AS state FROM pilots WHERE status IN ('lost', 'declined')
            )
            SELECT status, reason, n FROM (
                SELECT status, coalesce(state ->> 'loss_reason', state ->> 'declined_reason') AS reason, count(*) AS n
                FROM ended GROUP BY 1, 2
            ) AS outcomes ORDER BY status, n DESC, reason COLLATE "C"
            """)
        let others = rows.map { OutcomeCount(status: rows.string($0, 0) ?? "", reason: rows.string($0, 1), count: Int(rows.int64($0, 2) ?? 0)) }
        return (completed > 0 ? [OutcomeCount(status: "completed", reason: nil, count: completed)] : []) + others
    }

    func pilotRecords(_ sql: String, _ parameters: [String?]) throws -> [PilotRecord] {
        let rows = try connection.query(sql, parameters)
        return try rows.map { row in
            let threadID = rows.string(row, 0) ?? ""
            return PilotRecord(
                threadID: threadID, stage: rows.string(row, 1) ?? "", status: rows.string(row, 2) ?? "",
                state: try StoredJSON.value(rows.string(row, 3) ?? "", table: "pilots", key: threadID, cached: false), version: rows.int64(row, 4) ?? 0,
                createdAt: rows.string(row, 5), updatedAt: rows.string(row, 6))
        }
    }
}
