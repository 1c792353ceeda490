#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PilotJSON

/// Encodes `Encodable` types straight into a `JSONValue`.
///
/// Keys are written as `CodingKeys` spell them; an optional that is `nil` is
/// left out (the synthesised `encodeIfPresent`); members keep the order they
/// were encoded in. `Date` is written `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC, with
/// a fraction only when it has one.
public struct JSONValueEncoder: Sendable {
    /// Handed to the types being encoded.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodingSlot()
        try ValueEncoder(slot: root, codingPath: [], userInfo: userInfo).encodeValue(value)
        return root.built()
    }
}

/// A place a value is being written into: containers hand out slots before
/// their contents exist, which is why this is a reference type.
final class EncodingSlot {
    private enum Kind { case empty, value, object, array }

    private var kind = Kind.empty
    private var value = JSONValue.null
    private var keys: [String] = []
    private var members: [String: EncodingSlot] = [:]
    private var items: [EncodingSlot] = []

    func built() -> JSONValue {
        switch kind {
        // A type that encoded nothing at all reads back as an empty object, as with JSONEncoder.
        case .empty: .object(JSONObject())
        case .value: value
        case .object: .object(JSONObject(keys.map { ($0, members[$0]!.built()) }))
        case .array: .array(items.map { $0.built() })
        }
    }

    func set(_ value: JSONValue) {
        kind = .value
        self.value = value
    }

    func makeObject() {
        if kind != .object { (kind, keys, members) = (.object, [], [:]) }
    }

    /// The slot for member `key`; asking again for the same key gives the same slot,
    /// so that a nested container opened twice adds to what it holds.
    func member(_ key: String) -> EncodingSlot {
        makeObject()
        if let existing = members[key] { return existing }
        let slot = EncodingSlot()
        members[key] = slot
        keys.append(key)
        return slot
    }

    func makeArray() {
        if kind != .array { (kind, items) = (.array, []) }
    }

    /// The slot for the next array item.
    func appended() -> EncodingSlot {
        makeArray()
        let slot = EncodingSlot()
        items.append(slot)
        return slot
    }

    var count: Int { items.count }
}

/// The encoder for one slot; also its own single-value container.
struct ValueEncoder: Encoder, SingleValueEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    func child(_ slot: EncodingSlot, _ key: any CodingKey) -> ValueEncoder {
        ValueEncoder(slot: slot, codingPath: codingPath + [key], userInfo: userInfo)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(KeyedEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { slot.set(.null) }

    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    /// Apart from `encode`, which the concrete overloads below would otherwise call back into.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if let primitive = value as? any JSONPrimitive {
            guard let json = primitive.json else {
                throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath,
                    debugDescription: "\(CodingPath.describe(codingPath)): \(value) cannot be written as JSON"))
            }
            slot.set(json)
        } else if let date = value as? Date {
            guard let text = RFC3339.format(date) else {
                throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath,
                    debugDescription: "\(CodingPath.describe(codingPath)): \(date) is outside the years 0000–9999"))
            }
            slot.set(.string(text))
        } else {
            try value.encode(to: self)
        }
    }

    func encode(_ value: Bool) throws { try encodeValue(value) }
    func encode(_ value: String) throws { try encodeValue(value) }
    func encode(_ value: Double) throws { try encodeValue(value) }
    func encode(_ value: Float) throws { try encodeValue(value) }
    func encode(_ value: Int) throws { try encodeValue(value) }
    func encode(_ value: Int8) throws { try encodeValue(value) }
    func encode(_ value: Int16) throws { try encodeValue(value) }
    func encode(_ value: Int32) throws { try encodeValue(value) }
    func encode(_ value: Int64) throws { try encodeValue(value) }
    func encode(_ value: UInt) throws { try encodeValue(value) }
    func encode(_ value: UInt8) throws { try encodeValue(value) }
    func encode(_ value: UInt16) throws { try encodeValue(value) }
    func encode(_ value: UInt32) throws { try encodeValue(value) }
    func encode(_ value: UInt64) throws { try encodeValue(value) }
}
