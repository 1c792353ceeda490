import PilotJSON

/// Turns schema documents into a tree of `SchemaNode`s, once. Each schema
/// location is compiled at most once (the cache), which is also what lets
/// recursive `$ref`s close their loop: the node exists before its checks do.
struct SchemaCompiler {
    let registry: SchemaRegistry
    let options: SchemaOptions
    private var cache: [SchemaLocation: SchemaNode] = [:]
    private(set) var nodes: [SchemaNode] = []
    private(set) var documentsReachedAtRoot: Set<String> = []

    init(registry: SchemaRegistry, options: SchemaOptions) {
        self.registry = registry
        self.options = options
    }

    /// Compiles what the absolute URI `reference` names.
    mutating func compileReference(_ reference: URIReference) throws(SchemaError) -> SchemaNode {
        guard let location = registry.locate(reference), let value = resolve(location) else {
            throw SchemaError(.unresolvedReference(reference.text), schema: reference.text, location: "",
                reason: "\(reference.text) is not in the registry")
        }
        return try compile(value, at: location, inheritedBase: baseURI(at: location))
    }

    private func resolve(_ location: SchemaLocation) -> JSONValue? {
        guard let tokens = JSONPointer.tokens(location.pointer) else { return nil }
        return JSONPointer.resolve(tokens, in: registry.documents[location.document].root)
    }

    /// The base URI at a location the indexer may not have visited (a `$ref`
    /// into a non-schema position): that of the nearest visited ancestor.
    private func baseURI(at location: SchemaLocation) -> URIReference {
        let document = registry.documents[location.document]
        var pointer = Substring(location.pointer)
        while true {
            if let base = document.baseURIs[String(pointer)] { return base }
            guard let slash = pointer.lastIndex(of: "/") else { return URIReference(document.uri) }
            pointer = pointer[..<slash]
        }
    }

    /// Compiles `schema` found at `location`.
    mutating func compile(_ schema: JSONValue, at location: SchemaLocation, inheritedBase: URIReference)
        throws(SchemaError) -> SchemaNode
    {
        if let cached = cache[location] { return cached }
        let node = SchemaNode()
        cache[location] = node
        nodes.append(node)
        if location.pointer.isEmpty { documentsReachedAtRoot.insert(registry.documents[location.document].uri) }
        switch schema {
        case .bool(let accepts):
            node.rejectsEverything = !accepts
        case .object(let object):
            let base = registry.documents[location.document].baseURIs[location.pointer] ?? inheritedBase
            let keywords = KeywordReader(object: object, location: location, base: base,
                documentURI: registry.documents[location.document].uri)
            try compileKeywords(keywords, into: node)
        default:
            throw SchemaError(.invalidKeywordValue(""), schema: registry.documents[location.document].uri,
                location: location.pointer, reason: "a schema must be an object or a boolean")
        }
        return node
    }

    /// Compiles the subschema under `tokens` of the schema `keywords` reads.
    mutating func subschema(_ keywords: KeywordReader, _ tokens: String...) throws(SchemaError) -> SchemaNode {
        var value = JSONValue.object(keywords.object)
        var pointer = keywords.location.pointer
        for token in tokens {
            switch value {
            case .object(let object): value = object[token] ?? .null
            case .array(let items): value = Int(token).map { items[$0] } ?? .null
            default: value = .null
            }
            pointer += "/" + JSONPointer.escape(token)
        }
        let location = SchemaLocation(document: keywords.location.document, pointer: pointer)
        return try compile(value, at: location, inheritedBase: keywords.base)
    }

    private mutating func compileKeywords(_ keywords: KeywordReader, into node: SchemaNode) throws(SchemaError) {
        let object = keywords.object
        if let dialect = object["$schema"], dialect != .string(SchemaVocabulary.dialect),
            dialect != .string(SchemaVocabulary.dialect + "#")
        {
            throw keywords.error(.unsupportedDialect(dialect.string ?? ""), "$schema",
                "only draft 2020-12 (\(SchemaVocabulary.dialect)) is supported")
        }
        for key in object.keys {
            if SchemaVocabulary.unsupported.contains(key) {
                throw keywords.error(.unsupportedKeyword(key), key,
                    "\"\(key)\" is not supported by this validator; express the constraint without it")
            }
        }
        // Keywords that only make sense together are compiled as one check.
        if object["properties"] != nil || object["patternProperties"] != nil || object["additionalProperties"] != nil {
            node.add(.members(try Members(keywords, &self)))
        }
        if object["prefixItems"] != nil || object["items"] != nil {
            node.add(.items(try Items(keywords, &self)))
        }
        if object["contains"] != nil {
            node.add(.contains(try Contains(keywords, &self)))
        }
        if object["if"] != nil {
            node.add(.conditional(try Conditional(keywords, &self)))
        }
        for key in object.keys {
            if let check = try compileKeyword(key, keywords) { node.add(check) }
        }
    }

