import PilotCurl

/// An S3 request that failed: the operation, the key, and either the HTTP status with
/// S3's own `Code` and `Message`, or libcurl's account when no reply came. Never the
/// secret key (libcurl's messages do not carry it, and the body is S3's).
public struct S3Error: Error, Sendable, CustomStringConvertible {
    /// `PUT`, `GET`, `LIST`, `COPY` or `DELETE`.
    public var operation: String
    public var key: String
    /// The HTTP status; 0 when no reply came.
    public var status: Int
    /// S3's error code (`SignatureDoesNotMatch`, `NoSuchBucket`…), when the reply had one.
    public var code: String?
    public var message: String

    init(operation: String, key: String, status: Int, body: [UInt8]) {
        self.operation = operation
        self.key = key
        self.status = status
        let xml = String(decoding: body.prefix(4096), as: UTF8.self)
        code = XMLText.first("Code", in: xml)
        message = XMLText.first("Message", in: xml) ?? (code == nil ? String(xml.prefix(200)) : "")
    }

    init(operation: String, key: String, curl: CurlError) {
        self.operation = operation
        self.key = key
        status = 0
        message = curl.description
    }

    public var description: String {
        let what = "S3 \(operation) \(key.isEmpty ? "" : "of \(key) ")failed"
        guard status != 0 else { return "\(what): \(message)" }
        return "\(what): HTTP \(status)\(code.map { " \($0)" } ?? "")\(message.isEmpty ? "" : ": \(message)")"
    }
}
