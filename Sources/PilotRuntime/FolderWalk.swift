import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A walk of a folder tree by `readdir`, for the workspace's sweep of temporary files. A
/// name is read in its directory entry and handed on as bytes: Foundation's enumerator
/// stat'ed and bridged every file, 3.4 s of CPU for 10,000 pilots' 430,000 files, every
/// 15 minutes in every worker (`pilot-bench sweep`).
///
/// Each folder is opened through its parent's descriptor without following links, so the
/// walk stays inside the tree even when a folder is swapped for a link while it runs, and
/// names that are not UTF-8 are read like any other. Like Foundation's walk it stays on
/// the root's file system: a mount below it (a network share that hangs) is not entered.
struct FolderWalk {
    /// Documents sit a few levels below a thread's folder; a deeper tree is no workspace's.
    static let maximumDepth = 32

    /// A folder the walk could not read, and why.
    struct Unread: CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path) (\(reason))" }
    }

    /// Calls `visit` with the open folder and the name of each regular file under `root`
    /// whose name `wanted` accepts (the bytes are valid only during the call). Returns the
    /// folders it could not read; one that vanished meanwhile is not among them.
    func files(
        under root: String, wanted: (UnsafeRawBufferPointer) -> Bool,
        _ visit: (_ folder: Int32, _ name: UnsafeRawBufferPointer) -> Void
    ) -> [Unread] {
        var unread: [Unread] = []
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno != ENOENT { unread.append(Unread(path: root, reason: String(cString: strerror(errno)))) }
            return unread
        }
        var info = stat()
        fstat(fd, &info)
        read(fd, path: root, depth: 0, device: info.st_dev, unread: &unread, wanted: wanted, visit)
        return unread
    }

    /// Reads the open folder `fd` (and closes it), then each folder in it.
    private func read(
        _ fd: Int32, path: String, depth: Int, device: dev_t, unread: inout [Unread],
        wanted: (UnsafeRawBufferPointer) -> Bool, _ visit: (Int32, UnsafeRawBufferPointer) -> Void
    ) {
        guard let directory = fdopendir(fd) else {
            unread.append(Unread(path: path, reason: String(cString: strerror(errno))))
            close(fd)
            return
        }
        defer { closedir(directory) }
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { unread.append(Unread(path: path, reason: String(cString: strerror(errno)))) }
                return
            }
            let start = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = UnsafeRawBufferPointer(start: start, count: strlen(start.assumingMemoryBound(to: CChar.self)))
            if name.elementsEqual(".".utf8) || name.elementsEqual("..".utf8) { continue }
            let cName = start.assumingMemoryBound(to: CChar.self)
            var type = Int(entry.pointee.d_type)
            if type == DT_UNKNOWN {
                // Some file systems leave the type out of the entry.
                var info = stat()
                type = fstatat(dirfd(directory), cName, &info, AT_SYMLINK_NOFOLLOW) == 0 ? Self.entryType(info.st_mode) : DT_UNKNOWN
            }
            if type == DT_REG {
                if wanted(name) { visit(dirfd(directory), name) }
                continue
            }
            guard type == DT_DIR else { continue }
            let childPath = path + "/" + String(decoding: name, as: UTF8.self)
            guard depth < Self.maximumDepth else {
                unread.append(Unread(path: childPath, reason: "deeper than \(Self.maximumDepth) folders"))
                continue
            }
            let child = openat(dirfd(directory), cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else {
                // Gone, or swapped for a link or a file since it was listed: nothing of ours.
                if ![ENOENT, ELOOP, ENOTDIR].contains(errno) {
                    unread.append(Unread(path: childPath, reason: String(cString: strerror(errno))))
                }
                continue
            }
            var info = stat()
            guard fstat(child, &info) == 0, info.st_dev == device else {
                close(child)
                continue
            }
            read(child, path: childPath, depth: depth + 1, device: device, unread: &unread, wanted: wanted, visit)
        }
    }

    static func entryType(_ mode: mode_t) -> Int {
        switch mode & S_IFMT {
        case S_IFDIR: DT_DIR
        case S_IFREG: DT_REG
        default: DT_UNKNOWN
        }
    }
}
