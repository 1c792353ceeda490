import CCurl
import Contracts
import Crypto
import Foundation
import PilotCurl
import Synchronization

/// A bucket of an S3-compatible object store, and how to reach it.
public struct S3Configuration: Sendable {
    public var bucket: String
    /// `http(s)://host:port` of a compatible server (path-style addressing:
    /// `<endpoint>/<bucket>/<key>`); nil means AWS itself, virtual-hosted
    /// (`https://<bucket>.s3.<region>.amazonaws.com/<key>`), except a bucket with a dot
    /// in its name, which AWS's wildcard certificate does not cover: path-style there
    /// (`https://s3.<region>.amazonaws.com/<bucket>/<key>`), as AWS's SDKs do.
    public var endpoint: String?
    public var region: String
    public var accessKey: String
    /// Never logged, never in an error.
    public var secretKey: String
    public var connectTimeout: Duration = .seconds(5)
    /// For a whole request, body included.
    public var timeout: Duration = .seconds(30)
    /// The largest object `get` reads.
    public var maxObjectBytes = 64 << 20

    public init(bucket: String, endpoint: String?, region: String, accessKey: String, secretKey: String) {
        self.bucket = bucket
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.region = region
        self.accessKey = accessKey
        self.secretKey = secretKey
    }
}

/// An object of a listing.
public struct S3Object: Sendable, Equatable {
    public var key: String
    /// By the store's clock; nil when the store did not say or said it in a form not RFC 3339.
    public var lastModified: Date?
}

/// PUT, GET, LIST, COPY and DELETE of objects over libcurl, signed with AWS Signature Version 4
/// (`CURLOPT_AWS_SIGV4`) including the body's SHA-256 (`x-amz-content-sha256`).
/// Blocking, like the rest of the worker's I/O; safe to share between threads (each
/// request takes a handle of its own from the pool).
public final class S3Client: Sendable {
    public let configuration: S3Configuration
    private let pool = CurlPool()
    /// Set once the store refused DeleteObjects as such: deletes then go one key a request.
    let deletesOneByOne = Atomic<Bool>(false)

    public init(configuration: S3Configuration) throws(CurlError) {
        // Fail at start, not on the first document, when libcurl cannot be set up.
        try CurlGlobal.initialize()
        self.configuration = configuration
    }

    /// Stores `bytes` at `key`, replacing what was there.
    public func put(_ key: String, _ bytes: [UInt8]) throws(S3Error) {
        let reply = try request("PUT", key: key, body: bytes)
        guard reply.status == 200 else { throw S3Error(operation: "PUT", key: key, status: reply.status, body: reply.body) }
    }

    /// Copies the object at `source` to `key` inside the store (CopyObject), replacing what
    /// was at `key`; nothing passes through this process.
    public func copy(from source: String, to key: String) throws(S3Error) {
        let header = "x-amz-copy-source: /\(S3Client.encode(configuration.bucket, keepSlash: false))/\(S3Client.encode(source, keepSlash: true))"
        let reply = try request("PUT", key: key, body: [], headers: [header])
        // A copy can fail after its 200 is sent: the error is then in the body.
        guard reply.status == 200, !String(decoding: reply.body, as: UTF8.self).contains("<Error>") else {
            throw S3Error(operation: "COPY", key: key, status: reply.status, body: reply.body)
        }
    }

    /// Deletes the object at `key`; a missing one is no error.
    public func delete(_ key: String) throws(S3Error) {
        let reply = try request("DELETE", key: key)
        guard [200, 204, 404].contains(reply.status) else {
            throw S3Error(operation: "DELETE", key: key, status: reply.status, body: reply.body)
        }
    }

    /// The bytes at `key`, or nil when there is no such object.
    public func get(_ key: String) throws(S3Error) -> [UInt8]? {
        let reply = try request("GET", key: key)
        switch reply.status {
        case 200: return reply.body
        // Only a missing key is "no such object": a missing bucket (`NoSuchBucket`, also a
        // 404) is a misconfigured store, which must fail loudly, not read as no document.
        case 404 where XMLText.first("Code", in: String(decoding: reply.body, as: UTF8.self)) ?? "NoSuchKey" == "NoSuchKey": return nil
        default: throw S3Error(operation: "GET", key: key, status: reply.status, body: reply.body)
        }
    }

    /// The keys under `prefix`, in S3's order (ListObjectsV2, every page).
    public func list(prefix: String) throws(S3Error) -> [String] {
        try listObjects(prefix: prefix).map(\.key)
    }

