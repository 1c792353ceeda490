/// What we do about a criterion that is behind: one sentence per metric, for
/// the weekly report's next steps, the check-in agenda and the results e-mail.
enum RemedyText {
    static func sentence(for criterion: Criterion, name: String) -> String {
        switch criterion.metric {
        case "latency_p95_ms":
            "Go through the slowest requests with your engineers and tune the queries and caching behind them."
        case "accuracy_pct":
            "Review the incorrect results with your analysts and adjust the configuration and reference data."
        case "uptime_pct":
            "Review each outage with your team and add monitoring and failover for the components involved."
        case "error_rate_pct":
            "Trace the failing requests and fix their most frequent causes first."
        case "hours_saved":
            "Help more of your team move their routine work onto the product, so the hours saved catch up."
        case "roi_pct":
            "Raise the hours saved; the return on investment follows them."
        case "nps":
            "Talk to the users who scored 6 or lower and fix what holds them back."
        case "integrations_working_pct":
            "Finish the remaining integrations with your technical contacts."
        default:
            "Look into " + MetricText.lowercasedStart(name) + " together and agree on a fix."
        }
    }
}
