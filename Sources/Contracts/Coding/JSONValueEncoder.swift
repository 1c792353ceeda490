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
        try ValueEncoder(slot: root, parent: nil, key: nil, userInfo: userInfo).encodeValue(value)
        return root.built()
    }
}

/// A place a value is being written into: containers hand out slots before
/// their contents exist, which is why this is a reference type. Scalars are stored
/// as they are; only a member or item that encodes itself gets a slot of its own.
final class EncodingSlot {
    private enum Part {
        case value(JSONValue)
        case slot(EncodingSlot)

        var built: JSONValue {
            switch self {
            case .value(let value): value
            case .slot(let slot): slot.built()
            }
        }
    }

    private enum Kind { case empty, value, object, array }

    // Unchecked: a slot belongs to one encode call on one thread, and these private members
    // are never passed inout, so no two accesses can overlap. The runtime's checks (a
    // thread-local access set per read and write) were a tenth of encoding a pilot's state.
    @exclusivity(unchecked) private var kind = Kind.empty
    @exclusivity(unchecked) private var value = JSONValue.null
    @exclusivity(unchecked) private var members: [(key: String, part: Part)] = []
    /// Positions of the members by key, once there are enough for a scan to cost more.
    @exclusivity(unchecked) private var index: [String: Int]?
    @exclusivity(unchecked) private var items: [Part] = []

    func built() -> JSONValue {
        switch kind {
        // A type that encoded nothing at all reads back as an empty object, as with JSONEncoder.
        case .empty: .object(JSONObject())
        case .value: value
        case .object: .object(JSONObject(uniqueMembers: members.map { ($0.key, $0.part.built) }))
        case .array: .array(items.map(\.built))
        }
    }

    func set(_ value: JSONValue) {
        kind = .value
        self.value = value
    }

    func makeObject() {
        if kind != .object { (kind, members, index) = (.object, [], nil) }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    private func append(_ key: String, _ part: Part) {
        if index != nil { index![key] = members.count }
        members.append((key, part))
        if index == nil, members.count > 16 {
            index = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element.key, $0.offset) })
        }
    }

    /// Writes member `key`, replacing what an earlier write put there.
    func setMember(_ key: String, _ value: JSONValue) {
        makeObject()
        if let at = position(of: key) { members[at].part = .value(value) } else { append(key, .value(value)) }
    }

    /// The slot for member `key`; asking again for the same key gives the same slot,
    /// so that a nested container opened twice adds to what it holds.
    func member(_ key: String) -> EncodingSlot {
        makeObject()
        let slot = EncodingSlot()
        if let at = position(of: key) {
            if case .slot(let existing) = members[at].part { return existing }
            members[at].part = .slot(slot)
        } else {
            append(key, .slot(slot))
        }
        return slot
    }

    func makeArray() {
        if kind != .array { (kind, items) = (.array, []) }
    }

    func appendItem(_ value: JSONValue) {
        makeArray()
        items.append(.value(value))
    }

    /// The slot for the next array item.
    func appended() -> EncodingSlot {
        makeArray()
        let slot = EncodingSlot()
        items.append(.slot(slot))
        return slot
    }

    var count: Int { items.count }
}

/// The encoder for one slot; also its own single-value container.
///
/// A class for the reason `ValueDecoder` is one: as `any Encoder` it is one reference,
/// not a heap box, and copies retain once.
final class ValueEncoder: Encoder, SingleValueEncodingContainer {
    let slot: EncodingSlot
    /// Where the object or array holding this value sits, and this value's key in it.
    let parent: CodingPathNode?
    let key: (any CodingKey)?
    let userInfo: [CodingUserInfoKey: Any]

    init(slot: EncodingSlot, parent: CodingPathNode?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: Any]) {
        self.slot = slot
        self.parent = parent
        self.key = key
        self.userInfo = userInfo
    }

    var codingPath: [any CodingKey] { CodingPathNode.keys(parent, then: key) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(KeyedEncoder<Key>(slot: slot, node: CodingPathNode.child(parent, key), userInfo: userInfo))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedEncoder(slot: slot, node: CodingPathNode.child(parent, key), userInfo: userInfo)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { slot.set(.null) }

    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    /// Apart from `encode`, which the concrete overloads below would otherwise call back into.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if let json = try Self.scalar(value, at: { codingPath }) {
            slot.set(json)
        } else {
            try value.encode(to: self)
        }
    }

    /// The JSON of a value that needs no coder of its own (a number, string, bool or
    /// date), nil for one that encodes itself. `path` is asked only for an error.
    static func scalar<T: Encodable>(_ value: T, at path: () -> [any CodingKey]) throws -> JSONValue? {
        guard let kind = ScalarKind.of(T.self) else { return nil }
        // `as!` to the type `value` is at runtime: the cast's identical-type fast path.
        switch kind {
        case .string: return try primitive(value as! String, at: path)
        case .double: return try primitive(value as! Double, at: path)
        case .int: return try primitive(value as! Int, at: path)
        case .bool: return try primitive(value as! Bool, at: path)
        case .date:
            let date = value as! Date
            guard let text = RFC3339.format(date) else {
                let path = path()
                throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: path,
                    debugDescription: "\(CodingPath.describe(path)): \(date) is outside the years 0000–9999"))
            }
            return .string(text)
        case .int64: return try primitive(value as! Int64, at: path)
        case .float: return try primitive(value as! Float, at: path)
        case .int8: return try primitive(value as! Int8, at: path)
        case .int16: return try primitive(value as! Int16, at: path)
        case .int32: return try primitive(value as! Int32, at: path)
        case .uint: return try primitive(value as! UInt, at: path)
        case .uint8: return try primitive(value as! UInt8, at: path)
        case .uint16: return try primitive(value as! UInt16, at: path)
        case .uint32: return try primitive(value as! UInt32, at: path)
        case .uint64: return try primitive(value as! UInt64, at: path)
        }
    }

    /// A scalar whose type is known here, so no cast is needed to find its JSON.
    @inline(__always)
    static func primitive<P: JSONPrimitive>(_ value: P, at path: () -> [any CodingKey]) throws -> JSONValue {
        guard let json = value.json else {
            let path = path()
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: path,
                debugDescription: "\(CodingPath.describe(path)): \(value) cannot be written as JSON"))
        }
        return json
    }

    @inline(__always)
    private func set<P: JSONPrimitive>(_ value: P) throws { slot.set(try Self.primitive(value, at: { codingPath })) }

    func encode(_ value: Bool) throws { try set(value) }
    func encode(_ value: String) throws { try set(value) }
    func encode(_ value: Double) throws { try set(value) }
    func encode(_ value: Float) throws { try set(value) }
    func encode(_ value: Int) throws { try set(value) }
    func encode(_ value: Int8) throws { try set(value) }
    func encode(_ value: Int16) throws { try set(value) }
    func encode(_ value: Int32) throws { try set(value) }
    func encode(_ value: Int64) throws { try set(value) }
    func encode(_ value: UInt) throws { try set(value) }
    func encode(_ value: UInt8) throws { try set(value) }
    func encode(_ value: UInt16) throws { try set(value) }
    func encode(_ value: UInt32) throws { try set(value) }
    func encode(_ value: UInt64) throws { try set(value) }
}
