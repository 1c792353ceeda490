/// A file a handler wants written, relative to the workspace, e.g.
/// `threads/sales/acme-2026-11/pilot-agreement-custom.md`.
public struct Document: Sendable, Equatable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }
}

extension Document {
    /// Where every pilot's documents live in the workspace: `threads/sales/<thread>/`.
    public static let threadsFolder = "threads/sales"
}
