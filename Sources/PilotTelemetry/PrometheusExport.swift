import CoreMetrics
import Prometheus

/// The process's metrics in the Prometheus text format. Metric names are dotted in code
/// (`pilot.deliveries.total`) and exported with underscores (`pilot_deliveries_total`),
/// the only separator Prometheus allows.
public struct PrometheusExport: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in (Self.prometheusName(name), labels) }
        // Handling a delivery takes 0.1 to 50 ms; the default buckets start at 5 ms.
        factory.durationHistogramBuckets[Self.prometheusName("pilot.handling.seconds")] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// Makes this export the process's swift-metrics backend. Once per process.
    public func bootstrap() {
        MetricsSystem.bootstrap(factory)
    }

    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    static func prometheusName(_ dotted: String) -> String {
        String(dotted.map { $0 == "." || $0 == "-" ? "_" : $0 })
    }
}
