import Foundation

/// Reads a `PILOT_*` variable; every flag of the worker has one, so a unit file or a
/// Kubernetes manifest can configure it without a command line.
func env(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
}

/// The numeric variables, whole or not: a value that does not parse must stop the worker
/// with its name, not fall back to the default without a word.
let numericVariables: [(name: String, whole: Bool)] = [
    ("PILOT_DAY_SECONDS", false), ("PILOT_SIGNATURE_REMINDER_DAYS", true), ("PILOT_SIGNATURE_EXPIRY_DAYS", true),
    ("PILOT_CONCURRENCY", true), ("PILOT_PREFETCH", true), ("PILOT_MAX_ATTEMPTS", true), ("PILOT_MAX_BODY_BYTES", true),
    ("PILOT_SHUTDOWN_TIMEOUT", false), ("PILOT_HEARTBEAT", true), ("PILOT_METRICS_PORT", true),
    ("PILOT_WEBHOOK_TIMEOUT", false), ("PILOT_JSON_CACHE_MB", true),
]

/// The first numeric variable whose value is not a number, as a sentence.
func unparsableVariable() -> String? {
    for (name, whole) in numericVariables {
        guard let value = env(name) else { continue }
        let parses = whole ? Int(value) != nil : Double(value).map(\.isFinite) == true
        if !parses { return "\(name) must be \(whole ? "a whole number" : "a number"), got \"\(value)\"" }
    }
    return nil
}
