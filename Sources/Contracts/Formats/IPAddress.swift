/// Textual IP addresses as RFC 3986 writes them (no zone ids, no leading zeros in IPv4).
enum IPAddress {
    /// `dec-octet "." dec-octet "." dec-octet "." dec-octet`: "01" is not an octet.
    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(ASCII.isDigit),
                part.utf8.count == 1 || part.utf8.first != UInt8(ascii: "0"), let value = Int(part)
            else { return false }
            return value <= 255
        }
    }

    /// Eight groups of 1 to 4 hex digits, `::` standing for one or more zero
    /// groups, and an IPv4 address allowed as the last two groups.
    static func isIPv6(_ text: Substring) -> Bool {
        if let gap = text.firstRange(of: "::") {
            let tail = text[gap.upperBound...]
            guard !tail.contains("::"), let head = groups(text[..<gap.lowerBound], ipv4AtEnd: false),
                let rest = groups(tail, ipv4AtEnd: true)
            else { return false }
            return head + rest <= 7
        }
        return groups(text, ipv4AtEnd: true) == 8
    }

    /// How many 16-bit groups `text` spells, or `nil` when it is malformed.
    private static func groups(_ text: Substring, ipv4AtEnd: Bool) -> Int? {
        if text.isEmpty { return 0 }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (position, part) in parts.enumerated() {
            if ipv4AtEnd, position == parts.count - 1, part.contains(".") {
                guard isIPv4(part) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(part.utf8.count), part.utf8.allSatisfy(ASCII.isHexDigit) else { return nil }
                count += 1
            }
        }
        return count
    }
}
