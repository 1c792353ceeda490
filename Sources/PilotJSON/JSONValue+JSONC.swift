import CJSONC

extension JSONValue {
    /// Nesting deeper than this is refused: hostile input must not exhaust the stack.
    public static let maximumDepth: Int32 = 64

    /// Parses one JSON document with json-c in strict mode: valid UTF-8 only,
    /// no trailing bytes, no `NaN`/`Infinity`, no comments (`JSONLexicalCheck` has the rest).
    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
        let (root, memberCounts) = try Self.parseTree(bytes)
        defer { json_object_put(root) }
        var conversion = Conversion(memberCounts: memberCounts)
        self = JSONValue(jsonc: root, &conversion)
        try conversion.verdict()
    }

    /// json-c's tree of `bytes`, owned by the caller (`json_object_put`), and the member
    /// counts of its objects from the lexical scan, for `Conversion` to find repeated keys.
    static func parseTree(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> (root: OpaquePointer?, memberCounts: [Int32]) {
        let scan = JSONLexicalCheck.scan(bytes, maximumDepth: Int(Self.maximumDepth))
        if let violation = scan.violation { throw violation }
        if !scan.wideIntegers.isEmpty {
            // json-c clamps integers past 64 bits to the nearest bound. Given a fraction they
            // are read as doubles and keep their magnitude, as 2^63 ... 2^64-1 do. (Offsets
            // in errors after such a number are 2 bytes further on for each.)
            var widened: [UInt8] = []
            widened.reserveCapacity(bytes.count + 2 * scan.wideIntegers.count)
            var start = 0
            for end in scan.wideIntegers {
                widened += bytes[start..<end]
                widened += [UInt8(ascii: "."), UInt8(ascii: "0")]
                start = end
            }
            widened += bytes[start...]
            let result = widened.withUnsafeBytes { raw in
                Result { () throws(JSONParseError) in try parseTree(raw) }
            }
            return try result.get()
        }
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        let length = Int32(clamping: bytes.count)
        guard let base, length > 0, bytes.count < Int32.max else {
            throw JSONParseError(offset: 0, reason: "empty document")
        }
        let root = try TokenerPool.withTokener { tokener throws(JSONParseError) -> OpaquePointer? in
            var root = json_tokener_parse_ex(tokener, base, length)
            var error = json_tokener_get_error(tokener)
            var end = json_tokener_get_parse_end(tokener)
            if error == json_tokener_continue, end == bytes.count {
                // A bare top-level number may go on; the terminator tells json-c it does not.
                root = json_tokener_parse_ex(tokener, "", 1)
                error = json_tokener_get_error(tokener)
                end = bytes.count
            }
            guard error == json_tokener_success else {
                json_object_put(root)
                let reason = error == json_tokener_continue
                    ? "unexpected end of document"
                    : String(cString: json_tokener_error_desc(error))
                throw JSONParseError(offset: end, reason: reason)
            }
            guard end == bytes.count else {
                json_object_put(root)
                throw JSONParseError(offset: end, reason: "unexpected bytes after the document")
            }
            return root
        }
        return (root, scan.memberCounts)
    }

    /// Parses a UTF-8 buffer.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try JSONValue(parsing: raw) }
        }
        self = try result.get()
    }

    /// Parses a string.
    public init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// What the conversion of one tree found on the way.
    struct Conversion {
        /// From the lexical scan: members per object, in document order.
        var memberCounts: [Int32]
        /// Off for a tree that has passed the checks already.
        var checking = true
        var nextObject = 0
        /// Cleared when a number overflowed to infinity (such as `1e999`), which JSON cannot carry.
        var finite = true
        /// The key of the first object json-c merged repeated keys in ("" at the top).
        var duplicateKeyIn: String?

        /// An object met in document order, `length` members in json-c's tree, under `key`.
        /// Until a duplicate is found (and the order may shift) the counts line up one to one.
        mutating func met(objectOf length: Int, under key: @autoclosure () -> String) {
            guard checking, duplicateKeyIn == nil else { return }
            let ordinal = nextObject
            nextObject += 1
            if ordinal >= memberCounts.count || memberCounts[ordinal] != Int32(length) {
                duplicateKeyIn = key()
            }
        }

        /// What the conversion found wrong, thrown.
        func verdict() throws(JSONParseError) {
            guard finite else { throw JSONParseError(offset: 0, reason: "number too large for a double") }
            if let key = duplicateKeyIn {
                throw JSONParseError(offset: 0, reason: "duplicate key in \(key.isEmpty ? "the top-level object" : "object \"\(key)\"")")
            }
        }
    }

    /// Converts a json-c tree; `nil` is JSON `null` in json-c.
    init(jsonc node: OpaquePointer?, _ conversion: inout Conversion, key: String = "") {
        guard let node else { self = .null; return }
        switch json_object_get_type(node) {
        case json_type_null:
            self = .null
        case json_type_boolean:
            self = .bool(json_object_get_boolean(node) != 0)
        case json_type_int:
            let value = json_object_get_int64(node)
            // json-c clamps big unsigned values to Int64.max; keep their magnitude as a double.
            if value == .max, json_object_get_uint64(node) > UInt64(Int64.max) {
                self = .double(Double(json_object_get_uint64(node)))
            } else {
                self = .int(value)
            }
        case json_type_double:
            // The lexical check keeps NaN and Infinity out; an overflow such as 1e999 is
            // infinite here and is refused by `init(parsing:)`.
            let value = json_object_get_double(node)
            if !value.isFinite { conversion.finite = false }
            self = .double(value)
        case json_type_string:
            let length = Int(json_object_get_string_len(node))
            let pointer = json_object_get_string(node)!
            self = .string(pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            })
        case json_type_array:
            let count = json_object_array_length(node)
            var items: [JSONValue] = []
            items.reserveCapacity(count)
            for index in 0..<count {
                items.append(JSONValue(jsonc: json_object_array_get_idx(node, index), &conversion, key: key))
            }
            self = .array(items)
        case json_type_object:
            // Objects are met in the order their braces opened.
            let length = json_object_object_length(node)
            conversion.met(objectOf: Int(length), under: key)
            var object = JSONObject(minimumCapacity: Int(length))
            _ = JSONCNode(node).allEntries { name, value in
                let name = String(cString: name)
                object.appendUnique(name, JSONValue(jsonc: value.pointer, &conversion, key: name))
                return true
            }
            self = .object(object)
        default:
            self = .null
        }
    }
}
