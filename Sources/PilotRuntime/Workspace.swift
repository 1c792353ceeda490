import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// `threads/sales/<thread>/<name>`; the thread id must have been validated.
    public static func inThread(_ threadID: String, _ name: String, text: String) -> Document {
        Document(path: "\(Workspace.threadsFolder)/\(threadID)/\(name)", text: text)
    }
}

/// The folder shared with the rest of the sales system (`PILOT_WORKSPACE`).
///
/// Writes are atomic (a temporary file in the same folder, flushed, then renamed over
/// the target) so a reader never sees half a document and a crash leaves either the
/// old file or the new one. Nothing is ever written outside `threads/sales/`.
public struct Workspace: Sendable {
    public static let threadsFolder = "threads/sales"
    public let root: URL
    /// Flush each file to disk before the rename, so a power loss cannot leave an
    /// empty document behind a committed state. Costs one fsync per file.
    public var syncFiles: Bool

    public init(root: URL, syncFiles: Bool = true) {
        self.root = root.standardizedFileURL
        self.syncFiles = syncFiles
    }

    /// Writes `document` atomically; throws if its path leaves `threads/sales/`.
    public func write(_ document: Document) throws {
        let target = try resolve(document.path)
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WorkspaceError.io("open \(temporary.path)", errno) }
        var written = 0
        let status: Int32 = document.bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        let syncStatus = syncFiles && status == 0 && fsync(fd) != 0 ? errno : 0
        close(fd)
        guard status == 0, syncStatus == 0 else {
            unlink(temporary.path)
            throw WorkspaceError.io("write \(temporary.path)", status != 0 ? status : syncStatus)
        }
        guard rename(temporary.path, target.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw WorkspaceError.io("rename to \(target.path)", code)
        }
    }

    /// The absolute URL of a workspace-relative path inside `threads/sales/`.
    public func resolve(_ path: String) throws -> URL {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), parts.count >= 4, parts[0] == "threads", parts[1] == "sales",
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") }),
            ThreadID.isValid(String(parts[2]))
        else { throw WorkspaceError.outside(path) }
        return root.appendingPathComponent(path)
    }
}

public enum WorkspaceError: Error, CustomStringConvertible {
    case outside(String)
    case io(String, Int32)

    public var description: String {
        switch self {
        case .outside(let path): "refusing to write \(ThreadID.quoted(path)): documents live under threads/sales/<thread-id>/"
        case .io(let operation, let code): "\(operation) failed: \(String(cString: strerror(code)))"
        }
    }
}
