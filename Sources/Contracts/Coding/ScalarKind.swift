#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The types a generic `decode<T>`/`encode<T>` reads or writes itself instead of
/// handing a coder to, found by comparing `T.self` with each.
///
/// A cast such as `T.self as? any JSONPrimitive.Type` looks the conformance up in the
/// runtime's cache on every call; in a profile of the daily tick those lookups were a
/// tenth of all decoding. Comparing metadata pointers costs a few instructions.
enum ScalarKind {
    case string, double, int, bool, date, int64, float, int8, int16, int32, uint, uint8, uint16, uint32, uint64

    /// The kind of `type`, or nil for a type that decodes and encodes itself.
    @inline(__always)
    static func of<T>(_ type: T.Type) -> ScalarKind? {
        // The most frequent first.
        if T.self == String.self { return .string }
        if T.self == Double.self { return .double }
        if T.self == Int.self { return .int }
        if T.self == Bool.self { return .bool }
        if T.self == Date.self { return .date }
        if T.self == Int64.self { return .int64 }
        if T.self == Float.self { return .float }
        if T.self == Int8.self { return .int8 }
        if T.self == Int16.self { return .int16 }
        if T.self == Int32.self { return .int32 }
        if T.self == UInt.self { return .uint }
        if T.self == UInt8.self { return .uint8 }
        if T.self == UInt16.self { return .uint16 }
        if T.self == UInt32.self { return .uint32 }
        if T.self == UInt64.self { return .uint64 }
        return nil
    }
}
