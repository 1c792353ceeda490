import CCurl
import PilotCurl
import Foundation

/// POSTs one signed event to one URL with libcurl: bounded timeouts, no redirects, and
/// http or https only, even if a URL were to send curl elsewhere.
public final class WebhookSender: Sendable {
    public let url: String
    private let key: [UInt8]
    private let connectTimeout: Duration
    private let timeout: Duration
    private let pool = CurlPool()

    public init(url: String, configuration: WebhookConfiguration) {
        self.url = url
        self.key = configuration.key
        self.connectTimeout = configuration.connectTimeout
        self.timeout = configuration.timeout
    }

    /// What the receiver answered.
    public struct Reply: Sendable {
        public var status: Int
        /// The first bytes of the reply body.
        public var body: String
        /// `Retry-After`, in seconds from now, when the reply had one.
        public var retryAfter: Duration?
    }

    /// The largest part of a reply body kept for logs and dead letters.
    static let keptBodyBytes = 512

    /// Sends `body` signed with `id` and the current time; returns whatever status came
    /// back. Throws `CurlError` when no reply came (connection refused, timeout).
    public func post(id: String, body: [UInt8], now: Date = Date()) throws(CurlError) -> Reply {
        let timestamp = Int(now.timeIntervalSince1970)
        let signature = WebhookSignature.sign(id: id, timestamp: timestamp, body: body, key: key)
        let headers = [
            "Content-Type: application/cloudevents+json", "webhook-id: \(id)", "webhook-timestamp: \(timestamp)",
            "webhook-signature: \(signature)", "User-Agent: pilot-worker",
            // No "Expect: 100-continue" round trip before the body.
            "Expect:",
        ]
        do {
            return try pool.withHandle { easy in try transfer(body, headers: headers, on: easy) }
        } catch let error as CurlError {
            throw error
        } catch {
            throw CurlError(operation: "POST to \(Redaction.url(url))", message: String(describing: error))
        }
    }

    private func transfer(_ body: [UInt8], headers: [String], on easy: CurlEasy) throws -> Reply {
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout.milliseconds))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
        let list = try CurlStringList(headers)
        try easy.set(CURLOPT_HTTPHEADER, list)
        try easy.setPostBody(body)
        let collector = ReplyCollector()
        let pointer = Unmanaged.passRetained(collector)
        defer { pointer.release() }
        try easy.set(CURLOPT_WRITEFUNCTION, callback: ReplyCollector.body)
        try easy.set(CURLOPT_WRITEDATA, pointer: pointer.toOpaque())
        try easy.set(CURLOPT_HEADERFUNCTION, callback: ReplyCollector.header)
        try easy.set(CURLOPT_HEADERDATA, pointer: pointer.toOpaque())
        try easy.perform("POST to \(Redaction.url(url))")
        return Reply(
            status: try easy.responseCode(), body: String(decoding: collector.body, as: UTF8.self),
            retryAfter: collector.retryAfter.flatMap { RetryAfter.parse($0) })
    }
}

/// Keeps the start of a reply body and its `Retry-After` header.
final class ReplyCollector {
    var body: [UInt8] = []
    var retryAfter: String?

    static let body: pilot_curl_data_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let collector = Unmanaged<ReplyCollector>.fromOpaque(userdata).takeUnretainedValue()
        let n = size * count
        let room = WebhookSender.keptBodyBytes - collector.body.count
        if let data, room > 0 {
            collector.body += UnsafeRawBufferPointer(start: data, count: min(n, room))
        }
        return n
    }

    static let header: pilot_curl_data_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let collector = Unmanaged<ReplyCollector>.fromOpaque(userdata).takeUnretainedValue()
        let n = size * count
        guard let data else { return n }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
        if line.hasPrefix("HTTP/") { collector.retryAfter = nil }  // a new response (after 100 Continue)
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2, parts[0].lowercased() == "retry-after" {
            collector.retryAfter = parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return n
    }
}

/// `Retry-After` (RFC 9110): seconds, or an HTTP date.
public enum RetryAfter {
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
    }
}
