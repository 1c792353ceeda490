import CJSONC
import Synchronization

/// One JSON document as json-c parsed it, read where it lies.
///
/// Held to every rule `JSONValue(parsing:)` holds a document to (the same scan, the same
/// repeated-key and overflow checks), but no Swift tree is built unless `value` is asked
/// for: the runtime validates an incoming event and reads its envelope straight from
/// json-c's objects, and only a handler that wants the data pays for the conversion.
///
/// Nothing changes the tree after the parse and readers never touch json-c's reference
/// counts, so any thread may read it.
public final class ParsedJSON: @unchecked Sendable {
    private let root: OpaquePointer?
    private let converted = Mutex<JSONValue?>(nil)

    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
        root = try Self.checkedTree(bytes)
    }

    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try Self.checkedTree(raw) }
        }
        root = try result.get()
    }

    /// json-c's tree of `bytes` once it has passed every check of `JSONValue(parsing:)`.
    private static func checkedTree(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> OpaquePointer? {
        let (root, memberCounts) = try JSONValue.parseTree(bytes)
        var conversion = JSONValue.Conversion(memberCounts: memberCounts)
        check(root, &conversion, key: nil)
        do {
            try conversion.verdict()
        } catch {
            json_object_put(root)
            throw error
        }
        return root
    }

    deinit { json_object_put(root) }

    /// Runs `body` with the root node; nodes are valid only inside `body`.
    public func withRoot<R, E: Error>(_ body: (JSONCNode) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(JSONCNode(root)) }
    }

    /// The document as a Swift tree, converted on the first call.
    public var value: JSONValue {
        converted.withLock { cached in
            if let cached { return cached }
            let value = JSONValue(JSONCNode(root))
            cached = value
            return value
        }
    }

    /// The top-level member `name` as a Swift value, without converting the rest; nil when
    /// the document is not an object or has no such member.
    public subscript(member name: String) -> JSONValue? {
        withRoot { root in root.member(name).map(JSONValue.init) }
    }

    /// The repeated-key and overflow checks of the conversion, without building anything:
    /// the same walk, in the same order.
    private static func check(_ node: OpaquePointer?, _ conversion: inout JSONValue.Conversion, key: UnsafePointer<CChar>?) {
        guard let node else { return }
        switch json_object_get_type(node) {
        case json_type_double:
            if !json_object_get_double(node).isFinite { conversion.finite = false }
        case json_type_array:
            for index in 0..<json_object_array_length(node) {
                check(json_object_array_get_idx(node, index), &conversion, key: key)
            }
        case json_type_object:
            conversion.met(objectOf: Int(json_object_object_length(node)), under: key.map { String(cString: $0) } ?? "")
            _ = JSONCNode(node).allEntries { name, value in
                check(value.pointer, &conversion, key: name)
                return true
            }
        default:
            break
        }
    }
}

/// A node of a `ParsedJSON` tree (`nil` is JSON `null`, as in json-c), valid while its
/// document's `withRoot` runs.
public struct JSONCNode {
    public let pointer: OpaquePointer?

    @inlinable
    public init(_ pointer: OpaquePointer?) { self.pointer = pointer }

    public var isObject: Bool {
        pointer.map { json_object_get_type($0) == json_type_object } ?? false
    }

    /// The member `name` when this is an object.
    public func member(_ name: String) -> JSONCNode? {
        guard let pointer, json_object_get_type(pointer) == json_type_object else { return nil }
        var found: OpaquePointer?
        guard json_object_object_get_ex(pointer, name, &found) != 0 else { return nil }
        return JSONCNode(found)
    }

    /// The string, when this is a string node.
    public var string: String? {
        guard let pointer, json_object_get_type(pointer) == json_type_string else { return nil }
        return withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `body` with the UTF-8 of a string node (empty for any other node).
    @inlinable
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let pointer, json_object_get_type(pointer) == json_type_string else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let length = Int(json_object_get_string_len(pointer))
        return json_object_get_string(pointer).withMemoryRebound(to: UInt8.self, capacity: length) {
            body(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Calls `body` with each member's name and value, in insertion order (document order),
    /// until it returns false; returns false if it did. Nothing for a node that is not an
    /// object. The table's entries are read directly: json-c's iterator costs five calls a member.
    @inlinable
    public func allEntries(_ body: (UnsafePointer<CChar>, JSONCNode) -> Bool) -> Bool {
        guard let pointer, json_object_get_type(pointer) == json_type_object else { return true }
        var entry = json_object_get_object(pointer)?.pointee.head
        while let current = entry {
            guard body(current.pointee.k.assumingMemoryBound(to: CChar.self), JSONCNode(OpaquePointer(current.pointee.v))) else {
                return false
            }
            entry = current.pointee.next
        }
        return true
    }
}

extension JSONValue {
    /// The Swift tree of a checked node.
    public init(_ node: JSONCNode) {
        var conversion = Conversion(memberCounts: [], checking: false)
        self.init(jsonc: node.pointer, &conversion)
    }
}
