/// Compact JSON text, byte for byte what json-c writes with `JSON_C_TO_STRING_PLAIN |
/// JSON_C_TO_STRING_NOSLASHESCAPE` (`JSONWritingTests` holds it to json-c): no spaces,
/// members in order, `"`, `\` and control characters escaped as json-c does (short forms,
/// else `\u00xx`), everything else as UTF-8. Written here rather than through a json-c tree:
/// building that tree and its hash tables for every state, event and document cost a
/// tenth of a worker's time.
extension JSONValue {
    /// Compact JSON text. Doubles use Swift's shortest round-tripping form (`1.0`, not
    /// `0.10000000000000001`); non-finite doubles, which JSON cannot express, become `null`.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// Compact JSON as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .int(let value): out += String(value).utf8
        case .double(let value):
            guard value.isFinite else { out += "null".utf8; return }
            out += Self.shortest(value).utf8
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (position, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out += bytes[start..<position]
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default: out += [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                }
                start = position + 1
            }
            out += bytes[start...]
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `1.0` rather than json-c's `%.17g` noise such as `0.10000000000000001`.
    static func shortest(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }
}
