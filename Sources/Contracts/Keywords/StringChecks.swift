import PilotJSON

/// `minLength` and `maxLength`, counted in Unicode code points as the
/// specification says: "é" is one, "🐲" is one (two in UTF-16), "e\u{301}" is two.
enum StringChecks {
    static func validateMinLength(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .string(let string) = instance else { return true }
        // A code point takes one to four UTF-8 bytes, and the byte count is free to read.
        let bytes = string.utf8.count
        if bytes / 4 >= limit { return true }
        let length = bytes < limit ? bytes : string.unicodeScalars.count
        if length >= limit { return true }
        evaluation.fail("minLength",
            "\(Describe.value(instance)) is shorter than \(Describe.count(limit, "character"))")
        return false
    }

    static func validateMaxLength(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .string(let string) = instance else { return true }
        if string.utf8.count <= limit || string.unicodeScalars.count <= limit { return true }
        evaluation.fail("maxLength",
            "\(Describe.value(instance)) is longer than \(Describe.count(limit, "character"))")
        return false
    }
}
