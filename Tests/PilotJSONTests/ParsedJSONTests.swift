import PilotJSON
import Testing

/// `ParsedJSON` keeps json-c's tree instead of building a Swift one; it must accept and
/// refuse exactly what `JSONValue(parsing:)` does, for the same reason, and hold the
/// same value. (The envelope fuzzer checks the same on every input it makes.)
@Suite struct ParsedJSONTests {
    static let documents = [
        // accepted
        #"{"a":1,"b":[true,null,"x"],"c":{"d":2.5}}"#, "12", " true ", "null", #""text""#, "[]", "{}",
        #"{"a":{"id":1},"b":[{"id":2},{"id":3}],"id":4}"#, "[1,99999999999999999999999,{\"a\":-9223372036854775809}]",
        "18446744073709551615", #"{"a":"x\u0000y","é":"🐲"}"#, #"{"K":1,"\u212a":2}"#,
        // refused
        #"{"a":1,"a":2}"#, #"{"data":{"x":1,"y":{"z":0},"x":2}}"#, #"{"list":[{"k":1},{"k":1,"k":2}]}"#,
        #"{"a":{"b":{}},"c":{"d":{"e":1},"d":{}},"f":{}}"#, "[1e999]", "1.", "[00]", #"{"\u0000":1}"#,
        #""\ud800""#, "", "[1,]", "{} x", String(repeating: "[", count: 100),
        "1" + String(repeating: "0", count: 400),
    ]

    @Test(arguments: documents)
    func agreesWithTheSwiftTree(_ text: String) {
        let tree = Result { () throws(JSONParseError) in try JSONValue(parsing: text) }
        let parsed = Result { () throws(JSONParseError) in try ParsedJSON(parsing: Array(text.utf8)) }
        switch (tree, parsed) {
        case (.success(let value), .success(let document)):
            #expect(document.value == value)
            #expect(document.value.serialized() == value.serialized(), "the members' order is kept")
        case (.failure(let expected), .failure(let error)):
            #expect(error.description == expected.description)
        default:
            Issue.record("JSONValue(parsing:) gives \(tree), ParsedJSON \(parsed)")
        }
    }

    @Test func bothVerdictsAreAmongTheDocuments() {
        let accepted = Self.documents.filter { (try? JSONValue(parsing: $0)) != nil }
        #expect(accepted.count >= 10 && Self.documents.count - accepted.count >= 10)
    }

    @Test func readsATopLevelMemberWithoutTheRest() throws {
        let document = try ParsedJSON(parsing: Array(#"{"type":"pilot.requested","n":7,"data":{"x":[1,2]}}"#.utf8))
        #expect(document[member: "type"] == "pilot.requested")
        #expect(document[member: "n"] == 7)
        #expect(document[member: "data"] == ["x": [1, 2]])
        #expect(document[member: "missing"] == nil)
        #expect(document.withRoot { $0.isObject && $0.member("type")?.string == "pilot.requested" })
        #expect(try ParsedJSON(parsing: Array("[1]".utf8))[member: "type"] == nil)
        #expect(try ParsedJSON(parsing: Array("null".utf8)).withRoot(\.isObject) == false)
    }

    @Test func convertsOnceAndSharesTheResult() throws {
        let document = try ParsedJSON(parsing: Array(#"{"a":[1,2,3]}"#.utf8))
        #expect(document.value == document.value)
        #expect(document.value["a"] == [1, 2, 3])
    }
}
