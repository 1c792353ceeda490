import CPosix
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
/// the root's file system: a folder on another device is looked at (without triggering an
/// automount) but not opened or read.
struct FolderWalk {
    /// Documents sit a few levels below a thread's folder; a deeper tree is no workspace's.
    static let maximumDepth = 32
    var maximumDepth = Self.maximumDepth

    /// A folder the walk could not read, and why.
    struct Unread: CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path) (\(reason))" }

        init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        init(path: String, _ code: Int32) {
            self.init(path: path, reason: String(cString: strerror(code)))
        }
    }

    /// Calls `visit` with the open folder, its path (for messages) and the name of each
    /// regular file under `root` whose name `wanted` accepts (the bytes are valid only
    /// during the call). Returns the folders it could not read; one that vanished
    /// meanwhile is not among them.
    func files(
        under root: String, wanted: (UnsafeRawBufferPointer) -> Bool,
        _ visit: (_ folder: Int32, _ path: String, _ name: UnsafeRawBufferPointer) -> Void
    ) -> [Unread] {
        var unread: [Unread] = []
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            // No folder yet (a workspace nothing was written to) holds nothing to sweep.
            let code = errno
            if code != ENOENT { unread.append(Unread(path: root, code)) }
            return unread
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            unread.append(Unread(path: root, errno))
            close(fd)
            return unread
        }
        read(fd, path: root, depth: 0, device: info.st_dev, unread: &unread, wanted: wanted, visit)
        return unread
    }

    /// Reads the open folder `fd` (and closes it), then each folder in it.
    private func read(
        _ fd: Int32, path: String, depth: Int, device: dev_t, unread: inout [Unread],
        wanted: (UnsafeRawBufferPointer) -> Bool, _ visit: (Int32, String, UnsafeRawBufferPointer) -> Void
    ) {
        guard let directory = fdopendir(fd) else {
            unread.append(Unread(path: path, errno))
            close(fd)
            return
        }
        defer { closedir(directory) }
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                let code = errno
                if code != 0 { unread.append(Unread(path: path, code)) }
                return
            }
            let start = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = UnsafeRawBufferPointer(start: start, count: strlen(start.assumingMemoryBound(to: CChar.self)))
            if name.elementsEqual(".".utf8) || name.elementsEqual("..".utf8) { continue }
            let cName = start.assumingMemoryBound(to: CChar.self)
            func entryPath() -> String { path + "/" + String(decoding: name, as: UTF8.self) }
            var type = Int(entry.pointee.d_type)
            var info = stat()
            if type == DT_DIR || type == DT_UNKNOWN {
                // The folder's device before opening it: a mount point is not opened (which
                // would wake an automount or wait on a network server). The stat also gives
                // the type some file systems leave out of the entry.
                guard pilot_stat_no_automount(dirfd(directory), cName, &info) == 0 else {
                    let code = errno
                    if code != ENOENT { unread.append(Unread(path: entryPath(), code)) }
                    continue
                }
                type = Self.entryType(info.st_mode)
            }
            if type == DT_REG {
                if wanted(name) { visit(dirfd(directory), path, name) }
                continue
            }
            guard type == DT_DIR, info.st_dev == device else { continue }
            let childPath = entryPath()
            guard depth < maximumDepth else {
                unread.append(Unread(path: childPath, reason: "past the walk's depth of \(maximumDepth)"))
                continue
            }
            let child = openat(dirfd(directory), cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else {
                // Gone, or swapped for a link or a file since it was listed: nothing of ours.
                let code = errno
                if ![ENOENT, ELOOP, ENOTDIR].contains(code) { unread.append(Unread(path: childPath, code)) }
                continue
            }
            guard fstat(child, &info) == 0 else {
                unread.append(Unread(path: childPath, errno))
                close(child)
                continue
            }
            // Swapped for another file system's folder since it was looked at.
            guard info.st_dev == device else {
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
