import PilotJSON

/// The scalar types `Codable` asks containers for directly, and how each maps
/// to a `JSONValue`. `nil` means "not this type" (decoding) or "not
/// representable in JSON" (encoding).
protocol JSONPrimitive {
    init?(json: JSONValue)
    var json: JSONValue? { get }
}

extension Bool: JSONPrimitive {
    init?(json: JSONValue) {
        guard case .bool(let value) = json else { return nil }
        self = value
    }
    var json: JSONValue? { .bool(self) }
}

extension String: JSONPrimitive {
    init?(json: JSONValue) {
        guard case .string(let value) = json else { return nil }
        self = value
    }
    var json: JSONValue? { .string(self) }
}

extension Double: JSONPrimitive {
    init?(json: JSONValue) {
        guard let number = json.number else { return nil }
        self = number
    }
    var json: JSONValue? { isFinite ? .double(self) : nil }
}

extension Float: JSONPrimitive {
    init?(json: JSONValue) {
        guard let number = json.number else { return nil }
        self = Float(number)
    }
    // Through the shortest text, so that 0.1 as a Float is written 0.1 and not 0.10000000149011612.
    var json: JSONValue? { isFinite ? Double(description).map(JSONValue.double) : nil }
}

extension JSONPrimitive where Self: FixedWidthInteger {
    /// Whole numbers only, also when written `2.0`, and only in range.
    init?(json: JSONValue) {
        switch json {
        case .int(let value): guard let exact = Self(exactly: value) else { return nil }; self = exact
        case .double(let value): guard let exact = Self(exactly: value) else { return nil }; self = exact
        default: return nil
        }
    }
    var json: JSONValue? { Int64(exactly: self).map(JSONValue.int) }
}

extension Int: JSONPrimitive {}
extension Int8: JSONPrimitive {}
extension Int16: JSONPrimitive {}
extension Int32: JSONPrimitive {}
extension Int64: JSONPrimitive {}
extension UInt: JSONPrimitive {}
extension UInt8: JSONPrimitive {}
extension UInt16: JSONPrimitive {}
extension UInt32: JSONPrimitive {}
extension UInt64: JSONPrimitive {}
