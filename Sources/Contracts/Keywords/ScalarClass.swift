/// A set of Unicode scalars: a bitmap for ASCII and ranges beyond, possibly negated.
struct ScalarClass {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var ranges: [ClosedRange<UInt32>] = []
    private var negated = false

    init() {}

    init(_ scalar: Unicode.Scalar) {
        insert(scalar.value...scalar.value)
    }

    static let anyButLineTerminators: ScalarClass = {
        var set = ScalarClass(lineTerminators: ())
        set.negated = true
        return set
    }()

    private init(lineTerminators: ()) {
        for scalar: UInt32 in [0x0A, 0x0D, 0x2028, 0x2029] { insert(scalar...scalar) }
    }

    func contains(_ scalar: UInt32) -> Bool {
        let member: Bool
        if scalar < 64 {
            member = low & (1 << UInt64(scalar)) != 0
        } else if scalar < 128 {
            member = high & (1 << UInt64(scalar - 64)) != 0
        } else {
            member = ranges.contains { $0.contains(scalar) }
        }
        return member != negated
    }

    mutating func insert(_ range: ClosedRange<UInt32>) {
        var value = range.lowerBound
        while value < 128, value <= range.upperBound {
            if value < 64 { low |= 1 << UInt64(value) } else { high |= 1 << UInt64(value - 64) }
            value += 1
        }
        if range.upperBound >= 128 { ranges.append(max(value, 128)...range.upperBound) }
    }

    private mutating func formUnion(_ other: ScalarClass) {
        low |= other.low
        high |= other.high
        ranges += other.ranges
    }

    // ECMA-262 character class escapes; \d and \w are ASCII only.
    private static let digits = ScalarClass(ranges: [0x30...0x39])
    private static let word = ScalarClass(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    private static let space = ScalarClass(ranges: [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])

    private init(ranges: [ClosedRange<UInt32>]) {
        for range in ranges { insert(range) }
    }

    /// After a `\`: a class escape, a control escape, or an escaped punctuation mark.
    static func parseEscape(_ scalars: inout ArraySlice<Unicode.Scalar>, inBracket: Bool) -> ScalarClass? {
        guard let scalar = scalars.popFirst() else { return nil }
        switch scalar {
        case "d", "D": return inBracket && scalar == "D" ? nil : digits.negated(scalar == "D")
        case "w", "W": return inBracket && scalar == "W" ? nil : word.negated(scalar == "W")
        case "s", "S": return inBracket && scalar == "S" ? nil : space.negated(scalar == "S")
        case "n": return ScalarClass("\n")
        case "t": return ScalarClass("\t")
        case "r": return ScalarClass("\r")
        case "f": return ScalarClass("\u{0C}")
        case "v": return ScalarClass("\u{0B}")
        default:
            // Only punctuation escapes to itself; `\b`, `\p`, `\u`, `\1`… mean more.
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else { return nil }
            return ScalarClass(scalar)
        }
    }

    private func negated(_ flag: Bool) -> ScalarClass {
        var copy = self
        copy.negated = flag
        return copy
    }

    /// After a `[`: the members up to `]`.
    static func parseBracket(_ scalars: inout ArraySlice<Unicode.Scalar>) -> ScalarClass? {
        var set = ScalarClass()
        if scalars.first == "^" {
            set.negated = true
            scalars = scalars.dropFirst()
        }
        var empty = true
        while let scalar = scalars.popFirst() {
            if scalar == "]" { return empty ? nil : set }
            empty = false
            var lower = scalar
            if scalar == "\\" {
                guard let escaped = parseEscape(&scalars, inBracket: true) else { return nil }
                guard let single = escaped.single else { set.formUnion(escaped); continue }
                lower = single
            } else if scalar == "[" {
                return nil  // Regex would read `[[:alpha:]]` and the like; leave it to Regex.
            }
            // A range `a-z`, unless the `-` is the last member.
            if scalars.first == "-", let upper = scalars.dropFirst().first, upper != "]" {
                guard upper != "\\", upper != "[", lower.value <= upper.value else { return nil }
                set.insert(lower.value...upper.value)
                scalars = scalars.dropFirst(2)
            } else {
                set.insert(lower.value...lower.value)
            }
        }
        return nil
    }

    /// The one scalar this class holds, if that is what it is.
    private var single: Unicode.Scalar? {
        guard !negated, ranges.isEmpty, (low.nonzeroBitCount + high.nonzeroBitCount) == 1 else { return nil }
        let value = low != 0 ? UInt32(low.trailingZeroBitCount) : UInt32(64 + high.trailingZeroBitCount)
        return Unicode.Scalar(value)
    }
}
