import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

extension AMQPConnection {
    /// Blocks until one of `connections` has something to read, or `timeout` seconds
    /// have passed; returns at once when rabbitmq-c already holds data or frames for one.
    /// Returns whether input is waiting.
    ///
    /// A consumer with batches in flight waits for two things at once: the next delivery
    /// and the publisher's confirms. rabbitmq-c waits on one connection at a time, and
    /// its deadlines count whole milliseconds, so a short wait there returns at once:
    /// taking turns between the two connections spun at about seven polls per message.
    /// Over TLS, bytes OpenSSL has read but not yet handed over are invisible to `poll`;
    /// `timeout` bounds the delay they could cause, so callers pass their poll interval.
    public static func awaitInput(_ connections: [AMQPConnection], timeout: Double) -> Bool {
        var sockets: [pollfd] = []
        sockets.reserveCapacity(connections.count)
        for connection in connections where connection.isOpen {
            if amqp_data_in_buffer(connection.state) != 0 || amqp_frames_enqueued(connection.state) != 0 { return true }
            let fd = amqp_get_sockfd(connection.state)
            if fd >= 0 { sockets.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        }
        guard !sockets.isEmpty else { return false }
        // Rounded up: a wait shorter than a millisecond must still wait.
        let milliseconds = Int32(clamping: Int((max(0, timeout) * 1000).rounded(.up)))
        while true {
            let ready = poll(&sockets, nfds_t(sockets.count), milliseconds)
            if ready >= 0 { return ready > 0 }
            // A signal cut the wait short; the caller's loop checks its deadlines again.
            if errno == EINTR { return false }
            return true  // a broken socket: the next read reports it
        }
    }
}
