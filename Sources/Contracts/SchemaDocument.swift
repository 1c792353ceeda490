import PilotJSON

/// A place in one of the registry's documents.
struct SchemaLocation: Hashable, Sendable {
    var document: Int
    /// JSON pointer from the document's root.
    var pointer: String
}

/// One registered JSON document and what the indexer learnt about it: the
/// base URI in effect at each schema position, and the resources (`$id`) and
/// anchors (`$anchor`) it declares.
struct SchemaDocument: Sendable {
    var root: JSONValue
    /// The URI the document was registered under (its file, or its retrieval URL).
    var uri: String
    /// Base URI of the schema at each pointer, after that schema's own `$id`.
    var baseURIs: [String: URIReference] = [:]
    var resources: [(uri: String, pointer: String)] = []
    var anchors: [(uri: String, pointer: String)] = []

    /// Walks the schema positions of `root` (only those: an `$id` inside an
    /// `enum` value or under an unknown keyword is data, not an identifier).
    init(root: JSONValue, uri: String) throws(SchemaError) {
        self.root = root
        self.uri = uri
        try index(root, pointer: "", base: URIReference(uri))
    }

    private mutating func index(_ schema: JSONValue, pointer: String, base: URIReference) throws(SchemaError) {
        guard case .object(let object) = schema else { return }
        var base = base
        if case .string(let id) = object["$id"] {
            let resolved = URIReference(id).resolved(against: base)
            // An empty fragment ("…/schema#") names the same resource; any other is not an identifier.
            guard resolved.fragment == nil || resolved.fragment == "" else {
                throw SchemaError(.invalidKeywordValue("$id"), schema: uri, location: pointer,
                    reason: "$id \"\(id)\" must not contain a fragment")
            }
            base = resolved.withoutFragment
            resources.append((base.text, pointer))
        }
        baseURIs[pointer] = base
        for keyword in ["$anchor", "$dynamicAnchor"] {
            if case .string(let anchor) = object[keyword] {
                anchors.append((base.text + "#" + anchor, pointer))
            }
        }
        for key in object.keys {
            let value = object[key]!
            let keyPointer = pointer + "/" + JSONPointer.escape(key)
            if SchemaVocabulary.singleSubschema.contains(key) {
                try index(value, pointer: keyPointer, base: base)
            } else if SchemaVocabulary.subschemaArrays.contains(key), case .array(let items) = value {
                for (position, item) in items.enumerated() {
                    try index(item, pointer: keyPointer + "/\(position)", base: base)
                }
            } else if SchemaVocabulary.subschemaMaps.contains(key), case .object(let members) = value {
                for name in members.keys {
                    try index(members[name]!, pointer: keyPointer + "/" + JSONPointer.escape(name), base: base)
                }
            }
        }
    }
}
