import CJSONC
import Contracts
import Foundation
import PilotDomain
import PilotJSON

/// Decoding and encoding the data of two events of `examples/` (a `pilot.requested`, the
/// largest, and a day's `pilot.metrics`, the most frequent) with our json-c parse plus
/// `JSONValueDecoder` and `JSONValueEncoder` plus serialisation, beside Foundation's
/// `JSONDecoder` and `JSONEncoder` on the same bytes in the same run. Also decoding
/// alone, from an already parsed tree (a Swift one; json-c's read in place, as a handler's
/// typed event is, beside converting it first), and writing a parsed tree as text beside
/// json-c writing the same document (the text our writer is held to).
struct CodecBenchmark {
    var messages: Int

    func run() throws {
        try measure(PilotRequest.self, example: "pilot.requested.json")
        try measure(PilotMetrics.self, example: "pilot.metrics.json")
    }

    private func measure<T: Codable & Hashable>(_ type: T.Type, example: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/\(example)").standardized.path
        guard let file = FileManager.default.contents(atPath: path), let data = try JSONValue(parsing: Array(file))["data"] else {
            throw ValidateBenchmark.ValidationFailure(description: "cannot read the data of \(path)")
        }
        let bytes = data.serializedBytes()
        let foundationDecoder = JSONDecoder()
        foundationDecoder.dateDecodingStrategy = .iso8601
        let foundationEncoder = JSONEncoder()
        foundationEncoder.dateEncodingStrategy = .iso8601
        let decoder = JSONValueDecoder()
        let encoder = JSONValueEncoder()
        var sink = 0
        let sample = try decoder.decode(T.self, from: data)

        let decodes = (
            baseline: try timed { sink &+= (try foundationDecoder.decode(T.self, from: Data(bytes))).hashValue & 1 },
            ours: try timed { sink &+= (try decoder.decode(T.self, from: JSONValue(parsing: bytes))).hashValue & 1 })
        // What a handler pays for its typed event, whose body the runtime parsed with json-c
        // to validate it: decoded in place, against converting it to a Swift tree first.
        let parsed = try ParsedJSON(parsing: bytes)
        let inPlace = try timed { sink &+= (try parsed.withRoot { try decoder.decode(T.self, from: $0) }).hashValue & 1 }
        let converted = try timed { sink &+= (try parsed.withRoot { try decoder.decode(T.self, from: JSONValue($0)) }).hashValue & 1 }
        // What a stage pays for a snapshot row, whose tree the store's cache already holds.
        let fromTree = try timed { sink &+= (try decoder.decode(T.self, from: data)).hashValue & 1 }
        let encodes = (
            baseline: try timed { sink &+= try foundationEncoder.encode(sample).count },
            ours: try timed { sink &+= try encoder.encode(sample).serializedBytes().count })
        let tokener = json_tokener_new()
        let tree = bytes.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { json_tokener_parse_ex(tokener, $0.baseAddress, Int32($0.count)) }
        }
        json_tokener_free(tokener)
        defer { json_object_put(tree) }
        let writes = (
            baseline: try timed {
                var length = 0
                _ = json_object_to_json_string_length(tree, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &length)
                sink &+= length
            },
            ours: try timed { sink &+= data.serializedBytes().count })
        say(String(format: "%@ (%d bytes), µs each: decode Foundation %.1f, ours %.1f (%.2f×), ours from a parsed tree %.1f; from json-c's tree converted %.1f, in place %.1f (%.2f×); encode Foundation %.1f, ours %.1f (%.2f×); write a parsed tree json-c %.2f, ours %.2f (%.2f×) (checksum %d)",
                   "\(T.self)", bytes.count, decodes.baseline * 1e6, decodes.ours * 1e6, decodes.baseline / decodes.ours, fromTree * 1e6,
                   converted * 1e6, inPlace * 1e6, converted / inPlace,
                   encodes.baseline * 1e6, encodes.ours * 1e6, encodes.baseline / encodes.ours,
                   writes.baseline * 1e6, writes.ours * 1e6, writes.baseline / writes.ours, sink % 7))
    }

    /// Seconds per call, the best of three runs of `messages` calls.
    private func timed(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            for _ in 0..<messages { try body() }
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return best / Double(messages)
    }
}
