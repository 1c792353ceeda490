import PilotJSON
import Testing

// What the envelope fuzzer (Fuzzing/) found PilotJSON accepting while json-c changed
// the document on the way, or accepting against RFC 8259. Each input is also kept in
// Fuzzing/regressions/.

@Suite struct StrictNumberTests {
    @Test(arguments: ["1.", "[1.]", "1.e5", "-0.e1", "{\"a\":1.}", "01.5", "[00]", "-01.5", "00e5", "[-00]", "-.42", "[-.5e1]"])
    func refusesWhatJSONCLetsThrough(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    /// json-c clamps them to Int64.min or UInt64.max; they keep their magnitude as doubles.
    @Test(arguments: [
        ("99999999999999999999999", 1e23), ("18446744073709551616", 18446744073709551616.0),
        ("-9223372036854775809", -9223372036854775809.0), ("-99999999999999999999", -1e20),
        ("12345678910111213141516171819202122232425262728293031", 1.2345678910111213e52),
    ])
    func readsIntegersBeyond64BitsAsDoublesInsteadOfClampingThem(_ text: String, _ expected: Double) throws {
        #expect(try JSONValue(parsing: text) == .double(expected))
        #expect(try JSONValue(parsing: "[1,\(text),{\"a\":\(text)}]") == [1, .double(expected), ["a": .double(expected)]])
        #expect(try JSONValue(parsing: text).typeName == "integer")
    }

    @Test func stillRefusesIntegersBeyondDoubles() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "1" + String(repeating: "0", count: 400)) }
    }

    @Test func keepsTheIntegersAtTheBounds() throws {
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(.max))
        #expect(try JSONValue(parsing: "-9223372036854775808") == .int(.min))
        #expect(try JSONValue(parsing: "18446744073709551615") == .double(18446744073709551615.0))
        #expect(try JSONValue(parsing: "1e23") == .double(1e23))
    }

    @Test(arguments: ["0", "-0", "0.5", "-0.0e-0", "10", "[0,0.1,10.25,1E+2,7e-1]", "{\"a\":0}"])
    func acceptsPlainNumbers(_ text: String) throws {
        _ = try JSONValue(parsing: text)
    }
}

@Suite struct StrictUnicodeTests {
    @Test(arguments: [
        [0xC0, 0xAF],  // overlong "/"
        [0xE0, 0x80, 0xAF],  // overlong, three bytes
        [0xED, 0xA0, 0x80],  // U+D800 encoded
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],
        [0xC3],  // cut short
        [0x80],  // a continuation byte alone
        [0xFF], [0xFE],  // never in UTF-8
    ] as [[UInt8]])
    func refusesIllFormedUTF8(_ sequence: [UInt8]) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22] + sequence + [0x22]) }
        #expect(error?.offset == 1)
    }

    @Test func refusesIllFormedUTF8InAMemberName() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    /// json-c does not check UTF-8 itself (the lexical check does), so every other place a
    /// byte past ASCII can stand is refused too.
    @Test(arguments: [
        [0x22, 0x5C, 0xC3, 0xA9, 0x22],  // escaping a two-byte character
        [0x22, 0x5C, 0xFF, 0x22],
        [0x5B, 0xC3, 0xA9, 0x5D],  // outside a string
        [0x7B, 0x7D, 0xC3, 0xA9],  // after the document
        [0xEF, 0xBB, 0xBF, 0x31],  // a byte order mark
        [0x22, 0x61, 0xE2, 0x82, 0x22],  // cut short after an ASCII byte
    ] as [[UInt8]])
    func refusesBytesPastASCIIOutsideWellFormedStrings(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func keepsWellFormedUTF8() throws {
        let text = "é€😀\u{FFFF}"
        #expect(try JSONValue(parsing: [0x22] + Array(text.utf8) + [0x22]) == .string(text))
    }

    @Test(arguments: [#""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#, #""\ude00\ud83d""#, #""\uD800\n""#, #"{"\ud800":1}"#])
    func refusesEscapesThatNameNoCharacter(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func readsSurrogatePairs() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00 \uD83D\uDE00""#) == .string("😀 😀"))
    }

    @Test func refusesNULInAMemberNameThatJSONCWouldCut() {
        for text in [#"{"a\u0000b":1}"#, #"{"data":{"type\u0000" : "x"}}"#] {
            let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
            #expect(error?.reason == "\\u0000 in a member name")
        }
    }

    @Test func keepsNULInAStringValue() throws {
        let value = try JSONValue(parsing: #"{"a":"x\u0000y", "b" : ["\u0000"]}"#)
        #expect(value["a"] == .string("x\u{0}y"))
        #expect(value["b"] == ["\u{0}"])
    }
}
