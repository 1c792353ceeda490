import PilotJSON

/// `if`, `then`, `else`.
final class Conditional {
    let condition: SchemaNode
    let then: SchemaNode?
    let otherwise: SchemaNode?

    init(_ keywords: KeywordReader, _ compiler: inout SchemaCompiler) throws(SchemaError) {
        condition = try compiler.subschema(keywords, "if")
        then = keywords.object["then"] == nil ? nil : try compiler.subschema(keywords, "then")
        otherwise = keywords.object["else"] == nil ? nil : try compiler.subschema(keywords, "else")
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        let holds = evaluation.quietly { condition.validate(instance, &$0) }
        guard let branch = holds ? then : otherwise else { return true }
        let start = evaluation.failures.count
        guard branch.validate(instance, &evaluation) else {
            evaluation.prefix(from: start, schema: holds ? "then" : "else")
            return false
        }
        return true
    }
}
