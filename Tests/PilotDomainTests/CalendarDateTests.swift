import PilotDomain
import Testing

/// `CalendarDate(iso:)` reads bytes; it must take exactly the texts the split into
/// `Character`s took.
@Suite struct CalendarDateTests {
    /// The former parse, kept as the reference.
    static func splitParse(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    @Test func readsOnlyFourTwoAndTwoASCIIDigits() {
        #expect(CalendarDate(iso: "2026-11-25") == CalendarDate(year: 2026, month: 11, day: 25))
        #expect(CalendarDate(iso: "2028-02-29") == CalendarDate(year: 2028, month: 2, day: 29))
        for text in [
            "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-05", "2026-11-5", "20261-1-05", "2026-11-25\n", " 2026-11-25",
            "+026-11-25", "2026-+1-25", "2026‐11‐25", "２０２６-11-25", "٢٠٢٦-11-25", "2026-11-2\u{301}5", "2026/11/25", "",
            "2026-11-25-", "2026\r\n11-25",
        ] {
            #expect(CalendarDate(iso: text) == nil, "\(text.debugDescription)")
            #expect(Self.splitParse(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test func takesWhatTheSplitTookOnRandomTexts() {
        let pieces = ["0", "1", "2", "3", "9", "5", "-", "-", "a", " ", "\r\n", "\u{301}", "٣", "４", "+", "é", "\u{0}", "²"]
        var generator = SystemRandomNumberGenerator()
        var agreed = 0
        var valid = 0
        for round in 0..<40_000 {
            var text: String
            if round % 2 == 0 {
                // Near-dates: a real one with one piece changed.
                func two(_ range: ClosedRange<Int>) -> String {
                    let number = Int.random(in: range, using: &generator)
                    return number < 10 ? "0\(number)" : "\(number)"
                }
                var characters = Array("20" + two(10...39) + "-" + two(0...13) + "-" + two(0...32)).map(String.init)
                characters[Int.random(in: 0..<characters.count, using: &generator)] = pieces.randomElement(using: &generator)!
                if Bool.random(using: &generator) { characters.insert(pieces.randomElement(using: &generator)!, at: Int.random(in: 0...characters.count, using: &generator)) }
                text = characters.joined()
            } else {
                text = (0..<Int.random(in: 8...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            if CalendarDate(iso: text) == Self.splitParse(text) { agreed += 1 } else { Issue.record("\(text.debugDescription)") }
            if CalendarDate(iso: text) != nil { valid += 1 }
        }
        #expect(agreed == 40_000)
        #expect(valid > 1_000)
    }
}
