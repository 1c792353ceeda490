import Contracts
import Foundation
import Testing

/// `EventTime` writes dates by hand; Foundation's Gregorian calendar in UTC is the oracle.
@Suite struct EventTimeTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func expected(_ date: Date, micros: Int) -> String {
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
        if micros != 0 {
            var fraction = String(format: "%06d", micros)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    @Test func wholeSecondsFrom1900To9999() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // 1900-01-01 ... 9999-12-31
            let seconds = Int.random(in: -2_208_988_800...253_402_300_799, using: &generator)
            let date = Date(timeIntervalSince1970: Double(seconds))
            let expected = Self.expected(date, micros: 0)
            #expect(EventTime.string(date) == expected)
            #expect(EventTime.preciseString(date) == expected)
        }
    }

    @Test func fractionsToTheMicrosecondWithoutTrailingZeros() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let seconds = Int.random(in: -2_208_988_800...4_102_444_800, using: &generator)
            let micros = Int.random(in: 0..<1_000_000, using: &generator) / [1, 10, 1000, 100_000].randomElement(using: &generator)!
            let date = Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1e6)
            let whole = Date(timeIntervalSince1970: Double(seconds))
            #expect(EventTime.preciseString(date) == Self.expected(whole, micros: micros))
            #expect(EventTime.string(date) == Self.expected(whole, micros: 0))
        }
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (-0.5, "1969-12-31T23:59:59.5Z"), (951_782_400.25, "2000-02-29T00:00:00.25Z"),
        (1_764_061_200.999_999_7, "2025-11-25T09:00:01Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func knownInstants(_ seconds: Double, _ text: String) {
        #expect(EventTime.preciseString(Date(timeIntervalSince1970: seconds)) == text)
    }
}
