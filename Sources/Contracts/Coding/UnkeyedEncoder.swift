/// Appends the items of a JSON array.
struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    /// The array's place.
    let node: CodingPathNode?
    let userInfo: [CodingUserInfoKey: Any]

    var codingPath: [any CodingKey] { CodingPathNode.keys(node) }
    var count: Int { slot.count }

    private func next() -> ValueEncoder {
        let index = count
        return ValueEncoder(slot: slot.appended(), parent: node, key: IndexKey(index), userInfo: userInfo)
    }

    @inline(__always)
    private func append<P: JSONPrimitive>(_ value: P) throws {
        let index = count
        slot.appendItem(try ValueEncoder.primitive(value, at: { CodingPathNode.keys(node, then: IndexKey(index)) }))
    }

    mutating func encodeNil() throws { slot.appendItem(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        if let json = try ValueEncoder.scalar(value, at: { CodingPathNode.keys(node, then: IndexKey(index)) }) {
            slot.appendItem(json)
        } else {
            try value.encode(to: next())
        }
    }
    mutating func encode(_ value: Bool) throws { try append(value) }
    mutating func encode(_ value: String) throws { try append(value) }
    mutating func encode(_ value: Double) throws { try append(value) }
    mutating func encode(_ value: Float) throws { try append(value) }
    mutating func encode(_ value: Int) throws { try append(value) }
    mutating func encode(_ value: Int8) throws { try append(value) }
    mutating func encode(_ value: Int16) throws { try append(value) }
    mutating func encode(_ value: Int32) throws { try append(value) }
    mutating func encode(_ value: Int64) throws { try append(value) }
    mutating func encode(_ value: UInt) throws { try append(value) }
    mutating func encode(_ value: UInt8) throws { try append(value) }
    mutating func encode(_ value: UInt16) throws { try append(value) }
    mutating func encode(_ value: UInt32) throws { try append(value) }
    mutating func encode(_ value: UInt64) throws { try append(value) }

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
