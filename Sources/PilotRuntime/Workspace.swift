import CPosix
import Foundation
import PilotStageAPI
#if canImport(Glibc)
import Glibc
#endif

/// The folder shared with the rest of the sales system (`PILOT_WORKSPACE`).
///
/// Writes are atomic (a temporary file in the same folder, flushed, then renamed over
/// the target) so a reader never sees half a document and a crash leaves either the
/// old file or the new one. Nothing is ever written outside `threads/sales/`.
public struct Workspace: Sendable {
    public static let threadsFolder = Document.threadsFolder
    /// The sales team's templates (Mustache), read for each batch that needs them.
    public static let templatesFolder = "artifacts/sales/current"
    public let root: URL
    /// `root`'s path without a trailing slash: documents are written by path, because
    /// `URL.appendingPathComponent` asks the file system whether each name is a folder.
    private let rootPath: String
    /// Flush each file to disk before the rename, so a power loss cannot leave an
    /// empty document behind a committed state. Costs one fsync per file.
    public var syncFiles: Bool

    public init(root: URL, syncFiles: Bool = true) {
        self.root = root.standardizedFileURL
        let path = self.root.path
        rootPath = path.hasSuffix("/") ? String(path.dropLast()) : path
        self.syncFiles = syncFiles
    }

    /// Writes `document` atomically; throws if its path leaves `threads/sales/`.
    public func write(_ document: Document) throws {
        let staged = try stage(document, sync: syncFiles)
        try staged.install()
    }

    /// A document written to a temporary file beside its target, not yet in place.
    public struct StagedFile: Sendable {
        let temporary: String
        let target: String

        /// Renames it over the target (atomic on POSIX file systems).
        func install() throws {
            guard rename(temporary, target) == 0 else {
                let code = errno
                unlink(temporary)
                throw WorkspaceError.io("rename to \(target)", code)
            }
        }

        public func discard() { unlink(temporary) }
    }

    /// Writes `document` to a temporary file in its folder, flushed when `sync` is set.
    public func stage(_ document: Document, sync: Bool) throws -> StagedFile {
        try Self.check(document.path)
        let target = rootPath + "/" + document.path
        let slash = target.utf8.lastIndex(of: UInt8(ascii: "/"))!
        let folder = target[..<slash]
        let temporary = "\(folder)/.\(target[target.utf8.index(after: slash)...])~\(Self.temporaryOwner)~\(UInt32.random(in: 0...UInt32.max)).tmp"
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var fd = open(temporary, flags, 0o644)
        if fd < 0, errno == ENOENT {
            // The document's folder is new: made here once, then its next documents open straight away.
            try Self.makeFolder(String(folder))
            fd = open(temporary, flags, 0o644)
        }
        guard fd >= 0 else { throw WorkspaceError.io("open \(temporary)", errno) }
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
        let syncStatus = sync && status == 0 && fsync(fd) != 0 ? errno : 0
        close(fd)
        guard status == 0, syncStatus == 0 else {
            unlink(temporary)
            throw WorkspaceError.io("write \(temporary)", status != 0 ? status : syncStatus)
        }
        return StagedFile(temporary: temporary, target: target)
    }

    /// Makes a document's folder, and `threads/sales/` above it only when that is missing
    /// too: one `mkdir` for a new pilot, where `FileManager` looks at each level first.
    /// A folder another writer made meanwhile is no failure. Mode 0777 less the umask, as
    /// `FileManager` makes the parents, so a workspace shared with a group stays shared.
    private static func makeFolder(_ path: String) throws {
        if mkdir(path, 0o777) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw WorkspaceError.io("mkdir \(path)", errno) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Puts a batch of staged documents in place durably with two file-system flushes
    /// instead of one fsync per file: contents first (so no renamed file can be empty
    /// after a power loss; skipped when the caller already called `flush()` after staging
    /// them), then the renames (so a committed state never points at a rename the disk
    /// forgot). On failure none of the remaining files is left behind.
    public func install(_ files: [StagedFile], contentsFlushed: Bool = false) throws {
        guard !files.isEmpty else { return }
        do {
            if syncFiles && !contentsFlushed { try syncFileSystem() }
            for (index, file) in files.enumerated() {
                do {
                    try file.install()
                } catch {
                    for rest in files[(index + 1)...] { rest.discard() }
                    throw error
                }
            }
            if syncFiles { try syncFileSystem() }
        } catch {
            for file in files { file.discard() }
            throw error
        }
    }

    /// Flushes what was written so far (the staged documents' contents) to disk.
    public func flush() throws {
        if syncFiles { try syncFileSystem() }
    }

    /// The bytes of a document, or nil when there is none.
    /// A symbolic link in the thread's folder must not lead out of the workspace.
    public func read(_ path: String) throws -> [UInt8]? {
        let url = try resolve(path)
        guard url.resolvingSymlinksInPath().path.hasPrefix(root.resolvingSymlinksInPath().path + "/") else {
            throw WorkspaceError.outside(path)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return [UInt8](data)
    }

    /// The templates of `artifacts/sales/current/`; a missing file means the built-in default.
    public func templates() -> PilotSnapshot.Templates {
        let url = root.appendingPathComponent("\(Self.templatesFolder)/pilot-agreement.md")
        return PilotSnapshot.Templates(agreement: FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) })
    }

