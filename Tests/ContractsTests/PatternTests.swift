import Foundation
@testable import Contracts
import Testing

/// The fast matcher for simple patterns must agree with Swift Regex everywhere.
@Suite struct PatternTests {
    static let simple = [
        "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", #"\.\."#, "^[A-Z]{3}$", "^a*$", "a+", #"^\d{4}-\d{2}$"#, "^.$", "[^a-z]",
        "x?y*z+", #"^\w+@\w+\.com$"#, #"\s"#, #"^[\d\s]+$"#, "é+", "^[a-zé]{2,3}$", "^a{2,}$", "^$", "", "a*a*a*b",
        "[-a]", "[a-]", #"^\$"#, #"\^"#, "a{3}", #"^[\w.+-]+$"#, #"\D\W\S"#, "^.*$", "[🐲]", "b{0}c",
        #"^[a-z]+(\.[a-z_]+)+$"#, "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$", "a|b", "^(a|ab)(c|bcd)$", "(a|)+c",
        "^(?:x|y){2,3}$", "(?<word>[a-z]+)-", "^(a?){3}a{3}$", "(^a|b$)", "^(|a)+$", "((a)|b)+z",
    ]
    static let complex = [
        #"\bfoo"#, #"^\p{Letter}+$"#, "a*?", "[[:alpha:]]", #"(a)\1"#, "a{,3}", "(?=a)", "(?!a)b",
    ]
    static let inputs = [
        "", "a", "aa", "aaa", "abc", "ABC", "USD", "US", "acme-2026-11", "a..b", "acme\n", "\n", "\r", "\u{2028}", "é",
        "e\u{301}", "🐲", "x y", "12 34", "1234-56", "\u{0663}", "a_b@c.com", String(repeating: "a", count: 40) + "c",
        "-", "$", "^", "z", "xyzz", "yz", "\u{00A0}", "ABCD", "a\tb", "c", "bc", ".", "+x",
        String(repeating: "x", count: 129),
        "pilot.requested", "pilot.monitor.tick", "pilot..x", "America/Chicago", "America/Argentina/Buenos_Aires",
        "Etc/GMT+5", "/x", "abcd", "abc", "xyx", "abab-", "aaaaaa", "aaaaa", "bz", "aaz", "aac", "ac",
        String(repeating: "a", count: 30),
    ]

    /// Random strings over a small alphabet, where the two engines differ most easily.
    static let randomInputs: [String] = {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "b", "c", "z", ".", "-", "/", "x", "y", "A", "1", "é", "\n"]
        return (0..<300).map { _ in
            let length = Int.random(in: 0...8, using: &generator)
            return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }()

    @Test(arguments: simple)
    func fastPathAgreesWithRegex(_ source: String) throws {
        let pattern = try Pattern(source)
        #expect(pattern.hasFastPath)
        for input in Self.inputs + Self.randomInputs {
            #expect(pattern.matches(input) == pattern.regexMatches(input), "\(source) on \(input.debugDescription)")
        }
    }

    /// Catastrophic backtracking gives up (and leaves the verdict to Regex) instead of running for ages.
    @Test func pathologicalPatternsGiveUp() throws {
        let matcher = try #require(BacktrackingMatcher("(a*)*b"))
        #expect(matcher.matches("aab") == true)
        #expect(matcher.matches(String(repeating: "a", count: 40)) == nil)
    }

    /// A long non-ASCII string repeats a group thousands of times: the matcher recursed
    /// per repetition and overflowed the stack (the worker died on the event each time it
    /// came). Now it gives up at a depth a 1 MB stack holds, and Regex answers.
    @Test func longRepetitionsOfAGroupGiveUpBeforeTheStackRunsOut() throws {
        let pattern = try Pattern("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")
        let cases = [(String(repeating: "A/", count: 1_999) + "é", false), ("A" + String(repeating: "/é", count: 5_000), false),
            ("A" + String(repeating: "/b", count: 3_000) + "/é", false), ("Europe" + String(repeating: "/x", count: 150), true)]
        for (input, expected) in cases {
            let verdict = onSmallStack { pattern.matchesWithoutAutomaton(input) }
            #expect(verdict == expected, "\(input.prefix(20))… (\(input.utf8.count) bytes)")
            #expect(verdict == pattern.regexMatches(input))
        }
    }

    /// Runs `body` on a thread with a 1 MB stack and waits for its result.
    func onSmallStack(_ body: @escaping @Sendable () -> Bool) -> Bool {
        final class Box: @unchecked Sendable { var value = false }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
        return box.value
    }

    @Test(arguments: complex)
    func otherPatternsGoToRegex(_ source: String) throws {
        #expect(try Pattern(source).hasFastPath == false)
        #expect(try Pattern(source).hasAutomaton == false)
    }

    /// Every `pattern` of our event schemas, as written there.
    static let schemaPatterns = [
        #"\.\."#, "^([01][0-9]|2[0-3]):[0-5][0-9]$", "^[!-~]+$", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        #"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"#,
        "^[A-Z]{3}$",
        #"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"#,
        "^[A-Za-z0-9][A-Za-z0-9._-]*$", "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", "^[A-Za-z0-9][A-Za-z0-9._@+=-]*$",
        "^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$", "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
        "^[^@ ,;:<>()\"\r\n\t]+@[^@ ,;:<>()\"\r\n\t]+$", "^[^\r\n]*$", "^[a-z0-9]{1,20}$", "^[a-z][a-z0-9_]*$",
        #"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"#, "^[a-z][a-z0-9_]{0,63}$",
        // The JSON text of the schemas hands CR, LF and tab over as the characters (above);
        // the same patterns written with regular-expression escapes instead.
        #"^[^\r\n]*$"#, #"^[^@ ,;:<>()"\r\n\t]+@[^@ ,;:<>()"\r\n\t]+$"#,
    ]

