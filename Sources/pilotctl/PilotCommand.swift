import ArgumentParser
import Foundation
import PilotJSON
import PilotStore

struct PilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot", abstract: "Where a pilot is and why: state, documents and the chain of events.",
        subcommands: [List.self, Show.self, Trace.self, Share.self, Extend.self, Cancel.self, Reschedule.self, CancelKickoff.self])

    struct StoreOptions: ParsableArguments {
        @Option(help: "Workspace folder. [PILOT_WORKSPACE]")
        var workspace = ProcessInfo.processInfo.environment["PILOT_WORKSPACE"] ?? FileManager.default.currentDirectoryPath
        @Option(help: "Database (default <workspace>/.pilot/pilot.db). [PILOT_DATABASE]")
        var database = ProcessInfo.processInfo.environment["PILOT_DATABASE"] ?? ""

        func open() throws -> any PilotStore {
            let location: DatabaseLocation
            do {
                location = try DatabaseLocation.parse(
                    database, defaultPath: URL(fileURLWithPath: workspace).appendingPathComponent(".pilot/pilot.db").path)
            } catch {
                throw OperatorError(error.description)
            }
            if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
                throw OperatorError("no database at \(path)")
            }
            do {
                return try location.open()
            } catch {
                throw OperatorError("cannot open the database \(location): \(error)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pilots, most recently updated first.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only pilots with this status.") var status: String?
        @Option var limit = 50

        func run() throws {
            for pilot in try store.open().read({ try $0.pilots(status: status, limit: limit) }) {
                print("\(pilot.threadID)  stage=\(pilot.stage)  status=\(pilot.status)  updated=\(pilot.updatedAt ?? "?")")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A pilot's status, criteria and documents.")
        @OptionGroup var store: StoreOptions
        @Argument var thread: String

        func run() throws {
            let documentStore = try store.documents()
            let db = try store.open()
            guard let pilot = try db.read({ try $0.pilot(thread) }) else { throw OperatorError("no pilot \(thread)") }
            let documents = try db.read { try $0.documents(threadID: thread) }
            print("pilot \(pilot.threadID): stage \(pilot.stage), status \(pilot.status), updated \(pilot.updatedAt ?? "?")")
            // The latest daily snapshot says where the pilot is and how each criterion stands.
            let snapshots = documents.map(\.path).filter { $0.contains("/monitoring/day-") }.sorted()
            let latest = try snapshots.last.flatMap { path in try documentStore.read(path) }
                .flatMap { try? JSONValue(parsing: $0) }
            if let latest, let day = latest["day"]?.integer, let duration = latest["duration_days"]?.integer {
                print("day \(day) of \(duration) (\(latest["phase_title"]?.string ?? "?"))")
                print("criteria so far (target, actual):")
                for criterion in latest["criteria"]?.array ?? [] {
                    let actual = criterion["so_far"].flatMap { $0 == .null ? nil : $0.serialized() } ?? "no data"
                    let verdict = criterion["met"] == .bool(true) ? "met" : (criterion["at_risk"] == .bool(true) ? "AT RISK" : "not met yet")
                    let required = criterion["required"] == .bool(true) ? "" : " (optional)"
                    print("  \(criterion["metric"]?.string ?? "?") \(criterion["comparison"]?.string ?? "") \(criterion["target"]?.serialized() ?? "?")  actual \(actual)  \(verdict)\(required)")
                }
            } else if let criteria = pilot.state["criteria"]?.array {
                print("not started: no daily evaluation yet")
                print("criteria (target):")
                for criterion in criteria {
                    let target = criterion["target"].map { $0.serialized() } ?? "?"
                    print("  \(criterion["metric"]?.string ?? "?") \(criterion["comparison"]?.string ?? "") \(target)\(criterion["required"] == .bool(true) ? " (required)" : "")")
                }
            }
            // The latest health score, with the reasons it moved since a week before.
            if let health = latest?["health"] ?? pilot.state["health"], let score = health["score"]?.integer {
                print("health \(score)/100 (\(health["label"]?.string ?? "?")) on day \(health["day"]?.integer.map { "\($0)" } ?? "?")")
                for reason in health["reasons"]?.array ?? [] { print("  - \(reason.string ?? "")") }
            }
            // Conditions raised once and not cleared yet: a stalled pilot says so here.
            if pilot.status == "active", let open = pilot.state["health"]?["open_alerts"]?.array, !open.isEmpty {
                let lastActive = pilot.state["health"]?["last_active_day"]?.integer ?? 0
                if open.contains(where: { $0["kind"] == "stalled" }) {
                    print("STALLED: nothing from the lead since \(lastActive == 0 ? "the signature" : "day \(lastActive)")")
                }
                print("open alerts: " + open.map { "\($0["kind"]?.string ?? "?") since day \($0["since"]?.integer ?? 0) (\($0["severity"]?.string ?? "?"))" }.joined(separator: ", "))
            }
            printHistory(pilot.state)
            print("documents:")
            for document in documents { print("  \(document.path)  \(document.size ?? 0) bytes  \(document.writtenAt ?? "")") }
        }
    }

    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The chain of events handled for a pilot: type, id, cause, when, by which worker, how long.")
        @OptionGroup var store: StoreOptions
        @Argument var thread: String

        func run() throws {
            let events = try store.open().read { try $0.handledEvents(threadID: thread) }
            guard !events.isEmpty else { throw OperatorError("no handled events for \(thread)") }
            for event in events {
                let duration = event.durationMilliseconds.map { String(format: "%.1f ms", $0) } ?? "?"
                print("\(event.handledAt ?? "?")  \(event.type ?? "?")  id=\(event.eventID)  cause=\(event.causationID ?? "-")  stage=\(event.stage ?? "?")  worker=\(event.worker ?? "?")  \(duration)  \(event.outcome ?? "")")
            }
        }
    }
}

extension PilotCommand.Show {
    /// Every change with who, when, what and why, oldest first.
    func printHistory(_ state: JSONValue) {
        if let kickoff = state["kickoff_start"]?.string {
            let sequence = state["kickoff_sequence"]?.integer.map { " (invite SEQUENCE \($0))" } ?? " (invite not sent yet)"
            let cancelled = state["kickoff_cancelled"] == .bool(true) ? ", cancelled" : ""
            print("kickoff: \(kickoff)\(sequence)\(cancelled)")
        }
        if let reminders = state["signature_reminders"]?.integer { print("signature reminders sent: \(reminders)") }
        guard let history = state["history"]?.array, !history.isEmpty else { return }
        print("history:")
        for entry in history {
            let who = entry["by"].flatMap { by in by["name"]?.string.map { "\($0) <\(by["email"]?.string ?? "?")>" } } ?? "pilot-worker"
            let why = entry["why"]?.string.map { "; why: \($0)" } ?? ""
            print("  \(entry["at"]?.string ?? "?")  \(entry["change"]?.string ?? "?")  by \(who): \(entry["what"]?.string ?? "")\(why)")
        }
    }
}
