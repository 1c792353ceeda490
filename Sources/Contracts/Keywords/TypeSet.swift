import PilotJSON

/// `type`: one type name or an array of them.
struct TypeSet: OptionSet {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let integer = TypeSet(rawValue: 4)
    static let number = TypeSet(rawValue: 8)
    static let string = TypeSet(rawValue: 16)
    static let array = TypeSet(rawValue: 32)
    static let object = TypeSet(rawValue: 64)

    private static let names: [(String, TypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number),
        ("string", .string), ("array", .array), ("object", .object),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ keywords: KeywordReader) throws(SchemaError) {
        let value = keywords.object["type"]!
        let names = if case .string(let name) = value { [name] } else { try keywords.strings(value, "type") }
        self = []
        for name in names {
            guard let type = Self.names.first(where: { $0.0 == name })?.1 else {
                throw keywords.error(.invalidKeywordValue("type"), "type", "\"\(name)\" is not a JSON Schema type")
            }
            insert(type)
        }
    }

    /// Whether `instance` is of one of the types.
    @inline(__always)
    func admits(_ instance: JSONValue) -> Bool {
        admits(instance.shape)
    }

    /// Whether an instance of `shape` is of one of the types.
    @inline(__always)
    func admits(_ shape: InstanceShape) -> Bool {
        switch shape {
        case .null: contains(.null)
        case .bool: contains(.boolean)
        case .int: contains(.integer) || contains(.number)
        case .double(let number): contains(.number) || (contains(.integer) && Self.isWhole(number))
        case .string: contains(.string)
        case .array: contains(.array)
        case .object: contains(.object)
        }
    }

    /// Apart, so that the optimiser cannot compute the rounding ahead, for every instance.
    @inline(never)
    private static func isWhole(_ number: Double) -> Bool {
        number.rounded() == number
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        let matches = admits(instance)
        if !matches {
            evaluation.fail("type",
                "expected \(self.description), found \(Describe.kind(instance)) \(Describe.value(instance))")
        }
        return matches
    }

    var description: String {
        let names = Self.names.filter { contains($0.1) }.map(\.0)
        return names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
    }
}
