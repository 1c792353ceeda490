import Foundation
import Hummingbird
import Logging
import PilotDomain
import PilotOperations
import PilotRuntime
import PilotStageAPI
import PilotStore

/// The ops dashboard: `GET /` (every pilot, outcomes, signatures, queues and dead
/// letters), `GET /pilots/<thread>` (trace, documents, buyer link), the dead-letter replay
/// and the sign-in. Times in UTC.
struct Dashboard: Sendable {
    static let pageSize = 50
    /// The longest waits for a signature listed (the count shown is of all of them).
    static let waitingShown = 20

    let session: OperatorSession
    let store: StoreHandle
    let documents: any DocumentStore
    let broker: BrokerAccess
    let panel: BrokerPanel
    let templates: WebTemplates
    let secret: String?
    let publicURL: String?
    let logger: Logger
    let now: @Sendable () -> Date

    /// The signed-in operator, or the page that says why not: 503 when no token is
    /// configured (never open), else a redirect to the sign-in form (a bearer client gets 401).
    func require(_ request: Request) throws -> OperatorSession.Credential {
        guard session.isConfigured else {
            throw PageError.unavailable("The dashboard is turned off: set PILOT_WEB_TOKEN to use it.")
        }
        guard let credential = session.credential(request, now: now()) else { throw SignInRequired() }
        return credential
    }

    func base(_ title: String, _ credential: OperatorSession.Credential) -> [String: Any] {
        ["title": title, "brand": "Pilot dashboard", "signedIn": true, "csrf": session.csrf(for: credential),
            "footer": "pilot-web ops dashboard. Times in UTC."]
    }

    // MARK: sign-in

    func loginForm(error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        guard session.isConfigured else {
            throw PageError.unavailable("The dashboard is turned off: set PILOT_WEB_TOKEN to use it.")
        }
        var context: [String: Any] = ["title": "Sign in", "brand": "Pilot dashboard", "footer": "pilot-web ops dashboard."]
        if let error { context["error"] = error }
        return HTMLResponse.make(status, templates.render(.login, context))
    }

    func login(_ request: Request) async throws -> Response {
        guard session.isConfigured else { return try loginForm() }
        let form = try await FormBody.read(request)
        guard let token = form["token"], session.accepts(token: token) else {
            logger.notice("dashboard sign-in refused")
            return try loginForm(error: "That is not the operator token.", status: .unauthorized)
        }
        return HTMLResponse.seeOther("/", headers: [.setCookie: session.setCookie(session.newSession(now: now()))])
    }

    func logout(_ request: Request) async throws -> Response {
        let credential = try require(request)
        let form = await FormBody.readForCSRF(request)
        guard session.acceptsCSRF(form["csrf"], for: credential) else { throw PageError.forbidden("The form expired; reload the page.") }
        return HTMLResponse.seeOther("/login", headers: [.setCookie: session.setCookie(nil)])
    }

    // MARK: overview

    func overview(_ request: Request) async throws -> Response {
        let credential = try require(request)
        // Past the last page is an empty page; past Int.max / pageSize the offset would trap.
        let page = min(max(1, request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1), Int.max / Self.pageSize)
        let (pilots, counts, outcomes, waiting, days) = try await Offload.run { [store] in try store.read { reader in
            let pilots = try reader.pilotsAtRiskFirst(offset: (page - 1) * Self.pageSize, limit: Self.pageSize)
            let waiting = try ["agreement_sent", "kickoff_scheduled"].flatMap {
                try reader.pilotsWaitingLongest(status: $0, limit: Self.waitingShown)
            }
            var days: [String: Int] = [:]
            for pilot in pilots {
                days[pilot.threadID] = PilotSnapshotFile.day(try reader.documents(threadID: pilot.threadID), thread: pilot.threadID)
            }
            return (pilots, try reader.pilotCounts(), try reader.outcomeCounts(), waiting, days)
        } }
        let dates = PageDates.utc
        let total = counts.reduce(0) { $0 + $1.count }
        let running = counts.filter { $0.status == "active" }.reduce(0) { $0 + $1.count }
        let won = outcomes.filter { $0.status == "completed" }.reduce(0) { $0 + $1.count }
        let finished = outcomes.reduce(0) { $0 + $1.count }
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        var context = base("Pilots", credential)
        context["total"] = total
        context["running"] = running
        context["successRate"] = finished == 0 ? "–" : NumberText.percent((Double(won) / Double(finished) * 1000).rounded() / 10)
        context["successDetail"] = "\(won) of \(finished) finished pilot(s) succeeded"
        context["page"] = page
        context["pages"] = pages
        if page > 1 { context["previous"] = "/?page=\(page - 1)" }
        if page < pages { context["nextPage"] = "/?page=\(page + 1)" }
        context["pilots"] = pilots.map { pilot -> [String: Any] in
            let facts = PilotFacts(pilot, criteria: false)
            var row: [String: Any] = [
                "thread": pilot.threadID, "url": "/pilots/\(pilot.threadID)", "company": facts.company,
                "stage": pilot.stage, "status": pilot.status,
                "day": days[pilot.threadID].map { day in facts.durationDays.map { "\(day) of \($0)" } ?? "\(day)" } ?? "–",
            ]
            if let health = facts.health {
                row["health"] = ["score": health.score, "label": health.label, "tone": health.tone,
                    "reasons": health.reasons.joined(separator: "; ")] as [String: Any]
            }
            return row
        }
        context["outcomes"] = outcomes.map { outcome -> [String: Any] in
            ["status": Self.outcomeName(outcome.status), "count": outcome.count,
                "reason": outcome.reason ?? (outcome.status == "lost" ? "pilot_failed" : outcome.status == "completed" ? "–" : "not given")]
        }
        context["hasOutcomes"] = !outcomes.isEmpty
        let waitingRows = Array(waiting.sorted { ($0.updatedAt ?? "") < ($1.updatedAt ?? "") }.prefix(Self.waitingShown))
        // The count of every pilot waiting, not only of the longest waits listed.
        context["waitingCount"] = counts.filter { ["agreement_sent", "kickoff_scheduled"].contains($0.status) }
            .reduce(0) { $0 + $1.count }
        context["waiting"] = waitingRows.map { pilot -> [String: Any] in
            // The status changed last when the agreement went out or the kickoff was set.
            let since = (pilot.updatedAt ?? pilot.createdAt).flatMap(PilotFacts.date)
            return ["thread": pilot.threadID, "url": "/pilots/\(pilot.threadID)", "company": PilotFacts(pilot, criteria: false).company,
                "status": pilot.status,
                "since": since.map { Self.duration(now().timeIntervalSince($0)) + " (since " + dates.dateTime($0) + ")" } ?? "?"]
        }
        context["hasWaiting"] = !waitingRows.isEmpty
        await addBroker(to: &context)
        return HTMLResponse.make(.ok, templates.render(.overview, context))
    }

