/// `uri` and `uri-reference`: the RFC 3986 grammar, ASCII only (an IRI is not a URI).
enum URIFormat {
    /// - Parameter allowRelative: `uri-reference` when true, `uri` (a scheme is required) when false.
    static func isValid(_ text: String, allowRelative: Bool) -> Bool {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            guard isValid(rest[rest.index(after: hash)...], allowing: pchar, "/?") else { return false }
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            guard isValid(rest[rest.index(after: question)...], allowing: pchar, "/?") else { return false }
            rest = rest[..<question]
        }
        // A colon before any slash ends a scheme; in a relative reference the
        // first segment may not hold one (RFC 3986 §4.2, path-noscheme).
        if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
            guard isScheme(rest[..<colon]) else { return false }
            rest = rest[rest.index(after: colon)...]
        } else if !allowRelative {
            return false
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            guard isAuthority(rest[..<end]) else { return false }
            rest = rest[end...]
        }
        return isValid(rest, allowing: pchar, "/")
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`
    private static func isScheme(_ scheme: Substring) -> Bool {
        guard let first = scheme.utf8.first, ASCII.isAlpha(first) else { return false }
        return scheme.utf8.allSatisfy { ASCII.isAlphanumeric($0) || "+-.".utf8.contains($0) }
    }

    /// `[ userinfo "@" ] host [ ":" port ]`
    private static func isAuthority(_ authority: Substring) -> Bool {
        var hostAndPort = authority
        if let at = authority.firstIndex(of: "@") {
            guard isValid(authority[..<at], allowing: subDelimiterOrUnreserved, ":") else { return false }
            hostAndPort = authority[authority.index(after: at)...]
        }
        let port: Substring
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { return false }
            let literal = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            guard IPAddress.isIPv6(literal) || isIPvFuture(literal) else { return false }
            port = hostAndPort[hostAndPort.index(after: close)...]
        } else {
            let colon = hostAndPort.firstIndex(of: ":") ?? hostAndPort.endIndex
            // reg-name; a dotted IPv4 address is a reg-name too.
            guard isValid(hostAndPort[..<colon], allowing: subDelimiterOrUnreserved, "") else { return false }
            port = hostAndPort[colon...]
        }
        return port.isEmpty || (port.first == ":" && port.utf8.dropFirst().allSatisfy(ASCII.isDigit))
    }

    /// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`
    private static func isIPvFuture(_ literal: Substring) -> Bool {
        guard literal.first == "v" || literal.first == "V", let dot = literal.firstIndex(of: ".") else { return false }
        let version = literal[literal.index(after: literal.startIndex)..<dot].utf8
        let rest = literal[literal.index(after: dot)...]
        return !version.isEmpty && version.allSatisfy(ASCII.isHexDigit) && !rest.isEmpty
            && rest.utf8.allSatisfy { subDelimiterOrUnreserved($0) || $0 == UInt8(ascii: ":") }
    }

    private static func subDelimiterOrUnreserved(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || "-._~!$&'()*+,;=".utf8.contains(byte)
    }

    private static func pchar(_ byte: UInt8) -> Bool {
        subDelimiterOrUnreserved(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@")
    }

    /// Every byte is in `allowed` or `extra`, or part of a `%XX` escape.
    private static func isValid(_ text: Substring, allowing allowed: (UInt8) -> Bool, _ extra: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = bytes.next(), let low = bytes.next(), ASCII.isHexDigit(high), ASCII.isHexDigit(low)
                else { return false }
            } else if !allowed(byte) && !extra.utf8.contains(byte) {
                return false
            }
        }
        return true
    }
}
