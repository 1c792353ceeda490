/// `uri` and `uri-reference`: the RFC 3986 grammar, ASCII only (an IRI is not a URI).
enum URIFormat {
    /// - Parameter allowRelative: `uri-reference` when true, `uri` (a scheme is required) when false.
    static func isValid(_ text: String, allowRelative: Bool) -> Bool {
        // ASCII, as nearly every value is, goes byte by byte: the same grammar, without the
        // Character (grapheme) machinery that `Substring` searches use.
        let verdict = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            for byte in bytes where byte >= 0x80 { return nil }
            return ASCIIReference(bytes: bytes).isValid(allowRelative: allowRelative)
        }
        if let verdict, let verdict { return verdict }
        return isValidCharacters(text, allowRelative: allowRelative)
    }

    /// The grammar over `Substring`s, for text that is not all ASCII.
    static func isValidCharacters(_ text: String, allowRelative: Bool) -> Bool {
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

    /// The same grammar as `isValidCharacters`, step by step, over ASCII bytes. In ASCII a
    /// Character is one byte (but for "\r\n", which no step looks for), so both agree.
    private struct ASCIIReference {
        let bytes: UnsafeBufferPointer<UInt8>

        func isValid(allowRelative: Bool) -> Bool {
            var end = bytes.count
            if let hash = firstIndex(of: "#", in: 0..<end) {
                guard isValid(hash + 1..<end, allowing: pchar, "/?") else { return false }
                end = hash
            }
            if let question = firstIndex(of: "?", in: 0..<end) {
                guard isValid(question + 1..<end, allowing: pchar, "/?") else { return false }
                end = question
            }
            var start = 0
            if let colon = firstIndex(of: ":", in: 0..<end), firstIndex(of: "/", in: 0..<colon) == nil {
                guard isScheme(0..<colon) else { return false }
                start = colon + 1
            } else if !allowRelative {
                return false
            }
            if end - start >= 2, bytes[start] == UInt8(ascii: "/"), bytes[start + 1] == UInt8(ascii: "/") {
                start += 2
                let authorityEnd = firstIndex(of: "/", in: start..<end) ?? end
                guard isAuthority(start..<authorityEnd) else { return false }
                start = authorityEnd
            }
            return isValid(start..<end, allowing: pchar, "/")
        }

        private func firstIndex(of character: Unicode.Scalar, in range: Range<Int>) -> Int? {
            let byte = UInt8(ascii: character)
            for index in range where bytes[index] == byte { return index }
            return nil
        }

        private func isScheme(_ range: Range<Int>) -> Bool {
            guard !range.isEmpty, ASCII.isAlpha(bytes[range.lowerBound]) else { return false }
            for index in range where !(ASCII.isAlphanumeric(bytes[index]) || "+-.".utf8.contains(bytes[index])) {
                return false
            }
            return true
        }

        private func isAuthority(_ range: Range<Int>) -> Bool {
            var hostStart = range.lowerBound
            if let at = firstIndex(of: "@", in: range) {
                guard isValid(range.lowerBound..<at, allowing: subDelimiterOrUnreserved, ":") else { return false }
                hostStart = at + 1
            }
            let portStart: Int
            if hostStart < range.upperBound, bytes[hostStart] == UInt8(ascii: "[") {
                guard let close = firstIndex(of: "]", in: hostStart..<range.upperBound) else { return false }
                let literal = Substring(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[hostStart + 1..<close]), as: UTF8.self))
                guard IPAddress.isIPv6(literal) || isIPvFuture(literal) else { return false }
                portStart = close + 1
            } else {
                let colon = firstIndex(of: ":", in: hostStart..<range.upperBound) ?? range.upperBound
                guard isValid(hostStart..<colon, allowing: subDelimiterOrUnreserved, "") else { return false }
                portStart = colon
            }
            guard portStart < range.upperBound else { return true }
            guard bytes[portStart] == UInt8(ascii: ":") else { return false }
            for index in portStart + 1..<range.upperBound where !ASCII.isDigit(bytes[index]) { return false }
            return true
        }

        private func isValid(_ range: Range<Int>, allowing allowed: (UInt8) -> Bool, _ extra: String) -> Bool {
            var index = range.lowerBound
            while index < range.upperBound {
                let byte = bytes[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < range.upperBound, ASCII.isHexDigit(bytes[index + 1]),
                        ASCII.isHexDigit(bytes[index + 2])
                    else { return false }
                    index += 3
                } else {
                    guard allowed(byte) || extra.utf8.contains(byte) else { return false }
                    index += 1
                }
            }
            return true
        }
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
