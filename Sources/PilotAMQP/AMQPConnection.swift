import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// Settings for opening a connection.
public struct AMQPConnectionOptions: Sendable {
    /// Heartbeat interval negotiated with the broker, in seconds; 0 turns heartbeats off.
    /// rabbitmq-c services heartbeats only inside its own calls, so callers must call
    /// into the connection more often than this (see `AMQPConsumer.next(timeout:)`).
    public var heartbeatSeconds: Int32 = 30
    /// Time allowed for TCP connect, TLS handshake and AMQP login.
    public var connectTimeoutSeconds: Double = 10
    /// Time allowed for a synchronous method such as `queue.declare`.
    public var rpcTimeoutSeconds: Double = 30
    /// CA bundle for `amqps://`; the system bundle when nil.
    public var caFile: String?
    /// Connection name shown in the management UI.
    public var connectionName: String = "pilot-worker"

    public init() {}
}

/// One AMQP connection with one channel (number 1).
///
/// rabbitmq-c connections are not thread safe: an instance belongs to one thread,
/// which is why it is not `Sendable`.
public final class AMQPConnection {
    public let url: AMQPURL
    let state: amqp_connection_state_t
    /// Set once the broker or the network has broken the connection.
    public private(set) var isOpen = false
    /// Outstanding publisher confirms, once `enableConfirms()` was called.
    var confirms: ConfirmTracker?
    static let channel: amqp_channel_t = 1

    /// Opens a connection and channel 1, or throws an error that names the failed step.
    public init(url: AMQPURL, options: AMQPConnectionOptions = .init()) throws(AMQPError) {
        self.url = url
        guard let state = amqp_new_connection() else {
            throw AMQPError(operation: "amqp_new_connection", kind: .usage("out of memory"))
        }
        self.state = state
        // Every stored property is set here, so if `open` throws, `deinit` still runs and
        // destroys `state`; destroying it here as well would free it twice.
        try open(options)
        isOpen = true
    }

    deinit {
        if isOpen {
            _ = amqp_channel_close(state, Self.channel, Int32(AMQP_REPLY_SUCCESS))
            _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        }
        amqp_destroy_connection(state)
    }

    private func open(_ options: AMQPConnectionOptions) throws(AMQPError) {
        let socket: OpaquePointer?
        if url.tls {
            socket = amqp_ssl_socket_new(state)
            guard let socket else {
                throw AMQPError(operation: "amqp_ssl_socket_new", kind: .usage("cannot create a TLS socket"))
            }
            let caFile = options.caFile ?? "/etc/ssl/certs/ca-certificates.crt"
            try Check.status(amqp_ssl_socket_set_cacert(socket, caFile), "amqp_ssl_socket_set_cacert(\(caFile))")
            amqp_ssl_socket_set_verify_peer(socket, 1)
            amqp_ssl_socket_set_verify_hostname(socket, 1)
        } else {
            socket = amqp_tcp_socket_new(state)
            guard socket != nil else {
                throw AMQPError(operation: "amqp_tcp_socket_new", kind: .usage("cannot create a socket"))
            }
        }
        var timeout = timeval(seconds: options.connectTimeoutSeconds)
        try Check.status(amqp_set_handshake_timeout(state, &timeout), "amqp_set_handshake_timeout")
        var rpcTimeout = timeval(seconds: options.rpcTimeoutSeconds)
        try Check.status(amqp_set_rpc_timeout(state, &rpcTimeout), "amqp_set_rpc_timeout")
        try Check.status(
            amqp_socket_open_noblock(socket, url.host, Int32(url.port), &timeout),
            "connect to \(url.host):\(url.port)")
        try Check.reply(
            pilot_amqp_login_plain(
                state, url.vhost, 0, Int32(AMQP_DEFAULT_FRAME_SIZE), options.heartbeatSeconds,
                url.user, url.password),
            "login to \(url)")
        amqp_channel_open(state, Self.channel)
        try Check.reply(amqp_get_rpc_reply(state), "channel.open")
    }

    /// The most a message's properties may take here: the negotiated frame size (the
    /// smaller of ours and the broker's `frame_max`) less the frame's own bytes.
    public var propertiesLimit: Int {
        AMQPProperties.propertiesLimit(frameMax: Int(amqp_get_frame_max(state)))
    }

    /// Closes the channel and the connection politely; errors are ignored because
    /// the connection is going away either way.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        _ = amqp_channel_close(state, Self.channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
    }

    /// Runs a call and marks the connection broken when it fails in a way that
    /// leaves the connection unusable.
    func checked<T>(_ body: () throws(AMQPError) -> T) throws(AMQPError) -> T {
        guard isOpen else { throw AMQPError(operation: "use of connection", kind: .closed) }
        do {
            return try body()
        } catch {
            if error.requiresReconnect { isOpen = false }
            throw error
        }
    }

    /// Reads the reply of the last synchronous method.
    func lastReply(_ operation: String) throws(AMQPError) {
        try Check.reply(amqp_get_rpc_reply(state), operation)
    }

    /// Lets rabbitmq-c send a due heartbeat and read pending frames without blocking.
    /// Returns the frame that arrived, if any.
    /// The previous frame's memory is given back first: frames are decoded into the
    /// connection's pool, which rabbitmq-c only empties when asked, and a publisher that
    /// reads a confirm per batch would otherwise grow by every confirm it ever read.
    func pollFrame(timeout seconds: Double) throws(AMQPError) -> amqp_frame_t? {
        amqp_maybe_release_buffers(state)
        var frame = amqp_frame_t()
        var timeout = timeval(seconds: seconds)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &timeout)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        try Check.status(status, "amqp_simple_wait_frame_noblock")
        return frame
    }
}

extension timeval {
    init(seconds: Double) {
        let whole = seconds.rounded(.down)
        self.init(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    }
}
