import PilotJSON

/// `enum`, and `const` which is an enum of one. Equality is JSON equality: `1` equals `1.0`.
final class Enumeration {
    let values: [JSONValue]
    /// When every value is a string, a set answers in one hash instead of a scan.
    let strings: Set<String>?

    init(_ keywords: KeywordReader) throws(SchemaError) {
        guard case .array(let values) = keywords.object["enum"] else {
            throw keywords.error(.invalidKeywordValue("enum"), "enum", "must be an array")
        }
        self.values = values
        let strings = values.compactMap(\.string)
        self.strings = strings.count == values.count && values.count > 4 ? Set(strings) : nil
    }

    /// Whether `instance` is one of the values.
    func admits(_ instance: JSONValue) -> Bool {
        if let strings {
            // A miss in the set is final; a hit may be a canonically equivalent spelling, so it is confirmed.
            guard case .string(let string) = instance, strings.contains(string) else { return false }
        }
        return values.contains(where: { JSONEquality.equal($0, instance) })
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        if admits(instance) { return true }
        evaluation.fail("enum", "\(Describe.value(instance)) is not one of \(Describe.list(values))")
        return false
    }

    static func validateConst(_ expected: JSONValue, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        if JSONEquality.equal(instance, expected) { return true }
        evaluation.fail("const", "must be \(Describe.value(expected)), found \(Describe.value(instance))")
        return false
    }
}
