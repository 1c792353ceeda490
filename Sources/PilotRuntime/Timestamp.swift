import Foundation

/// RFC 3339 UTC timestamps (`2026-11-25T09:00:00Z`) without Foundation's formatters,
/// which cost microseconds per call on the per-message path.
public enum Timestamp {
    public static func rfc3339(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int32, _ at: Int, _ width: Int) {
            var value = value
            for offset in stride(from: width - 1, through: 0, by: -1) {
                bytes[at + offset] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(parts.tm_year + 1900, 0, 4)
        bytes[4] = UInt8(ascii: "-")
        put(parts.tm_mon + 1, 5, 2)
        bytes[7] = UInt8(ascii: "-")
        put(parts.tm_mday, 8, 2)
        bytes[10] = UInt8(ascii: "T")
        put(parts.tm_hour, 11, 2)
        bytes[13] = UInt8(ascii: ":")
        put(parts.tm_min, 14, 2)
        bytes[16] = UInt8(ascii: ":")
        put(parts.tm_sec, 17, 2)
        bytes[19] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func now() -> String { rfc3339(Date()) }
}
