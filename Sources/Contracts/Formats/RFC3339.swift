/// RFC 3339 timestamps (`2026-11-25T09:00:00Z`, `1990-12-31T15:59:50.123-08:00`)
/// and full dates (`2026-11-25`): strict ASCII grammar, real calendar days,
/// and a leap second only where it falls on 23:59:60 UTC. Shared by the
/// `date-time`/`date` formats and by the `Date` coding of events.
enum RFC3339 {
    struct Timestamp: Equatable {
        var year: Int
        var month: Int
        var day: Int
        var hour = 0
        var minute = 0
        var second = 0
        /// The fraction of a second, to the nanosecond (further digits are read but dropped).
        var nanosecond = 0
        /// East of UTC: `+01:00` is 3600.
        var offsetSeconds = 0

        /// Seconds since 1970-01-01T00:00:00Z; a leap second counts as the first second of the next minute.
        var secondsSince1970: Double {
            let days = RFC3339.daysSince1970(year: year, month: month, day: day)
            let whole = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
            return Double(whole) + Double(nanosecond) / 1e9
        }
    }

    /// `full-date "T" full-time`; `T` and `Z` may be lower case.
    static func parseDateTime(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { bytes in
            var cursor = Cursor(bytes: bytes)
            guard var stamp = cursor.date(), cursor.take("T") || cursor.take("t"),
                let hour = cursor.number(2), cursor.take(":"), let minute = cursor.number(2), cursor.take(":"),
                let second = cursor.number(2), hour < 24, minute < 60, second <= 60
            else { return nil }
            (stamp.hour, stamp.minute, stamp.second) = (hour, minute, second)
            if cursor.take(".") {
                var digits = 0
                while let digit = cursor.number(1) {
                    if digits < 9 { stamp.nanosecond = stamp.nanosecond * 10 + digit }
                    digits += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 9) { stamp.nanosecond *= 10 }
            }
            if cursor.take("Z") || cursor.take("z") {
                stamp.offsetSeconds = 0
            } else {
                let sign: Int
                if cursor.take("+") { sign = 1 } else if cursor.take("-") { sign = -1 } else { return nil }
                guard let offsetHour = cursor.number(2), cursor.take(":"), let offsetMinute = cursor.number(2),
                    offsetHour < 24, offsetMinute < 60
                else { return nil }
                stamp.offsetSeconds = sign * (offsetHour * 3_600 + offsetMinute * 60)
            }
            guard cursor.atEnd else { return nil }
            if second == 60 {
                // Leap seconds are inserted at the end of a UTC day only.
                let utcMinute = ((hour * 60 + minute - stamp.offsetSeconds / 60) % 1_440 + 1_440) % 1_440
                guard utcMinute == 23 * 60 + 59 else { return nil }
            }
            return stamp
        }
    }

    /// `YYYY-MM-DD`, nothing before or after.
    static func parseDate(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { bytes in
            var cursor = Cursor(bytes: bytes)
            guard let stamp = cursor.date(), cursor.atEnd else { return nil }
            return stamp
        }
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysSince1970` (Howard Hinnant's `civil_from_days`).
    static func civil(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Reads ASCII from a UTF-8 buffer; any other byte simply fails to match.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        /// Exactly `width` ASCII digits.
        mutating func number(_ width: Int) -> Int? {
            guard position + width <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<width {
                let byte = bytes[position + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += width
            return value
        }

        mutating func date() -> Timestamp? {
            guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2),
                (1...12).contains(month), day >= 1, day <= RFC3339.daysInMonth(month, year: year)
            else { return nil }
            return Timestamp(year: year, month: month, day: day)
        }
    }
}
