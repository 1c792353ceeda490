import PilotJSON

extension JSONValue {
    /// A number as JSON: whole values as integers ("300", not "300.0"), others as doubles.
    static func number(_ value: Double) -> JSONValue {
        if value.rounded() == value, abs(value) < 9.0e15, let whole = Int64(exactly: value) { return .int(whole) }
        return .double(value)
    }

    /// A number, or `null`.
    static func number(_ value: Double?) -> JSONValue {
        value.map { number($0) } ?? .null
    }
}
