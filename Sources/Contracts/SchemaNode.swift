import PilotJSON

/// One compiled (sub)schema. Its checks are sorted by the instance type they
/// apply to, so that validating a string never even looks at `minItems`.
///
/// A class, so that a `$ref` can point at a node that is still being compiled
/// (recursive schemas). `@unchecked Sendable`: the compiler fills the arrays
/// before the owning `Schema` exists, and nothing writes to them afterwards
/// except `release()` when that `Schema` goes away.
final class SchemaNode: @unchecked Sendable {
    /// The `false` schema, or an object schema compiled to "nothing is valid".
    var rejectsEverything = false
    var anyChecks: [Check] = []
    var numberChecks: [Check] = []
    var stringChecks: [Check] = []
    var arrayChecks: [Check] = []
    var objectChecks: [Check] = []

    /// Drops the checks, and with them the references to other nodes.
    func release() {
        anyChecks = []
        numberChecks = []
        stringChecks = []
        arrayChecks = []
        objectChecks = []
    }

    func add(_ check: Check) {
        switch check.appliesTo {
        case .any: anyChecks.append(check)
        case .number: numberChecks.append(check)
        case .string: stringChecks.append(check)
        case .array: arrayChecks.append(check)
        case .object: objectChecks.append(check)
        }
    }

    /// Whether `instance` satisfies this schema; records failures in `evaluation` when it collects.
    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        if rejectsEverything {
            evaluation.failWholeSchema("no value is allowed here")
            return false
        }
        var valid = Self.run(anyChecks, instance, &evaluation)
        if !valid && evaluation.stops { return false }
        switch instance {
        case .int, .double:
            if !numberChecks.isEmpty { valid = Self.run(numberChecks, instance, &evaluation) && valid }
        case .string:
            if !stringChecks.isEmpty { valid = Self.run(stringChecks, instance, &evaluation) && valid }
        case .array:
            if !arrayChecks.isEmpty { valid = Self.run(arrayChecks, instance, &evaluation) && valid }
        case .object:
            if !objectChecks.isEmpty { valid = Self.run(objectChecks, instance, &evaluation) && valid }
        case .null, .bool:
            break
        }
        return valid
    }

    private static func run(_ checks: [Check], _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        var valid = true
        for check in checks where !check.validate(instance, &evaluation) {
            valid = false
            if evaluation.stops { return false }
        }
        return valid
    }
}
