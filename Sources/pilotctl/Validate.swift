import ArgumentParser
import Contracts
import Foundation
import PilotJSON

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check one CloudEvent against the event schemas, as a worker would. No broker needed.",
        discussion: """
            Checks the CloudEvents envelope and the schema of the event's type with the workers' own \
            validator, after parsing the JSON as strictly as they do. The event is taken as it is: \
            unlike publish, nothing is filled in, so an event without `id` or `time` is invalid \
            (--as-published fills them in first, as publish does).

            Exit status:
              0  valid: prints `valid: <type> <id>`
              1  invalid: prints `invalid: <why>`, then one line per error,
                 `<instance path> (<keyword>): <message>`
              2  unusable input: the file cannot be read, it is not strict JSON,
                 or no schemas were found; the reason goes to standard error
            """)

    @Option(help: "Folder of the event JSON Schemas. [PILOT_SCHEMAS]")
    var schemas = ProcessInfo.processInfo.environment["PILOT_SCHEMAS"] ?? ""

    @Flag(help: "Fill in a missing `id` and `time` first, as publish does.")
    var asPublished = false

    @Argument(help: "The event file; - reads it from standard input.")
    var file: String

    func run() throws {
        let contracts: Contracts
        let document: JSONValue
        do {
            contracts = try EventFile.contracts(schemas: schemas)
            let read = try EventFile.read(file)
            document = asPublished ? EventFile.filled(read) : read
        } catch {
            FileHandle.standardError.write(Data("pilotctl validate: \(error)\n".utf8))
            throw ExitCode(2)
        }
        switch EventFile.check(document, against: contracts) {
        case .success(let event):
            print("valid: \(event.type) \(event.id)")
        case .failure(let violation):
            print("invalid: " + (violation.description.split(separator: "\n").first.map(String.init) ?? violation.reasonCode))
            for line in EventFile.lines(violation) { print(line) }
            throw ExitCode(1)
        }
    }
}
