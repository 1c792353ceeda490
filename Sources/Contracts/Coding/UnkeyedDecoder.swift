import PilotJSON

/// The items of a JSON array, read in order.
struct UnkeyedDecoder: UnkeyedDecodingContainer {
    /// The array.
    let items: DecodingSource
    /// The array's place.
    let node: CodingPathNode?
    let userInfo: [CodingUserInfoKey: Any]
    private(set) var currentIndex = 0

    init(items: DecodingSource, node: CodingPathNode?, userInfo: [CodingUserInfoKey: Any]) {
        self.items = items
        self.node = node
        self.userInfo = userInfo
    }

    var codingPath: [any CodingKey] { CodingPathNode.keys(node) }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// The decoder for the next item; the index moves on only when decoding it succeeds.
    private mutating func next<T>(_ body: (ValueDecoder) throws -> T) throws -> T {
        guard !isAtEnd else {
            let path = CodingPathNode.keys(node, then: IndexKey(currentIndex))
            throw DecodingError.valueNotFound(T.self, DecodingError.Context(codingPath: path,
                debugDescription: "\(CodingPath.describe(path)): the array has only \(items.count) items"))
        }
        let result = try body(ValueDecoder(value: items.item(currentIndex), parent: node, key: IndexKey(currentIndex), userInfo: userInfo))
        currentIndex += 1
        return result
    }

    /// The next item as a scalar, without a decoder of its own.
    @inline(__always)
    private mutating func scalar<P: JSONPrimitive & Decodable>() throws -> P {
        guard !isAtEnd, let decoded = P(json: items.item(currentIndex).json) else { return try next { try $0.decodeValue(P.self) } }
        currentIndex += 1
        return decoded
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items.item(currentIndex).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next { try $0.decodeValue(type) } }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar() }
    mutating func decode(_ type: String.Type) throws -> String { try scalar() }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar() }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar() }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next { try $0.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next { $0 }
    }
}
