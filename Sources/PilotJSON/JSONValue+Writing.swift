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
        var text = JSONText(capacity: 256)
        write(into: &text)
        return text.bytes()
    }

    func write(into out: inout JSONText) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .int(let value): out.append(value)
        case .double(let value):
            guard value.isFinite else { out.append("null"); return }
            out.append(Self.shortest(value))
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
            object.members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    Self.writeString(members[index].key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    members[index].value.write(into: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into out: inout JSONText) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for position in bytes.indices {
                let byte = bytes[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(UnsafeBufferPointer(rebasing: bytes[start..<position]))
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append("u00")
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0xF)])
                }
                start = position + 1
            }
            out.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `1.0` rather than json-c's `%.17g` noise such as `0.10000000000000001`.
    static func shortest(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }
}
