/// Combines a criterion's daily values into its actual value, as the
/// criterion's `aggregation` says. The derived criteria use:
/// - `latency_p95_ms`: mean of the daily p95 latencies
/// - `accuracy_pct`: mean of the daily accuracies
/// - `uptime_pct`: minimum daily uptime (the worst day counts)
/// - `error_rate_pct`: mean of the daily error rates
/// - `hours_saved`: sum of the daily hours saved
/// - `roi_pct` and `nps` are not daily values: see `ROICalculation` and `FeedbackSummary`.
///
/// Also understood: `max`, `last` (the latest day's value), `avg`/`average`
/// (= mean). An unknown aggregation is taken as the mean. Days without a value
/// are left out, never counted as zero.
public enum MetricAggregation {
    /// The aggregate of `values` (by day, oldest first); `nil` when empty.
    public static func aggregate(_ values: [Double], _ aggregation: String) -> Double? {
        guard let last = values.last else { return nil }
        switch aggregation {
        case "sum": return values.reduce(0, +)
        case "min": return values.min()
        case "max": return values.max()
        case "last": return last
        default: return values.reduce(0, +) / Double(values.count)
        }
    }

    /// Whether `aggregation` adds the days up (so the actual grows as the pilot runs).
    public static func isSum(_ aggregation: String) -> Bool { aggregation == "sum" }

    /// How the actual value is described in sentences: "averaged", "fell to … on its worst day", ….
    static func verb(_ aggregation: String) -> String {
        switch aggregation {
        case "sum": "totalled"
        case "min": "was at its lowest"
        case "max": "peaked at"
        case "last": "ended at"
        default: "averaged"
        }
    }
}
