@testable import Contracts
import PilotJSON
import Testing

/// The flat program (`Schema.isValid`, and the first step of `validate`) must give the
/// verdict of the node tree, which `validate` reports the errors from, on every instance.
@Suite struct SchemaProgramTests {
    static let replacements: [JSONValue] = [
        .null, .bool(true), .int(0), .int(-1), .int(31), .int(1_000_000), .double(0.5), .double(30.0), .double(-100.25),
        .double(1e300), .string(""), .string("x"), .string("a\n"), .string("a\r\n"), .string("é"), .string("e\u{301}"),
        .string("USD"), .string("usd"), .string("acme-2026-11"), .string("acme..x"), .string("2026-11-25T09:00:00Z"),
        .string("2026-11-25T09:00:00"), .string("a@b.com"), .string("a b@c"),
        .string(String(repeating: "a", count: 129)),
        .string("K"), .string("\u{212A}"), .string("/crm"), .string("http://x/ y"), .string("daily_checkins"),
        .string("discounted"), .array([]), .array([.string("a"), .string("a")]), .object(JSONObject()),
    ]

    /// Every variant of `value` with one place changed, removed or added.
    static func mutants(_ value: JSONValue, depth: Int = 0) -> [JSONValue] {
        var result: [JSONValue] = depth > 0 ? replacements : []
        switch value {
        case .object(let object):
            for (key, member) in object.members {
                var without = object
                without[key] = nil
                result.append(.object(without))
                for inner in mutants(member, depth: depth + 1) {
                    var changed = object
                    changed[key] = inner
                    result.append(.object(changed))
                }
            }
            // Undeclared names, and names equal to declared ones only under canonical equivalence.
            for extra in ["extra", "Type", "typé", "\u{212A}", "dat\u{0061}\u{0301}", "x-note"] {
                var with = object
                with[extra] = .string("v")
                result.append(.object(with))
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                var without = items
                without.remove(at: index)
                result.append(.array(without))
                result.append(.array(items + [item]))
                for inner in mutants(item, depth: depth + 1) {
                    var changed = items
                    changed[index] = inner
                    result.append(.array(changed))
                }
            }
        default:
            break
        }
        return result
    }

    @Test func agreesWithTheTreeOnMutantsOfAnEvent() throws {
        let registry = try Fixtures.registry()
        let schemas = [
            try Fixtures.pilotRequestedSchema(),
            try registry.compile("https://schemas.pilot-worker.dev/cloudevent.v1.json"),
        ]
        var counts = (valid: 0, invalid: 0)
        for instance in [Fixtures.event] + Self.mutants(Fixtures.event) {
            for schema in schemas {
                let verdict = schema.isValid(instance)
                #expect(verdict == schema.treeVerdict(instance), "\(instance.serialized())")
                #expect(schema.validate(instance).isEmpty == verdict)
                // Read in place, in json-c's tree, as the runtime reads incoming events.
                let parsed = try ParsedJSON(parsing: instance.serializedBytes())
                #expect(schema.isValid(parsed) == verdict, "in place: \(instance.serialized())")
                #expect(schema.validate(parsed).map(\.message) == schema.validate(instance).map(\.message))
                if verdict { counts.valid += 1 } else { counts.invalid += 1 }
            }
        }
        // Both verdicts occur plenty, or the comparison would prove little.
        #expect(counts.valid > 100 && counts.invalid > 1000)
    }

    /// Member names are matched by their bytes when they are ASCII; otherwise the tree's
    /// algorithm runs, where names compare as Swift strings do (canonical equivalence: the
    /// Kelvin sign U+212A equals "K", "e\u{301}" equals "é").
    @Test func nonASCIINamesKeepTheTreeSemantics() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(JSONValue(parsing: Array(#"""
            {"properties": {"K": {"type": "integer"}, "é": {"type": "string"}, "n": {"type": "null"}},
             "required": ["K"], "additionalProperties": false}
            """#.utf8)))
        let schema = try registry.compile(uri)
        let cases: [([(String, JSONValue)], Bool)] = [
            ([("K", .int(1))], true),
            ([("\u{212A}", .int(1))], true),
            ([("\u{212A}", .string("x"))], false),
            ([("K", .int(1)), ("e\u{301}", .string("x"))], true),
            ([("K", .int(1)), ("e\u{301}", .int(2))], false),
            ([("K", .int(1)), ("\u{212A}", .string("x"))], true),
            ([("\u{212A}", .string("x")), ("K", .int(1))], false),
            ([("K", .int(1)), ("x", .null)], false),
            ([("n", .null)], false),
            ([("K", .int(1)), ("n", .null), ("é", .string(""))], true),
        ]
        for (members, expected) in cases {
            var object = JSONObject()
            for (key, value) in members { object.appendForTest(key, value) }
            #expect(object.count == members.count)
            let instance = JSONValue.object(object)
            #expect(schema.treeVerdict(instance) == expected, "\(members)")
            #expect(schema.isValid(instance) == expected, "\(members)")
            #expect(schema.isValid(try ParsedJSON(parsing: instance.serializedBytes())) == expected, "in place: \(members)")
        }
    }

    /// `format: uri-reference` reads ASCII byte by byte, other text through `Substring`s; both agree.
    @Test func uriBytePathAgreesWithTheCharacterPath() {
        let inputs = [
            "", "/crm", "/pilot-worker", "crm", "http://example.com/a?b#c", "http://user:pw@host:8080/p",
            "http://[::1]:80/", "http://[v1.x]/", "http://[::1", "http://h:8x/", "mailto:a@b.com",
            "urn:isbn:0451450523",
            "a:b", ":a", "1a:b", "a/b:c", "//host/path", "//", "///", "?", "#", "#frag#", "a%20b", "a%2", "a%zz", "%",
            "a b", "a\\b", "a\r\n", "\r\n", "http://a/b\r\nc", "a#\r\n", "http://h/%41", "h:/%", "x:%41%42",
            "ftp://[::ffff:1.2.3.4]/", "ftp://[::ffff:1.2.3.256]/", "http://@h/", "http://h:/", "s+1.-a:x",
        ]
        for input in inputs {
            for relative in [true, false] {
                #expect(URIFormat.isValid(input, allowRelative: relative)
                    == URIFormat.isValidCharacters(input, allowRelative: relative), "\(input.debugDescription)")
            }
        }
    }
}

extension JSONObject {
    /// Builds objects as the parser does, with names that are distinct bytes but may be
    /// canonically equivalent (the subscript would merge them).
    fileprivate mutating func appendForTest(_ key: String, _ value: JSONValue) {
        var text = JSONValue.object(self).serialized()
        text.removeLast()
        text += (isEmpty ? "" : ",") + JSONValue.string(key).serialized() + ":" + value.serialized() + "}"
        self = try! JSONValue(parsing: Array(text.utf8)).object!
    }
}
