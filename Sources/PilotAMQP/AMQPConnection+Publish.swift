import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

extension AMQPConnection {
    /// Puts the channel in confirm mode: from now on each publish gets a sequence
    /// number that the broker acknowledges once the message is safely enqueued.
    public func enableConfirms() throws(AMQPError) {
        try checked { () throws(AMQPError) in
            amqp_confirm_select(state, Self.channel)
            try lastReply("confirm.select")
            confirms = ConfirmTracker()
        }
    }

    /// Publishes one message and returns its confirm sequence number (0 without confirms).
    /// Does not wait: call `waitForConfirms` once for a whole batch.
    @discardableResult
    public func publish(
        exchange: String, routingKey: String, properties: AMQPProperties, body: [UInt8],
        mandatory: Bool = false
    ) throws(AMQPError) -> UInt64 {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            var props = properties.cValue(in: arena)
            let status = body.withUnsafeBytes { raw in
                amqp_basic_publish(
                    state, Self.channel, arena.bytes(exchange), arena.bytes(routingKey),
                    mandatory ? 1 : 0, 0, &props,
                    amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress)))
            }
            try Check.status(status, "amqp_basic_publish to \(exchange.isEmpty ? "(default)" : exchange) \(routingKey)")
            return confirms?.published() ?? 0
        }
    }


    /// Runs `body` (a run of publishes) with the socket corked, so the frames of many
    /// messages leave in full segments when it returns, not one segment per message.
    ///
    /// rabbitmq-c sends each message as its own write with the last frame pushed: on
    /// loopback that is one trip through the TCP stack and one wake-up of the broker's
    /// reader per message, which cost a no-op stage more CPU than its own work.
    public func corked<T>(_ body: () throws(AMQPError) -> T) throws(AMQPError) -> T {
        let fd = amqp_get_sockfd(state)
        guard fd >= 0 else { return try body() }
        var on: Int32 = 1
        var off: Int32 = 0
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_CORK, &on, socklen_t(MemoryLayout<Int32>.size))
        // Uncorking pushes what is queued, also when a publish failed part way.
        defer { _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_CORK, &off, socklen_t(MemoryLayout<Int32>.size)) }
        return try body()
    }

    /// Whether the socket holds frames back (inside `corked`).
    var isCorked: Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(amqp_get_sockfd(state), Int32(IPPROTO_TCP), TCP_CORK, &value, &length) == 0 && value != 0
    }

    /// The sequence number of the last message published (0 before the first).
    public var lastPublishedSequence: UInt64 { (confirms?.nextSequence ?? 1) - 1 }

    /// Whether every message up to `sequence` is confirmed, after reading whatever
    /// confirms have arrived, without blocking. Throws `.nacked` if the broker refused one,
    /// `.returned` if a mandatory one reached no queue.
    public func isConfirmed(upTo sequence: UInt64) throws(AMQPError) -> Bool {
        try serviceIdle()
        guard var tracker = confirms else { return true }
        if let refusal = tracker.takeRefusal() {
            confirms = tracker
            throw refusal
        }
        return !tracker.outstanding.contains { $0 <= sequence }
    }

    /// Blocks until the broker has confirmed every message published so far.
    /// Throws `.nacked` if it refused any of them, `.returned` if a mandatory one
    /// reached no queue, and a timeout error if it does not answer within `timeout`
    /// seconds; each leaves the outcome of the batch unknown, so the caller must not
    /// ack what caused it.
    public func waitForConfirms(timeout: Double = 30) throws(AMQPError) {
        try checked { () throws(AMQPError) in
            guard var tracker = confirms else { return }
            defer { confirms = tracker }
            let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
            while !tracker.outstanding.isEmpty {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else {
                    throw AMQPError(operation: "wait for publisher confirms", kind: .library(
                        status: AMQP_STATUS_TIMEOUT.rawValue, message: "no confirm within \(timeout) s"))
                }
                guard let frame = try pollFrame(timeout: Double(remaining.components.seconds) + 0.001 * Double(remaining.components.attoseconds / 1_000_000_000_000_000)) else {
                    continue
                }
                try handleControlFrame(frame, tracker: &tracker)
            }
            if let refusal = tracker.takeRefusal() {
                throw refusal
            }
        }
    }

    /// Applies a frame that arrived outside a consume or RPC: confirms and closes.
    func handleControlFrame(_ frame: amqp_frame_t, tracker: inout ConfirmTracker) throws(AMQPError) {
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return }
        let method = frame.payload.method
        switch method.id {
        case AMQP_BASIC_ACK_METHOD:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            tracker.settle(ack.delivery_tag, multiple: ack.multiple != 0, nacked: false)
        case AMQP_BASIC_NACK_METHOD:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            tracker.settle(nack.delivery_tag, multiple: nack.multiple != 0, nacked: true)
        case AMQP_BASIC_RETURN_METHOD:
            // A mandatory message no queue took. The broker sends the return before the
            // ack of the same message, so the ack cannot settle its batch first. Its
            // header and body follow at once; the header's message id says which one it was.
            var message = amqp_message_t()
            try Check.reply(amqp_read_message(state, frame.channel, &message, 0), "read a returned message")
            tracker.returnedMessageIDs.append(AMQPProperties(message.properties).messageID)
            amqp_destroy_message(&message)
        case AMQP_CHANNEL_CLOSE_METHOD, AMQP_CONNECTION_CLOSE_METHOD:
            throw AMQPError(operation: "channel", kind: Check.serverClose(method))
        case AMQP_BASIC_CANCEL_METHOD:
            throw AMQPError(operation: "consume", kind: .server(
                code: 0, text: "the broker cancelled the consumer (queue deleted or moved)",
                connectionClosed: false))
        case AMQP_BASIC_DELIVER_METHOD:
            throw AMQPError(operation: "wait for publisher confirms", kind: .usage(
                "a delivery arrived on a publishing connection; consume and publish on separate connections"))
        default:
            break
        }
    }
}

/// Publisher-confirm bookkeeping: which sequence numbers are still unconfirmed.
struct ConfirmTracker {
    private(set) var nextSequence: UInt64 = 1
    private(set) var outstanding: Set<UInt64> = []
    var nacked = false
    /// The message id of each mandatory message that came back (nil for one without):
    /// its ack says only that the broker dropped it.
    var returnedMessageIDs: [String?] = []

    /// A nack or a return since the last call, cleared.
    mutating func takeRefusal() -> AMQPError? {
        defer { (nacked, returnedMessageIDs) = (false, []) }
        if nacked { return AMQPError(operation: "publish", kind: .nacked) }
        guard !returnedMessageIDs.isEmpty else { return nil }
        var error = AMQPError(operation: "publish", kind: .returned)
        error.returnedMessageIDs = returnedMessageIDs
        return error
    }

    mutating func published() -> UInt64 {
        defer { nextSequence += 1 }
        outstanding.insert(nextSequence)
        return nextSequence
    }

    mutating func settle(_ tag: UInt64, multiple: Bool, nacked isNack: Bool) {
        let settled = multiple ? outstanding.filter { $0 <= tag } : (outstanding.contains(tag) ? [tag] : [])
        if isNack && !settled.isEmpty { nacked = true }
        outstanding.subtract(settled)
    }
}
