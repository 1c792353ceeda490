/// The text layer of RFC 5545: escaping values and parameters, and folding
/// content lines.
public enum ICalendarText {
    /// Longest content line in octets, CRLF excluded (RFC 5545 §3.1).
    public static let maxLineOctets = 75

    /// A TEXT value (§3.3.11): backslash, semicolon and comma escaped, every
    /// line break (CRLF, CR or LF) written `\n`, other control characters dropped.
    public static func escapeText(_ value: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if isControl(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value (§3.2): CR, LF, other controls and `"` removed (a
    /// parameter cannot hold them in any form), and the value put in double
    /// quotes when it holds `:`, `;` or `,`.
    public static func parameterValue(_ value: String) -> String {
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

    /// A CAL-ADDRESS for `email`: `mailto:` and the address without white space or controls.
    public static func mailto(_ email: String) -> String {
        "mailto:" + String(String.UnicodeScalarView(email.unicodeScalars.filter {
            !isControl($0) && !$0.properties.isWhitespace && $0 != "\"" && $0 != "<" && $0 != ">"
        }))
    }

    /// One content line, folded: after every 75 octets a CRLF and a space
    /// (which counts towards the next line's 75). A UTF-8 sequence is never
    /// split: the break comes before the scalar that would cross the limit.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > maxLineOctets {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out + "\r\n"
    }

    /// `NAME:value`, folded and ended with CRLF; `value` must already be escaped for its type.
    public static func contentLine(_ name: String, _ value: String) -> String {
        fold(name + ":" + value)
    }

    /// `NAME;PARAM=value;…:value`, folded and ended with CRLF. Parameter
    /// values go through `parameterValue`; `value` must already be escaped
    /// for its type.
    public static func contentLine(_ name: String, _ parameters: [(String, String)], _ value: String) -> String {
        var line = name
        for (key, parameter) in parameters { line += ";" + key + "=" + parameterValue(parameter) }
        return fold(line + ":" + value)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
