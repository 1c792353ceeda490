/// Ids of derived events: a pure function of the cause, so a redelivered cause
/// yields the same ids and the inbox absorbs the duplicates.
public enum DerivedID {
    /// Our UUID namespace for event ids (a fixed random v4 UUID).
    static let namespace: [UInt8] = [
        0x6F, 0x1D, 0x2C, 0x8E, 0x4B, 0x7A, 0x4E, 0x11, 0x9C, 0x3D, 0x52, 0x0B, 0xA9, 0x47, 0xE6, 0x10,
    ]

    /// A version 5 UUID from the cause's id, the derived type and a discriminator
    /// that tells apart several events of one type from the same cause.
    public static func make(cause: String, type: String, discriminator: String = "") -> String {
        uuid5(name: "\(cause)\u{1F}\(type)\u{1F}\(discriminator)")
    }

    static func uuid5(name: String) -> String {
        var digest = SHA1.digest(namespace + Array(name.utf8))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in digest.prefix(16).enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
