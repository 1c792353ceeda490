import PilotJSON

/// `minLength` and `maxLength`, counted in Unicode code points as the
/// specification says: "é" is one, "🐲" is one (two in UTF-16), "e\u{301}" is two.
enum StringChecks {
    /// Whether `string` has at least `limit` code points.
    @inline(__always)
    static func hasMinLength(_ string: String, _ limit: Int) -> Bool {
        // A code point takes one to four UTF-8 bytes, and the byte count is free to read.
        let bytes = string.utf8.count
        if bytes / 4 >= limit { return true }
        let length = bytes < limit ? bytes : string.unicodeScalars.count
        return length >= limit
    }

    /// Whether `string` has at most `limit` code points.
    @inline(__always)
    static func hasMaxLength(_ string: String, _ limit: Int) -> Bool {
        string.utf8.count <= limit || string.unicodeScalars.count <= limit
    }

    /// The same for well-formed UTF-8 `bytes`.
    @inline(__always)
    static func hasMinLength(utf8 bytes: UnsafeBufferPointer<UInt8>, _ limit: Int) -> Bool {
        if bytes.count / 4 >= limit { return true }
        let length = bytes.count < limit ? bytes.count : codePoints(bytes)
        return length >= limit
    }

    /// The same for well-formed UTF-8 `bytes`.
    @inline(__always)
    static func hasMaxLength(utf8 bytes: UnsafeBufferPointer<UInt8>, _ limit: Int) -> Bool {
        bytes.count <= limit || codePoints(bytes) <= limit
    }

    /// Code points in well-formed UTF-8: every byte but the continuation bytes starts one.
    private static func codePoints(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    static func validateMinLength(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .string(let string) = instance else { return true }
        if hasMinLength(string, limit) { return true }
        evaluation.fail("minLength",
            "\(Describe.value(instance)) is shorter than \(Describe.count(limit, "character"))")
        return false
    }

    static func validateMaxLength(_ limit: Int, _ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .string(let string) = instance else { return true }
        if hasMaxLength(string, limit) { return true }
        evaluation.fail("maxLength",
            "\(Describe.value(instance)) is longer than \(Describe.count(limit, "character"))")
        return false
    }
}
