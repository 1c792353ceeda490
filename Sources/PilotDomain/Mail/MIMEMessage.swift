import Foundation

/// An e-mail as RFC 5322 + MIME bytes: headers safe against injection, a
/// `multipart/mixed` body with a deterministic boundary, CRLF throughout.
/// Nothing in it depends on the clock or randomness, so rendering the same
/// message twice gives the same bytes.
public struct MIMEMessage: Hashable, Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var subject: String
    /// The `Date:` header; pass the handled event's time.
    public var date: Date
    /// Without angle brackets, e.g. `kickoff.acme-2026-11@pilot-worker`.
    public var messageID: String
    /// The multipart boundary.
    public var boundary: String
    public var parts: [MIMEPart]

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], subject: String, date: Date,
        messageID: String, boundary: String, parts: [MIMEPart])
    {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.boundary = boundary
        self.parts = parts
    }

    /// `<kind>.<thread>@pilot-worker`: the same thread and kind always give the
    /// same id (a resent message is the same message), different kinds differ.
    /// Characters a msg-id cannot hold become `-`; a trailing `.` (which a
    /// thread id may have) becomes `=`, which no thread id contains.
    public static func messageID(thread: String, kind: String) -> String {
        var left = atext(kind) + "." + atext(thread)
        if left.hasSuffix(".") { left = String(left.dropLast()) + "=" }
        return left + "@pilot-worker"
    }

    /// `=_pilot_<kind>_<hash>`: `=_` cannot occur in base64 or quoted-printable
    /// text, so the boundary never appears inside a part.
    public static func boundary(thread: String, kind: String) -> String {
        "=_pilot_" + String(atext(kind).prefix(24)) + "_" + FNV1a.hex(thread + "\u{0}" + kind)
    }

    /// The message bytes.
    public func serialized() -> [UInt8] {
        var text = MailHeader.field("From", from.headerWords)
        text += MailHeader.field("To", MailHeader.addressList(to))
        if !cc.isEmpty { text += MailHeader.field("Cc", MailHeader.addressList(cc)) }
        text += MailHeader.field("Subject", MailHeader.text(subject))
        text += MailHeader.field("Date", RFC5322Date.format(date).split(separator: " ").map(String.init))
        text += MailHeader.field("Message-ID", ["<" + MailHeader.addrSpec(messageID) + ">"])
        text += "MIME-Version: 1.0\r\n"
        text += MailHeader.field("Content-Type", ["multipart/mixed;", "boundary=" + MailHeader.parameter(boundary)])
        text += "\r\nThis is a multipart message in MIME format.\r\n"
        for part in parts {
            text += "\r\n--" + boundary + "\r\n" + part.serialized
        }
        text += "\r\n--" + boundary + "--\r\n"
        return Array(text.utf8)
    }

    /// `value` with every character outside a dot-atom's `-`, `_`, `.` and
    /// letters and digits replaced by `-`.
    static func atext(_ value: String) -> String {
        String(value.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "-" })
    }
}

/// FNV-1a, 64 bit: a short stable tag from a string (not for security).
enum FNV1a {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
