import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP GETs against a worker's endpoints, as a probe or a scraper would make them.
public enum HTTPProbe {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
    }

    /// The response, or nil when nothing answers (connection refused, timeout).
    public static func get(_ url: String, timeout: TimeInterval = 5) async -> Response? {
        guard let url = URL(string: url) else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              let http = response as? HTTPURLResponse else { return nil }
        return Response(status: http.statusCode, body: String(decoding: data, as: UTF8.self))
    }

    /// Polls `url` until it answers with `status`; throws `WaitTimeout` otherwise.
    public static func waitFor(_ url: String, status: Int, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("\(url) to answer \(status)", timeout: timeout) { await get(url)?.status == status }
    }

    /// The samples of a Prometheus text exposition, keyed by the line's name and labels
    /// as written (`pilot_acked_total{stage="agreement"}`); nil when nothing answers.
    public static func metrics(_ url: String) async -> [String: Double]? {
        guard let response = await get(url), response.status == 200 else { return nil }
        var samples: [String: Double] = [:]
        for line in response.body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }
}
