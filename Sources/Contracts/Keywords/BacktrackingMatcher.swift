/// A fast path for the patterns schemas actually use: literals, `.`, classes
/// (`[A-Za-z0-9._-]`, `\d`, `\w`, `\s`), groups, alternation, greedy
/// quantifiers and the anchors `^` and `$`. Think
/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$` or `^[a-z]+(\.[a-z_]+)+$`.
///
/// Swift `Regex` takes about half a microsecond and several allocations per
/// match even for these; this matcher walks the UTF-8 bytes in place, without
/// allocating. Anything else (backreferences, lookaround, `\b`, `\p{…}`, lazy
/// quantifiers…) makes `init` return `nil`, and `Pattern` uses `Regex` alone.
/// The semantics are ECMA-262 backtracking with the `u` flag, as `Pattern`
/// configures `Regex`; the tests compare the two on many inputs. For ASCII
/// strings `PatternAutomaton`, compiled from the same parse, goes first.
struct BacktrackingMatcher {
    indirect enum Node {
        case characters(ScalarClass)
        case group([[Node]])
        case repetition(Node, minimum: Int, maximum: Int)
        case start
        case end
    }

    /// The parsed pattern: alternatives of sequences. `PatternAutomaton` compiles the same tree.
    let alternatives: [[Node]]
    private let anchoredAtStart: Bool

    init?(_ source: String) {
        var parser = Parser(scalars: Array(source.unicodeScalars)[...])
        guard let alternatives = parser.alternatives(), parser.scalars.isEmpty else { return nil }
        self.alternatives = alternatives
        anchoredAtStart = alternatives.allSatisfy { if case .start? = $0.first { true } else { false } }
    }

    /// Whether `string` contains a match; `nil` when the search would take too
    /// many steps or recurse too deeply, and Regex should decide.
    func matches(_ string: String) -> Bool? {
        var string = string
        return string.withUTF8 { bytes in
            // Every scalar looked at and every backtrack costs a step; an honest pattern
            // needs far fewer than this, a pathological one (`(a*)*b`) gives up.
            var budget = 4_096 + 16 * bytes.count
            return withUnsafeMutablePointer(to: &budget) { budget in
                let run = Run(bytes: bytes, budget: budget)
                var start = 0
                while true {
                    switch run.group(alternatives, at: start, depth: 0, then: { _ in true }) {
                    case true?: return true
                    case nil: return nil
                    case false?: break
                    }
                    if anchoredAtStart || start >= bytes.count { return false }
                    start = run.scalar(at: start).next
                }
            }
        }
    }

    /// One match attempt. Continuation-passing: each step gets what must match
    /// after it as a closure, so backtracking is just returning `false`. The
    /// closures do not escape, so nothing is allocated.
    private struct Run {
        let bytes: UnsafeBufferPointer<UInt8>
        let budget: UnsafeMutablePointer<Int>
        /// Group repetitions deep, each some ten stack frames (about 4 KB in a debug
        /// build): 2,000 of them, a 4 KB string against `(/[A-Za-z0-9_+-]+)*` with one
        /// non-ASCII letter, overflowed an 8 MB stack. Past this, Regex (whose
        /// backtracking keeps its state on the heap) decides.
        static let maximumDepth = 100

        /// The scalar starting at `position` (valid UTF-8, as Swift strings are) and where the next one starts.
        func scalar(at position: Int) -> (value: UInt32, next: Int) {
            let lead = UInt32(bytes[position])
            if lead < 0x80 { return (lead, position + 1) }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            var value = lead & (0x7F >> UInt32(length))
            for offset in 1..<length { value = value << 6 | UInt32(bytes[position + offset] & 0x3F) }
            return (value, position + length)
        }

        func group(_ alternatives: [[Node]], at position: Int, depth: Int, then rest: (Int) -> Bool?) -> Bool? {
            for sequence in alternatives {
                let verdict = self.sequence(sequence[...], at: position, depth: depth, then: rest)
                if verdict != false { return verdict }
            }
            return false
        }

        func sequence(_ nodes: ArraySlice<Node>, at position: Int, depth: Int, then rest: (Int) -> Bool?) -> Bool? {
            guard let first = nodes.first else { return rest(position) }
            return node(first, at: position, depth: depth) { next in
                sequence(nodes.dropFirst(), at: next, depth: depth, then: rest)
            }
        }

        func node(_ node: Node, at position: Int, depth: Int, then rest: (Int) -> Bool?) -> Bool? {
            budget.pointee -= 1
            guard budget.pointee >= 0, depth < Self.maximumDepth else { return nil }
            switch node {
            case .characters(let characters):
                guard position < bytes.count else { return false }
                let (value, next) = scalar(at: position)
                return characters.contains(value) ? rest(next) : false
            case .start:
                return position == 0 ? rest(position) : false
            case .end:
                return position == bytes.count ? rest(position) : false
            case .group(let alternatives):
                return group(alternatives, at: position, depth: depth + 1, then: rest)
            case .repetition(.characters(let characters), let minimum, let maximum):
                return run(of: characters, at: position, minimum: minimum, maximum: maximum, then: rest)
            case .repetition(let body, let minimum, let maximum):
                return repetition(body, count: 0, at: position, minimum: minimum, maximum: maximum, depth: depth + 1,
                    then: rest)
            }
        }

        /// A repeated character class, the common case, without recursing per character:
        /// take as many as allowed, then give them back one by one.
        private func run(of characters: ScalarClass, at position: Int, minimum: Int, maximum: Int,
            then rest: (Int) -> Bool?) -> Bool?
        {
            var count = 0
            var end = position
            while count < maximum, end < bytes.count {
                budget.pointee -= 1
                let (value, next) = scalar(at: end)
                guard characters.contains(value) else { break }
                end = next
                count += 1
            }
            while count >= minimum {
                budget.pointee -= 1
                if budget.pointee < 0 { return nil }
                let verdict = rest(end)
                if verdict != false { return verdict }
                if count == minimum { return false }
                repeat { end -= 1 } while bytes[end] & 0xC0 == 0x80  // back to the previous scalar's first byte
                count -= 1
            }
            return false
        }

        /// A repeated group: greedy, and (as ECMA-262 says) an iteration past the
        /// minimum that matches the empty string does not count.
        private func repetition(_ body: Node, count: Int, at position: Int, minimum: Int, maximum: Int, depth: Int,
            then rest: (Int) -> Bool?) -> Bool?
        {
            if count < maximum {
                let verdict = node(body, at: position, depth: depth) { next in
                    if next == position && count >= minimum { return false }
                    return repetition(body, count: count + 1, at: next, minimum: minimum, maximum: maximum,
                        depth: depth + 1, then: rest)
                }
                if verdict != false { return verdict }
            }
            return count >= minimum ? rest(position) : false
        }
    }

    /// Recursive descent over the pattern; `nil` for anything outside the subset.
    private struct Parser {
        var scalars: ArraySlice<Unicode.Scalar>

        /// `a|b|c` up to a `)` or the end.
        mutating func alternatives() -> [[Node]]? {
            var alternatives: [[Node]] = []
            while true {
                guard let sequence = sequence() else { return nil }
                alternatives.append(sequence)
                guard scalars.first == "|" else { return alternatives }
                scalars = scalars.dropFirst()
            }
        }

        mutating func sequence() -> [Node]? {
            var nodes: [Node] = []
            while let scalar = scalars.first, scalar != "|", scalar != ")" {
                scalars = scalars.dropFirst()
                let atom: Node
                switch scalar {
                case ".": atom = .characters(.anyButLineTerminators)
                case "^": atom = .start
                case "$": atom = .end
                case "[":
                    guard let parsed = ScalarClass.parseBracket(&scalars) else { return nil }
                    atom = .characters(parsed)
                case "\\":
                    guard let parsed = ScalarClass.parseEscape(&scalars, inBracket: false) else { return nil }
                    atom = .characters(parsed)
                case "(":
                    guard skipGroupPrefix(), let inner = alternatives(), scalars.first == ")" else { return nil }
                    scalars = scalars.dropFirst()
                    atom = .group(inner)
                case "*", "+", "?", "{", "}", "]": return nil
                default: atom = .characters(ScalarClass(scalar))
                }
                guard let (minimum, maximum) = quantifier() else { return nil }
                if (minimum, maximum) == (1, 1) {
                    nodes.append(atom)
                } else {
                    // ECMA-262 with `u` refuses quantified anchors.
                    if case .start = atom { return nil }
                    if case .end = atom { return nil }
                    nodes.append(.repetition(atom, minimum: minimum, maximum: maximum))
                }
            }
            return nodes
        }

        /// After `(`: nothing, `?:`, or a name `?<name>`; lookaround is not in the subset.
        mutating func skipGroupPrefix() -> Bool {
            guard scalars.first == "?" else { return true }
            scalars = scalars.dropFirst()
            switch scalars.popFirst() {
            case ":": return true
            case "<":
                let isNameCharacter = { (scalar: Unicode.Scalar) in
                    scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                }
                guard let close = scalars.firstIndex(of: ">"), close > scalars.startIndex,
                    scalars[..<close].allSatisfy(isNameCharacter)
                else { return false }
                scalars = scalars[scalars.index(after: close)...]
                return true
            default: return false
            }
        }

        /// `(1, 1)` when there is no quantifier; `nil` for one outside the subset.
        mutating func quantifier() -> (Int, Int)? {
            let bounds: (Int, Int)
            switch scalars.first {
            case "*": bounds = (0, .max)
            case "+": bounds = (1, .max)
            case "?": bounds = (0, 1)
            case "{":
                guard let close = scalars.firstIndex(of: "}") else { return nil }
                let parts = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
                    .split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                let isDecimal = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
                guard isDecimal(parts[0]), let minimum = Int(parts[0]) else { return nil }
                let maximum =
                    parts.count == 1 ? minimum : parts[1].isEmpty ? Int.max : isDecimal(parts[1]) ? Int(parts[1]) : nil
                guard let maximum, maximum >= minimum else { return nil }
                bounds = (minimum, maximum)
                scalars = scalars[close...]
            default:
                return (1, 1)
            }
            scalars = scalars.dropFirst()
            // Lazy (`*?`) and doubled quantifiers are left to Regex.
            if let next = scalars.first, "*+?{".unicodeScalars.contains(next) { return nil }
            return bounds
        }
    }
}
