/// Why an event was refused. Every case is final: the message will not become
/// valid by retrying, so the runtime dead-letters it with `reason` and `errors`.
public struct ContractViolation: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The body is JSON but not an object.
        case notAnObject
        /// The CloudEvents envelope is broken (no `type`, a bad `subject`, …).
        case invalidEnvelope
        /// No schema is known for this `type`.
        case unknownType(String)
        /// The event does not satisfy the schema of its `type`.
        case schemaMismatch(type: String)
    }

    public var reason: Reason
    /// What is wrong, at most a few dozen entries.
    public var errors: [ValidationError]

    public init(reason: Reason, errors: [ValidationError]) {
        self.reason = reason
        self.errors = errors
    }

    /// A short name for the reason, fit for a dead-letter header.
    public var reasonCode: String {
        switch reason {
        case .notAnObject: "not_an_object"
        case .invalidEnvelope: "invalid_envelope"
        case .unknownType: "unknown_type"
        case .schemaMismatch: "schema_mismatch"
        }
    }

    /// The reason and every error, one per line.
    public var description: String {
        let headline =
            switch reason {
            case .notAnObject: "the event is not a JSON object"
            case .invalidEnvelope: "the CloudEvents envelope is invalid"
            case .unknownType(let type): "unknown event type \"\(type)\""
            case .schemaMismatch(let type): "the event does not match the schema of \"\(type)\""
            }
        return ([headline] + errors.map { "  " + $0.message }).joined(separator: "\n")
    }
}
