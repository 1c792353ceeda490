import Contracts
import PilotJSON
import PilotStageAPI

/// The one check an event from outside the runtime goes through before it is
/// published: a file given to `pilotctl publish`, a body posted to `pilot-web`.
///
/// It is the worker's own check, in the worker's order, so that whatever passes
/// here is not dead-lettered for its shape when a stage consumes it.
public enum IncomingEvent {
    /// Parses `bytes` strictly (RFC 8259, UTF-8, no repeated keys) and checks the result.
    public static func check(bytes: [UInt8], contracts: Contracts) throws(IncomingEventError) -> CloudEvent {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw IncomingEventError(reason: .malformedJSON, problems: [.init(path: "", message: error.description)])
        }
        return try check(document, contracts: contracts)
    }

    /// Checks the envelope and the type's schema, then reads the envelope the runtime needs.
    /// The schemas go first because they report every problem at once, where the
    /// envelope reader stops at the first.
    public static func check(_ document: JSONValue, contracts: Contracts) throws(IncomingEventError) -> CloudEvent {
        do {
            try contracts.validate(event: document)
        } catch {
            let reason: IncomingEventError.Reason =
                switch error.reason {
                case .notAnObject, .invalidEnvelope: .invalidEnvelope
                case .unknownType: .unknownType
                case .schemaMismatch: .schemaViolation
                }
            throw IncomingEventError(
                reason: reason, problems: error.errors.map { .init(path: $0.instancePath, message: $0.message) }, violation: error)
        }
        do {
            return try CloudEvent(document: document)
        } catch {
            // What the schemas cannot say, such as a thread id with "..".
            throw IncomingEventError(reason: .invalidEnvelope, problems: [.init(path: "", message: error.description)])
        }
    }
}

/// Why an incoming event was refused: final, since the same bytes will never pass.
public struct IncomingEventError: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case malformedJSON = "malformed_json"
        case invalidEnvelope = "invalid_envelope"
        case unknownType = "unknown_type"
        case schemaViolation = "schema_violation"
    }

    /// One thing wrong, at a JSON pointer into the event (empty for the whole body).
    public struct Problem: Sendable, Equatable {
        public var path: String
        public var message: String
    }

    public var reason: Reason
    public var problems: [Problem]
    /// The schemas' full verdict (keywords and schema paths), when they refused it.
    public var violation: ContractViolation?

    public init(reason: Reason, problems: [Problem], violation: ContractViolation? = nil) {
        self.reason = reason
        self.problems = problems
        self.violation = violation
    }

    /// The reason in words and every problem, one per line.
    public var description: String {
        let headline =
            switch reason {
            case .malformedJSON: "the body is not JSON"
            case .invalidEnvelope: "the CloudEvents envelope is invalid"
            case .unknownType: "there is no schema for the event's type"
            case .schemaViolation: "the event does not match the schema of its type"
            }
        return ([headline] + problems.map { "  " + $0.message }).joined(separator: "\n")
    }
}
