import CJSONC
import PilotJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `SchemaProgram` reads of an instance. Three kinds answer: a `JSONValue`; a node of
/// json-c's own tree (`ParsedJSON`), so an incoming event is validated without a Swift
/// tree being built; and a member name, which `propertyNames` validates as a string.
///
/// The program is generic over this, so each kind gets its own specialised copy and the
/// rules are written once.
protocol ProgramInstance {
    var shape: InstanceShape { get }
    /// The UTF-8 of a string instance (empty for any other).
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
    /// A string instance as a Swift string, for the checks that need one (`format`, patterns
    /// the automaton cannot decide).
    var stringValue: String { get }
    /// Items of an array, members of an object.
    var count: Int { get }
    func item(_ index: Int) -> Self
    /// Calls `body` with each member's name and value in document order until it returns
    /// false; returns false if it did.
    func allMembers(_ body: (UnsafeBufferPointer<UInt8>, Self) -> Bool) -> Bool
    func hasMember(_ name: String) -> Bool
    /// The instance as a Swift tree, for the rare keywords that compare whole values
    /// (`const`, `enum` beyond strings, `uniqueItems`) and the general member algorithm.
    var jsonValue: JSONValue { get }
}

/// An instance's type, with a number's value.
enum InstanceShape {
    case null, bool, string, array, object
    case int(Int64)
    case double(Double)
}

extension JSONValue: ProgramInstance {
    var shape: InstanceShape {
        switch self {
        case .null: .null
        case .bool: .bool
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard case .string(let string) = self else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return withBytes(of: string, body)
    }

    var stringValue: String { string ?? "" }

    var count: Int {
        switch self {
        case .array(let items): items.count
        case .object(let object): object.count
        default: 0
        }
    }

    func item(_ index: Int) -> JSONValue {
        guard case .array(let items) = self else { preconditionFailure("not an array") }
        return items[index]
    }

    func allMembers(_ body: (UnsafeBufferPointer<UInt8>, JSONValue) -> Bool) -> Bool {
        guard case .object(let object) = self else { return true }
        // Through a buffer pointer: an `Array` subscript would copy (retain) each member.
        return object.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                let goOn = withBytes(of: members[index].key) { body($0, members[index].value) }
                if !goOn { return false }
            }
            return true
        }
    }

    func hasMember(_ name: String) -> Bool { object?[name] != nil }

    var jsonValue: JSONValue { self }
}

extension JSONCNode: ProgramInstance {
    var shape: InstanceShape {
        guard let pointer else { return .null }
        switch json_object_get_type(pointer) {
        case json_type_boolean: return .bool
        case json_type_int:
            // As the conversion: json-c clamps big unsigned values to Int64.max.
            let value = json_object_get_int64(pointer)
            if value == .max, json_object_get_uint64(pointer) > UInt64(Int64.max) {
                return .double(Double(json_object_get_uint64(pointer)))
            }
            return .int(value)
        case json_type_double: return .double(json_object_get_double(pointer))
        case json_type_string: return .string
        case json_type_array: return .array
        case json_type_object: return .object
        default: return .null
        }
    }

    var stringValue: String { string ?? "" }

    var count: Int {
        guard let pointer else { return 0 }
        switch json_object_get_type(pointer) {
        case json_type_array: return json_object_array_length(pointer)
        case json_type_object: return Int(json_object_object_length(pointer))
        default: return 0
        }
    }

    func item(_ index: Int) -> JSONCNode {
        JSONCNode(json_object_array_get_idx(pointer, index))
    }

    func allMembers(_ body: (UnsafeBufferPointer<UInt8>, JSONCNode) -> Bool) -> Bool {
        allEntries { key, value in
            body(UnsafeBufferPointer(start: UnsafeRawPointer(key).assumingMemoryBound(to: UInt8.self), count: strlen(key)), value)
        }
    }

    func hasMember(_ name: String) -> Bool { member(name) != nil }

    var jsonValue: JSONValue { JSONValue(self) }
}

/// Runs `body` with the UTF-8 of `string`, copied first only if it is not stored contiguously.
@inline(__always)
func withBytes<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
    var copy = string
    copy.makeContiguousUTF8()
    return copy.utf8.withContiguousStorageIfAvailable(body)!
}

/// A member name, validated as a string by `propertyNames`.
struct MemberName: ProgramInstance {
    let bytes: UnsafeBufferPointer<UInt8>

    var shape: InstanceShape { .string }
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(bytes) }
    var stringValue: String { String(decoding: bytes, as: UTF8.self) }
    var count: Int { 0 }
    func item(_ index: Int) -> MemberName { preconditionFailure("a name has no items") }
    func allMembers(_ body: (UnsafeBufferPointer<UInt8>, MemberName) -> Bool) -> Bool { true }
    func hasMember(_ name: String) -> Bool { false }
    var jsonValue: JSONValue { .string(stringValue) }
}
