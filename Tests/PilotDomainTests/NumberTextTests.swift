import Foundation
import Testing

@testable import PilotDomain

/// `NumberText.fixed` rounds on the digits of a Double's shortest text. These tests hold it
/// to the decimal arithmetic it replaced (Foundation's `Decimal`, rounded `.plain`), on
/// the values the charts and reports print and on random ones.
@Suite struct NumberTextTests {
    /// The former implementation, kept here only as the reference.
    static func reference(_ value: Double, fractionDigits: Int, trimZeros: Bool, grouping: Bool) -> String {
        var exact = Decimal(string: String(value), locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, fractionDigits, .plain)
        let pieces = rounded.magnitude.description.split(separator: ".", maxSplits: 1).map(String.init)
        var whole = pieces.first ?? "0"
        var fraction = pieces.count > 1 ? pieces[1] : ""
        fraction += String(repeating: "0", count: max(0, fractionDigits - fraction.count))
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }
        if grouping { whole = NumberText.group(whole) }
        return (rounded < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    @Test(arguments: [
        0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.005, 0.0049, 0.004, 9.995, 99.995, 999.9999, 1234567.005,
        19_200, 467_200, 51.4285, 1e-7, -0.00001, 1e20, 123456789.123456, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3,
        99.5, 300, -12.25, 7.0e-5, 5e-5, 4.99999e-5, 1e15, 123e10, 0.999, 0.9995, 9.5, 95.5, -0.5,
    ] as [Double])
    func matchesDecimalRounding(_ value: Double) {
        for digits in 0...5 {
            for (trim, grouping) in [(true, false), (false, true)] {
                #expect(NumberText.fixed(value, fractionDigits: digits, trimZeros: trim, grouping: grouping)
                    == Self.reference(value, fractionDigits: digits, trimZeros: trim, grouping: grouping),
                    "\(value) with \(digits) digits")
            }
        }
    }

    @Test func matchesDecimalRoundingOnRandomValues() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let scale = [1.0, 100, 10_000, 1_000_000, 0.01].randomElement(using: &generator)!
            let value = Double.random(in: -1...1, using: &generator) * scale
            // Values the metrics carry: a few decimals, as reported.
            let reported = (value * 1000).rounded() / 1000
            for candidate in [value, reported] {
                let digits = Int.random(in: 0...4, using: &generator)
                let mine = NumberText.fixed(candidate, fractionDigits: digits, trimZeros: true, grouping: true)
                let theirs = Self.reference(candidate, fractionDigits: digits, trimZeros: true, grouping: true)
                #expect(mine == theirs, "\(candidate) with \(digits) digits")
                if mine != theirs { return }
            }
        }
    }

    /// Values that already have at most the decimals asked for take the integer path
    /// (`scaled`); they must print as the digit rounding would.
    @Test func valuesWithFewDecimalsMatchToo() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let decimals = Int.random(in: 0...6, using: &generator)
            let units = Int64.random(in: -(1 << 52)...(1 << 52), using: &generator) >> Int64.random(in: 0...50, using: &generator)
            var value = Double(units)
            for _ in 0..<decimals { value /= 10 }
            for digits in [decimals, min(decimals + 1, 6), max(decimals - 1, 0)] {
                for (trim, grouping) in [(true, false), (false, true)] {
                    let mine = NumberText.fixed(value, fractionDigits: digits, trimZeros: trim, grouping: grouping)
                    let theirs = Self.reference(value, fractionDigits: digits, trimZeros: trim, grouping: grouping)
                    #expect(mine == theirs, "\(value) with \(digits) digits")
                    if mine != theirs { return }
                }
            }
        }
        #expect(NumberText.scaled(597.3, fractionDigits: 1, trimZeros: true, grouping: false) == "597.3")
        #expect(NumberText.scaled(-1234567.891, fractionDigits: 2, trimZeros: false, grouping: true) == "-1,234,567.89")
        #expect(NumberText.scaled(0.04, fractionDigits: 1, trimZeros: true, grouping: false) == "0")
        #expect(NumberText.scaled(-0.04, fractionDigits: 1, trimZeros: false, grouping: false) == "0.0")
    }

    /// The integer path answers only where the digit path would give the same text; near a
    /// half (0.125 to two decimals lies just below one) and past 2^40 it leaves the value to
    /// the digits. Values a hair on either side of a half, as sums and ratios of reported
    /// figures produce, are where a careless shortcut would differ.
    @Test func theIntegerPathAgreesWithTheDigitsNearHalves() {
        #expect(NumberText.scaled(0.125, fractionDigits: 2, trimZeros: true, grouping: false) == nil)
        #expect(NumberText.scaled(1234567.005, fractionDigits: 2, trimZeros: true, grouping: false) == nil)
        #expect(NumberText.scaled(0x1p41, fractionDigits: 0, trimZeros: true, grouping: false) == nil)
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for _ in 0..<40_000 {
            let digits = Int.random(in: 0...6, using: &generator)
            var power = 1.0
            for _ in 0..<digits { power *= 10 }
            let half = (Double(Int64.random(in: -(1 << 36)...(1 << 36), using: &generator)) + 0.5) / power
            let ulps = Int.random(in: -4000...4000, using: &generator)
            var value = half
            for _ in 0..<abs(ulps) { value = ulps < 0 ? value.nextDown : value.nextUp }
            let scale = Double.random(in: 0.5...2, using: &generator)
            for candidate in [value, value * scale, value / power] {
                for (trim, grouping) in [(true, false), (false, true)] {
                    let fast = NumberText.scaled(candidate, fractionDigits: digits, trimZeros: trim, grouping: grouping)
                    let slow = NumberText.digitRounded(candidate, fractionDigits: digits, trimZeros: trim, grouping: grouping)
                    if let fast {
                        answered += 1
                        #expect(fast == slow, "\(candidate) with \(digits) digits")
                        if fast != slow { return }
                    }
                }
            }
        }
        #expect(answered > 100_000, "the integer path answered \(answered) times")
    }

    @Test func shortestDigitsPlaceThePoint() {
        #expect(NumberText.shortestDigits(123.45) == ([1, 2, 3, 4, 5], 3))
        #expect(NumberText.shortestDigits(0.0012) == ([1, 2], -2))
        #expect(NumberText.shortestDigits(1e20) == ([1], 21))
        #expect(NumberText.shortestDigits(1e-5) == ([1], -4))
    }
}
