/// Why a schema could not be loaded or compiled. Compiling refuses anything it
/// would otherwise have to ignore silently, so that no constraint goes unchecked.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A keyword this validator deliberately does not implement (`unevaluatedProperties`, `$dynamicRef`…).
        case unsupportedKeyword(String)
        /// A keyword that is neither a known assertion nor a known annotation (strict mode only).
        case unknownKeyword(String)
        /// A `$ref` whose target is not in the registry.
        case unresolvedReference(String)
        /// A `$schema` other than draft 2020-12.
        case unsupportedDialect(String)
        /// Two documents claim the same `$id`.
        case duplicateID(String)
        /// A keyword whose value breaks the rules of the specification, such as `"minLength": -1`.
        case invalidKeywordValue(String)
        /// The file could not be read or is not JSON.
        case unreadable
    }

    public var kind: Kind
    /// The schema resource (its `$id` or file) where the problem is.
    public var schema: String
    /// JSON pointer to the place inside that schema document.
    public var location: String
    /// What is wrong, in words.
    public var reason: String

    public init(_ kind: Kind, schema: String, location: String, reason: String) {
        self.kind = kind
        self.schema = schema
        self.location = location
        self.reason = reason
    }

    public var description: String {
        "\(schema)#\(location): \(reason)"
    }
}
