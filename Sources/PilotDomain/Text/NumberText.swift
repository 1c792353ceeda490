import Foundation

/// Numbers written the same way on every machine: no locale, no `String(format:)`.
public enum NumberText {
    /// `value` with at most `maxFractionDigits` decimals, trailing zeros dropped:
    /// 300 → "300", 99.5 → "99.5", 51.4285 → "51.43" (2 digits). Half away from zero.
    public static func plain(_ value: Double, maxFractionDigits: Int = 4, grouping: Bool = false) -> String {
        fixed(value, fractionDigits: maxFractionDigits, trimZeros: true, grouping: grouping)
    }

    /// Money with two decimals and thousands separators: `EUR 19,200.00`.
    public static func money(_ amount: Double, currency: String) -> String {
        currency + " " + fixed(amount, fractionDigits: 2, trimZeros: false, grouping: true)
    }

    /// A percentage: 50 → "50%", 99.5 → "99.5%".
    public static func percent(_ value: Double) -> String { plain(value) + "%" }

    /// Decimal digits, zero-padded on the left to `width`.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let pad = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + pad + digits
    }

    static func fixed(_ value: Double, fractionDigits: Int, trimZeros: Bool, grouping: Bool) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        // Round the decimal a person would read (the shortest text of the Double), not its binary
        // value: 0.125 and 1234567.005 round up, as on paper, although their Doubles lie just below.
        var exact = Decimal(string: String(value), locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, fractionDigits, .plain)
        let text = rounded.magnitude.description
        let pieces = text.split(separator: ".", maxSplits: 1).map(String.init)
        var whole = pieces.first ?? "0"
        var fraction = pieces.count > 1 ? pieces[1] : ""
        fraction += String(repeating: "0", count: max(0, fractionDigits - fraction.count))
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }
        if grouping { whole = group(whole) }
        let sign = rounded < 0 ? "-" : ""
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// "1234567" → "1,234,567".
    static func group(_ digits: String) -> String {
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
