import PilotJSON

/// The members of a JSON object, read by key.
struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol, PlacedContainer {
    let place: ContainerPlace<DecodingSource>

    init(object: DecodingSource, node: CodingPathNode?, userInfo: [CodingUserInfoKey: Any]) {
        place = ContainerPlace(object, node: node, userInfo: userInfo)
    }

    var object: DecodingSource { place.content }
    var allKeys: [Key] { object.memberNames.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { object.member(key.stringValue) != nil }

    private func child(_ value: DecodingSource, _ key: Key) -> ValueDecoder {
        ValueDecoder(value: value, parent: node, key: key, userInfo: userInfo)
    }

    private func present(_ key: Key) throws -> DecodingSource {
        guard let value = object.member(key.stringValue) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath,
                debugDescription: "\(CodingPath.describe(codingPath)): missing key \"\(key.stringValue)\""))
        }
        return value
    }

    /// The member unless it is absent or `null`.
    private func ifPresent(_ key: Key) -> DecodingSource? {
        guard let value = object.member(key.stringValue), !value.isNull else { return nil }
        return value
    }

    // Inlined so that each caller has it for its own `P`: left generic, it asked the runtime
    // for metadata on every call.
    @inline(__always)
    private func scalar<P: JSONPrimitive>(_ value: DecodingSource, _ key: Key) throws -> P {
        guard let decoded = P(json: value.json) else { throw child(value, key).mismatch("\(P.self)") }
        return decoded
    }

    // Without `Optional.map` and its closure, which made the caller generic again.
    @inline(__always)
    private func scalarIfPresent<P: JSONPrimitive>(_ key: Key) throws -> P? {
        guard let value = ifPresent(key) else { return nil }
        return try scalar(value, key) as P
    }

    func decodeNil(forKey key: Key) throws -> Bool { try present(key).isNull }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(present(key), key).decodeValue(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(present(key), key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(present(key), key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(present(key), key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(present(key), key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(present(key), key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(present(key), key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(present(key), key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(present(key), key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(present(key), key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(present(key), key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(present(key), key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(present(key), key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(present(key), key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(present(key), key) }

    // One lookup each, where the protocol's defaults make three (contains, decodeNil, decode).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = ifPresent(key) else { return nil }
        return try child(value, key).decodeValue(type)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try scalarIfPresent(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try scalarIfPresent(key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(present(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(present(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: object.member("super") ?? .null, parent: node, key: SuperKey(), userInfo: userInfo)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        child(object.member(key.stringValue) ?? .null, key)
    }
}
