/// Values from events written into Markdown as plain text.
///
/// A company called `Acme | *Beta*` must not open a table column or start
/// emphasis, and a description with blank lines must not end the table row it
/// sits in, so every value goes through `escape` before it reaches a template.
/// Mustache never re-reads a value, so `{{…}}` in one stays literal; braces need
/// no escaping.
public enum MarkdownText {
    /// Punctuation that Markdown (CommonMark and GFM tables) can read as syntax
    /// anywhere in a line. A backslash before ASCII punctuation is always a literal.
    static let inlineSpecials: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~"]

    /// `inlineSpecials` and `&` as a byte table, for the ASCII fast path.
    private static let asciiSpecials: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for character in inlineSpecials.union(["&"]) { table[Int(character.asciiValue!)] = true }
        return table
    }()

    /// One line of literal text: line breaks and the white space around them
    /// collapse to one space, the ends are trimmed, and Markdown syntax is escaped.
    public static func escape(_ value: String) -> String {
        let line = singleLine(value)
        // Most values hold no Markdown punctuation: skip the per-Character walk (grapheme
        // breaking is most of the cost of rendering an agreement). Bytes past ASCII are
        // never punctuation, so "≤ 300 ms" takes this path too.
        if !holdsPunctuation(line) { return escapeLineStart(line) }
        // In ASCII every byte is a Character (the one pair that is not, CR LF, cannot stand
        // in one line), so ids such as "latency_p95_ms" need no grapheme breaking either.
        if let escaped = escapedASCII(line) { return escaped }
        return escapeLineStart(escapedByCharacter(line))
    }

    /// Whether a byte of `line` is Markdown punctuation. Over the bytes in place, with the
    /// table read once: the table is a lazy global, and reading it checks its initialisation
    /// each time.
    static func holdsPunctuation(_ line: String) -> Bool {
        let specials = asciiSpecials
        func scan(_ bytes: some Sequence<UInt8>) -> Bool { bytes.contains { $0 < 0x80 && specials[Int($0)] } }
        return line.utf8.withContiguousStorageIfAvailable { scan($0) } ?? scan(line.utf8)
    }

    /// `escapeLineStart(escapedByCharacter(line))` for a line of ASCII, on its bytes; nil
    /// for any other line. `MarkdownTextShortcutTests` holds the two to each other.
    static func escapedASCII(_ line: String) -> String? {
        let bytes = Array(line.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        let specials = asciiSpecials
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        // A line opening with "-", "+", "=" or up to nine digits and "." or ")" could start
        // a list or a heading: the mark after the digits (or the sign) gets a backslash.
        var digits = 0
        while digits < bytes.count, digits < 10, isDigit(bytes[digits]) { digits += 1 }
        var lineStartMark = -1
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") {
            lineStartMark = 0
        } else if (1...9).contains(digits), digits < bytes.count,
            bytes[digits] == UInt8(ascii: ".") || bytes[digits] == UInt8(ascii: ")")
        {
            lineStartMark = digits
        }
        for (offset, byte) in bytes.enumerated() {
            if offset == lineStartMark {
                out.append(UInt8(ascii: "\\"))
            } else if byte == UInt8(ascii: "&") {
                if entityFollows(bytes, at: offset) { out.append(UInt8(ascii: "\\")) }
            } else if specials[Int(byte)] {
                out.append(UInt8(ascii: "\\"))
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `looksLikeEntity` on ASCII bytes, from the "&" at `start`.
    private static func entityFollows(_ bytes: [UInt8], at start: Int) -> Bool {
        var offset = start + 1
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "#") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "x") || bytes[offset] == UInt8(ascii: "X") { offset += 1 }
        }
        let body = offset
        while offset < bytes.count, isDigit(bytes[offset]) || ((bytes[offset] | 0x20) >= UInt8(ascii: "a") && (bytes[offset] | 0x20) <= UInt8(ascii: "z")) {
            offset += 1
        }
        let length = offset - body
        return length >= 1 && length <= 32 && offset < bytes.count && bytes[offset] == UInt8(ascii: ";")
    }

    /// The walk `escape` skips when it can; `MarkdownTextShortcutTests` holds the two to each other.
    static func escapedByCharacter(_ line: String) -> String {
        var out = ""
        out.reserveCapacity(line.utf8.count + 8)
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            // By its first scalar: CommonMark reads code points, so `*` and a combining mark
            // after it (one Character) still open emphasis.
            if let first = character.unicodeScalars.first, first.isASCII, inlineSpecials.contains(Character(first)) {
                out.append("\\")
            } else if character == "&", looksLikeEntity(line[index...]) {
                // "&amp;" would show as "&"; "R&D" is left alone.
                out.append("\\")
            }
            out.append(character)
            index = line.index(after: index)
        }
        return out
    }

    /// `value` on one line: every run of white space that holds a line break
    /// becomes one space, other white space is kept, the ends are trimmed.
    public static func singleLine(_ value: String) -> String {
        isSingleLine(value) ? value : singleLineByCharacter(value)
    }

    /// True when `singleLine` would return `value` as it is: no white space but spaces,
    /// and none at either end. Decided on bytes, and on scalars past ASCII (U+00A0,
    /// U+2028 and the like are white space too), without breaking graphemes.
    static func isSingleLine(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard utf8.first != 0x20, utf8.last != 0x20 else { return false }
        // Over the bytes in place where the string has them (nearly always).
        func scan(_ bytes: some Sequence<UInt8>) -> (ascii: Bool, breaks: Bool) {
            var ascii = true
            for byte in bytes {
                if byte >= 0x80 {
                    ascii = false
                } else if byte >= 0x09 && byte <= 0x0D {
                    return (ascii, true)
                }
            }
            return (ascii, false)
        }
        let (ascii, breaks) = utf8.withContiguousStorageIfAvailable { scan($0) } ?? scan(utf8)
        if breaks { return false }
        if ascii { return true }
        // A space that a combining mark joins is white space to the walk: at the end it
        // would be trimmed.
        return !value.unicodeScalars.contains { $0.value >= 0x80 && $0.properties.isWhitespace }
            && value.last?.isWhitespace != true
    }

    /// The walk `singleLine` skips when it can; `MarkdownTextShortcutTests` holds the two to each other.
    static func singleLineByCharacter(_ value: String) -> String {
        var out = ""
        var pending = ""
        var pendingHasBreak = false
        for character in value {
            if character.isWhitespace {
                pending.append(character)
                if character.isNewline { pendingHasBreak = true }
                continue
            }
            if !pending.isEmpty {
                if !out.isEmpty { out += pendingHasBreak ? " " : pending.replacingTabs() }
                pending = ""
                pendingHasBreak = false
            }
            out.append(character)
        }
        return out
    }

    /// A value that starts a line could start a list, a heading or a quote:
    /// "1. Foo", "- Foo", "+ Foo", "= Foo". Escape that first mark.
    static func escapeLineStart(_ text: String) -> String {
        // Only a text whose first scalar is one of these can start with such a mark: a
        // Character equal to "-" or an ASCII digit is that one scalar. The others (nearly
        // every value) skip breaking the text into Characters, a twentieth of rendering
        // an agreement.
        guard let byte = text.utf8.first,
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") || isDigit(byte)
        else { return text }
        return escapeLineStartByCharacter(text)
    }

    /// The walk `escapeLineStart` skips when it can; `MarkdownTextShortcutTests` holds the two to each other.
    static func escapeLineStartByCharacter(_ text: String) -> String {
        guard let first = text.first else { return text }
        if first == "-" || first == "+" || first == "=" { return "\\" + text }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let after = text.dropFirst(digits.count)
            if let mark = after.first, mark == "." || mark == ")" {
                return String(digits) + "\\" + String(after)
            }
        }
        return text
    }

    /// `&name;` or `&#123;` or `&#x1F;`: what Markdown would turn into one character.
    static func looksLikeEntity(_ text: Substring) -> Bool {
        var rest = text.dropFirst()
        if rest.first == "#" {
            rest = rest.dropFirst()
            if rest.first == "x" || rest.first == "X" { rest = rest.dropFirst() }
        }
        let body = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return !body.isEmpty && body.count <= 32 && rest.dropFirst(body.count).first == ";"
    }
}

extension String {
    /// Tabs as spaces, so that a value never opens an indented code block.
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
