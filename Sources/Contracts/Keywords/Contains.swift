import PilotJSON

/// `contains`, with `minContains` (default 1) and `maxContains`.
final class Contains {
    let schema: SchemaNode
    let minimum: Int
    let maximum: Int?

    init(_ keywords: KeywordReader, _ compiler: inout SchemaCompiler) throws(SchemaError) {
        schema = try compiler.subschema(keywords, "contains")
        minimum = keywords.object["minContains"] == nil ? 1 : try keywords.count("minContains")
        maximum = keywords.object["maxContains"] == nil ? nil : try keywords.count("maxContains")
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .array(let items) = instance else { return true }
        var matches = 0
        _ = evaluation.quietly { evaluation in
            for item in items where schema.validate(item, &evaluation) {
                matches += 1
                // Past both bounds nothing more can change the verdict.
                if matches >= minimum, maximum.map({ matches > $0 }) ?? true { break }
            }
            return true
        }
        if matches < minimum {
            if minimum == 1 {
                evaluation.fail("contains", "has no item matching the \"contains\" schema")
            } else {
                evaluation.fail("minContains", "has \(Describe.count(matches, "item")) matching the \"contains\" "
                    + "schema, fewer than the required \(minimum)")
            }
            return false
        }
        if let maximum, matches > maximum {
            evaluation.fail("maxContains",
                "has more than \(Describe.count(maximum, "item")) matching the \"contains\" schema")
            return false
        }
        return true
    }
}
