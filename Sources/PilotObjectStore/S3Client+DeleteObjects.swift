import Crypto
import Foundation

extension S3Client {
    /// Deletes the objects at `keys` with DeleteObjects, one request for up to
    /// `perRequest` of them (S3's limit is a thousand) instead of a round trip each;
    /// missing ones are no error. Keys XML cannot carry, the keys of a request the store
    /// found malformed, and all keys once the store refused DeleteObjects as such (a store
    /// without it) go one key a request, eight at a time. Throws the first failure once
    /// every request has returned.
    public func delete(_ keys: [String], perRequest: Int = S3Client.keysPerDelete) throws(S3Error) {
        precondition(perRequest > 0)
        var failure: S3Error?
        var single = keys.filter { !XMLText.canCarry($0) }
        let batched = single.isEmpty ? keys : keys.filter(XMLText.canCarry)
        var start = batched.startIndex
        while start < batched.endIndex {
            let chunk = batched[start..<min(start + perRequest, batched.endIndex)]
            start = chunk.endIndex
            guard !deletesOneByOne.load(ordering: .relaxed) else {
                single += chunk
                continue
            }
            do throws(S3Error) {
                try deleteObjects(chunk)
            } catch {
                switch Self.fallback(for: error) {
                case .none: if failure == nil { failure = error }
                case .thisRequest: single += chunk
                case .always:
                    deletesOneByOne.store(true, ordering: .relaxed)
                    single += chunk
                }
            }
        }
        do throws(S3Error) {
            try ParallelRequests(single).run(width: Self.parallelSingleDeletes) { [self] key throws(S3Error) in try delete(key) }
        } catch {
            if failure == nil { failure = error }
        }
        if let failure { throw failure }
    }

    public static let keysPerDelete = 1000
    /// How many one-key DELETEs run at once, as many as a batch's PUTs by default.
    static let parallelSingleDeletes = 8

    enum DeleteFallback: Equatable {
        /// A failure of the keys themselves, or of the store: thrown.
        case none
        /// The store could not read this request (a key it parses differently): its keys
        /// one by one.
        case thisRequest
        /// The store has no DeleteObjects: every key one by one from now on.
        case always
    }

    static func fallback(for error: S3Error) -> DeleteFallback {
        guard error.status != 200 else { return .none }
        if [405, 501].contains(error.status) || ["NotImplemented", "MethodNotAllowed"].contains(error.code) { return .always }
        if error.status == 400, ["MalformedXML", "InvalidDigest", "InvalidRequest", "InvalidArgument"].contains(error.code ?? "") {
            return .thisRequest
        }
        return .none
    }

    private func deleteObjects(_ keys: ArraySlice<String>) throws(S3Error) {
        let body = Array(Self.deleteRequest(keys).utf8)
        let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
        // S3 wants the body's MD5 (or another checksum) on this request alone.
        let headers = ["Content-MD5: \(md5)", "Content-Type: application/xml"]
        // `delete=`, not `delete`: the query as SigV4 signs it, which libcurl 7.88 does not make.
        let reply = try request("POST", key: nil, query: "delete=", body: body, headers: headers, operation: "DELETE")
        guard reply.status == 200 else {
            let named = keys.count == 1 ? keys[keys.startIndex] : "\(keys.count) keys from \(keys[keys.startIndex])"
            throw S3Error(operation: "DELETE", key: named, status: reply.status, body: reply.body)
        }
        if let refused = Self.refusal(in: reply.body) { throw refused }
    }

    /// The first key a DeleteObjects reply says the store kept: a 200 can still name
    /// some, each in an `<Error>` of its own.
    static func refusal(in reply: [UInt8]) -> S3Error? {
        guard let refused = XMLText.elements("Error", in: String(decoding: reply, as: UTF8.self)).first else { return nil }
        return S3Error(operation: "DELETE", key: XMLText.first("Key", in: refused) ?? "", status: 200, body: Array(refused.utf8))
    }

    /// The body of a quiet DeleteObjects request: the reply lists only what failed.
    static func deleteRequest(_ keys: ArraySlice<String>) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>"#
        for key in keys { xml += "<Object><Key>\(XMLText.escape(key))</Key></Object>" }
        return xml + "</Delete>"
    }
}

extension XMLText {
    /// Whether XML 1.0 can carry `text` at all: no control characters but tab, line feed
    /// and carriage return, no U+FFFE or U+FFFF.
    static func canCarry(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x9, 0xA, 0xD, 0x20...0xFFFD, 0x10000...: scalar.value < 0xD800 || scalar.value > 0xDFFF
            default: false
            }
        }
    }

    /// `text` as element content, scalar by scalar (a combining mark after `&` must not
    /// hide it): markup characters as entities, and tab, line feed and carriage return as
    /// character references, which a parser would otherwise normalise.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
