import Dispatch
import Synchronization
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PilotAMQP
import PilotJSON

/// The RabbitMQ management HTTP API, for what AMQP cannot tell or set: unacked counts,
/// rates and policies. Same user and virtual host as the AMQP URL.
public struct ManagementAPI: Sendable {
    public let base: URL
    public let vhost: String
    private let authorization: String

    /// - Parameter url: the API's base URL; empty means `http://<AMQP host>:15672`.
    public init(url: String, amqp: AMQPURL) throws {
        let text = url.isEmpty ? "http://\(amqp.host):15672" : url
        guard let base = URL(string: text), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw ManagementError("--management-url \(AMQPURL.redact(text)) is not an http(s) URL")
        }
        self.base = base
        vhost = amqp.vhost
        authorization = "Basic " + Data("\(amqp.user):\(amqp.password)".utf8).base64EncodedString()
    }

    /// `/api/queues/<vhost>`, and the like, with the virtual host escaped.
    public func path(_ collection: String, _ name: String? = nil) -> String {
        let escape = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text }
        return "/api/\(collection)/\(escape(vhost))" + (name.map { "/" + escape($0) } ?? "")
    }

    public func get(_ path: String) throws -> JSONValue {
        let data = try send("GET", path, body: nil)
        do {
            return try JSONValue(parsing: Array(data))
        } catch {
            throw ManagementError("GET \(path) on \(base.absoluteString): the answer is not JSON: \(error)")
        }
    }

    public func put(_ path: String, body: JSONValue) throws {
        _ = try send("PUT", path, body: body.serializedBytes())
    }

    private func send(_ method: String, _ path: String, body: [UInt8]?) throws -> Data {
        guard let url = URL(string: base.absoluteString.trimmingSuffix("/") + path) else {
            throw ManagementError("bad management API path \(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 10
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let body { request.httpBody = Data(body) }
        let outcome = Mutex<Result<(Data, URLResponse), any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            outcome.withLock {
                if let data, let response { $0 = .success((data, response)) } else { $0 = .failure(error ?? URLError(.unknown)) }
            }
            done.signal()
        }.resume()
        done.wait()
        let (data, response): (Data, URLResponse)
        switch outcome.withLock({ $0 })! {
        case .success(let answer): (data, response) = answer
        case .failure(let error): throw ManagementError("\(method) \(base.absoluteString)\(path): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            throw ManagementError("\(method) \(base.absoluteString)\(path): HTTP \(status) \(text)")
        }
        return data
    }
}

/// The management API could not be reached or did not answer as expected.
public struct ManagementError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
