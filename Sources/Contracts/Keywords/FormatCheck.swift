import PilotJSON

/// `format`, as an assertion, for the formats our contracts use. Unknown formats are ignored.
enum Format: String {
    case dateTime = "date-time"
    case date
    case email
    case uuid
    case uri
    case uriReference = "uri-reference"

    /// Whether `string` is in the format.
    func admits(_ string: String) -> Bool {
        switch self {
            case .dateTime: RFC3339.parseDateTime(string) != nil
            case .date: RFC3339.parseDate(string) != nil
            case .email: EmailFormat.isValid(string)
            case .uuid: UUIDFormat.isValid(string)
            case .uri: URIFormat.isValid(string, allowRelative: false)
            case .uriReference: URIFormat.isValid(string, allowRelative: true)
        }
    }

    func validate(_ instance: JSONValue, _ evaluation: inout Evaluation) -> Bool {
        guard case .string(let string) = instance else { return true }
        let valid = admits(string)
        if !valid { evaluation.fail("format", "\(Describe.value(instance)) is not a valid \(rawValue)") }
        return valid
    }
}
