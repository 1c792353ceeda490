import Foundation

/// Base64 (RFC 4648) for bodies and encoded words.
enum Base64 {
    /// One line, no breaks.
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Lines of 76 characters ended by CRLF, as MIME bodies need (RFC 2045 §6.8).
    static func lines(_ bytes: [UInt8]) -> String {
        let text = Array(encode(bytes).utf8)
        var out = ""
        var index = 0
        while index < text.count {
            let end = min(index + 76, text.count)
            out += String(decoding: text[index..<end], as: UTF8.self) + "\r\n"
            index = end
        }
        return out
    }
}

/// Quoted-printable (RFC 2045 §6.7) for the readable body: plain ASCII stays
/// readable in the raw message, the rest is `=XX`.
enum QuotedPrintable {
    /// Lines of at most 76 characters, CRLF-ended; `text`'s line breaks (LF, CRLF
    /// or CR) become hard breaks, long lines get soft breaks (`=` at the end).
    static func encode(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        // A final line break ends the last line; it does not start an empty one.
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        var out = ""
        for line in lines {
            out += encodeLine(Substring(line))
        }
        return out
    }

    static func encodeLine(_ line: Substring) -> String {
        let scalars = Array(line.unicodeScalars)
        var tokens: [String] = []
        for (offset, scalar) in scalars.enumerated() {
            let isLast = offset == scalars.count - 1
            if scalar == " " || scalar == "\t" {
                // White space at the end of a line would be stripped in transit.
                tokens.append(isLast ? hex(Array(String(scalar).utf8)) : String(scalar))
            } else if scalar.value >= 33, scalar.value <= 126, scalar != "=" {
                tokens.append(String(scalar))
            } else {
                // All bytes of one character stay in one token, so a soft break never splits it.
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
