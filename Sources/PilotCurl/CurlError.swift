import CCurl

/// A libcurl call that failed: which operation, curl's code, and curl's own message
/// (from the handle's error buffer when it wrote one).
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// What we asked curl to do, e.g. `set CURLOPT_URL` or `perform the SMTP transfer`.
    public var operation: String
    /// The `CURLcode`.
    public var code: Int
    public var message: String

    public init(operation: String, code: CURLcode, buffer: String) {
        self.operation = operation
        self.code = Int(code.rawValue)
        let generic = String(cString: curl_easy_strerror(code))
        self.message = buffer.isEmpty ? generic : "\(generic): \(buffer)"
    }

    public init(operation: String, message: String) {
        self.operation = operation
        self.code = -1
        self.message = message
    }

    /// True for failures to reach or keep talking to the peer, which a later try may not meet.
    public var isConnectionFailure: Bool {
        let transient: [CURLcode] = [
            CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT,
            CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_PARTIAL_FILE,
        ]
        return transient.contains { Int($0.rawValue) == code }
    }

    public var description: String { "\(operation) failed (curl \(code)): \(message)" }
}
