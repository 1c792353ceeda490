import PilotJSON

/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
struct NumberBound {
    enum Kind: String {
        case minimum, maximum, exclusiveMinimum, exclusiveMaximum
    }

    let kind: Kind
    let limit: JSONValue

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        let order = Self.compare(instance, limit)
        let valid =
            switch kind {
            case .minimum: order >= 0
            case .maximum: order <= 0
            case .exclusiveMinimum: order > 0
            case .exclusiveMaximum: order < 0
            }
        if !valid {
            evaluation.fail(kind.rawValue, message(instance))
        }
        return valid
    }

    private func message(_ instance: JSONValue) -> String {
        let value = Describe.value(instance)
        let bound = Describe.value(limit)
        return switch kind {
        case .minimum: "\(value) is less than the minimum \(bound)"
        case .maximum: "\(value) is greater than the maximum \(bound)"
        case .exclusiveMinimum: "\(value) must be greater than \(bound)"
        case .exclusiveMaximum: "\(value) must be less than \(bound)"
        }
    }

    /// -1, 0 or 1. Two integers compare exactly; otherwise as doubles, which is
    /// exact for every integer up to 2^53.
    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int {
        if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : x == y ? 0 : 1 }
        let x = a.number!
        let y = b.number!
        return x < y ? -1 : x == y ? 0 : 1
    }

    static func validateMultipleOf(_ divisor: JSONValue, _ instance: JSONValue, _ evaluation: inout Evaluation)
        -> Bool
    {
        if isMultiple(instance, of: divisor) { return true }
        evaluation.fail("multipleOf", "\(Describe.value(instance)) is not a multiple of \(Describe.value(divisor))")
        return false
    }

    /// Decides on the decimal digits the numbers were written with, not on a
    /// binary quotient: 0.0075 is a multiple of 0.0001 although
    /// 0.0075 / 0.0001 == 74.99999999999999 in binary floating point.
    static func isMultiple(_ instance: JSONValue, of divisor: JSONValue) -> Bool {
        if case .int(let x) = instance, case .int(let d) = divisor { return x % d == 0 }
        guard let x = Decimal64(instance.number!), let d = Decimal64(divisor.number!), d.digits != 0 else {
            return false
        }
        if x.digits == 0 { return true }
        // x = a·10^i and d = b·10^j; with i ≥ j the question is whether b divides a·10^(i-j).
        if x.exponent >= d.exponent {
            // Modular arithmetic; 10·remainder < 10·b cannot overflow as b has at most 17 digits.
            var remainder = x.digits % d.digits
            for _ in 0..<(x.exponent - d.exponent) where remainder != 0 {
                remainder = remainder * 10 % d.digits
            }
            return remainder == 0
        }
        // i < j: a must be a multiple of b·10^(j-i), impossible once that exceeds a.
        var scaled = d.digits
        for _ in 0..<(d.exponent - x.exponent) {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow || product > x.digits { return false }
            scaled = product
        }
        return x.digits % scaled == 0
    }
}

/// A finite double as the shortest decimal that reads back as it (Swift's
/// `description`): `digits · 10^exponent`, sign dropped.
struct Decimal64 {
    var digits: UInt64
    var exponent: Int

    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        // Such as "0.0075", "1e-08", "1.2391239123e+19"; read in place, as this runs per message.
        var digits: UInt64 = 0
        var exponent = 0
        var power = 0
        var powerSign = 1
        var afterPoint = false
        var inExponent = false
        for byte in abs(value).description.utf8 {
            switch byte {
            case UInt8(ascii: "."): afterPoint = true
            case UInt8(ascii: "e"): inExponent = true
            case UInt8(ascii: "-"): powerSign = -1
            case UInt8(ascii: "+"): break
            default:
                let digit = Int(byte - UInt8(ascii: "0"))
                if inExponent {
                    power = power * 10 + digit
                } else {
                    digits = digits * 10 + UInt64(digit)
                    if afterPoint { exponent -= 1 }
                }
            }
        }
        exponent += powerSign * power
        // Trailing zeros moved into the exponent keep the digits small.
        while digits != 0, digits % 10 == 0 {
            digits /= 10
            exponent += 1
        }
        self.digits = digits
        self.exponent = exponent
    }
}
