import Contracts
import PilotJSON
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `JSONValueDecoder` and `JSONValueEncoder` on event-shaped types.
@Suite struct CodingTests {
    enum SupportLevel: String, Codable { case dailyCheckins = "daily_checkins", async }

    struct Terms: Codable, Equatable {
        var durationDays: Int
        var supportLevel: SupportLevel
        var discountPct: Double?
        var useCases: [UseCase]
        var startsAt: Date?

        enum CodingKeys: String, CodingKey {
            case durationDays = "duration_days"
            case supportLevel = "support_level"
            case discountPct = "discount_pct"
            case useCases = "use_cases"
            case startsAt = "starts_at"
        }
    }

    struct UseCase: Codable, Equatable {
        var title: String
        var weight: Int64
        var tags: [String]
        var critical: Bool
    }

    let decoder = JSONValueDecoder()
    let encoder = JSONValueEncoder()

    @Test func roundTripKeepsValuesKeysAndOrder() throws {
        let terms = Terms(durationDays: 30, supportLevel: .dailyCheckins, discountPct: 12.5,
            useCases: [UseCase(title: "Dispatch", weight: 3, tags: ["ops"], critical: true)],
            startsAt: Date(timeIntervalSince1970: 1_795_597_200))
        let json = try encoder.encode(terms)
        #expect(json.serialized() == #"{"duration_days":30,"support_level":"daily_checkins","discount_pct":12.5,"#
            + #""use_cases":[{"title":"Dispatch","weight":3,"tags":["ops"],"critical":true}],"#
            + #""starts_at":"2026-11-25T09:00:00Z"}"#)
        #expect(try decoder.decode(Terms.self, from: json) == terms)
    }

    @Test func nilIsOmittedAndAbsentIsNil() throws {
        let terms = Terms(durationDays: 14, supportLevel: .async, discountPct: nil, useCases: [], startsAt: nil)
        let json = try encoder.encode(terms)
        #expect(json["discount_pct"] == nil)
        #expect(json["starts_at"] == nil)
        #expect(try decoder.decode(Terms.self, from: json) == terms)
        // An explicit null is nil too.
        let withNull: JSONValue = ["duration_days": 14, "support_level": "async", "discount_pct": nil, "use_cases": []]
        #expect(try decoder.decode(Terms.self, from: withNull).discountPct == nil)
    }

    @Test func datesAcceptOffsetsAndFractionsAndWriteUTC() throws {
        let offset = try decoder.decode(Date.self, from: "2026-11-25T10:30:00.25+01:30")
        #expect(offset == Date(timeIntervalSince1970: 1_795_597_200.25))
        #expect(try encoder.encode(offset) == "2026-11-25T09:00:00.25Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 1_795_597_200.123)) == "2026-11-25T09:00:00.123Z")
        #expect(throws: DecodingError.self) { try decoder.decode(Date.self, from: "2026-11-25 09:00") }
    }

    @Test func integersAcceptWholeDoublesOnly() throws {
        #expect(try decoder.decode(Int.self, from: 2.0) == 2)
        #expect(throws: DecodingError.self) { try decoder.decode(Int.self, from: 2.5) }
        #expect(throws: DecodingError.self) { try decoder.decode(UInt8.self, from: 300) }
        #expect(try decoder.decode(Double.self, from: 3) == 3.0)
    }

