/// One reason an instance does not satisfy a schema: where in the instance,
/// which keyword at which place in the schema, and why, in words.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer into the instance, such as `/data/terms/duration_days`; empty for the root.
    public var instancePath: String
    /// The keyword that failed, such as `maximum` or `required`.
    public var keyword: String
    /// JSON pointer to the keyword along the evaluation path, through `$ref`s,
    /// such as `/properties/data/properties/terms/properties/duration_days/maximum`.
    public var schemaPath: String
    /// A sentence that starts with the place: `/data/terms/duration_days: 45 is greater than the maximum 30`.
    public var message: String

    public init(instancePath: String, keyword: String, schemaPath: String, message: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String { message }

    /// How a place in the instance is named in messages; the root has an empty pointer, which reads badly.
    static func displayPath(_ instancePath: String) -> String {
        instancePath.isEmpty ? "(root)" : instancePath
    }
}
