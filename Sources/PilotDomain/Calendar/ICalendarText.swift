/// The text layer of RFC 5545: escaping values and parameters, and folding
/// content lines.
public enum ICalendarText {
    /// Longest content line in octets, CRLF excluded (RFC 5545 §3.1).
    public static let maxLineOctets = 75

    /// A TEXT value (§3.3.11): backslash, semicolon and comma escaped, every
    /// line break (CRLF, CR or LF) written `\n`, other control characters dropped.
    public static func escapeText(_ value: String) -> String {
        // On the bytes: the only scalars past ASCII it drops are U+0080–U+009F
        // (C2 80–C2 9F) and U+2028, U+2029 (E2 80 A8, E2 80 A9).
        var value = value
        return value.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            var previousWasCR = false
            var offset = 0
            while offset < bytes.count {
                let byte = bytes[offset]
                guard byte < 0x80 else {
                    let width = scalarWidth(lead: byte)
                    let next = bytes[offset + 1]
                    let dropped = (byte == 0xC2 && next <= 0x9F) || (byte == 0xE2 && next == 0x80 && (bytes[offset + 2] | 1) == 0xA9)
                    if !dropped { out.append(contentsOf: bytes[offset..<offset + width]) }
                    previousWasCR = false
                    offset += width
                    continue
                }
                switch byte {
                case UInt8(ascii: "\\"), UInt8(ascii: ";"), UInt8(ascii: ","): out += [UInt8(ascii: "\\"), byte]
                case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\n"): if !previousWasCR { out += [UInt8(ascii: "\\"), UInt8(ascii: "n")] }
                case UInt8(ascii: "\t"): out.append(byte)
                default: if byte >= 0x20, byte != 0x7F { out.append(byte) }
                }
                previousWasCR = byte == UInt8(ascii: "\r")
                offset += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A parameter value (§3.2): CR, LF, other controls and `"` removed (a
    /// parameter cannot hold them in any form), and the value put in double
    /// quotes when it holds `:`, `;` or `,`.
    public static func parameterValue(_ value: String) -> String {
        // Names are mostly ASCII, where every byte of the cleaned value is a Character.
        asciiParameterValue(value) ?? parameterValueByScalar(value)
    }

    /// `parameterValue` for any value, scalar by scalar.
    static func parameterValueByScalar(_ value: String) -> String {
        var clean = ""
        var lastWasSpace = false
        for scalar in value.unicodeScalars {
            if scalar == "\"" { continue }
            if isControl(scalar) || scalar == "\t" {
                // A line break in a name becomes one space, not a run-together word.
                if !lastWasSpace, !clean.isEmpty { clean += " " }
                lastWasSpace = true
                continue
            }
            lastWasSpace = scalar == " "
            clean.unicodeScalars.append(scalar)
        }
        clean = String(clean.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"" + clean + "\"" : clean
    }

    /// `parameterValue` of an ASCII value, on its bytes; nil for any other value.
    /// `HeaderTextBytesTests` holds the two paths to each other.
    static func asciiParameterValue(_ value: String) -> String? {
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var clean: [UInt8] = []
        clean.reserveCapacity(value.utf8.count + 2)
        var lastWasSpace = false
        for byte in value.utf8 where byte != UInt8(ascii: "\"") {
            if byte < 0x20 || byte == 0x7F {
                if !lastWasSpace, !clean.isEmpty { clean.append(UInt8(ascii: " ")) }
                lastWasSpace = true
                continue
            }
            lastWasSpace = byte == UInt8(ascii: " ")
            clean.append(byte)
        }
        while clean.last == UInt8(ascii: " ") { clean.removeLast() }
        let text = clean.drop { $0 == UInt8(ascii: " ") }
        let quoted = text.contains { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") }
        return quoted ? "\"" + String(decoding: text, as: UTF8.self) + "\"" : String(decoding: text, as: UTF8.self)
    }

    /// A CAL-ADDRESS for `email`: `mailto:` and the address without white space or controls.
    public static func mailto(_ email: String) -> String {
        if let ascii = asciiAddress(email, dropping: mailtoSpecials) { return "mailto:" + ascii }
        return "mailto:" + String(String.UnicodeScalarView(email.unicodeScalars.filter {
            !isControl($0) && !$0.properties.isWhitespace && $0 != "\"" && $0 != "<" && $0 != ">"
        }))
    }

    private static let mailtoSpecials = Set("\"<>".utf8)

    /// An ASCII address without controls, white space (in ASCII, the controls and the
    /// space) and `specials`, on its bytes; nil when `email` is not ASCII, whose scalars
    /// the caller filters instead. Serves `mailto` and `MailHeader.addrSpec`.
    static func asciiAddress(_ email: String, dropping specials: Set<UInt8>) -> String? {
        guard email.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: email.utf8.filter { $0 > 0x20 && $0 != 0x7F && !specials.contains($0) }, as: UTF8.self)
    }

    /// One content line, folded: after every 75 octets a CRLF and a space
    /// (which counts towards the next line's 75). A UTF-8 sequence is never
    /// split: the break comes before the scalar that would cross the limit.
    public static func fold(_ line: String) -> String {
        var out: [UInt8] = []
        fold(line.utf8, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `line`'s bytes folded onto `out`, with the closing CRLF.
    static func fold(_ line: some Sequence<UInt8>, into out: inout [UInt8]) {
        var octets = 0
        for byte in line {
            // A scalar's first byte decides the break; its continuation bytes follow it.
            if byte & 0xC0 != 0x80, octets + scalarWidth(lead: byte) > maxLineOctets {
                out += [UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " ")]
                octets = 1
            }
            out.append(byte)
            octets += 1
        }
        out += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    }

    /// `NAME:value`, folded and ended with CRLF; `value` must already be escaped for its type.
    public static func contentLine(_ name: String, _ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + value.utf8.count + 8)
        fold([name.utf8, ":".utf8, value.utf8].joined(), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `NAME;PARAM=value;…:value`, folded and ended with CRLF. Parameter
    /// values go through `parameterValue`; `value` must already be escaped
    /// for its type.
    public static func contentLine(_ name: String, _ parameters: [(String, String)], _ value: String) -> String {
        var line = name
        for (key, parameter) in parameters { line += ";" + key + "=" + parameterValue(parameter) }
        return contentLine(line, value)
    }

    /// The length in bytes of the UTF-8 sequence `lead` starts.
    static func scalarWidth(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
