import CRabbitMQ

extension AMQPConnection {
    /// Declares an exchange; declaring it again with the same settings is a no-op.
    public func declareExchange(_ name: String, type: String, durable: Bool = true) throws(AMQPError) {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            amqp_exchange_declare(
                state, Self.channel, arena.bytes(name), arena.bytes(type), 0, durable ? 1 : 0, 0, 0,
                amqp_empty_table)
            try lastReply("exchange.declare \(name)")
        }
    }

    /// Declares a durable queue with `arguments` (e.g. `x-queue-type`), or with
    /// `passive` only checks that it exists. Returns the ready count and consumer count.
    /// With `transient`, the queue is exclusive to this connection and deleted with it,
    /// for watchers that must leave nothing behind.
    @discardableResult
    public func declareQueue(
        _ name: String, arguments: [(String, AMQPFieldValue)] = [], passive: Bool = false, transient: Bool = false
    ) throws(AMQPError) -> (messages: UInt32, consumers: UInt32) {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            let ok = amqp_queue_declare(
                state, Self.channel, arena.bytes(name), passive ? 1 : 0, transient ? 0 : 1, transient ? 1 : 0,
                transient ? 1 : 0, arena.table(arguments))
            try lastReply("queue.declare \(name)")
            guard let ok else { return (0, 0) }
            return (ok.pointee.message_count, ok.pointee.consumer_count)
        }
    }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws(AMQPError) {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            amqp_queue_bind(
                state, Self.channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(routingKey),
                amqp_empty_table)
            try lastReply("queue.bind \(queue) to \(exchange) with \(routingKey)")
        }
    }

    /// Removes every ready message from a queue and returns how many there were.
    @discardableResult
    public func purgeQueue(_ name: String) throws(AMQPError) -> UInt32 {
        try checked { () throws(AMQPError) in
            let arena = CArena()
            let ok = amqp_queue_purge(state, Self.channel, arena.bytes(name))
            try lastReply("queue.purge \(name)")
            return ok?.pointee.message_count ?? 0
        }
    }
}
