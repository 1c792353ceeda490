import CJSONC
import PilotJSON

/// What the decoder reads: a value of a Swift tree, or a node of json-c's tree (a
/// `ParsedJSON`'s, inside its `withRoot`), so that an incoming event's data decodes
/// without a Swift tree being built for the whole document first.
///
/// An enum and not a protocol the containers are generic over: their conformances to
/// `Decoder` and the container protocols are called through existentials, and the
/// witnesses of a generic conformance run unspecialised.
enum DecodingSource {
    case tree(JSONValue)
    case node(JSONCNode)

    static var null: DecodingSource { .tree(.null) }

    var isNull: Bool {
        switch self {
        case .tree(let value): value.isNull
        case .node(let node): if case .null = node.shape { true } else { false }
        }
    }

    /// The value as a Swift tree: a scalar's, what the scalar conversions read, or any
    /// value's, for an error to describe it.
    var json: JSONValue {
        switch self {
        case .tree(let value): value
        case .node(let node): JSONValue(node)
        }
    }

    var isObject: Bool {
        switch self {
        case .tree(let value): value.object != nil
        case .node(let node): node.isObject
        }
    }

    var isArray: Bool {
        switch self {
        case .tree(let value): if case .array = value { true } else { false }
        case .node(let node): if case .array = node.shape { true } else { false }
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
        switch self {
        case .tree(let value):
            return value.object?.keys ?? []
        case .node(let node):
            var names: [String] = []
            _ = node.allEntries { name, _ in
                names.append(String(cString: name))
                return true
            }
            return names
        }
    }

    /// An array's items (0 for anything else) and one of them.
    var count: Int {
        switch self {
        case .tree(let value): if case .array(let items) = value { items.count } else { 0 }
        case .node(let node): if case .array = node.shape { node.count } else { 0 }
        }
    }

    func item(_ index: Int) -> DecodingSource {
        switch self {
        case .tree(let value): .tree(value.item(index))
        case .node(let node): .node(node.item(index))
        }
    }
}