    /// `syncfs(2)` on the workspace's file system: one flush for every file of a batch.
    private func syncFileSystem() throws {
        let fd = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WorkspaceError.io("open \(root.path)", errno) }
        defer { close(fd) }
        guard pilot_syncfs(fd) == 0 else { throw WorkspaceError.io("syncfs \(root.path)", errno) }
    }

    /// `host~namespace~pid` in temporary file names, so a sweeper knows whose they are.
    static let temporaryOwner = "\(host)~\(namespace)~\(getpid())"
    private static let host = ProcessInfo.processInfo.hostName
    /// This kernel's boot and pid namespace (`namespace(boot:pids:)`): a pid says whether
    /// its process lives only to a process in the same namespace of the same boot. Two
    /// containers can share a host name and a workspace; their pids mean nothing to each
    /// other. Unreadable (not Linux), a token of this process alone, `p` and 16 hex
    /// digits, so nobody judges its files by pid.
    static let namespace: String = {
        guard let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8),
              let pids = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")
        else { return "p" + hex16(UInt64.random(in: 0...UInt64.max)) }
        return namespace(boot: boot, pids: pids)
    }()

    /// 16 hex digits of FNV-1a over the boot id (`/proc/sys/kernel/random/boot_id`) and
    /// the pid namespace (`pid:[4026531836]`, the link `/proc/self/ns/pid`).
    static func namespace(boot: String, pids: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (boot.trimmingCharacters(in: .whitespacesAndNewlines) + "|" + pids).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hex16(hash)
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Whether process `pid` of this namespace still runs: signal 0 reaches it and it is
    /// no zombie (dead, waiting for its parent to reap it). Any answer but "no such
    /// process" (a security module refusing even signal 0, say) counts as alive.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return errno != ESRCH }
        // `pid (comm) S …`: the state follows the last `)`, as comm may hold one.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    /// The owner in a temporary file's name as this store writes it,
    /// `.<name>~<host>~<namespace>~<pid>~<random>.tmp` (`.<name>~<host>~<pid>~<random>.tmp`
    /// before namespaces, taken only with this host's name); nil for any other name.
    static func temporaryFileOwner(_ name: String) -> (host: Substring, namespace: Substring?, pid: Int32)? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let fields = name.dropLast(".tmp".count).split(separator: "~", omittingEmptySubsequences: false)
        func number(_ field: Substring) -> Bool { !field.isEmpty && field.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
        guard fields.count >= 4, fields[0].count > 1, number(fields[fields.count - 1]), UInt32(fields[fields.count - 1]) != nil,
              number(fields[fields.count - 2]), let pid = Int32(fields[fields.count - 2]), pid > 0 else { return nil }
        let namespace = fields[fields.count - 3]
        let hex = namespace.drop { $0 == "p" }
        if fields.count >= 5, namespace.count - hex.count <= 1, hex.count == 16, hex.utf8.allSatisfy(Self.isHexDigit),
           !fields[fields.count - 4].isEmpty {
            return (fields[fields.count - 4], namespace, pid)
        }
        return namespace == Self.host ? (namespace, nil, pid) : nil
    }

    /// ASCII only: `Character.isHexDigit` also takes fullwidth digits, which this store never writes.
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// Removes temporary files that workers killed between writing a document and putting
    /// it in place left behind (their batch was redelivered and written again): at once
    /// when their writer was a process of this host and pid namespace that is gone, and
    /// from any writer once last written before `modifiedBefore`, a time no commit takes.
    /// A plan whose file it was, stalled that long, then fails its commit and is planned
    /// again; the documents it renamed before the missing one stay until that plan writes
    /// them again, as after any failed install. Files not named as this store names them
    /// are the rest of the sales system's, never touched. Returns how many it removed;
    /// throws, once the rest is swept, when a folder could not be read or a file not
    /// removed, since what a killed worker left there would stay.
    @discardableResult
    func sweepTemporaryFiles(modifiedBefore: Date = .distantPast, isAlive: (Int32) -> Bool = Self.isRunning) throws(WorkspaceError) -> Int {
        var removed = 0
        var failed: [String] = []
        let unread = FolderWalk().files(under: rootPath + "/" + Self.threadsFolder, wanted: Self.mayBeTemporary) { folder, path, bytes in
            guard let name = String(validating: bytes, as: UTF8.self), let owner = Self.temporaryFileOwner(name) else { return }
            let gone = owner.host == Self.host && owner.namespace == Substring(Self.namespace) && !isAlive(owner.pid)
            // Another worker's sweep may have removed it first: ENOENT is no failure.
            func failure() {
                let code = errno
                if code != ENOENT { failed.append("\(path)/\(name) (\(String(cString: strerror(code))))") }
            }
            if !gone {
                var info = stat()
                guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return failure() }
                guard Double(info.st_mtim.tv_sec) < modifiedBefore.timeIntervalSince1970 else { return }
            }
            if unlinkat(folder, name, 0) == 0 { removed += 1 } else { failure() }
        }
        guard unread.isEmpty, failed.isEmpty else {
            throw WorkspaceError.sweepIncomplete(removed: removed, unread: unread.map(\.description), failed: failed)
        }
        return removed
    }

    /// `.…tmp`: the only names `temporaryFileOwner` may take, told from the bytes.
    private static func mayBeTemporary(_ name: UnsafeRawBufferPointer) -> Bool {
        name.first == UInt8(ascii: ".") && name.count > 4 && name.suffix(4).elementsEqual(".tmp".utf8)
    }

    /// The absolute URL of a workspace-relative path inside `threads/sales/`.
    public func resolve(_ path: String) throws -> URL {
        try Self.check(path)
        return root.appendingPathComponent(path)
    }

    /// Throws unless `path` is a document's: relative, inside `threads/sales/<thread-id>/`,
    /// without `.`, `..` or empty parts. The one rule for every document store.
    /// Parts are split on the bytes the file system splits on: split by `Character`, a
    /// slash followed by a combining mark would hide the `..` before it.
    public static func check(_ path: String) throws(WorkspaceError) {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].elementsEqual("threads".utf8), parts[1].elementsEqual("sales".utf8),
            parts.allSatisfy({ part in
                !part.isEmpty && !part.elementsEqual(".".utf8) && !part.elementsEqual("..".utf8) && !part.contains(0)
            }),
            ThreadID.isValid(Substring(parts[2]))
        else { throw WorkspaceError.outside(path) }
    }
}

public enum WorkspaceError: Error, CustomStringConvertible {
    /// "2 folders could not be read: a, b", at most five named; nil for none.
    private static func some(_ items: [String], _ noun: String, _ what: String) -> String? {
        guard !items.isEmpty else { return nil }
        return "\(items.count) \(noun)\(items.count == 1 ? "" : "s") \(what): "
            + items.prefix(5).joined(separator: ", ") + (items.count > 5 ? ", …" : "")
    }

    case outside(String)
    case io(String, Int32)
    /// A sweep that could not read every folder or remove every file it should, after
    /// sweeping the rest.
    case sweepIncomplete(removed: Int, unread: [String], failed: [String])

    public var description: String {
        switch self {
        case .outside(let path): "refusing to write \(ThreadID.quoted(path)): documents live under threads/sales/<thread-id>/"
        case .io(let operation, let code): "\(operation) failed: \(String(cString: strerror(code)))"
        case .sweepIncomplete(let removed, let unread, let failed):
            "the sweep of temporary files was partial (\(removed) removed), and what killed workers left there stays: "
                + [Self.some(unread, "folder", "could not be read"), Self.some(failed, "file", "could not be removed")]
                .compactMap { $0 }.joined(separator: "; ")
        }
    }
}
