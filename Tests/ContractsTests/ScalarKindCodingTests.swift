import Contracts
import PilotJSON
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every scalar type through the coders' generic paths (`decode<T>`/`encode<T>`: array
/// items, dictionary values, a generic wrapper), where the coders recognise the type by
/// its metadata instead of a cast to `JSONPrimitive`.
@Suite struct ScalarKindCodingTests {
    /// Holds its value behind a generic parameter, so the coders see only `T`.
    struct Boxed<T: Codable & Equatable>: Codable, Equatable {
        var value: T
        var optional: T?
        var items: [T]
        var byName: [String: T]
    }

    let decoder = JSONValueDecoder()
    let encoder = JSONValueEncoder()

    private func roundTrip<T: Codable & Equatable>(_ value: T, _ other: T, json expected: JSONValue) throws {
        let boxed = Boxed(value: value, optional: other, items: [value, other], byName: ["a": value])
        let json = try encoder.encode(boxed)
        #expect(json["value"] == expected, "\(T.self)")
        #expect(json["items"]?.array?.first == expected, "\(T.self)")
        #expect(try decoder.decode(Boxed<T>.self, from: json) == boxed, "\(T.self)")
        let empty = try decoder.decode(Boxed<T>.self, from: ["value": expected, "items": [], "byName": [:]])
        #expect(empty.optional == nil, "\(T.self)")
    }

    @Test func everyScalarTypeRoundTripsThroughGenericContainers() throws {
        try roundTrip("text", "ü", json: "text")
        try roundTrip(1.5, -2, json: .double(1.5))
        try roundTrip(Int.min, 0, json: .int(Int64.min))
        try roundTrip(true, false, json: true)
        try roundTrip(Date(timeIntervalSince1970: 1_764_000_000), Date(timeIntervalSince1970: 0), json: "2025-11-24T16:00:00Z")
        try roundTrip(Int64.max, 1, json: .int(Int64.max))
        try roundTrip(Float(0.1), 2, json: .double(0.1))
        try roundTrip(Int8.min, 1, json: .int(-128))
        try roundTrip(Int16.max, 1, json: .int(32767))
        try roundTrip(Int32.min, 1, json: .int(-2_147_483_648))
        try roundTrip(UInt(7), 1, json: .int(7))
        try roundTrip(UInt8.max, 1, json: .int(255))
        try roundTrip(UInt16.max, 1, json: .int(65535))
        try roundTrip(UInt32.max, 1, json: .int(4_294_967_295))
        try roundTrip(UInt64(Int64.max), 1, json: .int(Int64.max))
    }

    /// A scalar read straight from an array item names the item in its error, as a
    /// decoder made for the item would.
    @Test func aWrongArrayItemNamesItsIndex() throws {
        let json: JSONValue = ["value": 1, "items": [1, 300], "byName": [:]]
        let error = try #require(throws: DecodingError.self) { try decoder.decode(Boxed<UInt8>.self, from: json) }
        guard case .typeMismatch(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.debugDescription == "items[1]: expected UInt8, found 300")
        #expect(context.codingPath.map(\.stringValue) == ["items", "1"])

        let dates: JSONValue = ["value": "2025-11-24T16:00:00Z", "items": ["yesterday"], "byName": [:]]
        let dateError = try #require(throws: DecodingError.self) { try decoder.decode(Boxed<Date>.self, from: dates) }
        guard case .typeMismatch(_, let dateContext) = dateError else { Issue.record("\(dateError)"); return }
        #expect(dateContext.debugDescription == #"items[0]: expected an RFC 3339 date-time, found "yesterday""#)
    }

    /// A type that is not a scalar still decodes and encodes itself, also when its raw
    /// value is one.
    @Test func typesThatCodeThemselvesAreLeftToThemselves() throws {
        enum Level: String, Codable, Equatable { case low, high }
        try roundTrip(Level.high, .low, json: "high")
        try roundTrip([1, 2] as [Int], [], json: [1, 2])
    }
}
