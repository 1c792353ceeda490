/// A value bound to a statement parameter (`?`), in SQLite's storage classes.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    /// UTF-8 text.
    case text(String)
    case blob([UInt8])
}

extension SQLiteValue {
    /// `.text` for a string, `.null` for nil: most of our text columns are nullable.
    public static func text(_ value: String?) -> SQLiteValue {
        value.map { .text($0) } ?? .null
    }

    /// `.integer` for a value, `.null` for nil.
    public static func integer(_ value: Int64?) -> SQLiteValue {
        value.map { .integer($0) } ?? .null
    }

    /// `.real` for a value, `.null` for nil.
    public static func real(_ value: Double?) -> SQLiteValue {
        value.map { .real($0) } ?? .null
    }
}
