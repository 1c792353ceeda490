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
        return scaled(value, fractionDigits: fractionDigits, trimZeros: trimZeros, grouping: grouping)
            ?? digitRounded(value, fractionDigits: fractionDigits, trimZeros: trimZeros, grouping: grouping)
    }

    /// `fixed` for any finite value, on the digits of its shortest text.
    static func digitRounded(_ value: Double, fractionDigits: Int, trimZeros: Bool, grouping: Bool) -> String {
        // Round the decimal a person would read (the shortest text of the Double), not its binary
        // value: 0.125 and 1234567.005 round up, as on paper, although their Doubles lie just below.
        // Done on that text's digits: Foundation's Decimal took a third of a worker's time in
        // the daily charts.
        var (digits, point) = shortestDigits(value.magnitude)
        // Keep the digits up to `fractionDigits` after the point; half away from zero.
        let kept = point + fractionDigits
        if kept < digits.count {
            let roundsUp = kept >= 0 && digits[kept] >= 5
            digits.removeLast(digits.count - max(kept, 0))
            if roundsUp {
                var index = digits.count - 1
                while index >= 0 && digits[index] == 9 {
                    digits[index] = 0
                    index -= 1
                }
                if index >= 0 {
                    digits[index] += 1
                } else {
                    digits.insert(1, at: 0)
                    point += 1
                }
            }
        }
        let zero = UInt8(ascii: "0")
        // No leading zero to strip: the first digit is not 0 unless the value is.
        var whole = point > 0
            ? String(decoding: (0..<point).map { $0 < digits.count ? zero + digits[$0] : zero }, as: UTF8.self) : "0"
        var fraction = String(decoding: (0..<max(fractionDigits, 0)).map { position -> UInt8 in
            let index = point + position
            return index >= 0 && index < digits.count ? zero + digits[index] : zero
        }, as: UTF8.self)
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }
        let isZero = !digits.contains { $0 != 0 }
        if grouping { whole = group(whole) }
        let sign = value < 0 && !isZero ? "-" : ""
        return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The text from integer arithmetic when the rounding is beyond doubt, nil otherwise.
    ///
    /// Let k be `value × 10^fractionDigits` rounded to the nearest whole number. Below 2^40,
    /// the computed product and the shortest text's decimal (scaled alike) lie within 4·10⁻⁴
    /// of the exact product, so when the product is more than 0.001 away from a half, the
    /// digit rounding of `fixed` gives k too. That holds for nearly every value a chart or a
    /// report prints; the digit path is left for near-halves, huge values and more than
    /// six decimals.
    static func scaled(_ value: Double, fractionDigits: Int, trimZeros: Bool, grouping: Bool) -> String? {
        guard (0...6).contains(fractionDigits) else { return nil }
        let power = powersOfTen[fractionDigits]
        let product = value.magnitude * Double(power)
        guard product < 0x1p40 else { return nil }
        let nearest = product.rounded()
        guard abs(product - nearest) < 0.499 else { return nil }
        let units = UInt64(nearest)
        let whole = units / power
        var fraction = units % power
        var fractionWidth = fractionDigits
        if trimZeros {
            while fractionWidth > 0, fraction % 10 == 0 {
                fraction /= 10
                fractionWidth -= 1
            }
        }
        // 13 whole digits, 4 separators, a sign, a point and 6 decimals at most.
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var end = buffer.count
            func put(_ byte: UInt8) {
                end -= 1
                buffer[end] = byte
            }
            for _ in 0..<fractionWidth {
                put(UInt8(ascii: "0") + UInt8(fraction % 10))
                fraction /= 10
            }
            if fractionWidth > 0 { put(UInt8(ascii: ".")) }
            var rest = whole
            var written = 0
            repeat {
                if grouping, written > 0, written % 3 == 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
                written += 1
            } while rest > 0
            if value < 0, units != 0 { put(UInt8(ascii: "-")) }
            // Built from the end; move it to the start.
            let count = buffer.count - end
            for index in 0..<count { buffer[index] = buffer[end + index] }
            return count
        }
    }

    private static let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// The decimal digits of `value`'s shortest round-trip text and where its point goes:
    /// 123.45 → ([1, 2, 3, 4, 5], 3); 0.0012 → ([1, 2], -2); 1e20 → ([1], 21).
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], point: Int) {
        let text = value.description.utf8
        var digits: [UInt8] = []
        digits.reserveCapacity(text.count)
        var point: Int?
        var exponent = 0
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "."): point = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var rest: [UInt8] = []
                while let next = iterator.next() { rest.append(next) }
                exponent = Int(String(decoding: rest, as: UTF8.self)) ?? 0
            default: break
            }
        }
        var position = (point ?? digits.count) + exponent
        // Leading zeros ("0.0012") move the point instead.
        while digits.count > 1, digits[0] == 0 {
            digits.removeFirst()
            position -= 1
        }
        return (digits, position)
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
