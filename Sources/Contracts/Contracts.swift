import PilotJSON

/// The event contracts: every schema of the `schemas/` folder, compiled once at
/// start-up, and the check each incoming and outgoing event goes through.
///
/// An event's schema is chosen by its `type`: `pilot.requested` is validated
/// against `https://schemas.pilot-worker.dev/pilot.requested.v1.json`
/// (file `schemas/pilot.requested.v1.json`). The CloudEvents envelope,
/// `cloudevent.v1.json`, is checked too, once: not again when the type's
/// schema already `$ref`s it. Safe to share between threads.
public final class Contracts: Sendable {
    /// Where our schema identifiers live.
    public static let schemaBaseURI = "https://schemas.pilot-worker.dev/"
    /// The `$id` of the CloudEvents envelope schema.
    public static let envelopeID = schemaBaseURI + "cloudevent.v1.json"

    /// The event types there is a schema for: every `<type>.v1.json` whose name
    /// has a dot (`pilot.requested`, `email.send`); other files, such as the
    /// envelope or shared definitions, are not event types.
    public let knownTypes: Set<String>
    /// Each type's schema, and whether it applies the envelope itself (worked out once, not per event).
    private let schemas: [String: (schema: Schema, includesEnvelope: Bool)]
    private let envelope: Schema?

    /// Loads and compiles every schema in `schemasDirectory`.
    /// - Throws: `SchemaError` for the first file that cannot be read or compiled.
    public convenience init(schemasDirectory: String) throws(SchemaError) {
        try self.init(registry: SchemaRegistry(directory: schemasDirectory))
    }

    /// Uses the schemas a registry has compiled.
    public init(registry: SchemaRegistry) {
        let envelope = registry[Self.envelopeID]
        var schemas: [String: (schema: Schema, includesEnvelope: Bool)] = [:]
        for (id, schema) in registry.schemas {
            guard id.hasPrefix(Self.schemaBaseURI), id.hasSuffix(".v1.json") else { continue }
            let type = String(id.dropFirst(Self.schemaBaseURI.count).dropLast(".v1.json".count))
            if type.contains(".") { schemas[type] = (schema, envelope.map(schema.includes) ?? false) }
        }
        self.schemas = schemas
        knownTypes = Set(schemas.keys)
        self.envelope = envelope
    }

    /// The `$id` of the schema for events of `type`.
    public static func schemaID(forType type: String) -> String {
        schemaBaseURI + type + ".v1.json"
    }

    /// The compiled schema for events of `type`, if there is one.
    public func schema(forType type: String) -> Schema? {
        schemas[type]?.schema
    }

    /// Checks the envelope and the data of one event.
    /// - Throws: `ContractViolation` saying which of the ways it failed, with the errors.
    public func validate(event: JSONValue) throws(ContractViolation) {
        guard case .object(let members) = event else { throw Self.notAnObject(event) }
        try validate(type: members["type"]?.string) { $0.validate(event) }
    }

    /// The same for an event read where json-c parsed it: a valid event is never converted
    /// to a Swift tree.
    public func validate(event: ParsedJSON) throws(ContractViolation) {
        guard event.withRoot(\.isObject) else { throw Self.notAnObject(event.value) }
        try validate(type: event.withRoot { $0.member("type")?.string }) { $0.validate(event) }
    }

    /// The envelope, then the schema of `type`, each asked through `check`.
    private func validate(type: String?, _ check: (Schema) -> [ValidationError]) throws(ContractViolation) {
        let entry = type.flatMap { schemas[$0] }
        if let envelope, !(entry?.includesEnvelope ?? false) {
            let errors = check(envelope)
            if !errors.isEmpty { throw ContractViolation(reason: .invalidEnvelope, errors: errors) }
        }
        guard let type else {
            throw ContractViolation(reason: .invalidEnvelope, errors: [
                ValidationError(instancePath: "/type", keyword: "required", schemaPath: "",
                    message: "(root): missing required string property \"type\"")
            ])
        }
        guard let schema = entry?.schema else {
            throw ContractViolation(reason: .unknownType(type), errors: [
                ValidationError(instancePath: "/type", keyword: "knownTypes", schemaPath: "",
                    message: "/type: no schema for event type \(Describe.value(.string(type)))")
            ])
        }
        let errors = check(schema)
        if !errors.isEmpty { throw ContractViolation(reason: .schemaMismatch(type: type), errors: errors) }
    }

    private static func notAnObject(_ event: JSONValue) -> ContractViolation {
        ContractViolation(reason: .notAnObject, errors: [
            ValidationError(instancePath: "", keyword: "type", schemaPath: "",
                message: "(root): expected an object, found \(Describe.kind(event))")
        ])
    }
}
