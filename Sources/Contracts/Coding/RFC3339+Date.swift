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
        // Written into one buffer: this runs for every event a stage emits and every log line.
        return String(unsafeUninitializedCapacity: 28) { buffer in
            var end = 0
            func put(_ value: Int, _ width: Int) {
                var rest = value
                for position in stride(from: end + width - 1, through: end, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += width
            }
            func put(_ byte: Unicode.Scalar) {
                buffer[end] = UInt8(ascii: byte)
                end += 1
            }
            put(year, 4); put("-"); put(month, 2); put("-"); put(day, 2); put("T")
            put(secondOfDay / 3_600, 2); put(":"); put(secondOfDay / 60 % 60, 2); put(":"); put(secondOfDay % 60, 2)
            if micros != 0 {
                put(".")
                put(micros, 6)
                while buffer[end - 1] == UInt8(ascii: "0") { end -= 1 }
            }
            put("Z")
            return end
        }
    }

    /// The instant a date-time names, fractional seconds and offset included.
    static func date(_ text: String) -> Date? {
        parseDateTime(text).map { Date(timeIntervalSince1970: $0.secondsSince1970) }
    }
}
