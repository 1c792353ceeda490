#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RFC3339 {
    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC, with a fraction (to the microsecond,
    /// trailing zeros dropped) only when there is one. `nil` outside years 0000–9999.
    static func format(_ date: Date) -> String? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        var whole = Int(seconds.rounded(.down))
        var micros = Int(((seconds - Double(whole)) * 1e6).rounded())
        if micros == 1_000_000 {
            whole += 1
            micros = 0
        }
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = civil(daysSince1970: days)
        guard (0...9999).contains(year) else { return nil }
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3_600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if micros != 0 {
            var fraction = pad(micros, 6)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The instant a date-time names, fractional seconds and offset included.
    static func date(_ text: String) -> Date? {
        parseDateTime(text).map { Date(timeIntervalSince1970: $0.secondsSince1970) }
    }
}
