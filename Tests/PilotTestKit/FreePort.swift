#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A TCP port on 127.0.0.1 that nothing listens on right now and that this process has
/// not handed out before.
public func freeLoopbackPort() -> Int {
    reserveLoopbackPorts(offsets: [0])
}

/// A base port such that `base + offset` is free on 127.0.0.1 for every offset, for a
/// server that takes several ports (a run, or a node's AMQP, management and distribution
/// ports). Every port of the set is reserved for the rest of the process, so two servers
/// started side by side never pick overlapping sets before either has bound them.
///
/// The ports lie below the kernel's ephemeral range where it leaves room: a server that a
/// test stops and starts again on the same ports (PostgreSQL, a broker node, the object
/// store) would otherwise race every outgoing connection on the machine for them, since
/// `connect()` takes its local port from that range and a listener cannot bind a port a
/// connected socket holds.
public func reserveLoopbackPorts(offsets: [Int]) -> Int {
    let span = offsets.max() ?? 0
    let candidates = portRangeBelowEphemeral(span: span) ?? 1_024...(65_535 - span)
    while true {
        let base = Int.random(in: candidates)
        let ports = offsets.map { base + $0 }
        let reserved = handedOut.withLock { taken in
            guard ports.allSatisfy({ !taken.contains($0) }), ports.allSatisfy(isFreeLoopbackPort) else { return false }
            taken.formUnion(ports)
            return true
        }
        if reserved { return base }
    }
}

private let handedOut = Mutex<Set<Int>>([])

/// Starts a server on ports reserved by this process, trying again on new ones (at most
/// `attempts` times in all) when the start failed because another process bound one of
/// them between the check and the server's bind: servers boot for seconds under load.
/// `start` gets the attempt's number (1 first) and undoes a failed attempt before it throws.
public func startOnFreePorts<Server>(attempts: Int = 3, _ start: (_ attempt: Int) throws -> Server) throws -> Server {
    try retryingStart(attempts: attempts, when: \.portWasTaken, start)
}

/// Runs `start` again (at most `attempts` times in all) while it fails with a `ShellError`
/// that `when` calls passing; any other failure is thrown at once.
public func retryingStart<Server>(
    attempts: Int, when transient: (ShellError) -> Bool, _ start: (_ attempt: Int) throws -> Server
) throws -> Server {
    var attempt = 0
    while true {
        attempt += 1
        do {
            return try start(attempt)
        } catch let error as ShellError where transient(error) && attempt < attempts {
            continue
        }
    }
}

extension ShellError {
    /// Whether the command failed on a port another process holds: RabbitMQ says
    /// `eaddrinuse` for a listener and `dist_port_already_used` for its distribution
    /// port, PostgreSQL and SeaweedFS "address already in use".
    public var portWasTaken: Bool {
        output.contains("eaddrinuse") || output.contains("dist_port_already_used")
            || output.range(of: "address already in use", options: .caseInsensitive) != nil
    }

    /// Whether a port or, for an Erlang node, the node's name was held by another process:
    /// epmd still registers a VM that is exiting.
    public var heldByAnother: Bool {
        portWasTaken || output.contains("seems to be in use by another Erlang node")
    }
}

/// Bases from 10000 (from 1024 for a span of 10000 or more) up to where `base + span`
/// meets the ephemeral range, when that leaves at least a thousand of them.
private func portRangeBelowEphemeral(span: Int) -> ClosedRange<Int>? {
    let floor = span >= 10_000 ? 1_024 : 10_000
    guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
        let low = text.split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }),
        low - 1 - span - floor >= 1_000
    else { return nil }
    return floor...(low - 1 - span)
}

/// Whether a TCP listener could bind `port` on 127.0.0.1 right now.
public func isFreeLoopbackPort(_ port: Int) -> Bool {
    withLoopbackSocket(port) { fd, address, length in bind(fd, address, length) == 0 }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
public func acceptsOnLoopback(_ port: Int) -> Bool {
    withLoopbackSocket(port) { fd, address, length in connect(fd, address, length) == 0 }
}

/// A fresh TCP socket and the address 127.0.0.1:`port`, closed after `body` unless kept open.
private func withLoopbackSocket(
    _ port: Int, keepOpen: Bool = false, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
) -> Bool {
    guard (1...65_535).contains(port) else { return false }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { if !keepOpen { close(fd) } }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// A listener on 127.0.0.1:`port` that holds the port until it is released, for tests of
/// what a server does when its port is taken.
public final class LoopbackListener: Sendable {
    public let port: Int
    private let fd: Int32

    public init?(port: Int) {
        var fd: Int32 = -1
        let bound = withLoopbackSocket(port, keepOpen: true) { socket, address, length in
            fd = socket
            return bind(socket, address, length) == 0 && listen(socket, 8) == 0
        }
        guard bound else {
            if fd >= 0 { close(fd) }
            return nil
        }
        self.port = port
        self.fd = fd
    }

    /// Whether a client has connected and waits to be accepted (none ever is): tells a
    /// test whether a client tried this server at all.
    public var hasConnectionWaiting: Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & Int16(POLLIN) != 0
    }

    deinit { close(fd) }
}
