import PilotJSON

/// `minItems`, `maxItems`, `uniqueItems`.
enum ArrayChecks {
    static func validateMinItems(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .array(let items) = instance, items.count < limit else { return true }
        evaluation.fail("minItems", "has \(Describe.count(items.count, "item")), fewer than the minimum \(limit)")
        return false
    }

    static func validateMaxItems(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .array(let items) = instance, items.count > limit else { return true }
        evaluation.fail("maxItems", "has \(Describe.count(items.count, "item")), more than the maximum \(limit)")
        return false
    }

    /// Pairwise for short arrays (no allocation); a hash set beyond. JSON
    /// equality and hashing treat `1` and `1.0` as the same value.
    static func validateUniqueItems(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .array(let items) = instance, let (first, second) = duplicate(in: items) else { return true }
        evaluation.fail("uniqueItems", "items \(first) and \(second) are equal (\(Describe.value(items[second]))); "
            + "items must be unique")
        return false
    }

    /// The first pair of JSON-equal items, if any.
    static func duplicate(in items: [JSONValue]) -> (Int, Int)? {
        guard items.count > 1 else { return nil }
        var duplicate: (Int, Int)?
        if items.count <= 16 {
            search: for second in 1..<items.count {
                for first in 0..<second where JSONEquality.equal(items[first], items[second]) {
                    duplicate = (first, second)
                    break search
                }
            }
        } else {
            // Hashing groups values `==` calls equal, a superset of the JSON-equal ones.
            var seen: [JSONValue: [Int]] = [:]
            search: for (index, item) in items.enumerated() {
                for first in seen[item, default: []] where JSONEquality.equal(items[first], item) {
                    duplicate = (first, index)
                    break search
                }
                seen[item, default: []].append(index)
            }
        }
        return duplicate
    }
}
