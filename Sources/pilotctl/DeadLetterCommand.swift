import ArgumentParser
import Foundation
import PilotAMQP
import PilotJSON
import PilotOperations
import PilotRuntime

struct DeadLetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Inspect, replay and purge a stage's dead letters.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    struct Selection: ParsableArguments {
        @Argument(help: "Stage: agreement, kickoff, monitoring, results, next-action.")
        var stage: String

        @Option(help: "Only dead letters of this thread id.")
        var thread: String?

        @Option(help: "Only dead letters with this x-error-reason (e.g. schema_violation).")
        var reason: String?

        @Option(help: "Look at most at this many dead letters.")
        var limit = 1000

        func queue() throws -> DeadLetterQueue {
            DeadLetterQueue(stage: try Stage.forOperator(stage))
        }

        var filter: DeadLetterQueue.Filter { .init(threadID: thread, reason: reason) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters (nothing is removed).")
        @OptionGroup var broker: BrokerOptions
        @OptionGroup var selection: Selection
        @Flag(help: "One JSON object per dead letter.") var json = false

        func run() throws {
            let letters = try DeadLetterOperations.list(
                try selection.queue().stage, filter: selection.filter, limit: selection.limit) { try broker.connect() }
            for letter in letters {
                if json {
                    print(JSONValue.object(letter.summary).serialized())
                } else {
                    let age = letter.age().map { "\(Int($0))s ago" } ?? "?"
                    print("\(letter.eventID ?? "?")  thread=\(letter.threadID ?? "?")  reason=\(letter.reason)  attempts=\(letter.attempts)  failed \(age)\n    \(letter.detail.prefix(200))")
                }
            }
            if !json { print("\(letters.count) dead letter(s) in \(try selection.queue().stage.deadQueue)") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dead letter's headers and body.")
        @OptionGroup var broker: BrokerOptions
        @OptionGroup var selection: Selection
        @Argument(help: "The event id (message id).") var eventID: String

        func run() throws {
            let connection = try broker.connect()
            defer { connection.close() }
            guard let letter = try selection.queue().browse(connection, filter: selection.filter, limit: selection.limit)
                .first(where: { $0.eventID == eventID })
            else { throw OperatorError("no dead letter with id \(eventID)") }
            var summary = letter.summary
            summary["headers"] = .object(JSONObject(letter.delivery.properties.headers.map { ($0.0, $0.1.json) }))
            summary["body"] = (try? JSONValue(parsing: letter.delivery.body)) ?? .string(String(decoding: letter.delivery.body, as: UTF8.self))
            print(JSONValue.object(summary).serialized())
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish dead letters back to pilot.events with the attempt count reset; each is removed only after the broker confirms its copy.")
        @OptionGroup var broker: BrokerOptions
        @OptionGroup var selection: Selection
        @Flag(help: "Say what would be replayed, change nothing.") var dryRun = false
        @Option(help: .hidden) var failpoint = ProcessInfo.processInfo.environment["PILOT_FAILPOINT"] ?? ""

        func run() throws {
            let queue = try selection.queue()
            if dryRun {
                let letters = try DeadLetterOperations.list(
                    queue.stage, filter: selection.filter, limit: selection.limit) { try broker.connect() }
                for letter in letters {
                    let name = "\(letter.eventID ?? "?") (\(letter.reason))"
                    guard let key = letter.originalRoutingKey else {
                        print("cannot replay \(name): it has no routing key and no type; it stays")
                        continue
                    }
                    print("would replay \(name) to \(letter.addressedToQueue ? "queue \(key)" : "pilot.events as \(key)")")
                }
                print("\(letters.count { $0.originalRoutingKey != nil }) dead letter(s) would be replayed")
                return
            }
            let crash = failpoint == "crash-after-publish"
            let replayed = try DeadLetterOperations.replay(
                queue.stage, filter: selection.filter, limit: selection.limit, connect: { try broker.connect() }
            ) { letter in
                guard crash else { return }
                print("failpoint crash-after-publish: \(letter.eventID ?? "?") confirmed, exiting before removing it")
                Foundation.exit(137)
            }
            print("replayed \(replayed) dead letter(s) from \(queue.stage.deadQueue)")
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every dead letter of a stage.")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "Stage.") var stage: String
        @Flag(help: "Do not ask for confirmation.") var yes = false

        func run() throws {
            let queue = try Stage.forOperator(stage).deadQueue
            if !yes {
                print("Delete every message in \(queue)? Type the queue name to confirm: ", terminator: "")
                guard readLine() == queue else { throw OperatorError("not confirmed; nothing deleted") }
            }
            let connection = try broker.connect()
            defer { connection.close() }
            print("purged \(try connection.purgeQueue(queue)) dead letter(s) from \(queue)")
        }
    }
}

extension DeadLetter {
    var summary: JSONObject {
        JSONObject([
            ("event_id", eventID.map(JSONValue.string) ?? .null), ("thread_id", threadID.map(JSONValue.string) ?? .null),
            ("reason", .string(reason)), ("detail", .string(detail)), ("attempts", .int(attempts)),
            ("first_failed_at", firstFailedAt.map(JSONValue.string) ?? .null),
            ("original_routing_key", originalRoutingKey.map(JSONValue.string) ?? .null),
        ])
    }
}
