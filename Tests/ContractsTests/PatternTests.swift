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

    @Test(arguments: complex)
    func otherPatternsGoToRegex(_ source: String) throws {
        #expect(try Pattern(source).hasFastPath == false)
    }
}
