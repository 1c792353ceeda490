/// RFC 8259 rules that json-c's strict mode lets through: single-quoted
/// strings, raw control characters inside strings, `NaN` and `Infinity`.
/// One pass over the bytes before json-c builds the tree.
///
/// The same pass counts the members of every object, in the order the objects open:
/// json-c keeps the last of repeated keys silently, so the conversion compares its
/// objects' sizes with these counts to refuse duplicates (two readers of one event
/// must never see different values).
enum JSONLexicalCheck {
    struct Scan {
        var violation: JSONParseError?
        /// Members of each object, by the order of its opening brace.
        var memberCounts: [Int32] = []
    }

    /// Bytes allowed outside strings: structure, whitespace, number characters, and the
    /// letters of `true`, `false`, `null` and exponents (json-c checks the words).
    private static let allowedOutside: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in Array("{}[]:, \t\n\r-+.0123456789truefalsnE\"".utf8) { table[Int(byte)] = true }
        return table
    }()

    /// The first byte RFC 8259 forbids, if any, and the member counts of the objects.
    static func scan(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) -> Scan {
        let allowed = allowedOutside
        let count = bytes.count
        var result = Scan()
        // Open containers: the object's index in memberCounts, or -1 for an array.
        var open: [Int] = []
        var offset = 0
        while offset < count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard open.count < maximumDepth else {
                    result.violation = JSONParseError(offset: offset, reason: "nesting deeper than \(maximumDepth)")
                    return result
                }
                if byte == UInt8(ascii: "{") {
                    open.append(result.memberCounts.count)
                    result.memberCounts.append(0)
                } else {
                    open.append(-1)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !open.isEmpty { open.removeLast() }
            case UInt8(ascii: ":"):
                if let object = open.last, object >= 0 { result.memberCounts[object] += 1 }
            default:
                break
            }
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
                        result.violation = JSONParseError(offset: offset, reason: "control character inside a string")
                        return result
                    }
                    offset += 1
                }
            } else if !allowed[Int(byte)] {
                let shown = byte >= 0x21 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
                result.violation = JSONParseError(offset: offset, reason: "unexpected \(shown) outside a string")
                return result
            }
            offset += 1
        }
        return result
    }
}
