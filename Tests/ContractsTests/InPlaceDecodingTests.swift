import Contracts
import PilotJSON
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `JSONValueDecoder` reading json-c's tree in place (how a handler's typed event is
/// decoded) gives what it gives from the Swift tree of the same text: the same values, the
/// same errors with the same paths.
@Suite struct InPlaceDecodingTests {
    typealias Terms = CodingTests.Terms

    /// A value decoded by hand: nested containers, an unkeyed one read past its end when
    /// `count` asks for more items than there are, `decodeNil`, `contains` and `allKeys`.
    struct ByHand: Decodable, Equatable {
        var left: Int
        var right: [String?]
        var keys: [String]
        var hasExtra: Bool

        enum Keys: String, CodingKey { case outer, left, right, count, extra }

        init(from decoder: any Decoder) throws {
            let top = try decoder.container(keyedBy: Keys.self)
            let outer = try top.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            left = try outer.decode(Int.self, forKey: .left)
            var list = try outer.nestedUnkeyedContainer(forKey: .right)
            right = []
            for _ in 0..<(try outer.decode(Int.self, forKey: .count)) {
                right.append(try list.decodeNil() ? nil : try list.decode(String.self))
            }
            keys = outer.allKeys.map(\.stringValue)
            hasExtra = top.contains(.extra)
        }
    }

    /// Tree and in place, each as the value or the error's full description.
    func both<T: Decodable & Equatable>(_ type: T.Type, _ text: String) throws -> (tree: Outcome<T>, node: Outcome<T>) {
        let decoder = JSONValueDecoder()
        let tree = Outcome { try decoder.decode(T.self, from: JSONValue(parsing: Array(text.utf8))) }
        let parsed = try ParsedJSON(parsing: Array(text.utf8))
        let node = parsed.withRoot { root in Outcome { try decoder.decode(T.self, from: root) } }
        return (tree, node)
    }

    enum Outcome<T: Equatable>: Equatable {
        case value(T)
        case error(String)

        init(_ body: () throws -> T) {
            do { self = .value(try body()) } catch { self = .error("\(error)") }
        }

        var isError: Bool { if case .error = self { true } else { false } }
    }

    static let terms: [String] = [
        #"{"duration_days":30,"support_level":"daily_checkins","discount_pct":12.5,"use_cases":[{"title":"Dispatch","weight":3,"tags":["ops","é\u0000x"],"critical":true}],"starts_at":"2026-11-25T10:30:00.25+01:30"}"#,
        #"{"duration_days":14,"support_level":"async","discount_pct":null,"use_cases":[]}"#,
        #"{"duration_days":2.0,"support_level":"async","use_cases":[{"title":"A","weight":1e3,"tags":[],"critical":false}]}"#,
    ]

    static let badTerms: [String] = [
        #"{"duration_days":30,"support_level":"async","use_cases":[{"title":"A","weight":1,"tags":[],"critical":true},{"title":"B","weight":"x"}]}"#,
        #"{"support_level":"async"}"#,
        #"{"duration_days":30,"support_level":"weekly","use_cases":[]}"#,
        #"{"duration_days":30,"support_level":"async","use_cases":[],"discount_pct":"10"}"#,
        #"{"duration_days":2.5,"support_level":"async","use_cases":[]}"#,
        #"{"duration_days":30,"support_level":"async","use_cases":[{"title":"A","weight":18446744073709551615,"tags":[],"critical":true}]}"#,
        #"{"duration_days":30,"support_level":"async","use_cases":[],"starts_at":"2026-11-25 09:00"}"#,
        #"{"duration_days":30,"support_level":"async","use_cases":{"title":"A"}}"#,
        #"{"duration_days":null,"support_level":"async","use_cases":[]}"#,
        #"[{"duration_days":30}]"#,
        #"null"#,
    ]

    @Test(arguments: terms)
    func valuesAreTheTrees(_ text: String) throws {
        let (tree, node) = try both(Terms.self, text)
        #expect(!tree.isError)
        #expect(node == tree)
    }

    @Test(arguments: badTerms)
    func errorsAreTheTrees(_ text: String) throws {
        let (tree, node) = try both(Terms.self, text)
        #expect(tree.isError)
        #expect(node == tree)
    }

    @Test func byHandContainersScalarsAndDictionaries() throws {
        let texts = [
            #"{"outer":{"left":1,"right":["a",null,"c"],"count":3},"extra":0}"#,
            #"{"outer":{"right":["a"],"count":2,"left":-7}}"#,
            #"{"outer":{"left":1,"right":["a"],"count":2}}"#,
            #"{"outer":{"left":1,"right":[1],"count":1}}"#,
            #"{"outer":[]}"#,
        ]
        for text in texts {
            let (tree, node) = try both(ByHand.self, text)
            #expect(node == tree, "\(text)")
        }
        #expect(try both(ByHand.self, texts[2]).node.isError)
        for text in [#"{"b":2,"a":1,"c":3}"#, #"{"a":"x"}"#, #"{}"#, #"{"\u00e9":1,"é2":2}"#] {
            let (tree, node) = try both([String: Int].self, text)
            #expect(node == tree, "\(text)")
        }
        for text in [#"[1,null,3]"#, #"[]"#, #"null"#, #"[1,"2"]"#] {
            let (tree, node) = try both([Int?].self, text)
            #expect(node == tree, "\(text)")
        }
        for text in [#""2026-11-25T09:00:00Z""#, #"true"#, #"-0"#, #"1.5"#, #"9223372036854775807"#] {
            #expect(try both(Date.self, text).node == both(Date.self, text).tree)
            #expect(try both(Double.self, text).node == both(Double.self, text).tree)
            #expect(try both(Int64.self, text).node == both(Int64.self, text).tree)
            #expect(try both(Bool.self, text).node == both(Bool.self, text).tree)
            #expect(try both(String?.self, text).node == both(String?.self, text).tree)
        }
    }
}