    /// The objects under `prefix`, in S3's order (ListObjectsV2, every page), each with
    /// when it was last written by the store's clock.
    public func listObjects(prefix: String) throws(S3Error) -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        repeat {
            // SigV4 wants the query sorted by name; libcurl 7.88 signs it as given.
            var query = token.map { "continuation-token=\(S3Client.encode($0, keepSlash: false))&" } ?? ""
            query += "list-type=2&prefix=\(S3Client.encode(prefix, keepSlash: false))"
            let reply = try request("GET", key: nil, query: query)
            guard reply.status == 200 else { throw S3Error(operation: "LIST", key: prefix, status: reply.status, body: reply.body) }
            let xml = String(decoding: reply.body, as: UTF8.self)
            for entry in XMLText.elements("Contents", in: xml) {
                guard let key = XMLText.first("Key", in: entry) else { continue }
                objects.append(S3Object(key: key, lastModified: XMLText.first("LastModified", in: entry).flatMap(EventTime.date)))
            }
            token = XMLText.first("IsTruncated", in: xml) == "true" ? XMLText.first("NextContinuationToken", in: xml) : nil
        } while token != nil
        return objects
    }

    /// The URL of `key` (or of the bucket when nil), its path encoded once as SigV4 expects.
    func url(key: String?, query: String = "") -> String {
        let path = key.map { "/" + S3Client.encode($0, keepSlash: true) } ?? "/"
        let bucket = S3Client.encode(configuration.bucket, keepSlash: false)
        let base: String
        let pathStyle: Bool
        if let endpoint = configuration.endpoint {
            (base, pathStyle) = ("\(endpoint)/\(bucket)", true)
        } else if configuration.bucket.contains(".") {
            (base, pathStyle) = ("https://s3.\(configuration.region).amazonaws.com/\(bucket)", true)
        } else {
            (base, pathStyle) = ("https://\(configuration.bucket).s3.\(configuration.region).amazonaws.com", false)
        }
        let full = pathStyle && key == nil ? base : base + path
        return query.isEmpty ? full : "\(full)?\(query)"
    }

    /// RFC 3986 unreserved characters stay; everything else is `%XX` (upper case), as
    /// the SigV4 canonical request has it.
    static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    struct Reply {
        var status: Int
        var body: [UInt8]
    }

    func request(
        _ method: String, key: String?, query: String = "", body: [UInt8]? = nil, headers: [String] = [], operation: String? = nil
    ) throws(S3Error) -> Reply {
        let operation = operation ?? (method == "GET" && key == nil ? "LIST" : method)
        do {
            return try pool.withHandle { easy in
                try transfer(method, url: url(key: key, query: query), body: body, headers: headers, on: easy)
            }
        } catch let error as CurlError {
            throw S3Error(operation: operation, key: key ?? "", curl: error)
        } catch {
            throw S3Error(operation: operation, key: key ?? "", status: 0, body: Array(String(describing: error).utf8))
        }
    }

    private func transfer(_ method: String, url: String, body: [UInt8]?, headers extra: [String], on easy: CurlEasy) throws -> Reply {
        let config = configuration
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(config.connectTimeout.milliseconds))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(config.timeout.milliseconds))
        try easy.set(CURLOPT_AWS_SIGV4, "aws:amz:\(config.region):s3")
        try easy.set(CURLOPT_USERNAME, config.accessKey)
        try easy.set(CURLOPT_PASSWORD, config.secretKey)
        let payload = body ?? []
        let digest = SHA256.hash(data: payload).map { String(format: "%02x", $0) }.joined()
        // libcurl signs the headers given here, and takes this one as the payload hash
        // instead of hashing (or leaving unsigned) the body itself. No "Expect:" to turn
        // 100-continue off: libcurl 7.88 would sign that empty header it never sends.
        var headers = ["x-amz-content-sha256: \(digest)"] + extra
        let source = CurlUploadSource(payload)
        let sourcePointer = Unmanaged.passRetained(source)
        defer { sourcePointer.release() }
        if method == "PUT" {
            headers.append("Content-Type: application/octet-stream")
            try easy.set(CURLOPT_UPLOAD, 1)
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: payload.count)
            try easy.set(CURLOPT_READFUNCTION, callback: CurlUploadSource.read)
            try easy.set(CURLOPT_READDATA, pointer: sourcePointer.toOpaque())
        } else if method == "POST" {
            try easy.setPostBody(payload)
        } else {
            try easy.set(CURLOPT_HTTPGET, 1)
            if method != "GET" { try easy.set(CURLOPT_CUSTOMREQUEST, method) }
        }
        let list = try CurlStringList(headers)
        try easy.set(CURLOPT_HTTPHEADER, list)
        let reply = CurlResponseBody(limit: config.maxObjectBytes)
        let replyPointer = Unmanaged.passRetained(reply)
        defer { replyPointer.release() }
        try easy.set(CURLOPT_WRITEFUNCTION, callback: CurlResponseBody.write)
        try easy.set(CURLOPT_WRITEDATA, pointer: replyPointer.toOpaque())
        do {
            try easy.perform("\(method) \(Redaction.url(url))")
        } catch {
            guard reply.overflowed else { throw error }
            throw CurlError(operation: "\(method) \(Redaction.url(url))", message: "the object is over \(config.maxObjectBytes) bytes")
        }
        return Reply(status: try easy.responseCode(), body: reply.bytes)
    }
}

/// URLs in errors and logs without their query (a continuation token says nothing useful).
enum Redaction {
    static func url(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}

/// The text of simple XML elements in S3's replies (`<Code>`, `<Key>`), unescaped. S3's
/// replies are flat and machine-written; this is all the XML they need here.
enum XMLText {
    static func all(_ name: String, in xml: String) -> [String] {
        elements(name, in: xml).map(unescape)
    }

    /// The raw contents of each `<name>` element, for elements that hold others
    /// (`<Contents>` of a listing): unescaped only once their own elements are read.
    static func elements(_ name: String, in xml: String) -> [String] {
        var found: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest[open.upperBound...].range(of: "</\(name)>") {
            found.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func first(_ name: String, in xml: String) -> String? { all(name, in: xml).first }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#34;", "\""), ("&#39;", "'")] {
            out = out.replacingOccurrences(of: entity, with: character)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }
}
