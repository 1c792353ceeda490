import Contracts
import Foundation
import PilotIntake
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// Reading event files and judging them as a worker would: one path for `publish` and
/// `validate`, so that what `validate` accepts is what `publish` sends and the worker takes.
enum EventFile {
    /// Input that cannot be judged at all (an unreadable file, text that is not JSON,
    /// no schemas), as opposed to an event that breaks its contract.
    struct Unusable: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The name `-` stands for standard input.
    static let standardInput = "-"

    /// Loads the contracts, failing with a message an operator can act on.
    static func contracts(schemas: String) throws(Unusable) -> Contracts {
        let contracts: Contracts
        do {
            contracts = try Contracts.load(explicit: schemas)
        } catch {
            throw Unusable("cannot load the event schemas: \(error)")
        }
        // A folder without schemas would make every event "of unknown type": say so instead.
        guard !contracts.knownTypes.isEmpty else {
            let folder = Contracts.locateSchemas(explicit: schemas) ?? schemas
            throw Unusable(
                "no event schemas in \(folder): pass --schemas DIR or set PILOT_SCHEMAS to the repository's schemas/ folder")
        }
        return contracts
    }

    /// The JSON document in `path` (or on standard input for `-`), parsed as strictly as
    /// a worker parses a message body (RFC 8259, valid UTF-8, depth at most 64, no repeated keys).
    static func read(_ path: String) throws(Unusable) -> JSONValue {
        let name = path == standardInput ? "standard input" : path
        let bytes: [UInt8]
        if path == standardInput {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "not readable (or a folder)" : "no such file"
                throw Unusable("cannot read \(path): \(reason)")
            }
            bytes = Array(data)
        }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw Unusable("\(name) is not JSON: \(error)")
        }
    }

    /// `document` with a fresh `id` and `time` where it has none, as `publish` sends it.
    static func filled(_ document: JSONValue) -> JSONValue {
        guard var object = document.object else { return document }
        if object["id"] == nil { object["id"] = .string(UUID().uuidString.lowercased()) }
        if object["time"] == nil { object["time"] = .string(EventTime.string(Date())) }
        return .object(object)
    }

    /// Checks `document` with the check every event from outside goes through
    /// (`IncomingEvent`, shared with pilot-web): the contract first, then the envelope
    /// fields the runtime reads itself.
    static func check(_ document: JSONValue, against contracts: Contracts) -> Result<CloudEvent, ContractViolation> {
        do {
            return .success(try IncomingEvent.check(document, contracts: contracts))
        } catch {
            return .failure(error.violation ?? ContractViolation(reason: .invalidEnvelope, errors: error.problems.map {
                ValidationError(instancePath: $0.path, keyword: "envelope", schemaPath: "", message: "(root): \($0.message)")
            }))
        }
    }

    /// One line per error: where in the event, which keyword, and why.
    static func lines(_ violation: ContractViolation) -> [String] {
        violation.errors.map { error in
            let place = error.instancePath.isEmpty ? "(root)" : error.instancePath
            // Messages start with the place already; it is shown once, in front.
            let message = error.message.hasPrefix(place + ": ") ? String(error.message.dropFirst(place.count + 2)) : error.message
            return "\(place) (\(error.keyword)): \(message)"
        }
    }
}
