import CCurl
import PilotCurl
import Foundation

/// Sends prepared messages with libcurl's SMTP client. The bytes go out as they are;
/// libcurl only dot-stuffs lines (the transport's own escaping, undone by the server).
public final class SMTPMailer: Sendable {
    public let configuration: SMTPConfiguration
    private let pool = CurlPool()

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Why a message was not sent.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            /// A 5xx reply about the message or its recipients: the server will not take it,
            /// now or later. (A 5xx about the session, such as a refused login, is `failed`.)
            case rejected
            /// A 4xx reply: the server asks to try later.
            case temporary
            /// The server could not be reached, or the session broke.
            case connection
            /// Anything else curl refused (TLS required but not offered, a bad option).
            case failed
        }
        public var kind: Kind
        /// The SMTP reply code, 0 when none came.
        public var replyCode: Int
        /// The server's last reply, or curl's account of what went wrong.
        public var detail: String

        public var description: String { "SMTP \(kind.rawValue)\(replyCode > 0 ? " (\(replyCode))" : ""): \(detail)" }
    }

    /// Sends `message` from the configured sender to `recipients`. It goes to every
    /// recipient the server takes; the replies refusing the others are returned (the send
    /// fails only when the server takes none). `within` shortens the configured timeout
    /// for this one transaction.
    @discardableResult
    public func send(_ message: [UInt8], to recipients: [String], within: Duration? = nil) throws(Failure) -> [String] {
        let timeout = min(configuration.timeout, within ?? configuration.timeout)
        do {
            return try pool.withHandle { easy in try transfer(message, to: recipients, timeout: timeout, on: easy) }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(kind: .failed, replyCode: 0, detail: String(describing: error))
        }
    }

    private func transfer(_ message: [UInt8], to recipients: [String], timeout: Duration, on easy: CurlEasy) throws -> [String] {
        let config = configuration
        try easy.set(CURLOPT_URL, config.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try easy.set(CURLOPT_MAIL_FROM, "<\(config.from)>")
        let envelope = try CurlStringList(recipients.map { "<\($0)>" })
        try easy.set(CURLOPT_MAIL_RCPT, envelope)
        // One recipient refused must not keep the message from the others (a cc with a typo
        // would otherwise cost the whole kickoff invite); curl fails only if all are refused.
        // (libcurl 7.88 spells the option with three L's.)
        try easy.set(CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1)
        let mode: curl_usessl = switch config.tls {
        case .require: CURLUSESSL_ALL
        case .opportunistic: CURLUSESSL_TRY
        case .off: CURLUSESSL_NONE
        }
        try easy.set(CURLOPT_USE_SSL, Int(mode.rawValue))
        if let caFile = config.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        if let user = config.user, let password = config.password {
            try easy.set(CURLOPT_USERNAME, user)
            try easy.set(CURLOPT_PASSWORD, password)
        }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(min(config.connectTimeout, timeout).milliseconds))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: message.count)

        let source = CurlUploadSource(message)
        let transcript = ReplyTranscript()
        let sourcePointer = Unmanaged.passRetained(source)
        let transcriptPointer = Unmanaged.passRetained(transcript)
        defer {
            sourcePointer.release()
            transcriptPointer.release()
        }
        try easy.set(CURLOPT_READFUNCTION, callback: CurlUploadSource.read)
        try easy.set(CURLOPT_READDATA, pointer: sourcePointer.toOpaque())
        // The debug stream is the only place libcurl shows the server's reply text; only
        // incoming lines are kept, so the AUTH exchange never reaches a log.
        try easy.check("set CURLOPT_DEBUGFUNCTION", pilot_curl_setopt_debug_callback(easy.handle, ReplyTranscript.record))
        try easy.set(CURLOPT_DEBUGDATA, pointer: transcriptPointer.toOpaque())
        try easy.set(CURLOPT_VERBOSE, 1)

        do {
            try easy.perform("send mail over SMTP to \(config.url)")
        } catch {
            // Without a reply code the failure is classified by curl's own code.
            let code = (try? easy.responseCode()) ?? 0
            // The refusal, not the QUIT that libcurl may send after it.
            let reply = transcript.lastRefusal ?? transcript.lastReply
            let detail = reply.isEmpty ? error.description : "\(reply) (\(error.message))"
            throw Failure(kind: Failure.Kind(replyCode: code, error), replyCode: code, detail: detail)
        }
        return transcript.refusals
    }
}

extension SMTPMailer.Failure.Kind {
    /// SMTP replies about the session rather than the message: a login refused, TLS or a
    /// login required first (RFC 4954: 530, 534, 535, 538). The operator fixes those, not
    /// the sender, so they are retried like any failure rather than dead-lettered.
    static let sessionReplyCodes: Set<Int> = [530, 534, 535, 538]

    /// What a failed transfer means, from the server's last reply code and curl's error.
    init(replyCode: Int, _ error: CurlError) {
        let sessionRefused = Self.sessionReplyCodes.contains(replyCode)
            || [CURLE_LOGIN_DENIED, CURLE_USE_SSL_FAILED].contains { Int($0.rawValue) == error.code }
        self = switch replyCode {
        case _ where sessionRefused: .failed
        case 500..<600: .rejected
        case 400..<500: .temporary
        default: error.isConnectionFailure ? .connection : .failed
        }
    }
}

/// The server's replies as libcurl's debug stream shows them, to quote the last one.
final class ReplyTranscript {
    private var current: [String] = []
    private(set) var lastReply = ""
    /// The last 4xx or 5xx reply.
    private(set) var lastRefusal: String?
    /// Every 4xx or 5xx reply, in order.
    private(set) var refusals: [String] = []

    static let record: pilot_curl_debug_callback = { _, type, data, size, userdata in
        guard type == CURLINFO_HEADER_IN, let data, let userdata else { return 0 }
        let transcript = Unmanaged<ReplyTranscript>.fromOpaque(userdata).takeUnretainedValue()
        let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\r" || $0 == "\n" }) {
            transcript.add(String(line.prefix(500)))
        }
        return 0
    }

    /// A reply is its lines up to one whose code is followed by a space, not a dash.
    private func add(_ line: String) {
        current.append(line)
        let bytes = Array(line.utf8)
        if bytes.count < 4 || bytes[3] != UInt8(ascii: "-") {
            lastReply = current.joined(separator: " ")
            current.removeAll()
            if let first = bytes.first, first == UInt8(ascii: "4") || first == UInt8(ascii: "5") {
                lastRefusal = lastReply
                refusals.append(lastReply)
            }
        }
    }
}
