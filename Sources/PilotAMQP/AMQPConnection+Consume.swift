import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

extension AMQPConnection {
    /// Starts a manual-ack consumer on `queue` with at most `prefetch` unacked deliveries.
    public func consume(queue: String, prefetch: UInt16, consumerTag: String = "") throws(AMQPError) {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            amqp_basic_qos(state, Self.channel, 0, prefetch, 0)
            try lastReply("basic.qos")
            amqp_basic_consume(
                state, Self.channel, arena.bytes(queue), arena.bytes(consumerTag), 0, 0, 0, amqp_empty_table)
            try lastReply("basic.consume \(queue)")
        }
    }

    /// The next delivery, or nil when none arrived within `timeout` seconds.
    ///
    /// Returning on a timeout is what keeps heartbeats flowing on an idle consumer.
    /// When a frame other than a delivery arrives (a publisher confirm on a channel
    /// that also publishes, or a close from the broker), rabbitmq-c stops with
    /// `AMQP_STATUS_UNEXPECTED_STATE` and the frame must be read by hand.
    public func nextDelivery(timeout: Double) throws(AMQPError) -> AMQPDelivery? {
        try checked { () throws(AMQPError) in
            amqp_maybe_release_buffers(state)
            var envelope = amqp_envelope_t()
            var wait = timeval(seconds: timeout)
            let reply = amqp_consume_message(state, &envelope, &wait, 0)
            if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION {
                if reply.library_error == AMQP_STATUS_TIMEOUT.rawValue { return nil }
                if reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue {
                    var frame = amqp_frame_t()
                    try Check.status(amqp_simple_wait_frame(state, &frame), "amqp_simple_wait_frame")
                    var tracker = confirms ?? ConfirmTracker()
                    try handleControlFrame(frame, tracker: &tracker)
                    if confirms != nil { confirms = tracker }
                    return nil
                }
            }
            try Check.reply(reply, "amqp_consume_message")
            defer { amqp_destroy_envelope(&envelope) }
            return AMQPDelivery(
                deliveryTag: envelope.delivery_tag,
                redelivered: envelope.redelivered != 0,
                exchange: String(amqpBytes: envelope.exchange),
                routingKey: String(amqpBytes: envelope.routing_key),
                properties: AMQPProperties(envelope.message.properties),
                body: [UInt8](amqpBytes: envelope.message.body), propertiesLimit: propertiesLimit)
        }
    }

    /// Acknowledges `deliveryTag`, and with `multiple` every earlier delivery too.
    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws(AMQPError) {
        try checked { () throws(AMQPError) in
            try Check.status(amqp_basic_ack(state, Self.channel, deliveryTag, multiple ? 1 : 0), "basic.ack")
        }
    }

    /// Rejects a delivery; with `requeue` it goes back to its queue.
    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool) throws(AMQPError) {
        try checked { () throws(AMQPError) in
            try Check.status(
                amqp_basic_nack(state, Self.channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0), "basic.nack")
        }
    }

    /// Takes one message with `basic.get` (manual ack), or nil when the queue is empty.
    /// For tools and tests; workers consume.
    public func get(queue: String) throws(AMQPError) -> AMQPDelivery? {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            amqp_maybe_release_buffers(state)
            let reply = amqp_basic_get(state, Self.channel, arena.bytes(queue), 0)
            try Check.reply(reply, "basic.get \(queue)")
            guard reply.reply.id == AMQP_BASIC_GET_OK_METHOD else { return nil }
            let ok = reply.reply.decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
            var message = amqp_message_t()
            try Check.reply(amqp_read_message(state, Self.channel, &message, 0), "read message from \(queue)")
            defer { amqp_destroy_message(&message) }
            return AMQPDelivery(
                deliveryTag: ok.delivery_tag, redelivered: ok.redelivered != 0,
                exchange: String(amqpBytes: ok.exchange), routingKey: String(amqpBytes: ok.routing_key),
                properties: AMQPProperties(message.properties), body: [UInt8](amqpBytes: message.body),
                propertiesLimit: propertiesLimit)
        }
    }

    /// Sends due heartbeats and applies stray frames on an otherwise idle connection.
    public func serviceIdle() throws(AMQPError) {
        try checked { () throws(AMQPError) in
            var tracker = confirms ?? ConfirmTracker()
            while let frame = try pollFrame(timeout: 0) {
                try handleControlFrame(frame, tracker: &tracker)
            }
            if confirms != nil { confirms = tracker }
        }
    }
}
