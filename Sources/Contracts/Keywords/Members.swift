import PilotJSON

/// `properties`, `patternProperties` and `additionalProperties`, compiled as
/// one check because `additionalProperties` depends on the other two.
final class Members {
    let properties: [(name: String, schema: SchemaNode)]
    let declared: Set<String>
    let patterns: [(pattern: Pattern, schema: SchemaNode)]
    let additional: SchemaNode?

    init(_ keywords: KeywordReader, _ compiler: inout SchemaCompiler) throws(SchemaError) {
        var properties: [(name: String, schema: SchemaNode)] = []
        if keywords.object["properties"] != nil {
            for name in try keywords.objectKeys("properties") {
                properties.append((name, try compiler.subschema(keywords, "properties", name)))
            }
        }
        var patterns: [(pattern: Pattern, schema: SchemaNode)] = []
        if keywords.object["patternProperties"] != nil {
            for source in try keywords.objectKeys("patternProperties") {
                let pattern = try keywords.pattern(source, "patternProperties")
                patterns.append((pattern, try compiler.subschema(keywords, "patternProperties", source)))
            }
        }
        self.properties = properties
        self.declared = Set(properties.map(\.name))
        self.patterns = patterns
        additional = keywords.object["additionalProperties"] == nil
            ? nil : try compiler.subschema(keywords, "additionalProperties")
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        var declaredPresent = 0
        // Looking up the declared names (usually few) costs one hash each.
        for (name, schema) in properties {
            guard let value = object[name] else { continue }
            declaredPresent += 1
            let start = evaluation.failures.count
            if !schema.validate(value, &evaluation) {
                valid = false
                evaluation.prefix(from: start, key: name, schema: "properties", name)
                if evaluation.stops { return false }
            }
        }
        // When every member is a declared one, there is nothing left for the other two keywords.
        if patterns.isEmpty && (additional == nil || declaredPresent == object.count) { return valid }
        for key in object.keys {
            let value = object[key]!
            var matched = declared.contains(key)
            for (pattern, schema) in patterns where pattern.matches(key) {
                matched = true
                let start = evaluation.failures.count
                if !schema.validate(value, &evaluation) {
                    valid = false
                    evaluation.prefix(from: start, key: key, schema: "patternProperties", pattern.source)
                    if evaluation.stops { return false }
                }
            }
            guard !matched, let additional else { continue }
            let start = evaluation.failures.count
            if additional.rejectsEverything {
                evaluation.fail("additionalProperties", "property not allowed")
                evaluation.prefix(from: start, key: key)
                valid = false
            } else if !additional.validate(value, &evaluation) {
                evaluation.prefix(from: start, key: key, schema: "additionalProperties")
                valid = false
            }
            if !valid && evaluation.stops { return false }
        }
        return valid
    }
}
