import Testing

@testable import PilotDomain

/// The calendar's and the mail headers' text functions work on UTF-8 bytes (and on ASCII
/// values, where every byte is a Character); they return what the scalar-by-scalar
/// forms return, on random text built from what they must tell apart: the characters
/// each escapes or drops, controls past ASCII (U+0085, U+2028), white space past ASCII
/// (U+00A0, U+3000), combining marks joining a space or a separator, emoji, and values
/// long enough to fold.
@Suite struct HeaderTextBytesTests {
    static let pieces = [
        "a", "Word", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}",
        "\u{A0}", "\u{2028}", "\u{2029}", "\u{2027}", "\u{202A}", "\u{3000}", "\u{301}", "\\", ";", ",", ":", "\"", "<", ">",
        "=?", "é", "e\u{301}", "Zoë", "≤ 300 ms", "😀", "👍🏽", "Okafor, Sam", "dana@acme.example",
        String(repeating: "x", count: 70), String(repeating: "é", count: 40),
    ]

    static func randomTexts(seed: UInt64, count: Int) -> [String] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<random.below(8)).map { _ in pieces[random.below(pieces.count)] }.joined() }
    }

    @Test func calendarTextOnBytesAgreesWithTheScalarWalk() {
        var ascii = 0
        for text in Self.randomTexts(seed: 5545, count: 20_000) {
            #expect(ICalendarText.escapeText(text) == Self.escapeTextByScalar(text), "escapeText(\(text.debugDescription))")
            #expect(ICalendarText.fold(text) == Self.foldByScalar(text), "fold(\(text.debugDescription))")
            #expect(ICalendarText.contentLine("DESCRIPTION", text) == Self.foldByScalar("DESCRIPTION:" + text))
            #expect(ICalendarText.mailto(text) == Self.mailtoByScalar(text), "mailto(\(text.debugDescription))")
            #expect(ICalendarText.parameterValue(text) == ICalendarText.parameterValueByScalar(text),
                    "parameterValue(\(text.debugDescription))")
            if ICalendarText.asciiParameterValue(text) != nil { ascii += 1 }
        }
        #expect(ascii > 2_000, "the ASCII path must be taken often enough to be tested")
    }

    @Test func mailHeaderTextOnBytesAgreesWithTheScalarWalk() {
        var ascii = 0
        for text in Self.randomTexts(seed: 5322, count: 20_000) {
            #expect(MailHeader.sanitized(text) == MailHeader.sanitizedByScalar(text), "sanitized(\(text.debugDescription))")
            #expect(MailHeader.addrSpec(text) == Self.addrSpecByScalar(text), "addrSpec(\(text.debugDescription))")
            let clean = MailHeader.sanitizedByScalar(text)
            #expect(MailHeader.text(text) == Self.textByCharacter(clean), "text(\(text.debugDescription))")
            if MailHeader.asciiSanitized(text) != nil { ascii += 1 }
        }
        #expect(ascii > 2_000, "the ASCII path must be taken often enough to be tested")
    }

    // The forms the byte walks replaced, kept here as their reference.

    static func escapeTextByScalar(_ value: String) -> String {
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
                if ICalendarText.isControl(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func foldByScalar(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > ICalendarText.maxLineOctets {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out + "\r\n"
    }

    static func mailtoByScalar(_ email: String) -> String {
        "mailto:" + String(String.UnicodeScalarView(email.unicodeScalars.filter {
            !ICalendarText.isControl($0) && !$0.properties.isWhitespace && $0 != "\"" && $0 != "<" && $0 != ">"
        }))
    }

    static func addrSpecByScalar(_ email: String) -> String {
        String(String.UnicodeScalarView(email.unicodeScalars.filter { scalar in
            !ICalendarText.isControl(scalar) && !scalar.properties.isWhitespace && !"<>,\";".unicodeScalars.contains(scalar)
        }))
    }

    static func textByCharacter(_ clean: String) -> [String] {
        if clean.allSatisfy({ $0.isASCII }), !clean.contains("=?") { return clean.split(separator: " ").map(String.init) }
        return MailHeader.encodedWords(clean)
    }
}
