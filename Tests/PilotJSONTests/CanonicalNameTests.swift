import PilotJSON
import Testing

// The fuzz target's round-trip check fails on it without the fix (input written by hand,
// kept in Fuzzing/regressions/canonically-equivalent-names): parse, serialize, parse
// gave a value that did not equal the first, nor itself.

/// json-c keeps names that are distinct bytes but canonically equivalent as two members;
/// lookups by Swift string equality find the first of them (as Contracts documents), and an
/// object holding both must still equal itself and survive the round trip.
@Suite struct CanonicallyEquivalentNameTests {
    @Test func anObjectWithBothEqualsItselfAfterTheRoundTrip() throws {
        let value = try JSONValue(parsing: #"{"K":1,"\u212a":2,"\u00e9":3,"e\u0301":4}"#)
        #expect(value.object?.count == 4)
        #expect(value == value)
        #expect(try JSONValue(parsing: value.serializedBytes()) == value)
        #expect(Set([value, try JSONValue(parsing: value.serializedBytes())]).count == 1)
    }

    @Test func andPastTheIndexThreshold() throws {
        let members = (0..<30).map { "\"k\($0)\":\($0)" } + [#""K":100"#, #""\u212a":200"#]
        let value = try JSONValue(parsing: "{" + members.joined(separator: ",") + "}")
        #expect(value == value)
        #expect(try JSONValue(parsing: value.serializedBytes()) == value)
    }

    @Test func objectsWithTheValuesSwappedDiffer() throws {
        #expect(try JSONValue(parsing: #"{"K":1,"\u212a":2}"#) != JSONValue(parsing: #"{"K":2,"\u212a":1}"#))
    }

    @Test func equivalentNamesInOtherObjectsStillMatch() throws {
        #expect(try JSONValue(parsing: #"{"\u00e9":1}"#) == JSONValue(parsing: #"{"e\u0301":1}"#))
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1}"#))
    }
}
