import CJSONC
import PilotJSON
import Testing

/// `serializedBytes()` writes JSON itself; json-c, which wrote it before, is the reference:
/// the same tree built as json-c objects and printed with the flags we used must give the
/// same bytes, on edge cases and on random trees.
@Suite struct JSONWritingTests {
    /// The tree as json-c objects, one reference owned by the caller.
    static func jsonc(_ value: JSONValue) -> OpaquePointer? {
        switch value {
        case .null: return nil
        case .bool(let b): return json_object_new_boolean(b ? 1 : 0)
        case .int(let i): return json_object_new_int64(i)
        case .double(let d):
            guard d.isFinite else { return nil }
            let text = d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) + ".0" : "\(d)"
            return json_object_new_double_s(d, text)
        case .string(var s):
            return s.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { json_object_new_string_len($0.baseAddress, Int32($0.count)) }
            }
        case .array(let items):
            let node = json_object_new_array_ext(Int32(clamping: items.count))
            for item in items { json_object_array_add(node, jsonc(item)) }
            return node
        case .object(let object):
            let node = json_object_new_object()
            for (key, member) in object.members {
                json_object_object_add_ex(node, key, jsonc(member), UInt32(JSON_C_OBJECT_ADD_KEY_IS_NEW))
            }
            return node
        }
    }

    static func reference(_ value: JSONValue) -> [UInt8] {
        let node = jsonc(value)
        defer { json_object_put(node) }
        var length = 0
        let text = json_object_to_json_string_length(node, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &length)!
        return Array(UnsafeRawBufferPointer(start: text, count: length))
    }

    @Test(arguments: [
        JSONValue.null, true, false, 0, -1, .int(.max), .int(.min), 0.1, 2.0, -0.0, 1e15, 1e300, 5e-324, .double(.nan), .double(.infinity),
        "", "/", "a/b", "\"", "\\", "\u{7F}", "é ✓ 𝄞", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F} ",
        [], [:], [nil, [nil], ["": nil]], ["k\n\"": ["x": [1, 2.5, "y"]]],
    ] as [JSONValue])
    func writesWhatJSONCWrites(_ value: JSONValue) {
        #expect(value.serializedBytes() == Self.reference(value), "\(value)")
    }

    /// Past the writer's first buffer: one long string, and many small pieces.
    @Test func writesLongTextsAsJSONCDoes() {
        let long = JSONValue.string(String(repeating: "a\"\u{1}é", count: 3_000))
        let many = JSONValue.array((0..<5_000).map { ["n": .int(Int64($0) * -7_919), "s": "x\n"] as JSONValue })
        for value in [long, many, [long, many]] as [JSONValue] {
            #expect(value.serializedBytes() == Self.reference(value))
        }
    }

    @Test func writesRandomTreesAsJSONCDoes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "é", "✓", "𝄞", "{", "]", ","]
        func text() -> String { String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
        func tree(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return .int(Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...63, using: &generator))
            case 3: return .double(Double.random(in: -1e6...1e6, using: &generator) * [1, 1e-9, 1e12].randomElement(using: &generator)!)
            case 4: return .string(text())
            case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in tree(depth + 1) })
            default: return .object(JSONObject((0..<Int.random(in: 0...4, using: &generator)).map { _ in (text(), tree(depth + 1)) }))
            }
        }
        for _ in 0..<3_000 {
            let value = tree(0)
            let mine = value.serializedBytes()
            #expect(mine == Self.reference(value), "\(value)")
            if mine != Self.reference(value) { return }
            #expect(value.serialized() == String(decoding: mine, as: UTF8.self))
        }
    }
}
