/// Why a byte buffer is not a JSON document we accept.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// Byte offset where json-c stopped.
    public var offset: Int
    /// json-c's own description of the fault.
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
