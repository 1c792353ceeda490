import PilotJSON

/// An independent, deliberately plain JSON parser: the oracle `JSONValue(parsing:)` is
/// compared with. It does not share code with PilotJSON or json-c, and implements the
/// rules PilotJSON promises:
/// - the RFC 8259 grammar; whitespace is space, tab, line feed and carriage return;
/// - well-formed UTF-8 only: no overlong forms, no encoded surrogates, nothing past U+10FFFF;
/// - `\u` escapes name Unicode scalars: a high surrogate only with a low one after it;
/// - no U+0000 in member names (json-c keeps names as C strings, it would cut them);
/// - no value deeper than 64, the root being 1 (`JSONValue.maximumDepth`, as json-c counts);
/// - integers from -2^63 to Int64.max exactly, other numbers as finite Doubles;
/// - no member name twice in one object, names compared scalar by scalar (RFC 8259 §8.3).
///
/// Its values are its own type, compared with PilotJSON's by `matches`: strings and
/// names scalar by scalar (not by Swift's canonical equivalence), members in order.
indirect enum ReferenceJSON {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([ReferenceJSON])
    case object([(name: String, value: ReferenceJSON)])

    static func parse(_ bytes: UnsafeRawBufferPointer) -> ReferenceJSON? {
        var parser = ReferenceParser(bytes: bytes)
        parser.skipWhitespace()
        guard let value = parser.value(depth: 1) else { return nil }
        parser.skipWhitespace()
        return parser.offset == bytes.count ? value : nil
    }
}

private struct ReferenceParser {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        offset += 1
        return true
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        return text.allSatisfy { consume($0) }
    }

    mutating func value(depth: Int) -> ReferenceJSON? {
        guard depth <= Int(JSONValue.maximumDepth), let byte = peek else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return object(depth)
        case UInt8(ascii: "["): return array(depth)
        case UInt8(ascii: "\""): return string().map(ReferenceJSON.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number()
        }
    }

    mutating func array(_ depth: Int) -> ReferenceJSON? {
        offset += 1
        var items: [ReferenceJSON] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(items) }
        while true {
            skipWhitespace()
            guard let item = value(depth: depth + 1) else { return nil }
            items.append(item)
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return .array(items) }
            guard consume(UInt8(ascii: ",")) else { return nil }
        }
    }

    mutating func object(_ depth: Int) -> ReferenceJSON? {
        offset += 1
        var members: [(name: String, value: ReferenceJSON)] = []
        var names: Set<[Unicode.Scalar]> = []
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\""), let name = string(), !name.unicodeScalars.contains("\0"),
                names.insert(Array(name.unicodeScalars)).inserted
            else { return nil }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            guard let item = value(depth: depth + 1) else { return nil }
            members.append((name, item))
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .object(members) }
            guard consume(UInt8(ascii: ",")) else { return nil }
        }
    }

    mutating func hex4() -> UInt32? {
        var result: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek else { return nil }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            result = result << 4 | UInt32(digit)
            offset += 1
        }
        return result
    }

    /// One UTF-8 sequence, strictly: the shortest form of a scalar value.
    mutating func utf8Scalar() -> Unicode.Scalar? {
        guard let lead = peek else { return nil }
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC0...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF7: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for index in 1..<length {
            let byte = bytes[offset + index]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let shortest: UInt32 = [0, 0, 0x80, 0x800, 0x10000][length]
        guard value >= shortest, let scalar = Unicode.Scalar(value) else { return nil }
        offset += length
        return scalar
    }

    mutating func string() -> String? {
        offset += 1
        var scalars = String.UnicodeScalarView()
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                offset += 1
                guard let escaped = peek else { return nil }
                offset += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escaped))
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var value = unit
                    if (0xD800...0xDBFF).contains(unit) {
                        guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        value = 0x10000 + (unit - 0xD800) << 10 + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    scalars.append(scalar)
                default:
                    return nil
                }
            case 0..<0x20:
                return nil
            case 0..<0x80:
                scalars.append(Unicode.Scalar(byte))
                offset += 1
            default:
                guard let scalar = utf8Scalar() else { return nil }
                scalars.append(scalar)
            }
        }
        return nil
    }

    mutating func digits() -> Bool {
        let start = offset
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
        return offset > start
    }

    mutating func number() -> ReferenceJSON? {
        let start = offset
        _ = consume(UInt8(ascii: "-"))
        if !consume(UInt8(ascii: "0")) {
            guard let first = peek, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first), digits() else { return nil }
        }
        var integral = true
        if consume(UInt8(ascii: ".")) {
            integral = false
            guard digits() else { return nil }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            integral = false
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard digits() else { return nil }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if integral {
            if let integer = Int64(text) { return .integer(integer) }
            if let unsigned = UInt64(text) { return .number(Double(unsigned)) }
        }
        guard let double = Double(text), double.isFinite else { return nil }
        return .number(double)
    }
}

extension ReferenceJSON {
    /// Whether PilotJSON's `value` is this value: same kinds, numbers equal (integers as
    /// PilotJSON keeps them exactly), strings and names the same scalars, members in order.
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .int(let b)): return a == b
        case (.number(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.object(let a), .object(let b)):
            let members = b.members
            return a.count == members.count
                && zip(a, members).allSatisfy {
                    $0.name.unicodeScalars.elementsEqual($1.key.unicodeScalars) && $0.value.matches($1.value)
                }
        default: return false
        }
    }

    /// Compact text for messages (not JSON-exact: enough to see what differs).
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .string(let s): s.unicodeScalars.map { $0.escaped(asASCII: true) }.joined().debugDescription
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { ReferenceJSON.string($0.name).description + ":" + $0.value.description }
                .joined(separator: ",") + "}"
        }
    }
}
