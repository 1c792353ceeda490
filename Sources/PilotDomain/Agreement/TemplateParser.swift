/// Reads a template into `CompiledTemplate.Node`s the way swift-mustache's parser reads
/// it, step for step, so that both agree on every standalone line and every space: a
/// section, inverted section, close or comment tag alone on its line takes the line with
/// it. Works on `Character`s, as swift-mustache does ("\r\n" is one).
struct TemplateParser {
    /// Something `CompiledTemplate` does not render, or a template swift-mustache refuses.
    struct Unsupported: Error {}

    private let characters: [Character]
    private var position = 0

    init(_ characters: [Character]) {
        self.characters = characters
    }

    private var atEnd: Bool { position == characters.count }
    private var current: Character { atEnd ? "\0" : characters[position] }

    /// The nodes up to the end of the template, or of `section` (its close tag read).
    /// `newLine`: the parser stands at the start of a line.
    mutating func parse(newLine: Bool, section: String?) throws(Unsupported) -> [CompiledTemplate.Node] {
        var nodes: [CompiledTemplate.Node] = []
        var newLine = newLine
        var whiteSpaceBefore = ""
        func flushWhiteSpace() {
            if !whiteSpaceBefore.isEmpty {
                nodes.append(.text(whiteSpaceBefore))
                whiteSpaceBefore = ""
            }
        }
        while !atEnd {
            if newLine { whiteSpaceBefore = read { $0 == " " || $0 == "\t" } }
            let text = try readUntilTagOrNewline()
            if current.isNewline {
                nodes.append(.text(whiteSpaceBefore + text + String(current)))
                newLine = true
                position += 1
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                newLine = false
            }
            if atEnd { break }
            var setNewLine = false
            switch current {
            case "#", "^":
                let inverted = current == "^"
                position += 1
                let name = try readName()
                if newLine, lineFinished() {
                    setNewLine = true
                } else {
                    flushWhiteSpace()
                }
                let body = try parse(newLine: setNewLine, section: name)
                nodes.append(inverted ? .inverted(.init(name), body) : .section(.init(name), body))
            case "/":
                position += 1
                guard try readName() == section else { throw Unsupported() }
                if !(newLine && lineFinished()) { flushWhiteSpace() }
                return nodes
            case "!":
                position += 1
                try skipComment()
                setNewLine = newLine && lineFinished()
            case "{":
                flushWhiteSpace()
                position += 1
                let name = try readName()
                guard current == "}" else { throw Unsupported() }
                position += 1
                nodes.append(.variable(.init(name)))
            case "&":
                flushWhiteSpace()
                position += 1
                nodes.append(.variable(.init(try readName())))
            case ">", "<", "$", "=", "%":
                throw Unsupported()
            default:
                flushWhiteSpace()
                nodes.append(.variable(.init(try readName())))
            }
            newLine = setNewLine
        }
        guard section == nil else { throw Unsupported() }
        return nodes
    }

    private mutating func read(while matches: (Character) -> Bool) -> String {
        let start = position
        while !atEnd, matches(characters[position]) { position += 1 }
        return String(characters[start..<position])
    }

    /// Reads a prefix if it is there.
    private mutating func read(_ prefix: String) -> Bool {
        var index = position
        for character in prefix {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
        }
        position = index
        return true
    }

    /// Text up to a newline (left unread) or past the next `{{`. A `{` as the last
    /// character is an error to swift-mustache (it reads two characters there).
    private mutating func readUntilTagOrNewline() throws(Unsupported) -> String {
        var text = ""
        while !atEnd {
            text += read { $0 != "\n" && $0 != "\r\n" && $0 != "{" }
            if current.isNewline { break }
            if current == "{" {
                guard position + 1 < characters.count else { throw Unsupported() }
                if read("{{") { break }
                text.append("{")
                position += 1
            }
        }
        return text
    }

    private static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")

    /// A tag's name and its closing `}}`; a name with a transform is not ours to render.
    private mutating func readName() throws(Unsupported) -> String {
        _ = read { $0.isWhitespace }
        let name = read { Self.nameCharacters.contains($0) }
        _ = read { $0.isWhitespace }
        guard read("}}"), !name.contains("("), !name.contains(")") else { throw Unsupported() }
        return name
    }

    /// Past the comment's `}}`, matched as swift-mustache matches it.
    private mutating func skipComment() throws(Unsupported) {
        var matched = 0
        while !atEnd {
            if characters[position] == "}" {
                matched += 1
                if matched == 2 {
                    position += 1
                    return
                }
            } else {
                matched = 0
            }
            position += 1
        }
        throw Unsupported()
    }

    /// True at the end of the template, or when only spaces and tabs remain before a
    /// newline; the newline is then read.
    private mutating func lineFinished() -> Bool {
        if atEnd { return true }
        var index = position
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        guard index < characters.count, characters[index].isNewline else { return false }
        position = index + 1
        return true
    }
}