    static func outcomeName(_ status: String) -> String {
        switch status {
        case "completed": "Success"
        case "lost": "Lost"
        case "declined": "Declined"
        default: status
        }
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int(max(0, seconds) / 60)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h" }
        return "\(minutes / 1440) days"
    }

    /// Queue depths and dead letters; a broker that does not answer is said on the page,
    /// the rest of the page still shows.
    func addBroker(to context: inout [String: Any]) async {
        let snapshot = await panel.snapshot()
        if let error = snapshot.error {
            logger.warning("dashboard cannot read the broker", metadata: ["error": .string(error)])
            context["queueError"] = "The broker did not answer: \(error)"
            context["deadError"] = "Dead letters unknown: the broker did not answer."
            return
        }
        context["queueSource"] = switch snapshot.source {
        case .management: "From the RabbitMQ management API (its figures lag a few seconds)."
        case .passiveDeclares(let reason): "From AMQP passive declares (no unacked counts or rates): \(reason)"
        }
        context["queues"] = snapshot.rows.map { row -> [String: Any] in
            func text(_ value: Int64?) -> String { value.map(String.init) ?? "–" }
            func rate(_ value: Double?) -> String { value.map { NumberText.plain($0, maxFractionDigits: 1) } ?? "–" }
            guard row.exists else {
                return ["queue": row.queue, "ready": "missing: run pilotctl topology apply", "unacked": "", "consumers": "",
                    "inRate": "", "ackRate": "", "warn": true]
            }
            return ["queue": row.queue, "ready": text(row.ready), "unacked": text(row.unacked),
                "consumers": text(row.consumers), "inRate": rate(row.publishRate), "ackRate": rate(row.ackRate),
                "warn": row.queue.hasSuffix(".dead") && (row.ready ?? 0) > 0]
        }
        context["hasQueues"] = !snapshot.rows.isEmpty
        context["dead"] = snapshot.dead.map { stage, letters -> [String: Any] in
            var byReason: [String: Int] = [:]
            for letter in letters { byReason[letter.reason, default: 0] += 1 }
            return [
                "stage": stage.name, "queue": stage.deadQueue, "count": letters.count,
                "reasons": byReason.sorted { $0.key < $1.key }.map { ["reason": $0.key, "count": $0.value] as [String: Any] },
                "letters": letters.map { letter -> [String: Any] in
                    ["eventID": letter.eventID, "thread": letter.thread, "reason": letter.reason,
                        "attempts": letter.attempts, "detail": letter.detail]
                },
            ]
        }
        context["hasDead"] = !snapshot.dead.isEmpty
    }

    // MARK: one pilot

