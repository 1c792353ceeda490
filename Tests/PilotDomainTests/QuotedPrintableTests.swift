import Foundation
import Testing

@testable import PilotDomain

/// The byte-wise encoder held to the encoder it replaced (kept below), which walked
/// `Unicode.Scalar`s, on listed and random texts.
@Suite struct QuotedPrintableTests {
    @Test func listedTexts() {
        let texts = [
            "", "\n", "\r\n", "\r", "a\n", "a\r\nb\rc\nd", "ends with a space ", "tab\t", "x = y", "Grüße, Zoë",
            "🐲 dragons", String(repeating: "a", count: 200), String(repeating: "é", count: 60), "line\n\n\nafter blanks\n",
            "e\u{301} combining", "\u{7F}\u{0}\u{1B}controls",
        ]
        for text in texts { #expect(QuotedPrintable.encode(text) == ScalarReference.encode(text), "\(text.debugDescription)") }
        #expect(QuotedPrintable.encode("a =b \n") == "a =3Db=20\r\n")
    }

    @Test func randomTexts() {
        var generator = SplitMix64(seed: 0x51_7e_2045)
        let pieces: [String] = [
            "a", "Z", "0", " ", "  ", "\t", "=", "\n", "\r", "\r\n", ".", "~", "!", "é", "ü", "€", "🐲", "👩‍👩‍👧",
            "e\u{301}", "\u{A0}", "\u{2028}", "\u{7F}", "\u{1}", "word", "a longer run of plain words",
        ]
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 120)
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let encoded = QuotedPrintable.encode(text)
            #expect(encoded == ScalarReference.encode(text), "\(text.debugDescription)")
            for line in encoded.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        }
    }

    /// The implementation before the byte-wise one, unchanged.
    enum ScalarReference {
        static func encode(_ text: String) -> String {
            let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
            var out = ""
            for line in lines { out += encodeLine(Substring(line)) }
            return out
        }

        static func encodeLine(_ line: Substring) -> String {
            let scalars = Array(line.unicodeScalars)
            var tokens: [String] = []
            for (offset, scalar) in scalars.enumerated() {
                let isLast = offset == scalars.count - 1
                if scalar == " " || scalar == "\t" {
                    tokens.append(isLast ? hex(Array(String(scalar).utf8)) : String(scalar))
                } else if scalar.value >= 33, scalar.value <= 126, scalar != "=" {
                    tokens.append(String(scalar))
                } else {
                    tokens.append(hex(Array(String(scalar).utf8)))
                }
            }
            var out = ""
            var current = ""
            for token in tokens {
                if current.utf8.count + token.utf8.count > 75 {
                    out += current + "=\r\n"
                    current = ""
                }
                current += token
            }
            return out + current + "\r\n"
        }

        static func hex(_ bytes: [UInt8]) -> String {
            let digits = Array("0123456789ABCDEF")
            var out = ""
            for byte in bytes {
                out.append("=")
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xF)])
            }
            return out
        }
    }
}
