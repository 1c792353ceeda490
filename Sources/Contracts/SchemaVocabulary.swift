/// The keywords of draft 2020-12 this module knows, grouped by how the
/// compiler and the `$id` indexer treat them.
enum SchemaVocabulary {
    static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// Keywords whose value is one subschema.
    static let singleSubschema: Set<String> = [
        "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    /// Keywords whose value is an array of subschemas.
    static let subschemaArrays: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
    /// Keywords whose value is an object of subschemas.
    static let subschemaMaps: Set<String> = [
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
    ]

    /// Deliberately not implemented: compiling a schema that uses one fails, so
    /// that no constraint is silently skipped. `unevaluated*` needs annotation
    /// collection and `$dynamicRef` a dynamic scope on every validation.
    static let unsupported: Set<String> = [
        "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef", "$recursiveAnchor",
    ]

    /// Keywords that carry information but assert nothing; they are accepted and ignored.
    static let annotations: Set<String> = [
        "$schema", "$id", "$anchor", "$dynamicAnchor", "$defs", "definitions", "$comment", "$vocabulary",
        "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
        "contentMediaType", "contentEncoding", "contentSchema",
    ]
}
