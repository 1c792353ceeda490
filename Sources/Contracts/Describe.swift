import PilotJSON

/// How values appear in validation messages: short, and as JSON so that
/// `"45"` and `45` do not look alike.
enum Describe {
    static let maximumLength = 60

    /// The value as compact JSON, cut to a readable length.
    static func value(_ value: JSONValue) -> String {
        let text: String
        switch value {
        case .int(let integer): return String(integer)
        case .string(let string) where string.count <= maximumLength: text = value.serialized()
        case .string(let string): text = JSONValue.string(String(string.prefix(maximumLength)) + "…").serialized()
        default: text = value.serialized()
        }
        return text.count <= maximumLength + 2 ? text : String(text.prefix(maximumLength)) + "…"
    }

    /// A list of values: `"a", "b", "c"`, cut after a handful.
    static func list(_ values: [JSONValue], limit: Int = 8) -> String {
        let shown = values.prefix(limit).map(value).joined(separator: ", ")
        return values.count > limit ? shown + ", … (\(values.count) in all)" : shown
    }

    /// The JSON type of the value with its article: "a string", "an integer".
    static func kind(_ value: JSONValue) -> String {
        switch value.typeName {
        case "integer": "an integer"
        case "array": "an array"
        case "object": "an object"
        case "null": "null"
        case let name: "a " + name
        }
    }

    /// "1 item", "2 items".
    static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
