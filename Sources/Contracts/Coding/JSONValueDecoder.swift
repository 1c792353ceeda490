#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PilotJSON

/// Decodes `Decodable` types straight from a `JSONValue` or from json-c's tree, without
/// a round trip through JSON text.
///
/// Keys are used as written in `CodingKeys` (write `case durationDays = "duration_days"`).
/// An absent key or `null` decodes as `nil` for optionals. `Date` reads an
/// RFC 3339 date-time (fractional seconds and offsets allowed). Errors are
/// `DecodingError`s whose description names the path, like `data.terms.duration_days`.
public struct JSONValueDecoder: Sendable {
    /// Handed to the types being decoded.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: .tree(value), parent: nil, key: nil, userInfo: userInfo).decodeValue(T.self)
    }

    /// The same from a node of json-c's tree, read in place (inside its `ParsedJSON`'s
    /// `withRoot`): only the scalars become Swift values. Same results, same errors.
    public func decode<T: Decodable>(_ type: T.Type, from node: JSONCNode) throws -> T {
        try ValueDecoder(value: .node(node), parent: nil, key: nil, userInfo: userInfo).decodeValue(T.self)
    }
}

/// The decoder for one value; also its own single-value container.
///
/// Scalars are read by the containers without a decoder of their own (see
/// `KeyedDecoder.scalar`): one is made only for a value that decodes itself.
///
/// A class, so that handing it to `init(from:)` as `any Decoder` stores one reference
/// in the existential: as a struct of five words it was boxed on the heap each time,
/// and every copy retained four fields.
final class ValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: DecodingSource
    /// Where the object or array holding this value sits, and this value's key in it.
    let parent: CodingPathNode?
    let key: (any CodingKey)?
    let userInfo: [CodingUserInfoKey: Any]

    init(value: DecodingSource, parent: CodingPathNode?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: Any]) {
        self.value = value
        self.parent = parent
        self.key = key
        self.userInfo = userInfo
    }

    var codingPath: [any CodingKey] { CodingPathNode.keys(parent, then: key) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard value.isObject else { throw mismatch("an object") }
        return KeyedDecodingContainer(KeyedDecoder<Key>(object: value, node: CodingPathNode.child(parent, key), userInfo: userInfo))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard value.isArray else { throw mismatch("an array") }
        return UnkeyedDecoder(items: value, node: CodingPathNode.child(parent, key), userInfo: userInfo)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    /// Apart from `decode`, which the concrete overloads below would otherwise call back into.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        guard let kind = ScalarKind.of(T.self) else { return try T(from: self) }
        // `as! T` from the type `T` is at runtime: the cast's identical-type fast path.
        switch kind {
        case .string: return try scalar(String.self) as! T
        case .double: return try scalar(Double.self) as! T
        case .int: return try scalar(Int.self) as! T
        case .bool: return try scalar(Bool.self) as! T
        case .date:
            guard case .string(let text) = value.json, let date = RFC3339.date(text) else {
                throw mismatch("an RFC 3339 date-time")
            }
            return date as! T
        case .int64: return try scalar(Int64.self) as! T
        case .float: return try scalar(Float.self) as! T
        case .int8: return try scalar(Int8.self) as! T
        case .int16: return try scalar(Int16.self) as! T
        case .int32: return try scalar(Int32.self) as! T
        case .uint: return try scalar(UInt.self) as! T
        case .uint8: return try scalar(UInt8.self) as! T
        case .uint16: return try scalar(UInt16.self) as! T
        case .uint32: return try scalar(UInt32.self) as! T
        case .uint64: return try scalar(UInt64.self) as! T
        }
    }

    // Inlined so that each caller has it for its own `P`: left generic, it asked the runtime
    // for metadata on every call.
    @inline(__always)
    private func scalar<P: JSONPrimitive>(_ type: P.Type) throws -> P {
        guard let decoded = P(json: value.json) else { throw mismatch("\(P.self)") }
        return decoded
    }

    func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }

    /// The error for a value that is not what the type needs; `null` is "value not found".
    func mismatch(_ expected: String) -> DecodingError {
        let path = codingPath
        let context = DecodingError.Context(codingPath: path,
            debugDescription: "\(CodingPath.describe(path)): expected \(expected), found \(Describe.value(value.json))")
        return value.isNull
            ? DecodingError.valueNotFound(Any.self, context) : DecodingError.typeMismatch(Any.self, context)
    }
}

extension JSONValue {
    var isNull: Bool {
        if case .null = self { true } else { false }
    }
}
