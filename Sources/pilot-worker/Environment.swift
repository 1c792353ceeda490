import Foundation

/// Reads a `PILOT_*` variable; every flag of the worker has one, so a unit file or a
/// Kubernetes manifest can configure it without a command line.
func env(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
}
