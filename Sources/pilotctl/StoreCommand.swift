import ArgumentParser
import Foundation
import PilotStore

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "The store as a whole: moving it to another database.", subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy pilots (with versions), inbox, outbox, documents and monitoring data into another store.",
            discussion: """
                Stop the workers first. --from and --to take PILOT_DATABASE values: a SQLite path or a \
                postgres:// URL. The target is created and migrated if needed; it must be empty unless \
                --allow-non-empty, which adds only the rows it lacks (a rerun copies nothing twice).
                """)
        @Option(help: "The store to read (a PILOT_DATABASE value).") var from: String
        @Option(help: "The store to fill (a PILOT_DATABASE value).") var to: String
        @Flag(help: "Add to a target that already has rows, skipping the ones it has.") var allowNonEmpty = false

        func run() throws {
            let (source, target) = (try location(from, "--from"), try location(to, "--to"))
            if case .sqlite(let path) = source, !FileManager.default.fileExists(atPath: path) {
                throw OperatorError("no database at \(path)")
            }
            guard source != target else { throw OperatorError("--from and --to are the same store") }
            do {
                let (reading, writing) = (try source.open(), try target.open())
                print("copying \(source) -> \(target)")
                try StoreCopy.copy(from: reading, to: writing, allowNonEmpty: allowNonEmpty) { count in
                    print("\(count.table): \(count.read) read, \(count.copied) copied, \(count.read - count.copied) already there")
                }
            } catch let error as StoreCopy.NonEmptyTarget {
                throw OperatorError("\(error.description) (--allow-non-empty)")
            } catch {
                throw OperatorError("store copy failed: \(error)")
            }
        }

        private func location(_ value: String, _ option: String) throws -> DatabaseLocation {
            guard !value.isEmpty else { throw OperatorError("\(option) needs a SQLite path or a postgres:// URL") }
            do {
                return try DatabaseLocation.parse(value, defaultPath: value)
            } catch {
                throw OperatorError("\(option): \(error.description)")
            }
        }
    }
}
