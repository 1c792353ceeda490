/// RFC 8259 rules that json-c's strict mode lets through: single-quoted
/// strings, raw control characters inside strings, `NaN` and `Infinity`, `1.`, `-.5`
/// and `01.5`; and what json-c would otherwise change silently: ill-formed UTF-8 (overlong
/// forms, encoded surrogates, past U+10FFFF; json-c checks only the byte pattern, and
/// the conversion would turn them into U+FFFD), `\u` escapes that name no character
/// (a lone surrogate, made U+FFFD by json-c), `\u0000` in a member name (json-c keeps
/// names as C strings and cuts them there). It also finds integers beyond 64 bits,
/// which json-c would clamp to the nearest bound. One pass over the bytes before json-c
/// builds the tree.
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
        /// Where integers beyond -2^63 ... 2^64-1 end: json-c would clamp them.
        var wideIntegers: [Int] = []
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
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let number = scanNumber(bytes, at: offset)
                if let violation = number.violation {
                    result.violation = violation
                    return result
                }
                if number.wide { result.wideIntegers.append(number.end) }
                offset = number.end
                continue
            default:
                break
            }
            if byte == UInt8(ascii: "\"") {
                // Inside a string: skip to the closing quote, checking escapes and UTF-8.
                offset += 1
                var escapedNUL = false
                while offset < count {
                    let inner = bytes[offset]
                    if inner == UInt8(ascii: "\"") { break }
                    if inner == UInt8(ascii: "\\") {
                        guard offset + 1 < count, bytes[offset + 1] == UInt8(ascii: "u"),
                            let unit = hexQuad(bytes, at: offset + 2)
                        else {
                            // Other escapes, and malformed ones, are json-c's to judge.
                            offset += 2
                            continue
                        }
                        switch unit {
                        case 0:
                            escapedNUL = true
                        case 0xD800...0xDBFF:
                            guard offset + 11 < count, bytes[offset + 6] == UInt8(ascii: "\\"),
                                bytes[offset + 7] == UInt8(ascii: "u"), let low = hexQuad(bytes, at: offset + 8),
                                (0xDC00...0xDFFF).contains(low)
                            else {
                                result.violation = JSONParseError(offset: offset, reason: "high surrogate without a low surrogate after it")
                                return result
                            }
                            offset += 6
                        case 0xDC00...0xDFFF:
                            result.violation = JSONParseError(offset: offset, reason: "low surrogate without a high surrogate before it")
                            return result
                        default:
                            break
                        }
                        offset += 6
                        continue
                    }
                    if inner < 0x20 {
                        result.violation = JSONParseError(offset: offset, reason: "control character inside a string")
                        return result
                    }
                    if inner >= 0x80 {
                        guard let length = wellFormedUTF8Length(bytes, at: offset) else {
                            result.violation = JSONParseError(offset: offset, reason: "ill-formed UTF-8")
                            return result
                        }
                        offset += length
                        continue
                    }
                    offset += 1
                }
                if escapedNUL, isMemberName(bytes, closingQuote: offset) {
                    result.violation = JSONParseError(offset: offset, reason: "\\u0000 in a member name")
                    return result
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

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The number starting at `start`: where it ends, what is wrong with it, and whether it
    /// is an integer beyond 64 bits. Only what json-c lets through is judged here; other
    /// faults are left to json-c.
    private static func scanNumber(_ bytes: UnsafeRawBufferPointer, at start: Int) -> (end: Int, violation: JSONParseError?, wide: Bool) {
        let count = bytes.count
        var offset = start
        let negative = bytes[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        let digits = offset
        while offset < count, isDigit(bytes[offset]) { offset += 1 }
        let integerDigits = offset - digits
        if integerDigits == 0 {
            // Name what follows, so "-Infinity" reads as the fault it is.
            let next = offset < count && bytes[offset] >= 0x21 && bytes[offset] < 0x7F
                ? "'\(Character(UnicodeScalar(bytes[offset])))'" : "the end or a non-printing byte"
            return (offset, JSONParseError(offset: start, reason: "minus sign followed by \(next), not a digit"), false)
        }
        if integerDigits > 1, bytes[digits] == UInt8(ascii: "0") {
            return (offset, JSONParseError(offset: start, reason: "number with a leading zero"), false)
        }
        var integral = true
        if offset < count, bytes[offset] == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard offset < count, isDigit(bytes[offset]) else {
                return (offset, JSONParseError(offset: start, reason: "number without digits after the decimal point"), false)
            }
            while offset < count, isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if offset < count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            while offset < count, isDigit(bytes[offset]) { offset += 1 }
        }
        if integral {
            // -2^63 ... 2^64-1: json-c reads these exactly, and clamps anything past them.
            let limit = negative ? "9223372036854775808" : "18446744073709551615"
            let beyond = integerDigits > limit.utf8.count
                || (integerDigits == limit.utf8.count
                    && !UnsafeRawBufferPointer(rebasing: bytes[digits..<offset]).lexicographicallyPrecedes(limit.utf8)
                    && !UnsafeRawBufferPointer(rebasing: bytes[digits..<offset]).elementsEqual(limit.utf8))
            return (offset, nil, beyond)
        }
        return (offset, nil, false)
    }

    /// The value of four hex digits at `offset`, if there are four.
    private static func hexQuad(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence at `offset` (Unicode Table 3-7:
    /// shortest form, no surrogates, at most U+10FFFF), or nil.
    private static func wellFormedUTF8Length(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        var (lower, upper): (UInt8, UInt8) = (0x80, 0xBF)
        let length: Int
        switch bytes[offset] {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, lower) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, upper) = (3, 0x9F)
        case 0xF0: (length, lower) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, upper) = (4, 0x8F)
        default: return nil
        }
        guard offset + length <= bytes.count, (lower...upper).contains(bytes[offset + 1]) else { return nil }
        for index in offset + 2..<offset + length where bytes[index] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Whether the string that closes at `closingQuote` is a member name: a colon follows.
    private static func isMemberName(_ bytes: UnsafeRawBufferPointer, closingQuote: Int) -> Bool {
        var offset = closingQuote + 1
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            case UInt8(ascii: ":"): return true
            default: return false
            }
        }
        return false
    }
}
