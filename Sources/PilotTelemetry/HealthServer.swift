import FlyingFox
import FlyingSocks
import Foundation
import Logging
import PilotRuntime
import ServiceLifecycle

/// The worker's HTTP endpoints, for Prometheus and for orchestrators:
/// - `GET /metrics`: every metric in the Prometheus text format;
/// - `GET /healthz`: 200 while the process serves requests (liveness);
/// - `GET /readyz`: 200 when every consumer is connected and consuming, else 503 with the
///   reason (readiness: a worker waiting for the broker, or draining, takes no traffic).
///
/// Put it before the worker in the `ServiceGroup`: services stop in reverse order, so the
/// endpoints keep answering (unready) while the worker drains.
public struct HealthServer: Service {
    public let host: String
    public let port: UInt16
    let export: PrometheusExport
    let gauges: StoreGauges
    let status: WorkerStatus
    let logger: Logger

    public init(host: String, port: UInt16, export: PrometheusExport, gauges: StoreGauges, status: WorkerStatus, logger: Logger) {
        self.host = host
        self.port = port
        self.export = export
        self.gauges = gauges
        self.status = status
        var logger = logger
        logger[metadataKey: "component"] = "http"
        self.logger = logger
    }

    public func run() async throws {
        let address: sockaddr_in
        do {
            address = try .inet(ip4: host, port: port)
        } catch {
            throw HealthServerError("PILOT_METRICS_HOST \(host) is not an IPv4 address")
        }
        let server = HTTPServer(address: address, timeout: 10, logger: LogAdapter(logger: logger))
        let export = export, gauges = gauges, status = status
        await server.appendRoute("GET /metrics") { _ in
            gauges.refresh()
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Data(export.render()))
        }
        await server.appendRoute("GET /healthz") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain"], body: Data("ok\n".utf8))
        }
        await server.appendRoute("GET /readyz") { _ in
            let readiness = status.readiness
            return HTTPResponse(
                statusCode: readiness.isReady ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: Data("\(readiness.isReady ? "ready" : "not ready"): \(readiness.reason)\n".utf8))
        }
        await server.appendRoute("*") { _ in
            HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/plain"],
                         body: Data("not found; try /metrics, /healthz or /readyz\n".utf8))
        }
        logger.info("serving /metrics, /healthz and /readyz", metadata: ["address": .string("\(host):\(port)")])
        do {
            try await withGracefulShutdownHandler {
                try await server.run()
            } onGracefulShutdown: {
                Task { await server.stop(timeout: 1) }
            }
        } catch is CancellationError {
            return
        } catch {
            // stop() closes the listening socket, and FlyingFox then ends run() with
            // SocketError.disconnected unless the cancellation got there first.
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            throw HealthServerError("cannot serve metrics on \(host):\(port): \(error)")
        }
    }
}

public struct HealthServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// FlyingFox's own log lines, through swift-log; per-request lines are debug noise.
private struct LogAdapter: FlyingSocks.Logging {
    let logger: Logger

    func logDebug(_ debug: @autoclosure () -> String) { logger.trace("\(debug())") }
    func logInfo(_ info: @autoclosure () -> String) { logger.debug("\(info())") }
    func logWarning(_ warning: @autoclosure () -> String) { logger.warning("\(warning())") }
    func logError(_ error: @autoclosure () -> String) { logger.error("\(error())") }
    func logCritical(_ critical: @autoclosure () -> String) { logger.critical("\(critical())") }
}
