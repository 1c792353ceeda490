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
///
/// It works on the UTF-8 bytes: every daily e-mail goes through it, and walking
/// `Unicode.Scalar`s into a `String` per character took a tenth of a daily tick.
enum QuotedPrintable {
    /// Lines of at most 76 characters, CRLF-ended; `text`'s line breaks (LF, CRLF
    /// or CR) become hard breaks, long lines get soft breaks (`=` at the end).
    static func encode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var lines: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else { index += 1; continue }
            lines.append(start..<index)
            if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
            index += 1
            start = index
        }
        lines.append(start..<bytes.count)
        // A final line break ends the last line; it does not start an empty one.
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 2 * lines.count)
        for line in lines { encodeLine(bytes[line], into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// One line and its CRLF. Each character is one token (the bytes of a character
    /// past ASCII stay together, so a soft break never splits one); a token that would
    /// take the line past 75 characters starts a new one after a soft break.
    static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var length = 0
        var index = line.startIndex
        while index < line.endIndex {
            let lead = line[index]
            let end = min(line.endIndex, index + (lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4))
            let literal =
                lead == UInt8(ascii: " ") || lead == UInt8(ascii: "\t")
                // White space at the end of a line would be stripped in transit.
                ? end < line.endIndex
                : (33...126).contains(lead) && lead != UInt8(ascii: "=")
            let token = literal ? 1 : 3 * (end - index)
            if length + token > 75 {
                out += [UInt8(ascii: "="), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
                length = 0
            }
            if literal {
                out.append(lead)
            } else {
                for byte in line[index..<end] { out += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]] }
            }
            length += token
            index = end
        }
        out += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
