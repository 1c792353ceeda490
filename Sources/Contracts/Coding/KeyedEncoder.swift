/// Writes the members of a JSON object.
struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func member(_ key: Key) -> ValueEncoder {
        encoder.child(encoder.slot.member(key.stringValue), key)
    }

    mutating func encodeNil(forKey key: Key) throws { member(key).encodeNil() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try member(key).encodeValue(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try member(key).encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        member(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        member(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.child(encoder.slot.member("super"), SuperKey())
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        member(key)
    }
}
