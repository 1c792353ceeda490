/// Writes the members of a JSON object.
struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol, PlacedContainer {
    let place: ContainerPlace<EncodingSlot>

    init(slot: EncodingSlot, node: CodingPathNode?, userInfo: [CodingUserInfoKey: Any]) {
        place = ContainerPlace(slot, node: node, userInfo: userInfo)
    }

    var slot: EncodingSlot { place.content }

    private func member(_ key: Key) -> ValueEncoder {
        ValueEncoder(slot: slot.member(key.stringValue), parent: node, key: key, userInfo: userInfo)
    }

    // Inlined so that each caller has it for its own `P`: left generic, it asked the runtime
    // for metadata on every call.
    @inline(__always)
    private func set<P: JSONPrimitive>(_ value: P, _ key: Key) throws {
        slot.setMember(key.stringValue, try ValueEncoder.primitive(value, at: { CodingPathNode.keys(node, then: key) }))
    }

    mutating func encodeNil(forKey key: Key) throws { slot.setMember(key.stringValue, .null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let json = try ValueEncoder.scalar(value, at: { CodingPathNode.keys(node, then: key) }) {
            slot.setMember(key.stringValue, json)
        } else {
            try value.encode(to: member(key))
        }
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try set(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try set(value, key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        member(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        member(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoder(slot: slot.member("super"), parent: node, key: SuperKey(), userInfo: userInfo)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        member(key)
    }
}
