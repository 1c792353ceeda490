import PilotJSON

/// `required`, `dependentRequired`, `dependentSchemas`, `propertyNames`,
/// `minProperties`, `maxProperties`.
enum ObjectChecks {
    static func validateRequired(_ names: [String], _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for name in names where object[name] == nil {
            valid = false
            evaluation.fail("required", "missing required property \"\(name)\"")
            if evaluation.stops { return false }
        }
        return valid
    }

    static func dependentRequired(_ keywords: KeywordReader) throws(SchemaError)
        -> [(property: String, requires: [String])]
    {
        guard case .object(let rules) = keywords.object["dependentRequired"] else {
            throw keywords.error(.invalidKeywordValue("dependentRequired"), "dependentRequired", "must be an object")
        }
        var result: [(property: String, requires: [String])] = []
        for property in rules.keys {
            result.append((property, try keywords.strings(rules[property]!, "dependentRequired")))
        }
        return result
    }

    static func validateDependentRequired(_ rules: [(property: String, requires: [String])], _ instance: JSONValue,
        _ evaluation: inout Evaluation) -> Bool
    {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (property, requires) in rules where object[property] != nil {
            for name in requires where object[name] == nil {
                valid = false
                evaluation.fail("dependentRequired", at: ["dependentRequired", property],
                    "missing property \"\(name)\", required when \"\(property)\" is present")
                if evaluation.stops { return false }
            }
        }
        return valid
    }

    static func validateDependentSchemas(_ rules: [(property: String, schema: SchemaNode)], _ instance: JSONValue,
        _ evaluation: inout Evaluation) -> Bool
    {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for (property, schema) in rules where object[property] != nil {
            let start = evaluation.failures.count
            if !schema.validate(instance, &evaluation) {
                valid = false
                evaluation.prefix(from: start, schema: "dependentSchemas", property)
                if evaluation.stops { return false }
            }
        }
        return valid
    }

    static func validatePropertyNames(_ schema: SchemaNode, _ instance: JSONValue, _ evaluation: inout Evaluation)
        -> Bool
    {
        guard case .object(let object) = instance else { return true }
        var valid = true
        for key in object.keys {
            let start = evaluation.failures.count
            if !schema.validate(.string(key), &evaluation) {
                valid = false
                evaluation.prefix(from: start, key: key, schema: "propertyNames")
                if evaluation.stops { return false }
            }
        }
        return valid
    }

    static func validateMinProperties(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .object(let object) = instance, object.count < limit else { return true }
        evaluation.fail("minProperties",
            "has \(Describe.count(object.count, "property", "properties")), fewer than the minimum \(limit)")
        return false
    }

    static func validateMaxProperties(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .object(let object) = instance, object.count > limit else { return true }
        evaluation.fail("maxProperties",
            "has \(Describe.count(object.count, "property", "properties")), more than the maximum \(limit)")
        return false
    }
}
