import PilotJSON
import Testing

@Suite struct JSONValueTests {
    @Test func parsesAndSerialisesInOrder() throws {
        let value = try JSONValue(parsing: #"{"b":1,"a":[true,null,"x\u00e9"],"c":0.1,"d":2.0}"#)
        #expect(value.serialized() == #"{"b":1,"a":[true,null,"xé"],"c":0.1,"d":2.0}"#)
    }

    @Test func numbersCompareAsJSON() throws {
        #expect(JSONValue.int(1) == JSONValue.double(1.0))
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2.0,"a":1}"#))
        #expect(Set<JSONValue>([.int(1), .double(1.0)]).count == 1)
    }

    @Test(arguments: [
        "", "{", "{\"a\":1} x", "[1,]", "NaN", "[Infinity]", "{'a':1}", "/* c */ 1",
        "\"\u{01}\"",
    ])
    func rejectsWhatStrictJSONRejects(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func keepsLargeIntegersExact() throws {
        #expect(try JSONValue(parsing: "9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try JSONValue(parsing: "18446744073709551615").number == 18446744073709551615.0)
    }

    @Test func escapesControlCharactersAndQuotes() {
        let value: JSONValue = ["s": "line\nbreak \"q\" / \\"]
        #expect(value.serialized() == #"{"s":"line\nbreak \"q\" / \\"}"#)
    }
}

@Suite struct JSONNumberEdgeTests {
    @Test func refusesNumbersBeyondDouble() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[1e999]") }
    }

    @Test func parsesBareScalars() throws {
        #expect(try JSONValue(parsing: "12") == .int(12))
        #expect(try JSONValue(parsing: " true ") == .bool(true))
    }
}

/// Repeated keys: json-c keeps the last silently, so a reader that takes the first would
/// see another event. Refused, wherever the object sits.
@Suite struct JSONDuplicateKeyTests {
    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "the top-level object"),
        (#"{"data":{"x":1,"y":{"z":0},"x":2}}"#, #"object "data""#),
        (#"{"list":[{"k":1},{"k":1,"k":2}]}"#, #"object "list""#),
        // The dropped value held objects of its own: the first mismatch still names the right one.
        (#"{"a":{"b":{}},"c":{"d":{"e":1},"d":{}},"f":{}}"#, #"object "c""#),
    ])
    func refusesARepeatedKey(_ text: String, _ place: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error?.reason == "duplicate key in \(place)")
    }

    @Test func acceptsTheSameKeyInDifferentObjects() throws {
        let text = #"{"a":{"id":1},"b":[{"id":2},{"id":3}],"id":4,"s":"x:y{\"z\":1,\"z\":2}"}"#
        #expect(try JSONValue(parsing: text)["id"] == 4)
    }

    @Test func refusesNestingBeyondTheLimitBeforeJSONCSeesIt() {
        let deep = String(repeating: "[", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        #expect(error?.reason == "nesting deeper than 64")
    }

    /// Built from an array or from any other sequence, a repeated key keeps its first
    /// position and its last value, like json-c.
    @Test func aRepeatedMemberKeepsItsPlaceAndItsLastValue() {
        let members: [(String, JSONValue)] = [("a", .int(1)), ("b", .int(2)), ("a", .int(3)), ("c", .null), ("b", .bool(true))]
        let fromArray = JSONObject(members)
        let fromSequence = JSONObject(members.lazy.map { $0 })
        for object in [fromArray, fromSequence] {
            #expect(object.keys == ["a", "b", "c"])
            #expect(object["a"] == .int(3))
            #expect(object["b"] == .bool(true))
            #expect(JSONValue.object(object).serialized() == #"{"a":3,"b":true,"c":null}"#)
        }
    }
}
