/// `uuid`: RFC 9562 text form, `8-4-4-4-12` hex digits, any version and variant.
enum UUIDFormat {
    static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            let isHyphenPosition = index == 8 || index == 13 || index == 18 || index == 23
            guard isHyphenPosition ? byte == UInt8(ascii: "-") : ASCII.isHexDigit(byte) else { return false }
        }
        return true
    }
}
