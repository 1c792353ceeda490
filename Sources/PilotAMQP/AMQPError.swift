import CRabbitMQ

/// A failed rabbitmq-c call, naming the operation and why it failed.
public struct AMQPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// rabbitmq-c reported a status (`AMQP_STATUS_*`), e.g. a socket error or a timeout.
        case library(status: Int32, message: String)
        /// The broker closed the channel or the connection (`reply_code`, `reply_text`).
        case server(code: UInt16, text: String, connectionClosed: Bool)
        /// The broker refused a published message (`basic.nack`).
        case nacked
        /// The broker returned a mandatory message: no queue was bound for it (`basic.return`).
        case returned
        /// The connection was closed or never opened.
        case closed
        /// Bad arguments detected before calling the library, such as an invalid URL.
        case usage(String)
    }

    /// The rabbitmq-c function or AMQP method that failed, e.g. `amqp_basic_publish`.
    public var operation: String
    public var kind: Kind
    /// For `.returned`: the message id of each message that came back, in the order the
    /// broker returned them (nil for one published without an id).
    public var returnedMessageIDs: [String?] = []

    public init(operation: String, kind: Kind) {
        self.operation = operation
        self.kind = kind
    }

    /// Whether the connection can no longer be used and must be rebuilt.
    /// Every error but two leaves the connection in an unknown state: a usage error never
    /// reached the library, and a return is reported only once every confirm is in, on a
    /// channel the broker left open.
    public var requiresReconnect: Bool {
        switch kind {
        case .usage, .returned: false
        default: true
        }
    }

    /// A 404 from the broker: the queue or exchange does not exist.
    public var isNotFound: Bool {
        if case .server(let code, _, _) = kind { return code == 404 }
        return false
    }

    public var description: String {
        switch kind {
        case .library(let status, let message):
            "\(operation) failed: \(message) (status \(status))"
        case .server(let code, let text, let connectionClosed):
            "\(operation) failed: broker closed the \(connectionClosed ? "connection" : "channel"): \(code) \(text)"
        case .nacked:
            "\(operation) failed: the broker refused the message (basic.nack)"
        case .returned:
            "\(operation) failed: no queue took a message that must reach one (basic.return)"
        case .closed:
            "\(operation) failed: the connection is closed"
        case .usage(let message):
            "\(operation) failed: \(message)"
        }
    }
}

/// The one place that turns rabbitmq-c results into typed errors.
enum Check {
    /// Checks an `int` status (`AMQP_STATUS_OK` is 0; errors are negative).
    static func status(_ status: Int32, _ operation: String) throws(AMQPError) {
        guard status < 0 else { return }
        throw AMQPError(operation: operation, kind: .library(status: status, message: message(status)))
    }

    /// Checks an RPC reply, decoding `channel.close` and `connection.close` from the broker.
    static func reply(_ reply: amqp_rpc_reply_t, _ operation: String) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let status = reply.library_error
            throw AMQPError(operation: operation, kind: .library(status: status, message: message(status)))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw AMQPError(operation: operation, kind: serverClose(reply.reply))
        default:
            throw AMQPError(operation: operation, kind: .library(status: -1, message: "no reply"))
        }
    }

    static func message(_ status: Int32) -> String {
        String(cString: amqp_error_string2(status))
    }

    /// Reads the code and text of a `channel.close` or `connection.close` method.
    static func serverClose(_ method: amqp_method_t) -> AMQPError.Kind {
        switch method.id {
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return .server(code: close.reply_code, text: String(amqpBytes: close.reply_text), connectionClosed: true)
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return .server(code: close.reply_code, text: String(amqpBytes: close.reply_text), connectionClosed: false)
        default:
            return .server(code: 0, text: "unexpected method 0x\(String(method.id, radix: 16))", connectionClosed: false)
        }
    }
}

extension String {
    /// Copies rabbitmq-c bytes into a Swift string (lossy on invalid UTF-8).
    init(amqpBytes bytes: amqp_bytes_t) {
        guard bytes.len > 0, let pointer = bytes.bytes else { self = ""; return }
        self = String(decoding: UnsafeRawBufferPointer(start: pointer, count: bytes.len), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    init(amqpBytes bytes: amqp_bytes_t) {
        guard bytes.len > 0, let pointer = bytes.bytes else { self = []; return }
        self = Array(UnsafeRawBufferPointer(start: pointer, count: bytes.len))
    }
}
