import Testing

@testable import PilotDomain

/// `MarkdownText`'s byte-level shortcuts return what its walks over `Character`s return,
/// on random text built from what the shortcuts must tell apart: Markdown punctuation,
/// white space past ASCII (U+00A0, U+2028, U+0085), combining marks that join a space or
/// a punctuation mark into one grapheme, line breaks, tabs, emoji.
@Suite struct MarkdownTextShortcutTests {
    static let pieces = [
        "a", "Word", " ", "  ", "\t", "\n", "\r\n", "\u{A0}", "\u{2028}", "\u{85}", "\u{301}", "*", "_", "|", "&",
        "&amp;", "&#x1F;", "#", "≤ 300 ms", "é", "e\u{301}", "1.", "-", "+", "=", "`", "\\", "[", "]", "<", ">", "~",
        "R&D", "😀", "👍🏽", "12)", "1234567890.", "&x;", "&#;", "&;", "&X1;", "latency_p95_ms", "٣.", "３)", "-\u{301}", "1\u{301}.",
    ]

    @Test func shortcutsAgreeWithTheWalks() {
        var random = SplitMix64(seed: 8259)
        var shortcuts = 0
        var asciiLines = 0
        var markedStarts = 0
        for _ in 0..<20_000 {
            let text = (0..<random.below(7)).map { _ in Self.pieces[random.below(Self.pieces.count)] }.joined()
            let line = MarkdownText.singleLineByCharacter(text)
            #expect(MarkdownText.singleLine(text) == line, "singleLine(\(text.debugDescription))")
            #expect(MarkdownText.escape(text) == MarkdownText.escapeLineStartByCharacter(MarkdownText.escapedByCharacter(line)),
                    "escape(\(text.debugDescription))")
            for start in [text, line, MarkdownText.escapedByCharacter(line)] {
                #expect(MarkdownText.escapeLineStart(start) == MarkdownText.escapeLineStartByCharacter(start),
                        "escapeLineStart(\(start.debugDescription))")
                if MarkdownText.escapeLineStart(start) != start { markedStarts += 1 }
            }
            if MarkdownText.isSingleLine(text) { shortcuts += 1 }
            if let escaped = MarkdownText.escapedASCII(line) {
                asciiLines += 1
                #expect(escaped == MarkdownText.escapeLineStartByCharacter(MarkdownText.escapedByCharacter(line)),
                        "escapedASCII(\(line.debugDescription))")
            }
        }
        #expect(shortcuts > 2_000, "the shortcut must be taken often enough to be tested")
        #expect(asciiLines > 2_000, "the ASCII path must be taken often enough to be tested")
        #expect(markedStarts > 2_000, "line starts that need a backslash must come up often enough to be tested")
    }

    @Test func whiteSpacePastASCIIAndJoinedSpacesAreNotOneLineAlready() {
        for text in ["a\u{A0}b", "a\u{2028}b", "a\u{85}b", "a \u{301}", "\u{A0}a", "a\u{3000}"] {
            #expect(!MarkdownText.isSingleLine(text), "\(text.debugDescription)")
        }
        #expect(MarkdownText.isSingleLine("≤ 300 ms"))
        #expect(MarkdownText.escape("≤ 300 ms") == "≤ 300 ms")
        #expect(MarkdownText.escape("≥ 99.5% | *x*") == "≥ 99.5% \\| \\*x\\*")
    }
}
