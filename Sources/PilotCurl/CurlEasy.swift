import CCurl
import Foundation
import Synchronization

/// One libcurl easy handle. Every call that can fail goes through `check`, which throws
/// a `CurlError` naming the operation. Not thread safe: one transfer at a time (the
/// `CurlPool` hands each handle to one thread).
public final class CurlEasy: @unchecked Sendable {
    // @unchecked: used by one thread at a time, handed over through CurlPool's lock.
    public let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    public init() throws(CurlError) {
        try CurlGlobal.initialize()
        guard let handle = curl_easy_init() else {
            throw CurlError(operation: "curl_easy_init", message: "libcurl returned no handle")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configureDefaults()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Forgets the last transfer's options but keeps the open connections for reuse.
    public func reset() throws(CurlError) {
        curl_easy_reset(handle)
        try configureDefaults()
    }

    private func configureDefaults() throws(CurlError) {
        try check("set CURLOPT_ERRORBUFFER", pilot_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        // Signals would interrupt the consumer threads; timeouts do not need them.
        try set(CURLOPT_NOSIGNAL, 1)
    }

    /// Throws when `code` is not `CURLE_OK`, with the operation and curl's message.
    public func check(_ operation: @autoclosure () -> String, _ code: CURLcode) throws(CurlError) {
        guard code != CURLE_OK else { return }
        let buffer = String(cString: errorBuffer)
        errorBuffer[0] = 0
        throw CurlError(operation: operation(), code: code, buffer: buffer)
    }

    public func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check("set \(Self.name(option))", pilot_curl_setopt_long(handle, option, value))
    }

    public func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        // libcurl copies string options, so the Swift string need not outlive the call.
        try check("set \(Self.name(option))", pilot_curl_setopt_string(handle, option, value))
    }

    public func set(_ option: CURLoption, _ list: CurlStringList) throws(CurlError) {
        try check("set \(Self.name(option))", pilot_curl_setopt_slist(handle, option, list.head))
    }

    public func set(_ option: CURLoption, offset value: Int) throws(CurlError) {
        try check("set \(Self.name(option))", pilot_curl_setopt_offset(handle, option, curl_off_t(value)))
    }

    public func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlError) {
        try check("set \(Self.name(option))", pilot_curl_setopt_pointer(handle, option, pointer))
    }

    public func set(_ option: CURLoption, callback: pilot_curl_data_callback) throws(CurlError) {
        try check("set \(Self.name(option))", pilot_curl_setopt_data_callback(handle, option, callback))
    }

    /// Makes the request a POST of `body`, copied, NULs and all: libcurl can then send it
    /// again by itself when a reused connection turns out dead mid-request.
    public func setPostBody(_ body: [UInt8]) throws(CurlError) {
        // Size first: COPYPOSTFIELDS then copies exactly that many bytes.
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: body.count)
        let copied = body.withUnsafeBytes { raw in
            // An empty array may have no address; curl copies zero bytes from any pointer.
            pilot_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
        }
        try check("set CURLOPT_COPYPOSTFIELDS", copied)
    }

    /// Runs the transfer configured on the handle.
    public func perform(_ operation: String) throws(CurlError) {
        try check(operation, curl_easy_perform(handle))
    }

    /// The last response code (HTTP status or SMTP reply code), 0 when none came.
    public func responseCode() throws(CurlError) -> Int {
        var code = 0
        try check("get CURLINFO_RESPONSE_CODE", pilot_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code))
        return code
    }

    /// `CURLOPT_URL` rather than `CURLoption(rawValue: 10002)` in error messages.
    public static func name(_ option: CURLoption) -> String {
        let names: [(CURLoption, String)] = [
            (CURLOPT_URL, "CURLOPT_URL"), (CURLOPT_MAIL_FROM, "CURLOPT_MAIL_FROM"), (CURLOPT_MAIL_RCPT, "CURLOPT_MAIL_RCPT"),
            (CURLOPT_USE_SSL, "CURLOPT_USE_SSL"), (CURLOPT_CAINFO, "CURLOPT_CAINFO"), (CURLOPT_USERNAME, "CURLOPT_USERNAME"),
            (CURLOPT_PASSWORD, "CURLOPT_PASSWORD"), (CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR"),
            (CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR"), (CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION"),
            (CURLOPT_HTTPHEADER, "CURLOPT_HTTPHEADER"), (CURLOPT_COPYPOSTFIELDS, "CURLOPT_COPYPOSTFIELDS"),
            (CURLOPT_POSTFIELDSIZE_LARGE, "CURLOPT_POSTFIELDSIZE_LARGE"), (CURLOPT_TIMEOUT_MS, "CURLOPT_TIMEOUT_MS"),
            (CURLOPT_CONNECTTIMEOUT_MS, "CURLOPT_CONNECTTIMEOUT_MS"), (CURLOPT_UPLOAD, "CURLOPT_UPLOAD"),
            (CURLOPT_READFUNCTION, "CURLOPT_READFUNCTION"), (CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION"),
            (CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION"), (CURLOPT_AWS_SIGV4, "CURLOPT_AWS_SIGV4"),
            (CURLOPT_CUSTOMREQUEST, "CURLOPT_CUSTOMREQUEST"), (CURLOPT_NOBODY, "CURLOPT_NOBODY"),
            (CURLOPT_INFILESIZE_LARGE, "CURLOPT_INFILESIZE_LARGE"),
        ]
        return names.first { $0.0 == option }?.1 ?? "curl option \(option.rawValue)"
    }
}

/// A `curl_slist` owned by Swift: freed when the list goes away, so keep it alive until
/// the transfer that uses it has run.
public final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    public init(_ items: [String]) throws(CurlError) {
        for item in items {
            guard let next = curl_slist_append(head, item) else {
                curl_slist_free_all(head)
                throw CurlError(operation: "curl_slist_append", message: "out of memory")
            }
            head = next
        }
    }

    deinit { curl_slist_free_all(head) }
}

/// `curl_global_init`, once per process, before the first handle (it is not thread
/// safe itself, so a lock makes it so).
public enum CurlGlobal {
    private static let state = Mutex<CURLcode?>(nil)

    public static func initialize() throws(CurlError) {
        let code = state.withLock { code in
            if code == nil { code = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }
            return code!
        }
        guard code == CURLE_OK else { throw CurlError(operation: "curl_global_init", code: code, buffer: "") }
    }
}

/// Idle easy handles, so consecutive transfers reuse their connections (an SMTP session,
/// an HTTP keep-alive) instead of opening one per message.
public final class CurlPool: Sendable {
    public init() {}

    private let idle = Mutex<[CurlEasy]>([])

    public func withHandle<T>(_ body: (CurlEasy) throws -> T) throws -> T {
        let easy = try idle.withLock { $0.popLast() } ?? CurlEasy()
        let result = try body(easy)
        // A handle whose transfer threw is dropped: its connection may be in any state.
        try easy.reset()
        idle.withLock { $0.append(easy) }
        return result
    }
}
