import CJSONC
import Synchronization

/// json-c tokeners kept between parses.
///
/// A new tokener is a 2 KB `calloc` (its stack of 64 levels) and a print buffer; freeing
/// and allocating one per message made glibc consolidate its fast bins on every parse. A
/// parse borrows one here and gives it back reset, so each consumer thread ends up
/// reusing the same one.
enum TokenerPool {
    /// A tokener is used by one parse at a time: it is taken out of the pool for it.
    private struct Tokener: @unchecked Sendable {
        var pointer: UnsafeMutablePointer<json_tokener>
    }

    private static let idle = Mutex<[Tokener]>([])
    /// More idle tokeners than this are freed: enough for every consumer thread of a worker.
    static let capacity = 16

    /// Runs `body` with a tokener in strict mode at depth `JSONValue.maximumDepth`. UTF-8 is
    /// not json-c's to check: `JSONLexicalCheck` has already refused more than json-c
    /// would (overlong forms, surrogates, past U+10FFFF), so a second pass would find nothing.
    static func withTokener<T>(_ body: (UnsafeMutablePointer<json_tokener>) throws(JSONParseError) -> T) throws(JSONParseError) -> T {
        let tokener: UnsafeMutablePointer<json_tokener>
        if let reused = idle.withLock({ $0.popLast() }) {
            tokener = reused.pointer
        } else {
            guard let created = json_tokener_new_ex(JSONValue.maximumDepth) else {
                throw JSONParseError(offset: 0, reason: "json_tokener_new_ex: out of memory")
            }
            json_tokener_set_flags(created, JSON_TOKENER_STRICT)
            tokener = created
        }
        defer {
            // A failed or unfinished parse leaves levels behind; reset releases them.
            json_tokener_reset(tokener)
            let kept = idle.withLock { pool in
                guard pool.count < capacity else { return false }
                pool.append(Tokener(pointer: tokener))
                return true
            }
            if !kept { json_tokener_free(tokener) }
        }
        return try body(tokener)
    }
}
