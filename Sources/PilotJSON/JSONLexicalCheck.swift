/// RFC 8259 rules that json-c's strict mode lets through: single-quoted
/// strings, raw control characters inside strings, `NaN` and `Infinity`.
/// One pass over the bytes before json-c builds the tree.
enum JSONLexicalCheck {
    /// Bytes allowed outside strings: structure, whitespace, number characters, and the
    /// letters of `true`, `false`, `null` and exponents (json-c checks the words).
    private static let allowedOutside: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in Array("{}[]:, \t\n\r-+.0123456789truefalsnE\"".utf8) { table[Int(byte)] = true }
        return table
    }()

    /// The offset and reason of the first byte RFC 8259 forbids, if any.
    static func firstViolation(in bytes: UnsafeRawBufferPointer) -> JSONParseError? {
        let allowed = allowedOutside
        let count = bytes.count
        var offset = 0
        while offset < count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                // Inside a string: skip to the closing quote, stepping over escapes.
                offset += 1
                while offset < count {
                    let inner = bytes[offset]
                    if inner == UInt8(ascii: "\"") { break }
                    if inner == UInt8(ascii: "\\") {
                        offset += 2
                        continue
                    }
                    if inner < 0x20 {
                        return JSONParseError(offset: offset, reason: "control character inside a string")
                    }
                    offset += 1
                }
            } else if !allowed[Int(byte)] {
                let shown = byte >= 0x21 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
                return JSONParseError(offset: offset, reason: "unexpected \(shown) outside a string")
            }
            offset += 1
        }
        return nil
    }
}
