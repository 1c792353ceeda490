import PilotJSON
import Testing

/// Parses share json-c tokeners (`TokenerPool`): one a failed parse left half-way must
/// not leak into the next document.
@Suite struct TokenerReuseTests {
    @Test(arguments: [
        "[1, 2",  // ends inside an array: json-c waits for more
        "{\"a\": \"unterminated",  // ends inside a string
        "{\"a\": [1, }",  // a syntax error two levels down
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",  // too deep
        "{\"a\": 1} trailing",  // a whole document, then bytes
        "12",  // a bare number, which needs the terminator
    ])
    func aParseAfterAnyOtherStartsClean(_ first: String) throws {
        for _ in 0..<50 {
            _ = try? JSONValue(parsing: first)
            #expect(try JSONValue(parsing: "{\"b\": [true, null]}") == ["b": [true, .null]])
            #expect(try JSONValue(parsing: "7") == 7)
        }
    }

    @Test func parsesOnManyThreadsAtOnce() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<32 {
                group.addTask {
                    for round in 0..<200 {
                        let text = "{\"task\": \(task), \"round\": \(round), \"list\": [\(task), \(round)]}"
                        let value = try JSONValue(parsing: text)
                        #expect(value["task"]?.integer == Int64(task) && value["list"] == [.int(Int64(task)), .int(Int64(round))])
                        _ = try? JSONValue(parsing: "[\(task), ")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
