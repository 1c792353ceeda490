import Foundation
import Hummingbird
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore

/// `GET /share/<thread>?exp=…&sig=…`: the buyer's read-only page of a pilot, and the
/// documents and charts it links, each checked against the same signature.
struct BuyerPage: Sendable {
    let secret: String?
    let store: StoreHandle
    let documents: any DocumentStore
    let templates: WebTemplates
    let now: @Sendable () -> Date

    /// The files a buyer may download, by name in the thread folder, with their titles.
    static func documentTitle(_ name: String) -> String? {
        switch name {
        case "pilot-agreement-custom.md": return "Pilot agreement"
        case "pilot-agreement-final.md": return "Final agreement, as signed"
        case "pilot-results.md": return "Results"
        default:
            guard name.hasPrefix("progress-week-"), name.hasSuffix(".md"),
                let week = Int(name.dropFirst("progress-week-".count).dropLast(3))
            else { return nil }
            return "Weekly report, week \(week)"
        }
    }

    /// Checks the link; throws the 403 that shows nothing of the pilot.
    func verify(_ thread: String, _ request: Request) throws -> ShareLink {
        guard let secret else {
            throw PageError.forbidden("Pilot links are turned off on this server. Ask your contact for an update by email.")
        }
        let query = request.uri.queryParameters
        guard ThreadID.isValid(thread) else { throw PageError.forbidden("This link is not valid. Ask your contact for a new one.") }
        switch ShareLink.verify(
            threadID: thread, exp: query["exp"].map(String.init), sig: query["sig"].map(String.init), secret: secret,
            now: now())
        {
        case .success(let link): return link
        case .failure(.expired):
            throw PageError.forbidden("This link has expired. Ask your contact for a new one.")
        case .failure(.malformed), .failure(.badSignature):
            throw PageError.forbidden("This link is not valid: it is incomplete or was changed. Ask your contact for a new one.")
        }
    }

