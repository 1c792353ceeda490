import Contracts
import Foundation
import PilotDomain
import PilotJSON
import Testing

/// Every integer the schemas accept fits the `Int` it decodes into. JSON Schema calls
/// any number without a fraction an integer, so without a bound `1.8e24` requests
/// would pass the check and then fail to decode (found by Fuzzing/, see its README).
@Suite struct SchemaIntegerBoundsTests {
    /// 2^53 - 1: the largest integer every JSON reader holds exactly (RFC 7493, 2.2).
    static let largest: Int64 = 9_007_199_254_740_991

    @Test func everyIntegerInTheSchemasIsBounded() throws {
        let folder = URL(fileURLWithPath: Fixtures.schemasDirectory)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count > 20)
        var unbounded: [String] = []
        for file in files.sorted() {
            let schema = try JSONValue(parsing: String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
            Self.integers(in: schema, at: file + "#") { path, node in
                guard let maximum = node["maximum"]?.integer, maximum <= Self.largest,
                      let minimum = node["minimum"]?.integer, minimum >= -Self.largest
                else { unbounded.append(path); return }
            }
        }
        #expect(unbounded == [])
    }

    @Test func aCountPastTheBoundIsRefusedAndOneAtItDecodes() throws {
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        func metrics(requests: JSONValue) -> JSONValue {
            Fixtures.event(type: "pilot.metrics", data: ["day": 3, "technical": ["requests": requests]])
        }
        let atBound = metrics(requests: .int(Self.largest))
        try contracts.validate(event: atBound)
        let decoded = try JSONValueDecoder().decode(PilotMetrics.self, from: #require(atBound["data"]))
        #expect(decoded.technical?.requests == Int(Self.largest))
        // 5.0 is an integer to JSON Schema, and decodes as one.
        let whole = try JSONValueDecoder().decode(PilotMetrics.self, from: #require(metrics(requests: .double(5))["data"]))
        #expect(whole.technical?.requests == 5)

        for past in [JSONValue.int(Self.largest + 1), .double(1.8234184467440737e24)] {
            let violation = try #require(throws: ContractViolation.self) { try contracts.validate(event: metrics(requests: past)) }
            #expect(violation.reason == .schemaMismatch(type: "pilot.metrics"))
        }
    }

    /// Calls `visit` with every subschema whose `type` is `"integer"`, and its path.
    static func integers(in node: JSONValue, at path: String, _ visit: (String, JSONValue) -> Void) {
        switch node {
        case .object(let object):
            if object["type"] == "integer" { visit(path, node) }
            for (name, member) in object.members { integers(in: member, at: path + "/" + name, visit) }
        case .array(let items):
            for (index, item) in items.enumerated() { integers(in: item, at: path + "/\(index)", visit) }
        default: break
        }
    }
}
