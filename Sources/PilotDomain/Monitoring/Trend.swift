/// Which way a criterion's daily values are heading, judged on the last three
/// days that have a value: the latest against the one two reports earlier (the
/// least-squares slope of three evenly spaced points has the same sign).
/// "Improving" means towards the target's good side: down for `<=`, up for `>=`.
/// A change within 0.1% of the target's size (at least 0.001) is steady, as is
/// anything with fewer than two values.
public enum Trend: String, Codable, Hashable, Sendable {
    case improving
    case worsening
    case steady

    /// How many of the latest values the trend looks at.
    public static let window = 3

    /// The trend of `values` (oldest first; only the last three count) for a
    /// criterion compared with `target` as `comparison` says.
    public static func of(_ values: [Double], comparison: Criterion.Comparison, target: Double) -> Trend {
        let recent = values.suffix(window)
        guard recent.count >= 2, let first = recent.first, let last = recent.last else { return .steady }
        let tolerance = max(abs(target) * 0.001, 0.001)
        let change = last - first
        guard abs(change) > tolerance else { return .steady }
        let better = comparison == .atMost ? change < 0 : change > 0
        return better ? .improving : .worsening
    }

    /// "↑ improving", "↓ worsening", "→ steady": the arrow points to better or worse, not to the number.
    public var arrow: String {
        switch self {
        case .improving: "↑"
        case .worsening: "↓"
        case .steady: "→"
        }
    }

    /// Arrow and word.
    public var label: String { arrow + " " + rawValue }
}