    func page(_ thread: String, _ request: Request) throws -> Response {
        let link = try verify(thread, request)
        let (record, documents, metrics, issues) = try store.read { reader in
            (try reader.pilot(thread), try reader.documents(threadID: thread), try reader.metrics(threadID: thread),
                try reader.issues(threadID: thread))
        }
        guard let record else { throw PageError.notFound("There is no pilot behind this link any more.") }
        let facts = PilotFacts(record)
        let dates = PageDates(timeZone: facts.timeZone)
        let results = JudgedResults.read(documents, thread: thread, store: self.documents, facts: facts)
        // Once judged, the standing of the last day the results covered: an operator who
        // closed the pilot on day 10 with `days: 7` had it judged on seven.
        let snapshot = PilotSnapshotFile.latest(
            documents, thread: thread, store: self.documents, through: results == nil ? nil : facts.resultsDays)
        let folder = "\(Workspace.threadsFolder)/\(thread)/"

        let day = snapshot?["day"]?.integer.map { Int($0) }
        // The state's length: an extension moves it at once, the daily snapshot only at the
        // next tick, and the results stage judged against it.
        let duration = facts.durationDays ?? snapshot?["duration_days"]?.integer.map { Int($0) }
        let firstMetrics = metrics.first.flatMap { entry in
            entry.receivedAt.flatMap(PilotFacts.date).map { "day \(entry.day), " + dates.day($0) } ?? "day \(entry.day)"
        }
        let milestones = Milestones.derive(.init(
            status: record.status, kickoff: facts.kickoffStart.map(dates.dateTime),
            kickoffPassed: facts.kickoffStart.map { $0 < now() } ?? false, signed: facts.signedAt.map(dates.day),
            startDate: facts.startDate, durationDays: duration, firstMetrics: firstMetrics, day: day))

        var terms: [[String: Any]] = []
        func term(_ name: String, _ value: String?) { if let value, !value.isEmpty { terms.append(["name": name, "value": value]) } }
        term("Duration", duration.map { "\($0) days" })
        term("Start", facts.startDate.flatMap { PageDates.calendarDay($0) } ?? facts.proposedStartDate.flatMap { PageDates.calendarDay($0) }.map { "proposed " + $0 })
        term("Support", facts.supportLevel)
        term("Pricing", facts.pricing)
        term("Signed by", facts.signedBy.map { name in facts.signedAt.map { "\(name), \(dates.day($0))" } ?? name })

        let charts: [[String: Any]] = documents.compactMap { document in
            guard document.path.hasPrefix(folder + "charts/"), document.path.hasSuffix(".svg") else { return nil }
            let name = String(document.path.dropFirst(folder.count + "charts/".count))
            let id = String(name.dropLast(4))
            let criterion = facts.criteria.first { $0.id == id }
            let title = criterion.map { CriterionText($0, durationDays: duration ?? 30).name } ?? id
            return ["url": "/share/\(thread)/charts/\(name)?\(link.query)", "alt": "Chart of \(title) by day, with its target"]
        }
        let downloads: [[String: Any]] = documents.compactMap { document in
            guard document.path.hasPrefix(folder) else { return nil }
            let name = String(document.path.dropFirst(folder.count))
            guard let title = Self.documentTitle(name) else { return nil }
            return ["url": "/share/\(thread)/documents/\(name)?\(link.query)", "name": title,
                "written": document.writtenAt.map { dates.dateTime($0) } ?? ""]
        }
        let open = issues.filter { $0.data["status"]?.string != "resolved" }.sorted {
            (IssueText.rank($0.data["severity"]?.string), $0.issueID) < (IssueText.rank($1.data["severity"]?.string), $1.issueID)
        }
        let resolved = issues.count - open.count
        let criteria = CriteriaRows.rows(facts: facts, snapshot: snapshot, durationDays: duration, results: results)
        let next = milestones.first { !$0.done }
        let ended = ["lost", "declined", "cancelled"].contains(record.status)
        let contacts = facts.contacts.map(\.name).joined(separator: ", ")
        let expires = dates.dateTime(Date(timeIntervalSince1970: TimeInterval(link.expires)))
        var context: [String: Any] = [
            "title": "\(facts.company): pilot progress", "brand": "Pilot progress",
            "company": facts.company,
            "audience": "For the \(facts.company) team\(contacts.isEmpty ? "" : " (\(contacts))")"
                + (facts.founder.map { ", shared by \($0)" } ?? "")
                + ". Anyone with this link can read this page until \(expires); it changes nothing."
                + " Times are in \(facts.timeZone.identifier).",
            "progress": ProgressText.text(
                status: record.status, day: day, duration: duration, resultsDays: facts.resultsDays, startDate: facts.startDate),
            "terms": terms, "useCases": facts.useCases.map { ["title": $0.title, "description": $0.description] },
            "hasUseCases": !facts.useCases.isEmpty,
            "criteria": criteria, "charts": charts, "hasCharts": !charts.isEmpty,
            "criteriaAsOf": results?.caption
                ?? day.map { "As of day \($0)" + (duration.map { " of \($0)" } ?? "") } ?? "The pilot has not started: no measurements yet.",
            "milestones": milestones.map { ["name": $0.name, "owner": $0.owner.rawValue, "date": $0.date, "done": $0.done] },
            "issues": open.map { issue in
                let severity = issue.data["severity"]?.string ?? "unknown"
                return ["severity": severity.capitalized, "tone": IssueText.tone(severity),
                    "title": issue.data["title"]?.string ?? issue.issueID,
                    "reported": issue.data["reported_at"]?.string.map { dates.dateTime($0) } ?? ""]
            },
            "hasIssues": !open.isEmpty, "resolvedIssues": resolved > 0 ? "\(resolved) issue(s) resolved." : "",
            "documents": downloads, "hasDocuments": !downloads.isEmpty,
            "footer": "Read-only page of pilot \(thread). Times in \(facts.timeZone.identifier).",
        ]
        if let phase = snapshot?["phase_title"]?.string { context["phase"] = phase }
        if ended {
            context["next"] = "None: the pilot has ended."
        } else if let next {
            context["next"] = "\(next.name) (\(next.owner.rawValue.lowercased()))" + (next.date.isEmpty ? "" : ", \(next.date)")
        }
        if let health = facts.health {
            context["health"] = ["score": health.score, "label": health.label, "tone": health.tone,
                "reasons": health.reasons, "hasReasons": !health.reasons.isEmpty] as [String: Any]
        }
        return HTMLResponse.make(.ok, templates.render(.share, context))
    }

