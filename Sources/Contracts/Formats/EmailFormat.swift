/// `email`: an RFC 5321 mailbox, `local-part "@" domain`, where the local part
/// is a dot-atom or a quoted string and the domain a host name or an address literal.
enum EmailFormat {
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let at = localPartEnd(bytes), at < bytes.count, bytes[at] == UInt8(ascii: "@"), at <= 64 else {
                return false
            }
            return isDomain(UnsafeBufferPointer(rebasing: bytes[(at + 1)...]))
        }
    }

    /// The index just past the local part, or `nil` when there is none.
    private static func localPartEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if bytes.first == UInt8(ascii: "\"") {
            // quoted-string: printable ASCII; `"` and `\` only escaped.
            var index = 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""): return index > 1 ? index + 1 : nil
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count, (32...126).contains(bytes[index + 1]) else { return nil }
                    index += 2
                case 32...126: index += 1
                default: return nil
                }
            }
            return nil
        }
        // dot-atom: runs of atext separated by single dots.
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")),
            isDotted(UnsafeBufferPointer(rebasing: bytes[..<at]), label: isAtext)
        else { return nil }
        return at
    }

    private static func isAtext(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    private static func isDomain(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
        if domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]") {
            let literal = Substring(decoding: domain.dropFirst().dropLast(), as: UTF8.self)
            if literal.hasPrefix("IPv6:") { return IPAddress.isIPv6(literal.dropFirst(5)) }
            return IPAddress.isIPv4(literal)
        }
        return isHostname(domain)
    }

    /// RFC 1123 host name: labels of letters, digits and inner hyphens, 63 bytes at most each.
    static func isHostname(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count <= 253 else { return false }
        var labelLength = 0
        var previous = UInt8(ascii: ".")
        for byte in name {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                guard ASCII.isAlphanumeric(byte) || (byte == UInt8(ascii: "-") && labelLength > 0) else { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    /// Non-empty labels of `label` bytes joined by single dots.
    private static func isDotted(_ bytes: UnsafeBufferPointer<UInt8>, label: (UInt8) -> Bool) -> Bool {
        var previousWasDot = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard label(byte) else { return false }
                previousWasDot = false
            }
        }
        return !previousWasDot
    }
}
