extension Duration {
    /// Parses `250ms`, `10s`, `5m`, `1h` or a bare number of seconds.
    public init?(parsing text: String) {
        let text = text.trimmingPrefix(while: \.isWhitespace)
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Int64(text.dropLast(suffix.count)), value >= 0 else { return nil }
            self = .milliseconds(value * factor)
            return
        }
        guard let seconds = Double(text), seconds >= 0, seconds.isFinite else { return nil }
        self = .milliseconds(Int64(seconds * 1000))
    }

    /// Parses a comma-separated list such as `1s,10s,60s,5m`.
    public static func list(parsing text: String) -> [Duration]? {
        let parts = text.split(separator: ",").map { Duration(parsing: String($0)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }
}