    /// `GET /share/<thread>/documents/<name>` and `/share/<thread>/charts/<name>`.
    func file(_ thread: String, folder: String?, name: String, _ request: Request) throws -> Response {
        _ = try verify(thread, request)
        if folder == "charts" {
            guard name.hasSuffix(".svg"), !name.contains("/"), !name.hasPrefix(".") else { throw PageError.notFound("No such chart.") }
        } else {
            guard Self.documentTitle(name) != nil else { throw PageError.notFound("No such document.") }
        }
        let path = "\(Workspace.threadsFolder)/\(thread)/" + (folder.map { "\($0)/" } ?? "") + name
        return try DocumentFile.response(path: path, thread: thread, store: store, documents: documents)
    }
}

/// Serves a file the store lists for the thread, from the workspace; anything the store
/// does not list is a 404, so no path from a URL reaches the file system unchecked.
enum DocumentFile {
    static func response(path: String, thread: String, store: StoreHandle, documents: any DocumentStore) throws -> Response {
        let listed = try store.read { try $0.documents(threadID: thread) }.contains { $0.path == path }
        guard listed, let bytes = try? documents.read(path) else { throw PageError.notFound("No such document.") }
        let name = path.split(separator: "/").last.map(String.init) ?? "document"
        let type = name.hasSuffix(".svg") ? "image/svg+xml" : "text/plain; charset=utf-8"
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "inline; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The latest `monitoring/day-NN.json` the worker wrote: day, phase and each criterion's standing.
enum PilotSnapshotFile {
    /// - Parameter last: the last day to look at; nil, every day.
    static func latest(_ documents: [DocumentEntry], thread: String, store: any DocumentStore, through last: Int? = nil) -> JSONValue? {
        guard let path = snapshots(documents, thread: thread).filter({ snapshot in last.map { snapshot.day <= $0 } ?? true }).max(by: { $0.day < $1.day })?.path,
            let bytes = try? store.read(path)
        else { return nil }
        return try? JSONValue(parsing: bytes)
    }

    /// The day number in a snapshot's path, without reading it.
    static func day(_ documents: [DocumentEntry], thread: String) -> Int? {
        snapshots(documents, thread: thread).map(\.day).max()
    }

    /// The thread's daily snapshots, each with the day its name gives.
    private static func snapshots(_ documents: [DocumentEntry], thread: String) -> [(day: Int, path: String)] {
        let prefix = "\(Workspace.threadsFolder)/\(thread)/monitoring/day-"
        return documents.compactMap { entry in
            guard entry.path.hasPrefix(prefix), entry.path.hasSuffix(".json"),
                let day = Int(entry.path.dropFirst(prefix.count).dropLast(".json".count))
            else { return nil }
            return (day, entry.path)
        }
    }
}

enum IssueText {
    static func rank(_ severity: String?) -> Int {
        switch severity {
        case "critical": 0
        case "high": 1
        case "medium": 2
        case "low": 3
        default: 4
        }
    }

    static func tone(_ severity: String) -> String {
        switch severity {
        case "critical", "high": "bad"
        case "medium": "warn"
        default: ""
        }
    }
}

enum ProgressText {
    /// - Parameter resultsDays: the days the results judged, fewer than `duration` when an
    ///   operator closed the pilot early; nil for results an older build compiled without
    ///   saying their days, which may have been an early close: no day is claimed then.
    static func text(status: String, day: Int?, duration: Int?, resultsDays: Int? = nil, startDate: String?) -> String {
        let of = duration.map { " of \($0)" } ?? ""
        let finished = resultsDays.map { last in
            "Finished: day \(last)\(of)" + (duration.map { last < $0 } == true ? ", closed early" : "")
        } ?? "Finished"
        switch status {
        case "agreement_sent", "kickoff_scheduled": return "Not started: waiting for the signed agreement."
        case "declined": return "Declined: the pilot did not go ahead."
        case "completed": return finished + ". The pilot met its success criteria."
        case "lost": return finished + ". The pilot did not meet its success criteria."
        case "results_compiled": return "Finished: results compiled, readout to come."
        default:
            if let day { return "Day \(day)\(of)" }
            return startDate.flatMap { PageDates.calendarDay($0) }.map { "Starts on \($0)." } ?? "Starting soon."
        }
    }
}
