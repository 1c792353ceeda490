#if canImport(Glibc)
import Glibc
#endif
import PilotJSON
import Synchronization

/// The JSON of rows that never change (a day's metrics, an issue's report, a feedback
/// response), by its text, so that a row read again is not parsed again.
///
/// Each daily tick reads every day's metrics so far: the same rows, one more each day.
/// Parsing them again took a tenth of a worker's time. The text's bytes are the key
/// (`Text`), so a hit is the same value by construction (no ids or versions to trust);
/// hashing them costs a fraction of a parse.
///
/// Two generations bound the memory: new entries go into the young one; when the texts in
/// it pass half the budget, the old one is dropped and the young one becomes old. An entry
/// found in the old generation moves back into the young one, so what is read every day
/// stays. Parsed trees take four to five times their text. Beside each tree the cache
/// keeps a `JSONMemo`, so that what a stage decodes from it is decoded once too.
public final class ParsedJSONCache: Sendable {
    /// Shared by the readers of every store in the process.
    public static let shared = ParsedJSONCache(budgetBytes: defaultBudgetBytes)
    /// Texts up to 128 MiB, about half a GiB of memory at most: the metrics of 10,000
    /// 30-day pilots come to about 75 MiB, and a tick reads them in a cycle, which a cache
    /// smaller than the cycle would miss every time.
    public static let defaultBudgetBytes = 128 << 20

    private struct Generations {
        var budget: Int
        var young: [Text: Parsed] = [:]
        var youngBytes = 0
        var old: [Text: Parsed] = [:]
        var hits = 0
        var misses = 0
    }

    /// A text's tree and the memo of its typed forms.
    public struct Parsed: Sendable {
        public var value: JSONValue
        public var memo: JSONMemo
    }

    private let state: Mutex<Generations>

    public init(budgetBytes: Int) {
        state = Mutex(Generations(budget: max(0, budgetBytes)))
    }

    /// Sets the budget (0 turns the cache off) and empties the cache.
    public func setBudget(bytes: Int) {
        state.withLock { $0 = Generations(budget: max(0, bytes)) }
    }

    /// Lookups answered from the cache, and those that parsed.
    public var counts: (hits: Int, misses: Int) {
        state.withLock { ($0.hits, $0.misses) }
    }

    /// Whether the parsed form of `text` is kept (for tests and diagnostics; it counts as
    /// neither a hit nor a miss).
    public func holds(_ text: String) -> Bool {
        let key = Text(text)
        return state.withLock { $0.young[key] != nil || $0.old[key] != nil }
    }

    /// The value of `text`, parsed only when the cache does not hold it.
    public func value(of text: String) throws(JSONParseError) -> JSONValue {
        try parsed(text).value
    }

    /// The value of `text` and its memo, parsed only when the cache does not hold it. A
    /// text the cache does not keep gets a memo of its own.
    public func parsed(_ text: String) throws(JSONParseError) -> Parsed {
        let key = Text(text)
        let cached: Parsed? = state.withLock { generations in
            if generations.budget > 0, let parsed = generations.young[key] {
                generations.hits += 1
                return parsed
            }
            if generations.budget > 0, let parsed = generations.old.removeValue(forKey: key) {
                generations.hits += 1
                Self.insert(key, parsed, into: &generations)
                return parsed
            }
            generations.misses += 1
            return nil
        }
        if let cached { return cached }
        let parsed = Parsed(value: try JSONValue(parsing: text), memo: JSONMemo())
        state.withLock { generations in
            if generations.budget > 0, text.utf8.count <= generations.budget / 2 { Self.insert(key, parsed, into: &generations) }
        }
        return parsed
    }

    private static func insert(_ key: Text, _ parsed: Parsed, into generations: inout Generations) {
        if generations.young.updateValue(parsed, forKey: key) == nil { generations.youngBytes += key.text.utf8.count }
        if generations.youngBytes > generations.budget / 2 {
            generations.old = generations.young
            generations.young = [:]
            generations.youngBytes = 0
        }
    }
}

extension ParsedJSONCache {
    /// A text as a key by its bytes. `String`'s own hashing and `==` go by canonical
    /// equivalence: on a text with any non-ASCII character they normalise the whole of it
    /// on every lookup (a cache of pilots' states, which have `≥` and `−`, cost more that
    /// way than the parses it saved); and two texts that differ only in normalisation are
    /// different JSON, which must not share a tree.
    struct Text: Hashable, Sendable {
        let text: String

        init(_ text: String) { self.text = text }

        func hash(into hasher: inout Hasher) {
            withBytes { hasher.combine(bytes: $0) }
        }

        static func == (lhs: Text, rhs: Text) -> Bool {
            lhs.withBytes { left in
                rhs.withBytes { right in
                    left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
                }
            }
        }

        /// The text's UTF-8 in one buffer: a native string's own, anything else copied.
        private func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            text.utf8.withContiguousStorageIfAvailable { body(UnsafeRawBufferPointer($0)) }
                ?? Array(text.utf8).withUnsafeBytes(body)
        }
    }
}
