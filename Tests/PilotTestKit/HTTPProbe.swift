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

    /// Polls `url` until it answers with `status`; false on timeout.
    public static func waitFor(_ url: String, status: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await get(url)?.status == status { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
