import Synchronization

/// The typed form of one parsed JSON value, made once and shared by everyone who reads
/// the same stored text again.
///
/// A pilot's daily tick decodes every day's metrics so far. The rows never change, so
/// decoding them all again each day made the tick quadratic in the pilot's length. The
/// store's cache keeps one memo beside each cached tree (`ParsedJSONCache`), and a stage
/// asks it for the decoded value.
///
/// A memo is a cache, not data: any two compare equal, so values that carry one compare
/// by their JSON alone.
public final class JSONMemo: Sendable, Equatable {
    private let slot = Mutex<(any Sendable)?>(nil)

    public init() {}

    /// What `make` returns, made on the first call that asks for a `T` and kept. A `make`
    /// that throws keeps nothing. Two threads may both make it the first time; the value
    /// is the same either way.
    public func value<T: Sendable>(_ make: () throws -> T) rethrows -> T {
        if let made = slot.withLock({ $0 }) as? T { return made }
        let made = try make()
        slot.withLock { $0 = made }
        return made
    }

    public static func == (lhs: JSONMemo, rhs: JSONMemo) -> Bool { true }
}
