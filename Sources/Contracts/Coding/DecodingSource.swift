import PilotJSON

/// What the decoder reads: a value of a Swift tree, or a node of json-c's tree (a
/// `ParsedJSON`'s, inside its `withRoot`), so that an incoming event's data decodes
/// without a Swift tree being built for the whole document first. Both are read through
/// what the validator reads of them (`ProgramInstance`).
///
/// An enum and not a protocol the containers are generic over: their conformances to
/// `Decoder` and the container protocols are called through existentials, and the
/// witnesses of a generic conformance run unspecialised.
enum DecodingSource {
    case tree(JSONValue)
    case node(JSONCNode)

    static var null: DecodingSource { .tree(.null) }

    private var shape: InstanceShape {
        switch self {
        case .tree(let value): value.shape
        case .node(let node): node.shape
        }
    }

    var isNull: Bool { if case .null = shape { true } else { false } }
    var isObject: Bool { if case .object = shape { true } else { false } }
    var isArray: Bool { if case .array = shape { true } else { false } }

    /// The value as a Swift tree: a scalar's, what the scalar conversions read, or any
    /// value's, for an error to describe it.
    var json: JSONValue {
        switch self {
        case .tree(let value): value
        case .node(let node): node.jsonValue
        }
    }

    /// An object's member `name` (a `null` one included); nil when it has none.
    func member(_ name: String) -> DecodingSource? {
        switch self {
        case .tree(let value): value[name].map(DecodingSource.tree)
        case .node(let node): node.member(name).map(DecodingSource.node)
        }
    }

    /// An object's member names in document order.
    var memberNames: [String] {
        var names: [String] = []
        _ = switch self {
        case .tree(let value): value.allMembers { name, _ in names.append(String(decoding: name, as: UTF8.self)); return true }
        case .node(let node): node.allMembers { name, _ in names.append(String(decoding: name, as: UTF8.self)); return true }
        }
        return names
    }

    /// An array's items, and one of them.
    var count: Int {
        switch self {
        case .tree(let value): value.count
        case .node(let node): node.count
        }
    }

    func item(_ index: Int) -> DecodingSource {
        switch self {
        case .tree(let value): .tree(value.item(index))
        case .node(let node): .node(node.item(index))
        }
    }
}
