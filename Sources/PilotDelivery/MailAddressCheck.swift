/// Envelope addresses must be plain addr-specs: a value that carries CR, LF, angle
/// brackets, commas or spaces could add recipients or SMTP commands of its own.
public enum MailAddressCheck {
    /// Why `address` cannot be an envelope address, or nil when it can.
    public static func problem(with address: String) -> String? {
        let bytes = Array(address.utf8)
        guard (3...254).contains(bytes.count) else { return "\(quoted(address)) is not 3 to 254 bytes long" }
        let forbidden = Set("<>,;:()\"[]\\ \t\r\n".utf8)
        if let bad = bytes.first(where: { forbidden.contains($0) || $0 < 0x20 || $0 == 0x7F }) {
            return "\(quoted(address)) contains \(describe(bad)), which an envelope address may not"
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "\(quoted(address)) is not one local part, one @ and one domain"
        }
        return nil
    }

    private static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0D: "a carriage return"
        case 0x0A: "a line feed"
        case 0x20: "a space"
        case 0..<0x20, 0x7F: "a control character"
        default: "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    /// Quoted, control characters escaped, cut at 80 characters: safe in a log or header.
    static func quoted(_ text: String) -> String {
        let cut = text.unicodeScalars.prefix(80)
        let escaped = cut.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
        return "\"" + escaped.joined() + (text.unicodeScalars.count > 80 ? "…" : "") + "\""
    }
}
