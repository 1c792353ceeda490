import PilotJSON

/// `$ref`, `allOf`, `anyOf`, `oneOf`.
enum Combinators {
    static func validateRef(_ target: SchemaNode, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard evaluation.referenceDepth < Evaluation.maximumReferenceDepth else {
            evaluation.fail("$ref", "the schema refers to itself more than \(Evaluation.maximumReferenceDepth) times "
                + "without reaching a smaller part of the instance")
            return false
        }
        evaluation.referenceDepth += 1
        defer { evaluation.referenceDepth -= 1 }
        let start = evaluation.failures.count
        guard target.validate(instance, &evaluation) else {
            evaluation.prefix(from: start, schema: "$ref")
            return false
        }
        return true
    }

    static func validateAllOf(_ schemas: [SchemaNode], _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        var valid = true
        for (position, schema) in schemas.enumerated() {
            let start = evaluation.failures.count
            if !schema.validate(instance, &evaluation) {
                valid = false
                evaluation.prefix(from: start, schema: "allOf", String(position))
                if evaluation.stops { return false }
            }
        }
        return valid
    }

    static func validateAnyOf(_ schemas: [SchemaNode], _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        let matched = evaluation.quietly { evaluation in
            schemas.contains { $0.validate(instance, &evaluation) }
        }
        if !matched, evaluation.collecting {
            let depth = evaluation.referenceDepth
            evaluation.fail("anyOf", noneMatched(schemas, "anyOf", instance, depth))
        }
        return matched
    }

    static func validateOneOf(_ schemas: [SchemaNode], _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        var matches: [Int] = []
        _ = evaluation.quietly { evaluation in
            for (position, schema) in schemas.enumerated() where schema.validate(instance, &evaluation) {
                matches.append(position)
                if matches.count == 2 { break }
            }
            return true
        }
        if matches.count == 1 { return true }
        if evaluation.collecting {
            if matches.isEmpty {
                let depth = evaluation.referenceDepth
                evaluation.fail("oneOf", noneMatched(schemas, "oneOf", instance, depth))
            } else {
                evaluation.fail("oneOf", "matches alternatives \(matches[0] + 1) and \(matches[1] + 1) of oneOf, "
                    + "but exactly one must match")
            }
        }
        return false
    }

    /// A compact account of why no alternative matched: the first failure of each,
    /// which usually tells which field tells the alternatives apart.
    private static func noneMatched(_ schemas: [SchemaNode], _ keyword: String, _ instance: JSONValue,
        _ referenceDepth: Int) -> String
    {
        let shown = 4
        var reasons: [String] = []
        for (position, schema) in schemas.prefix(shown).enumerated() {
            var alternative = Evaluation(collecting: true, limit: 1)
            alternative.referenceDepth = referenceDepth
            _ = schema.validate(instance, &alternative)
            guard let failure = alternative.failures.first else { continue }
            let place = failure.instanceTokens.isEmpty ? "" : failure.instancePath + ": "
            reasons.append("(\(position + 1)) \(place)\(failure.message)")
        }
        if schemas.count > shown { reasons.append("…") }
        return "matches none of the \(schemas.count) alternatives of \(keyword): " + reasons.joined(separator: "; ")
    }
}