    /// The check for one keyword, or `nil` for keywords that assert nothing on
    /// their own (annotations, and the ones compiled together above).
    private mutating func compileKeyword(_ key: String, _ keywords: KeywordReader) throws(SchemaError) -> Check? {
        switch key {
        case "type": return .type(try TypeSet(keywords))
        case "const": return .const(keywords.object[key]!)
        case "enum": return .enumeration(try Enumeration(keywords))
        case "$ref":
            guard case .string(let reference) = keywords.object[key] else {
                throw keywords.error(.invalidKeywordValue(key), key, "$ref must be a string")
            }
            let target = URIReference(reference).resolved(against: keywords.base)
            guard registry.locate(target) != nil else {
                throw keywords.error(.unresolvedReference(target.text), key,
                    "\"\(reference)\" points to \(target.text), which is not in the registry")
            }
            return .ref(try compileReference(target))
        case "allOf", "anyOf", "oneOf":
            let schemas = try keywords.subschemaArray(key, &self)
            return key == "allOf" ? .allOf(schemas) : key == "anyOf" ? .anyOf(schemas) : .oneOf(schemas)
        case "not": return .not(try Negation(keywords, &self))
        case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
            return .bound(NumberBound(kind: NumberBound.Kind(rawValue: key)!, limit: try keywords.number(key)))
        case "multipleOf":
            let divisor = try keywords.number(key)
            guard (divisor.number ?? 0) > 0 else { throw keywords.error(.invalidKeywordValue(key), key, "must be > 0") }
            return .multipleOf(divisor)
        case "minLength": return .minLength(try keywords.count(key))
        case "maxLength": return .maxLength(try keywords.count(key))
        case "pattern":
            guard case .string(let source) = keywords.object[key] else {
                throw keywords.error(.invalidKeywordValue(key), key, "must be a string")
            }
            return .pattern(try keywords.pattern(source, key))
        case "format":
            guard options.formatAssertion, case .string(let name) = keywords.object[key] else { return nil }
            return Format(rawValue: name).map(Check.format)
        case "minItems": return .minItems(try keywords.count(key))
        case "maxItems": return .maxItems(try keywords.count(key))
        case "uniqueItems": return try keywords.flag(key) ? .uniqueItems : nil
        case "required": return .required(try keywords.stringArray(key))
        case "dependentRequired": return .dependentRequired(try ObjectChecks.dependentRequired(keywords))
        case "dependentSchemas":
            var rules: [(property: String, schema: SchemaNode)] = []
            for name in try keywords.objectKeys(key) { rules.append((name, try subschema(keywords, key, name))) }
            return .dependentSchemas(rules)
        case "propertyNames": return .propertyNames(try subschema(keywords, key))
        case "minProperties": return .minProperties(try keywords.count(key))
        case "maxProperties": return .maxProperties(try keywords.count(key))
        case "$defs", "definitions":
            // Compiled now although only `$ref`s use them, so that a mistake in an unused
            // definition is reported at start-up too.
            for name in try keywords.objectKeys(key) { _ = try subschema(keywords, key, name) }
            return nil
        case "properties", "patternProperties", "additionalProperties", "prefixItems", "items", "contains",
            "minContains", "maxContains", "if", "then", "else":
            return nil
        default:
            if SchemaVocabulary.annotations.contains(key) || key.hasPrefix("x-") || !options.rejectUnknownKeywords {
                return nil
            }
            throw keywords.error(.unknownKeyword(key), key,
                "unknown keyword \"\(key)\" (misspelt? annotations of your own must start with \"x-\")")
        }
    }
}
