/// RFC 8259 rules that json-c's strict mode lets through: single-quoted
/// strings, raw control characters inside strings, `NaN` and `Infinity`.
/// One pass over the bytes before json-c builds the tree.
enum JSONLexicalCheck {
    /// The offset and reason of the first byte RFC 8259 forbids, if any.
    static func firstViolation(in bytes: UnsafeRawBufferPointer) -> JSONParseError? {
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else if byte < 0x20 {
                    return JSONParseError(offset: offset, reason: "control character inside a string")
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"),
                UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            // The letters of true, false, null and exponents; json-c checks the words themselves.
            case UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e"),
                UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"),
                UInt8(ascii: "n"), UInt8(ascii: "E"):
                continue
            default:
                let shown = byte >= 0x21 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
                return JSONParseError(offset: offset, reason: "unexpected \(shown) outside a string")
            }
        }
        return nil
    }
}
