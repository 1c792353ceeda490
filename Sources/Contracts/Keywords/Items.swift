import PilotJSON

/// `prefixItems` and `items`: the first items each against their own schema,
/// the rest against `items`.
final class Items {
    let prefix: [SchemaNode]
    let rest: SchemaNode?

    init(_ keywords: KeywordReader, _ compiler: inout SchemaCompiler) throws(SchemaError) {
        prefix = keywords.object["prefixItems"] == nil ? [] : try keywords.subschemaArray("prefixItems", &compiler)
        if case .array = keywords.object["items"] {
            throw keywords.error(.invalidKeywordValue("items"), "items",
                "an array of schemas is the draft-07 form; draft 2020-12 calls it prefixItems")
        }
        rest = keywords.object["items"] == nil ? nil : try compiler.subschema(keywords, "items")
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .array(let items) = instance else { return true }
        var valid = true
        for (index, item) in items.enumerated() {
            let schema: SchemaNode
            let keyword: String
            if index < prefix.count {
                schema = prefix[index]
                keyword = "prefixItems"
            } else if let rest {
                schema = rest
                keyword = "items"
            } else {
                break
            }
            let start = evaluation.failures.count
            if !schema.validate(item, &evaluation) {
                valid = false
                if keyword == "items" {
                    evaluation.prefix(from: start, index: index, schema: keyword)
                } else {
                    evaluation.prefix(from: start, index: index, schema: keyword, String(index))
                }
                if evaluation.stops { return false }
            }
        }
        return valid
    }
}
