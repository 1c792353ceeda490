import PilotJSON

/// Reads the keywords of one schema object for the compiler, and words the
/// error when a keyword's value breaks the specification's rules.
struct KeywordReader {
    let object: JSONObject
    let location: SchemaLocation
    /// The base URI relative references in this schema resolve against.
    let base: URIReference
    let documentURI: String

    func pointer(_ key: String) -> String {
        location.pointer + "/" + JSONPointer.escape(key)
    }

    func error(_ kind: SchemaError.Kind, _ key: String, _ reason: String) -> SchemaError {
        SchemaError(kind, schema: documentURI, location: pointer(key), reason: "\(key): \(reason)")
    }

    private func invalid(_ key: String, _ reason: String) -> SchemaError {
        error(.invalidKeywordValue(key), key, reason)
    }

    /// A JSON number.
    func number(_ key: String) throws(SchemaError) -> JSONValue {
        let value = object[key]!
        guard value.number != nil else { throw invalid(key, "must be a number") }
        return value
    }

    /// A non-negative integer, `2.0` included as the specification allows.
    func count(_ key: String) throws(SchemaError) -> Int {
        guard let integer = object[key]!.integer, integer >= 0, let count = Int(exactly: integer) else {
            throw invalid(key, "must be a non-negative integer")
        }
        return count
    }

    func flag(_ key: String) throws(SchemaError) -> Bool {
        guard case .bool(let flag) = object[key] else { throw invalid(key, "must be true or false") }
        return flag
    }

    /// An array of distinct strings.
    func stringArray(_ key: String) throws(SchemaError) -> [String] {
        try strings(object[key]!, key)
    }

    func strings(_ value: JSONValue, _ key: String) throws(SchemaError) -> [String] {
        guard case .array(let items) = value else { throw invalid(key, "must be an array of strings") }
        var strings: [String] = []
        for item in items {
            guard case .string(let string) = item else { throw invalid(key, "must be an array of strings") }
            guard !strings.contains(string) else { throw invalid(key, "lists \"\(string)\" twice") }
            strings.append(string)
        }
        return strings
    }

    /// The member names of an object-valued keyword, in order.
    func objectKeys(_ key: String) throws(SchemaError) -> [String] {
        guard case .object(let members) = object[key] else { throw invalid(key, "must be an object") }
        return members.keys
    }

    /// A non-empty array of subschemas, compiled.
    func subschemaArray(_ key: String, _ compiler: inout SchemaCompiler) throws(SchemaError) -> [SchemaNode] {
        guard case .array(let items) = object[key], !items.isEmpty else {
            throw invalid(key, "must be a non-empty array of schemas")
        }
        var nodes: [SchemaNode] = []
        for position in items.indices {
            nodes.append(try compiler.subschema(self, key, String(position)))
        }
        return nodes
    }

    func pattern(_ source: String, _ key: String) throws(SchemaError) -> Pattern {
        do {
            return try Pattern(source)
        } catch {
            throw invalid(key, "\"\(source)\" is not a regular expression this validator understands: \(error)")
        }
    }
}
