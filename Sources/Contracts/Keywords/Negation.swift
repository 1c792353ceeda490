import PilotJSON

/// `not`, with a summary of the negated schema worked out at compile time so
/// that the message can say what was forbidden.
final class Negation {
    let schema: SchemaNode
    /// Such as `must not match the pattern \.\.`.
    let summary: String

    init(_ keywords: KeywordReader, _ compiler: inout SchemaCompiler) throws(SchemaError) {
        schema = try compiler.subschema(keywords, "not")
        summary = Self.summary(keywords, "not")
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        let matched = evaluation.quietly { schema.validate(instance, &$0) }
        if matched {
            switch instance {
            case .object, .array: evaluation.fail("not", summary)
            default: evaluation.fail("not", "\(Describe.value(instance)) \(summary)")
            }
        }
        return !matched
    }

    static func summary(_ keywords: KeywordReader, _ key: String) -> String {
        guard case .object(let negated) = keywords.object[key], negated.count == 1, let name = negated.keys.first else {
            return "must not match the schema under \"not\""
        }
        let value = negated[name]!
        switch (name, value) {
        case ("pattern", .string(let pattern)): return "must not match the pattern \(pattern)"
        case ("const", _): return "must not be \(Describe.value(value))"
        case ("enum", .array(let values)): return "must not be one of \(Describe.list(values))"
        case ("type", _): return "must not be of type \(Describe.value(value))"
        case ("required", .array(let names)): return "must not have the properties \(Describe.list(names))"
        default: return "must not match the schema under \"not\""
        }
    }
}
