/// Appends the items of a JSON array.
struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let encoder: ValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.slot.count }

    private func next() -> ValueEncoder {
        let index = count
        return encoder.child(encoder.slot.appended(), IndexKey(index))
    }

    mutating func encodeNil() throws { next().encodeNil() }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Bool) throws { try next().encodeValue(value) }
    mutating func encode(_ value: String) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Double) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Float) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Int) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Int8) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Int16) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Int32) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Int64) throws { try next().encodeValue(value) }
    mutating func encode(_ value: UInt) throws { try next().encodeValue(value) }
    mutating func encode(_ value: UInt8) throws { try next().encodeValue(value) }
    mutating func encode(_ value: UInt16) throws { try next().encodeValue(value) }
    mutating func encode(_ value: UInt32) throws { try next().encodeValue(value) }
    mutating func encode(_ value: UInt64) throws { try next().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        next().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        next()
    }
}
