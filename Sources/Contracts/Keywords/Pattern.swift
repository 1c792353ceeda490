import PilotJSON

/// `pattern`, and the keys of `patternProperties`: an ECMA-262 regular
/// expression, not anchored, compiled once.
///
/// Swift `Regex` rather than `NSRegularExpression`: about as fast on our
/// patterns (measured ~0.5 µs a match either way), no Foundation, and closer
/// to ECMA-262 out of the box: `$` does not match before a final newline
/// (ICU's does, which would let `"acme\n"` through `^[a-z]+$`). The options
/// below close the remaining gaps: code-point matching as with the `u` flag,
/// ASCII-only `\d` and `\w`, and `\b` defined by `\w`.
///
/// Regex is the last resort, though. Three engines, fastest first:
/// `PatternAutomaton` (a DFA, one table lookup per byte) for ASCII strings,
/// `BacktrackingMatcher` for the rest, Regex for patterns outside their
/// subset or searches the backtracking matcher gives up on. They agree
/// (`PatternTests`), except where Regex itself departs from ECMA-262 (U+0085
/// as a line terminator, "\r\n" as one unit); there the automaton answers as
/// the backtracking matcher always has.
///
/// `@unchecked Sendable`: `Regex` is an immutable value that is not declared
/// `Sendable`; the one lazy part of it (lowering to a program) is initialised
/// atomically, and the match in `init` makes it happen before sharing anyway.
final class Pattern: @unchecked Sendable {
    let source: String
    private let regex: Regex<AnyRegexOutput>
    /// The fast path, for patterns simple enough.
    private let simple: BacktrackingMatcher?
    /// The fastest path, for ASCII strings and patterns simple enough (all of ours).
    let automaton: PatternAutomaton?

    init(_ source: String) throws {
        self.source = source
        regex = try Regex(Self.translatingControlEscapes(source))
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyDigits()
            .asciiOnlyWordCharacters()
            .wordBoundaryKind(.simple)
        _ = try regex.firstMatch(in: "")
        simple = BacktrackingMatcher(source)
        automaton = simple.flatMap(PatternAutomaton.init)
    }

    /// ECMA-262's `\cJ` (a control character by letter) is unknown to Swift
    /// Regex; `\x{0A}` means the same to both.
    private static func translatingControlEscapes(_ source: String) -> String {
        guard source.contains("\\c") else { return source }
        var result = ""
        var scalars = source.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\", let escaped = scalars.next() else { result.unicodeScalars.append(scalar); continue }
            if escaped == "c", let letter = scalars.next() {
                if letter.isASCII, letter.properties.isAlphabetic {
                    result += "\\x{" + String(letter.value % 32, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(contentsOf: [scalar, escaped, letter])
                }
            } else {
                result.unicodeScalars.append(contentsOf: [scalar, escaped])
            }
        }
        return result
    }

    func matches(_ string: String) -> Bool {
        if let verdict = automaton?.matches(string) { return verdict }
        return matchesWithoutAutomaton(string)
    }

    /// The backtracking matcher, or Regex when it gives up: for strings the automaton does not read.
    func matchesWithoutAutomaton(_ string: String) -> Bool {
        if let verdict = simple?.matches(string) { return verdict }
        return (try? regex.firstMatch(in: string)) != nil
    }

    /// The backtracking matcher alone, for comparing it with the automaton in tests.
    func backtrackingMatches(_ string: String) -> Bool? {
        simple?.matches(string)
    }

    /// Swift Regex alone, for comparing it with the fast path in tests.
    func regexMatches(_ string: String) -> Bool {
        (try? regex.firstMatch(in: string)) != nil
    }

    var hasFastPath: Bool { simple != nil }
    var hasAutomaton: Bool { automaton != nil }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .string(let string) = instance else { return true }
        if matches(string) { return true }
        evaluation.fail("pattern", "\(Describe.value(instance)) does not match the pattern \(source)")
        return false
    }
}
