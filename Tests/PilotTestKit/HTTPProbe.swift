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
        try? await fetch(url, timeout: timeout).get()
    }

    /// The response, or why there is none.
    public static func fetch(_ url: String, timeout: TimeInterval = 5) async -> Result<Response, any Error> {
        guard let url = URL(string: url) else { return .failure(URLError(.badURL)) }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .failure(URLError(.badServerResponse)) }
            return .success(Response(status: http.statusCode, body: String(decoding: data, as: UTF8.self)))
        } catch {
            return .failure(error)
        }
    }

    /// Polls `url` until it answers with `status`; throws `WaitTimeout` otherwise, naming
    /// the last answer or error.
    public static func waitFor(_ url: String, status: Int, timeout: Duration = .seconds(30)) async throws {
        var last = "nothing yet"
        do {
            try await waitUntil("\(url) to answer \(status)", timeout: timeout) {
                switch await fetch(url) {
                case .success(let response):
                    last = "\(response.status) \(response.body.prefix(200))"
                    return response.status == status
                case .failure(let error):
                    last = "\(error)"
                    return false
                }
            }
        } catch var timedOut as WaitTimeout {
            timedOut.awaited += " (last: \(last))"
            throw timedOut
        }
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
