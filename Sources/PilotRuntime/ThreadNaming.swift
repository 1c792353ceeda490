import CPosix

/// Names the calling thread where `top -H`, `perf` and `/proc/PID/task/*/comm` read it.
/// Foundation's `Thread.name` does not reach the kernel here, so every worker thread
/// showed the same name. Linux keeps 15 bytes: a leading `pilot-` is dropped first.
package func nameCurrentThread(_ name: String) {
    let short = name.hasPrefix("pilot-") ? name.dropFirst("pilot-".count) : Substring(name)
    var bytes = short.utf8.prefix(15).map { CChar(bitPattern: $0) }
    bytes.append(0)
    _ = pilot_name_thread(bytes)
}

/// The calling thread's name as the kernel keeps it.
func currentThreadName() -> String? {
    var bytes = [CChar](repeating: 0, count: 16)
    guard pilot_thread_name(&bytes, UInt(bytes.count)) == 0 else { return nil }
    return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