    @Test func errorsNameTheCodingPath() throws {
        let json: JSONValue = [
            "duration_days": 30, "support_level": "async",
            "use_cases": [["title": "A", "weight": 1, "tags": [], "critical": true], ["title": "B", "weight": "x"]],
        ]
        let error = try #require(throws: DecodingError.self) { try decoder.decode(Terms.self, from: json) }
        guard case .typeMismatch(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.debugDescription == #"use_cases[1].weight: expected Int64, found "x""#)
        #expect(context.codingPath.map(\.stringValue) == ["use_cases", "1", "weight"])

        let missing = try #require(throws: DecodingError.self) {
            try decoder.decode(Terms.self, from: ["support_level": "async"])
        }
        guard case .keyNotFound(let key, let missingContext) = missing else { Issue.record("\(missing)"); return }
        #expect(key.stringValue == "duration_days")
        #expect(missingContext.debugDescription == #"(root): missing key "duration_days""#)

        let badEnum = try #require(throws: DecodingError.self) {
            try decoder.decode(Terms.self, from: ["duration_days": 30, "support_level": "weekly", "use_cases": []])
        }
        guard case .dataCorrupted(let enumContext) = badEnum else { Issue.record("\(badEnum)"); return }
        #expect(enumContext.codingPath.map(\.stringValue) == ["support_level"])
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        #expect(throws: EncodingError.self) { try encoder.encode(["x": Double.nan]) }
        struct Holder: Encodable { var values: [String: [Double]] }
        let error = try #require(throws: EncodingError.self) { try encoder.encode(Holder(values: ["a": [1, .infinity]])) }
        guard case .invalidValue(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.debugDescription == "values.a[1]: inf cannot be written as JSON")
    }

    @Test func presentButWrongIsAnErrorNotNil() throws {
        let error = try #require(throws: DecodingError.self) {
            try decoder.decode(Terms.self, from: ["duration_days": 30, "support_level": "async", "use_cases": [], "discount_pct": "10"])
        }
        guard case .typeMismatch(_, let context) = error else { Issue.record("\(error)"); return }
        #expect(context.debugDescription == #"discount_pct: expected Double, found "10""#)
        let terms = try decoder.decode(Terms.self, from: ["duration_days": 30, "support_level": "async", "use_cases": [], "discount_pct": nil])
        #expect(terms.discountPct == nil)
    }

    /// Writing a key again replaces its value, and a nested container opened twice adds
    /// to the same object, with few members and with many (past the point where the
    /// encoder indexes them).
    @Test func repeatedKeysReplaceAndNestedContainersMerge() throws {
        struct Repeats: Encodable {
            var width: Int
            struct Key: CodingKey {
                var stringValue: String
                init(stringValue: String) { self.stringValue = stringValue }
                var intValue: Int? { nil }
                init?(intValue: Int) { nil }
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                for index in 0..<width { try container.encode(index, forKey: Key(stringValue: "k\(index)")) }
                try container.encode("again", forKey: Key(stringValue: "k0"))
                var first = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "nested"))
                try first.encode(1, forKey: Key(stringValue: "a"))
                var second = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "nested"))
                try second.encode(2, forKey: Key(stringValue: "b"))
                try container.encode(true, forKey: Key(stringValue: "k\(width - 1)"))
            }
        }
        for width in [3, 40] {
            let json = try encoder.encode(Repeats(width: width))
            let object = try #require(json.object)
            #expect(object.count == width + 1)
            #expect(object.keys.first == "k0" && object.keys.last == "nested")
            #expect(object["k0"] == "again")
            #expect(object["k1"] == 1)
            #expect(object["k\(width - 1)"] == true)
            #expect(object["nested"] == ["a": 1, "b": 2])
        }
    }

    @Test func nestedAndUnkeyedContainersByHand() throws {
        struct Pair: Codable, Equatable {
            var left: Int
            var right: [String?]
            enum Keys: String, CodingKey { case outer, left, right }
            init(left: Int, right: [String?]) { (self.left, self.right) = (left, right) }
            init(from decoder: any Decoder) throws {
                let outer = try decoder.container(keyedBy: Keys.self)
                    .nestedContainer(keyedBy: Keys.self, forKey: .outer)
                left = try outer.decode(Int.self, forKey: .left)
                var list = try outer.nestedUnkeyedContainer(forKey: .right)
                right = []
                while !list.isAtEnd { right.append(try list.decodeIfPresent(String.self)) }
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var outer = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
                try outer.encode(left, forKey: .left)
                var list = outer.nestedUnkeyedContainer(forKey: .right)
                for item in right { if let item { try list.encode(item) } else { try list.encodeNil() } }
            }
        }
        let pair = Pair(left: 1, right: ["a", nil])
        let json = try encoder.encode(pair)
        #expect(json.serialized() == #"{"outer":{"left":1,"right":["a",null]}}"#)
        #expect(try decoder.decode(Pair.self, from: json) == pair)
    }
}
