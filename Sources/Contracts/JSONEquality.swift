import PilotJSON

/// JSON equality as JSON Schema defines it for `const`, `enum` and `uniqueItems`.
///
/// `JSONValue ==` compares strings as Swift does, by canonical equivalence, so
/// "é" (U+00E9) equals "e\u{301}"; JSON compares code points, and the official
/// suite checks it. Numbers compare as `JSONValue ==` does (`1` equals `1.0`).
enum JSONEquality {
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for key in x.keys {
                // Member lookup itself is canonical; the exact spelling of the key is checked apart.
                guard let other = y[key], y.keys.contains(where: { $0.utf8.elementsEqual(key.utf8) }),
                    equal(x[key]!, other)
                else { return false }
            }
            return true
        default:
            return a == b
        }
    }
}
