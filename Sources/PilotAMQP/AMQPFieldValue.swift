import CRabbitMQ

/// A value in an AMQP field table: message headers and queue arguments.
public enum AMQPFieldValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case table([(String, AMQPFieldValue)])
    /// The broker's `x-death` history is an array of tables.
    case array([AMQPFieldValue])

    public static func == (lhs: AMQPFieldValue, rhs: AMQPFieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.table(let a), .table(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.array(let a), .array(let b)): a == b
        default: false
        }
    }

    /// Bytes this value takes in an AMQP field table, its kind octet included.
    public var encodedSize: Int {
        switch self {
        case .string(let s): 1 + 4 + s.utf8.count
        case .int, .double: 1 + 8
        case .bool: 1 + 1
        case .table(let fields): 1 + Self.encodedSize(of: fields)
        case .array(let values): values.reduce(1 + 4) { $0 + $1.encodedSize }
        }
    }

    /// Bytes `table` takes on the wire: its length prefix, and each name and value.
    public static func encodedSize(of table: [(String, AMQPFieldValue)]) -> Int {
        table.reduce(4) { $0 + 1 + $1.0.utf8.count + $1.1.encodedSize }
    }

    public var stringValue: String? {
        if case .string(let s) = self { s } else { nil }
    }

    public var intValue: Int64? {
        if case .int(let i) = self { i } else { nil }
    }

    public var arrayValue: [AMQPFieldValue]? {
        if case .array(let values) = self { values } else { nil }
    }

    /// The value of the field `name` of a table.
    public subscript(field name: String) -> AMQPFieldValue? {
        if case .table(let fields) = self { fields.first { $0.0 == name }?.1 } else { nil }
    }

    func cValue(in arena: CArena) -> amqp_field_value_t {
        var value = amqp_field_value_t()
        switch self {
        case .string(let s):
            value.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            value.value.bytes = arena.bytes(s)
        case .int(let i):
            value.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            value.value.i64 = i
        case .bool(let b):
            value.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            value.value.boolean = b ? 1 : 0
        case .double(let d):
            value.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            value.value.f64 = d
        case .table(let fields):
            value.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            value.value.table = arena.table(fields)
        case .array(let values):
            value.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            value.value.array = arena.array(values)
        }
        return value
    }

    /// Decodes the kinds a broker or a peer client puts in headers; others are dropped.
    init?(_ value: amqp_field_value_t) {
        switch UInt32(value.kind) {
        case AMQP_FIELD_KIND_UTF8.rawValue, AMQP_FIELD_KIND_BYTES.rawValue:
            self = .string(String(amqpBytes: value.value.bytes))
        case AMQP_FIELD_KIND_I8.rawValue: self = .int(Int64(value.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: self = .int(Int64(value.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: self = .int(Int64(value.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: self = .int(Int64(value.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: self = .int(Int64(value.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: self = .int(Int64(value.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: self = .int(value.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue, AMQP_FIELD_KIND_TIMESTAMP.rawValue:
            self = .int(Int64(clamping: value.value.u64))
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: self = .bool(value.value.boolean != 0)
        case AMQP_FIELD_KIND_F32.rawValue: self = .double(Double(value.value.f32))
        case AMQP_FIELD_KIND_F64.rawValue: self = .double(value.value.f64)
        case AMQP_FIELD_KIND_TABLE.rawValue: self = .table(Self.fields(of: value.value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue: self = .array(Self.values(of: value.value.array))
        default: return nil
        }
    }

    static func values(of array: amqp_array_t) -> [AMQPFieldValue] {
        guard array.num_entries > 0, let entries = array.entries else { return [] }
        return (0..<Int(array.num_entries)).compactMap { AMQPFieldValue(entries[$0]) }
    }

    static func fields(of table: amqp_table_t) -> [(String, AMQPFieldValue)] {
        guard table.num_entries > 0, let entries = table.entries else { return [] }
        return (0..<Int(table.num_entries)).compactMap { index in
            let entry = entries[index]
            return AMQPFieldValue(entry.value).map { (String(amqpBytes: entry.key), $0) }
        }
    }
}