    func pilot(_ thread: String, _ request: Request) throws -> Response {
        let credential = try require(request)
        guard ThreadID.isValid(thread) else { throw PageError.notFound("\(thread) is not a thread id.") }
        let (record, events, documents) = try store.read { reader in
            (try reader.pilot(thread), try reader.handledEvents(threadID: thread), try reader.documents(threadID: thread))
        }
        guard let record else { throw PageError.notFound("There is no pilot \(thread).") }
        let facts = PilotFacts(record)
        let dates = PageDates.utc
        var caused: [String: [String]] = [:]
        for event in events { if let cause = event.causationID { caused[cause, default: []].append(event.type ?? "?") } }
        var context = base("\(thread): pilot", credential)
        let day = PilotSnapshotFile.day(documents, thread: thread)
        context["thread"] = thread
        context["company"] = facts.company
        context["stage"] = record.stage
        context["status"] = record.status
        context["updated"] = dates.dateTime(record.updatedAt)
        context["progress"] = day.map { day in "day \(day)" + (facts.durationDays.map { " of \($0)" } ?? "") } ?? "no daily evaluation yet"
        if let health = facts.health {
            context["health"] = ["score": health.score, "label": health.label, "tone": health.tone,
                "reasons": health.reasons, "hasReasons": !health.reasons.isEmpty] as [String: Any]
        }
        context["events"] = events.map { event -> [String: Any] in
            ["at": dates.dateTime(event.handledAt), "type": event.type ?? "?", "id": event.eventID,
                "worker": event.worker ?? "?", "stage": event.stage ?? "",
                "took": event.durationMilliseconds.map { NumberText.plain($0, maxFractionDigits: 1) + " ms" } ?? "",
                "outcome": event.outcome ?? "", "caused": (caused[event.eventID] ?? []).joined(separator: ", ")]
        }
        let folder = "\(Workspace.threadsFolder)/\(thread)/"
        context["documents"] = documents.map { document -> [String: Any] in
            let name = document.path.hasPrefix(folder) ? String(document.path.dropFirst(folder.count)) : document.path
            return ["name": name, "url": "/pilots/\(thread)/file?path=" + (name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? name),
                "size": document.size.map { "\($0) bytes" } ?? "", "written": dates.dateTime(document.writtenAt)]
        }
        context["hasDocuments"] = !documents.isEmpty
        if let secret {
            let link = ShareLink(threadID: thread, days: 30, now: now(), secret: secret)
            context["buyerLink"] = publicURL.map { link.url(baseURL: $0) } ?? link.path
            context["buyerLinkNote"] = "Valid for 30 days. Anyone with it sees this pilot's buyer page."
                + (publicURL == nil ? " Set PILOT_WEB_PUBLIC_URL to print it with the host." : "")
        } else {
            context["buyerLinkNote"] = "Buyer links are off: set PILOT_WEB_SECRET (pilotctl pilot share uses the same one)."
        }
        return HTMLResponse.make(.ok, templates.render(.pilot, context))
    }

    /// `GET /pilots/<thread>/file?path=<relative>`: any file the store lists for the pilot.
    func file(_ thread: String, _ request: Request) throws -> Response {
        _ = try require(request)
        guard ThreadID.isValid(thread), let relative = request.uri.queryParameters["path"].map(String.init),
            !relative.isEmpty
        else { throw PageError.notFound("No such document.") }
        return try DocumentFile.response(
            path: "\(Workspace.threadsFolder)/\(thread)/\(relative)", thread: thread, store: store, documents: documents)
    }

    // MARK: dead letters

    /// `POST /dead-letters/<stage>/replay`: what `pilotctl dlq replay <stage> [--reason R]` does.
    func replay(_ stageName: String, _ request: Request) async throws -> Response {
        let credential = try require(request)
        let form = await FormBody.readForCSRF(request)
        guard session.acceptsCSRF(form["csrf"], for: credential) else {
            throw PageError.forbidden("The form expired or did not come from this dashboard; reload the page and try again.")
        }
        guard let stage = try? Stage.forOperator(stageName) else { throw PageError.notFound("There is no stage \(stageName).") }
        let reason = form["reason"].flatMap { $0.isEmpty ? nil : $0 }
        let broker = self.broker
        let replayed: Int
        do {
            replayed = try await Offload.run {
                try DeadLetterOperations.replay(stage, filter: .init(reason: reason)) { try broker.connect() }
            }
        } catch {
            logger.warning("dead-letter replay failed", metadata: ["stage": .string(stage.name), "error": .string("\(error)")])
            throw PageError.unavailable("The replay stopped: \(error). Dead letters not yet confirmed are still in \(stage.deadQueue).")
        }
        panel.invalidate()
        logger.notice("dead letters replayed from the dashboard", metadata: [
            "stage": .string(stage.name), "count": .stringConvertible(replayed), "reason": .string(reason ?? "any"),
        ])
        var context = base("Dead letters replayed", credential)
        context["message"] = "Replayed \(replayed) dead letter(s)\(reason.map { " with reason \($0)" } ?? "") from \(stage.deadQueue) to where each came from."
        return HTMLResponse.make(.ok, templates.render(.replayed, context))
    }
}

/// Thrown by `Dashboard.require` when nobody is signed in.
struct SignInRequired: Error {}
