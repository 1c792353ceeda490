import PilotAMQP
import PilotJSON

extension AMQPFieldValue {
    /// The value as JSON, for queue arguments in definitions and headers shown by tools.
    public var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(i)
        case .bool(let b): .bool(b)
        case .double(let d): .double(d)
        case .table(let fields): .object(JSONObject(fields.map { ($0.0, $0.1.json) }))
        case .array(let values): .array(values.map(\.json))
        }
    }
}