    /// Inputs where a hand-written fast path goes wrong most easily.
    static let trickyInputs: [String] = {
        let id127 = "a" + String(repeating: "b", count: 126)
        var inputs = [
            "", "\r", "\n", "\r\n", "a\r\n", "a\n", "a\r", "\na", "\ra", "abc\r\n", "USD\n", "US\r\nD", "USD", "usd",
            "USDX", "é", "aé", "éa", "e\u{301}", "a\u{301}", "USD\u{301}", "U\u{301}SD", "🐲", "a🐲", "\u{2028}",
            "a\u{2029}",
            "\u{0085}", "\t", " ", "a b", "~", "!", "\u{7F}", "\u{0}", "a\u{0}b",
            id127, id127 + "c", id127 + "cd", "-" + id127, "." + id127, id127 + "\n", id127 + "é",
            "acme-2026-11", "acme..x", "a..", "..", ".", "a.b", "a/b", "/a", "a/", "a//b", "_a/b_", "a/b/c+d-e",
            "America/New_York", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC",
            "dana.whitfield@acme-analytics.com", "a@b", "@b", "a@", "a@@b", "a b@c", "a@b\r\n", "é@x.com",
            "acme-analytics.com", "a.b.c", "-a.com", "a-.com", "a.com-", "com", "a..com",
            String(repeating: "a", count: 63) + ".com", String(repeating: "a", count: 64) + ".com",
            "2026-11-25", "2026-11-25T09:00:00Z", "2026-11-25t09:00:00.123+01:00", "2026-11-25T09:00:00",
            "2026-11-25T09:00:00.Z", "09:00", "23:59", "24:00", "19:60", "9:00", "09:00\n",
            "pilot.requested", "pilot", "pilot.", "pilot.x.y_z", "Pilot.x", "pilot.1x",
            "specversion", "datacontenttype", String(repeating: "a", count: 20), String(repeating: "a", count: 21),
            String(repeating: "x", count: 64), String(repeating: "x", count: 65),
        ]
        inputs += inputs.map { $0 + "\n" } + inputs.map { "\r\n" + $0 } + inputs.map { $0 + "\u{301}" }
        return inputs
    }()

    /// Where Swift Regex itself departs from ECMA-262 (which the backtracking matcher follows, and
    /// did before the automaton existed): it takes U+0085 (NEL) for a line terminator and a space,
    /// and "\r\n" for one unit in places (`\D\W\S` does not match "\r\na"). There the automaton
    /// must keep answering what the backtracking matcher answers.
    static func regexDeparts(on input: String) -> Bool {
        input.unicodeScalars.contains("\u{85}") || input.contains("\r\n")
    }

    /// The automaton against Regex and the backtracking matcher, on the patterns we use and on the simple ones.
    @Test(arguments: schemaPatterns + simple)
    func automatonAgreesWithRegex(_ source: String) throws {
        let pattern = try Pattern(source)
        let automaton = try #require(pattern.automaton, "no automaton for \(source)")
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", "0", "9", ".", "-", "_", "/", "@", ":", "T", "z", "+", " ", "\r", "\n"]
        let random = (0..<500).map { _ in
            let length = Int.random(in: 0...12, using: &generator)
            return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for input in Self.trickyInputs + Self.inputs + Self.randomInputs + random {
            let isASCII = input.utf8.allSatisfy { $0 < 0x80 }
            let backtracking = pattern.backtrackingMatches(input)
            let automatic = automaton.matches(input)
            // Before the automaton, `matches` was the backtracking matcher, or Regex when it gave up.
            let before = backtracking ?? pattern.regexMatches(input)
            #expect(pattern.matches(input) == before, "\(source) on \(input.debugDescription)")
            if isASCII { #expect(automatic != nil, "the automaton gave up on ASCII \(input.debugDescription)") }
            if let automatic, let backtracking {
                #expect(automatic == backtracking, "automaton vs backtracking: \(source) on \(input.debugDescription)")
            }
            if !Self.regexDeparts(on: input) {
                #expect(pattern.matches(input) == pattern.regexMatches(input),
                    "vs Regex: \(source) on \(input.debugDescription)")
            }
        }
    }

    /// The departures `regexDeparts(on:)` names, pinned: if Regex changes, the list can shrink.
    @Test func regexDeparturesAreKnown() throws {
        #expect(try Pattern("^.$").regexMatches("\u{85}") == false)
        #expect(try Pattern("^.$").matches("\u{85}") == true)
        #expect(try Pattern(#"\D\W\S"#).regexMatches("\r\na") == false)
        #expect(try Pattern(#"\D\W\S"#).matches("\r\na") == true)
        // Where it matters to our schemas, all three agree.
        for input in ["a\r\n", "\r\n", "a\r", "a\n", "\r\na"] {
            let pattern = try Pattern("^[^\r\n]*$")
            #expect(pattern.matches(input) == false && pattern.regexMatches(input) == false)
            #expect(pattern.automaton?.matches(input) == false)
        }
    }

    /// Patterns whose automaton would be too large go to the backtracking matcher.
    @Test func hugeAutomataAreNotBuilt() throws {
        #expect(try Pattern("^a{9000}$").hasAutomaton == false)
        #expect(try Pattern("^a{9000}$").hasFastPath == true)
        #expect(try Pattern("^a{9000}$").matches(String(repeating: "a", count: 9000)))
    }
}

