/// Header fields that cannot be broken by what they carry (RFC 5322, RFC 2047).
///
/// Every value is made one line first (`sanitized`): CR, LF and other control
/// characters become spaces, so "Eve\r\nBcc: x@evil.test" stays inside the
/// field it was put in. Then it is written as words (atoms, a quoted string or
/// `=?UTF-8?B?…?=` encoded words) and folded before 78 characters.
enum MailHeader {
    static let foldAt = 78
    /// Bytes of text per encoded word: base64 of 39 bytes is 52 characters, so
    /// with `=?UTF-8?B?` and `?=` a word is 64, under the 75 RFC 2047 allows,
    /// and `Subject: ` plus a word still fits in 78.
    static let encodedWordBytes = 39

    /// `value` on one line: controls (CR and LF included) and runs of white
    /// space become one space; ends trimmed.
    static func sanitized(_ value: String) -> String {
        asciiSanitized(value) ?? sanitizedByScalar(value)
    }

    /// `sanitized` for any value, scalar by scalar.
    static func sanitizedByScalar(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if ICalendarText.isControl(scalar) || scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, !out.isEmpty { out += " " }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// `sanitized` of an ASCII value, on its bytes (there the controls and the white
    /// space are the bytes up to the space, and DEL); nil for any other value.
    /// `HeaderTextBytesTests` holds the two paths to each other.
    static func asciiSanitized(_ value: String) -> String? {
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if byte <= 0x20 || byte == 0x7F {
                pendingSpace = true
                continue
            }
            if pendingSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An address without anything that could end it or the header: controls,
    /// white space, `<`, `>`, `,`, `"`, `;`.
    static func addrSpec(_ email: String) -> String {
        if let ascii = ICalendarText.asciiAddress(email, dropping: addrSpecials) { return ascii }
        return String(String.UnicodeScalarView(email.unicodeScalars.filter { scalar in
            !ICalendarText.isControl(scalar) && !scalar.properties.isWhitespace
                && !"<>,\";".unicodeScalars.contains(scalar)
        }))
    }

    private static let addrSpecials = Set("<>,\";".utf8)

    /// Unstructured text (a subject): ASCII words as they are, anything else,
    /// or anything a reader could take for an encoded word, as encoded words.
    static func text(_ value: String) -> [String] {
        let clean = sanitized(value)
        // A sanitized value holds no CR LF, so all its bytes are ASCII exactly when all its
        // Characters are, and each byte is a Character.
        if clean.utf8.allSatisfy({ $0 < 0x80 }), !clean.contains("=?") {
            return words(clean)
        }
        return encodedWords(clean)
    }

    /// A display name: atoms when it is plain ASCII, a quoted string when it
    /// has specials such as `.` `,` `:` `@`, encoded words when it is not ASCII.
    static func phrase(_ value: String) -> [String] {
        let clean = sanitized(value)
        guard !clean.isEmpty else { return [] }
        guard clean.utf8.allSatisfy({ $0 < 0x80 }), !clean.contains("=?") else { return encodedWords(clean) }
        if clean.unicodeScalars.allSatisfy({ $0 == " " || isAtext($0) }) {
            return words(clean)
        }
        var quoted = "\""
        for character in clean {
            if character == "\\" || character == "\"" { quoted += "\\" }
            quoted.append(character)
        }
        return [quoted + "\""]
    }

    /// The space-separated words of sanitized ASCII text.
    private static func words(_ ascii: String) -> [String] {
        ascii.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `=?UTF-8?B?…?=` words of at most `encodedWordBytes` bytes of text each,
    /// never splitting a character (RFC 2047 §5: each word must decode on its own).
    /// A character longer than a word (a letter with hundreds of combining marks) is
    /// split between its scalars, which is all §5 asks (a "character" of the charset):
    /// one word of it all made a line past RFC 5322's 998 octets.
    static func encodedWords(_ value: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            let pieces = bytes.count <= encodedWordBytes ? [bytes] : character.unicodeScalars.map { Array(String($0).utf8) }
            for piece in pieces {
                if !chunk.isEmpty, chunk.count + piece.count > encodedWordBytes {
                    words.append(encodedWord(chunk))
                    chunk = []
                }
                chunk += piece
            }
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Base64.encode(bytes) + "?="
    }

    /// `Name: word word …` folded before column 78 between words, CRLF-ended.
    static func field(_ name: String, _ words: [String]) -> String {
        var out = ""
        var line = name + ":"
        var lineHasWord = false
        for word in words {
            if lineHasWord, line.utf8.count + 1 + word.utf8.count > foldAt {
                out += line + "\r\n"
                line = " " + word
            } else {
                line += " " + word
            }
            lineHasWord = true
        }
        return out + line + "\r\n"
    }

    /// An address list: each address's words, a comma after all but the last.
    static func addressList(_ addresses: [MailAddress]) -> [String] {
        var words: [String] = []
        for (offset, address) in addresses.enumerated() {
            var addressWords = address.headerWords
            if offset < addresses.count - 1 { addressWords[addressWords.count - 1] += "," }
            words += addressWords
        }
        return words
    }

    /// A MIME parameter value (RFC 2045): a token as it is, else (or when
    /// `alwaysQuote`, as clients expect for file names) a quoted string.
    static func parameter(_ value: String, alwaysQuote: Bool = false) -> String {
        let clean = sanitized(value)
        let tspecials = "()<>@,;:\\\"/[]?="
        if !alwaysQuote, !clean.isEmpty, clean.unicodeScalars.allSatisfy({
            $0.isASCII && $0.value > 32 && $0.value < 127 && !tspecials.unicodeScalars.contains($0)
        }) {
            return clean
        }
        var quoted = "\""
        for character in clean {
            if character == "\\" || character == "\"" { quoted += "\\" }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// RFC 5322 atext.
    static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return true }
        return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }
}
